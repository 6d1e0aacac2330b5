"""Formats → plain message records. Knows nothing of the database.

To add a format: write a module with `messages(src: SourceFile) -> Iterator[Item]` and add its
entry to `formats.FORMATS` (how it is recognised, and how its files are treated).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .archive import ArchiveLimits, members
from .files import find_sources
from .formats import BY_NAME, FORMATS, Format
from .record import (
    Address,
    Attachment,
    Item,
    MessageRecord,
    PageInfo,
    Problem,
    Provenance,
    RawEmail,
    ReadError,
    Skipped,
    SourceFile,
)
from .rfc822 import parse_raw

# What `read` gives: messages, and what reading found besides.
Read = MessageRecord | ReadError | Skipped | PageInfo


def unreadable_reason(src: SourceFile) -> str:
    if src.reason:
        return src.reason
    if src.format == "empty":
        return "empty file (0 bytes)"
    fmt = BY_NAME.get(src.format)
    if fmt is not None and fmt.pending:
        return f"{fmt.pending} files are not read yet by this version"
    return "not an email file: no mail headers, mbox separator or known container found"


def read(
    path: Path, custodian: str | None = None, limits: ArchiveLimits | None = None
) -> Iterator[Read]:
    """Every message under `path`, parsed, in order; archives opened. The library's simplest entry
    point (the corpus loader does the same with a pool of parsers)."""
    limits = limits or ArchiveLimits()

    def walk(
        src: SourceFile, depth: int
    ) -> Iterator[MessageRecord | ReadError | Skipped | PageInfo]:
        fmt = BY_NAME.get(src.format)
        if fmt is not None and fmt.container:
            for member in members(src, limits, custodian, depth):
                if isinstance(member, ReadError):
                    yield member
                else:
                    yield from walk(member, depth + 1)
        elif fmt is not None and fmt.read is not None:
            for item in fmt.read(src):
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
    "BY_NAME",
    "FORMATS",
    "Format",
    "find_sources",
    "members",
    "parse_raw",
    "read",
    "unreadable_reason",
]
