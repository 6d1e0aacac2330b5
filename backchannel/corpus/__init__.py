"""Owns the SQLite file: schema, idempotent writes, dedupe, full-text search."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from ..errors import BackchannelError
from .health import NotACorpus, check_file, open_readonly, problem, quick_check, writable
from .load import IngestSummary, ingest
from .schema import SCHEMA_VERSION, TABLES, CorpusTooNew, ensure_schema, schema_version
from .writer import CorpusWriter


class CorpusLocked(BackchannelError):
    """Another process holds the corpus."""


class CorpusUnwritable(BackchannelError):
    """The corpus file, or the folder it goes in, cannot be written."""


def open_corpus(path: str | Path) -> sqlite_utils.Database:
    """Open (or create) the corpus file with the schema in place. CorpusLocked when another
    process holds it; CorpusUnwritable, with a sentence that says how to fix it, when it or its
    folder cannot be written; NotACorpus when the file is not one (health.check_file)."""
    path = Path(path)
    folder = path.parent.absolute()
    if not folder.is_dir():
        raise CorpusUnwritable(
            f"the folder {folder} does not exist: create it, or give another --db"
        )
    if not path.exists() and not os.access(folder, os.W_OK):
        raise CorpusUnwritable(
            f"the folder {folder} is read-only: give a --db in a folder you can write"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise CorpusUnwritable(
            f"{path} is read-only: change its permissions, or copy it and give the copy as --db"
        )
    if path.exists():
        check_file(path, empty_ok=True)
    db = sqlite_utils.Database(str(path))
    db.conn.execute("pragma busy_timeout = 5000")
    # 32 MiB of page cache: the random-order primary keys of a big ingest spill from the
    # default 2 MiB; 64 MiB was no faster on 30,000 messages (three interleaved runs) and put a
    # million-message ingest over 300 MB.
    db.conn.execute("pragma cache_size = -32768")
    try:
        ensure_schema(db)
        # A write-ahead log: readers (serve, report) see the last commit while a run writes,
        # and are never blocked by it. Set after the schema: a new corpus's hundred small
        # statements would each append their pages to the log.
        db.conn.execute("pragma journal_mode = wal")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise CorpusLocked(
                f"{path} is in use by another backchannel process: wait for it to finish, "
                "then run this again"
            ) from exc
        if "readonly" in str(exc) or "unable to open" in str(exc):
            raise CorpusUnwritable(f"{path} cannot be written: {exc}") from exc
        raise
    return db


__all__ = [
    "SCHEMA_VERSION",
    "CorpusLocked",
    "CorpusTooNew",
    "CorpusUnwritable",
    "CorpusWriter",
    "IngestSummary",
    "NotACorpus",
    "TABLES",
    "check_file",
    "ensure_schema",
    "ingest",
    "open_corpus",
    "open_readonly",
    "problem",
    "quick_check",
    "schema_version",
    "writable",
]
