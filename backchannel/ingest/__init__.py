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
from .mail.rfc822 import parse_raw
from .record import (
    Address,
    Attachment,
    Document,
    Item,
    MessageRecord,
    PageInfo,
    Problem,
    ProductionInfo,
    Provenance,
    RawEmail,
    ReadError,
    Skipped,
    SourceFile,
)
from .walk import Visitor, unreadable_reason, walk

# What `read` gives: messages, and what reading found besides.
Read = MessageRecord | ReadError | Skipped | PageInfo | Document | ProductionInfo


class _Reading(Visitor[Read]):
    """walk's visitor for `read`: every item parsed and yielded, errors too."""

    def items(self, src: SourceFile, depth: int, items: Iterator[Item]) -> Iterator[Read]:
        return (parse_raw(i) if isinstance(i, RawEmail) else i for i in items)

    def error(self, src: SourceFile, error: ReadError, unreadable: bool) -> list[Read]:
        return [error]


def read(
    path: Path, custodian: str | None = None, limits: ArchiveLimits | None = None
) -> Iterator[Read]:
    """Every message under `path`, parsed, in order; archives opened; what cannot be read as
    ReadErrors. The library's simplest entry point: the corpus loader takes the same walk, with
    a pool of parsers and a writer."""
    limits = limits or ArchiveLimits()
    for src in find_sources(Path(path), custodian):
        yield from walk(src, _Reading(), limits, custodian)


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
    "walk",
]
