"""Formats → plain message records. Knows nothing of the database.

To add a format: write a module with `messages(src: SourceFile) -> Iterator[Item]`, teach
`detect.sniff` its magic bytes, and add it to READERS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from . import eml, emlx, mbox, msg, pdf, pst
from .archive import ArchiveLimits, members
from .files import find_sources
from .record import (
    Address,
    Attachment,
    Item,
    MessageRecord,
    Problem,
    Provenance,
    RawEmail,
    ReadError,
    SourceFile,
)
from .rfc822 import parse_raw

Reader = Callable[[SourceFile], Iterator[Item]]

READERS: dict[str, Reader] = {
    "mbox": mbox.messages,
    "eml": eml.messages,
    "emlx": emlx.messages,
    "msg": msg.messages,
    "pst": pst.messages,
    "pdf": pdf.messages,
}
# A reader whose output changed in a way that fixes corpora made before: files it read at an
# older version are read again by the next ingest (what they gave is taken out first).
READER_VERSIONS: dict[str, int] = {"pdf": pdf.VERSION}
CONTAINERS = {"zip"}
# Formats recognised but not read yet: their files become errors rows, and are read on a later
# run once a reader exists (they are not marked done).
PENDING: dict[str, str] = {
    "olm": "Outlook for Mac .olm",
    "dbx": "Outlook Express .dbx",
}


def unreadable_reason(src: SourceFile) -> str:
    if src.reason:
        return src.reason
    if src.format == "empty":
        return "empty file (0 bytes)"
    if src.format in PENDING:
        return f"{PENDING[src.format]} files are not read yet by this version"
    return "not an email file: no mail headers, mbox separator or known container found"


def read(
    path: Path, custodian: str | None = None, limits: ArchiveLimits | None = None
) -> Iterator[MessageRecord | ReadError]:
    """Every message under `path`, parsed, in order; archives opened. The library's simplest entry
    point (the corpus loader does the same with a pool of parsers)."""
    limits = limits or ArchiveLimits()

    def walk(src: SourceFile, depth: int) -> Iterator[MessageRecord | ReadError]:
        if src.format in CONTAINERS:
            for member in members(src, limits, custodian, depth):
                if isinstance(member, ReadError):
                    yield member
                else:
                    yield from walk(member, depth + 1)
        elif src.format in READERS:
            for item in READERS[src.format](src):
                yield parse_raw(item) if isinstance(item, RawEmail) else item
        else:
            yield ReadError(src.path, "", "detect", unreadable_reason(src))

    for src in find_sources(Path(path), custodian):
        yield from walk(src, 0)


__all__ = [
    "Address",
    "ArchiveLimits",
    "Attachment",
    "Item",
    "MessageRecord",
    "Problem",
    "Provenance",
    "RawEmail",
    "ReadError",
    "SourceFile",
    "READERS",
    "READER_VERSIONS",
    "CONTAINERS",
    "find_sources",
    "members",
    "parse_raw",
    "read",
    "unreadable_reason",
]
