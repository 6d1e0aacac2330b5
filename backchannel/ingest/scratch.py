"""Temporary folders for a run's work files (archive members, pages to OCR), named after the
process that made them, so that what a killed run left (a zip member can be gigabytes) is
removed by the next run."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from ..stopping import alive

PREFIX = "backchannel-"
_OWNER = re.compile(rf"^{PREFIX}(?:[a-z]+-)?(\d+)-")


def scratch(kind: str = "") -> tempfile.TemporaryDirectory:
    """A temporary folder for this process's work files."""
    label = f"{kind}-" if kind else ""
    return tempfile.TemporaryDirectory(prefix=f"{PREFIX}{label}{os.getpid()}-")


def sweep() -> int:
    """Remove the work folders of runs that are no longer running; returns how many."""
    removed = 0
    root = Path(tempfile.gettempdir())
    try:
        entries = list(root.iterdir())
    except OSError:
        return 0
    for entry in entries:
        m = _OWNER.match(entry.name)
        if not m or not entry.is_dir() or alive(int(m.group(1))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed
