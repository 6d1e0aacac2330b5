"""Owns the SQLite file: schema, idempotent writes, dedupe, full-text search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from .load import IngestSummary, ingest
from .schema import TABLES, ensure_schema
from .writer import CorpusWriter


class CorpusLocked(Exception):
    """Another process holds the corpus."""


def open_corpus(path: str | Path) -> sqlite_utils.Database:
    """Open (or create) the corpus file with the schema in place."""
    db = sqlite_utils.Database(str(path))
    db.conn.execute("pragma busy_timeout = 5000")
    # 64 MiB of page cache: the random-order primary keys of a big ingest otherwise spill.
    db.conn.execute("pragma cache_size = -65536")
    try:
        ensure_schema(db)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise CorpusLocked(f"{path} is in use by another backchannel process") from exc
        raise
    return db


__all__ = [
    "CorpusLocked",
    "CorpusWriter",
    "IngestSummary",
    "TABLES",
    "ensure_schema",
    "ingest",
    "open_corpus",
]
