"""The one walk over a source: a container's members in turn, a file's items through its reader,
and what cannot be read as an error. `ingest.read` and the corpus loader both take it, each
with a visitor that says what to do at each step (yield the records; write them)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from .archive import ArchiveLimits, members
from .formats import BY_NAME
from .record import Item, ReadError, SourceFile, disk_full

T = TypeVar("T", covariant=True)


class Visitor(Generic[T]):
    """What to do at each step of the walk. The defaults pass every source and do nothing at
    its beginning, members and end; `items` and `error` say what the walk yields."""

    def skip(self, src: SourceFile, depth: int) -> bool:
        """True to pass this source by (read before): nothing else is asked of it."""
        return False

    def begin(self, src: SourceFile, depth: int) -> None:
        return None

    def member(self, archive: SourceFile, member: SourceFile) -> None:
        """A member of `archive`, before it is walked."""
        return None

    def items(self, src: SourceFile, depth: int, items: Iterator[Item]) -> Iterable[T]:
        """The reader's items; what it returns is what the walk yields."""
        raise NotImplementedError

    def error(self, src: SourceFile, error: ReadError, unreadable: bool) -> Iterable[T]:
        """A read error of `src`; `unreadable`: the source as a whole could not be read."""
        raise NotImplementedError

    def end(self, src: SourceFile, depth: int, status: str) -> None:
        return None

    def fatal(self, exc: Exception) -> bool:
        """Whether `exc` stops the walk instead of costing the source being read: a full disk,
        and what the visitor says is its own failure (where it writes, not what it reads)."""
        return disk_full(exc)


def walk(
    src: SourceFile,
    visitor: Visitor[T],
    limits: ArchiveLimits,
    custodian: str | None = None,
    depth: int = 0,
) -> Iterator[T]:
    """Walk `src` (and an archive's members, depth first), telling `visitor`. A reader's or an
    archive's surprise costs the rest of that file, never the run: it becomes an error and the
    source ends with status "error". A format recognised but not read yet ends "pending". What
    is not the source's fault (visitor.fatal: a full disk, the corpus failing) stops the walk,
    the source left unfinished."""
    if visitor.skip(src, depth):
        return
    visitor.begin(src, depth)
    fmt = BY_NAME.get(src.format)
    status = "done"
    if fmt is not None and fmt.container:
        try:
            for member in members(src, limits, custodian, depth):
                if isinstance(member, ReadError):
                    opened = bool(member.location)  # no location: the archive itself failed
                    status = status if opened else "error"
                    yield from visitor.error(src, member, not opened)
                else:
                    visitor.member(src, member)
                    yield from walk(member, visitor, limits, custodian, depth + 1)
        except Exception as exc:  # an archive's surprise costs the rest of the archive
            if visitor.fatal(exc):
                raise
            reason = f"{type(exc).__name__}: {exc}"
            yield from visitor.error(
                src, ReadError(src.path, "after the members read", "archive", reason), False
            )
            status = "error"
    elif fmt is not None and fmt.read is not None:
        try:
            yield from visitor.items(src, depth, fmt.read(src))
        except Exception as exc:  # a reader's surprise costs the rest of this file only
            if visitor.fatal(exc):
                raise
            reason = f"{type(exc).__name__}: {exc}"
            yield from visitor.error(
                src, ReadError(src.path, "after the messages read", src.format, reason), False
            )
            status = "error"
    else:
        error = ReadError(src.path, "", "detect", unreadable_reason(src))
        yield from visitor.error(src, error, True)
        # A recognised format without a reader yet is tried again by a later version.
        status = "pending" if fmt is not None and fmt.pending else "error"
    visitor.end(src, depth, status)


def unreadable_reason(src: SourceFile) -> str:
    if src.reason:
        return src.reason
    if src.format == "empty":
        return "empty file (0 bytes)"
    fmt = BY_NAME.get(src.format)
    if fmt is not None and fmt.pending:
        return f"{fmt.pending} files are not read yet by this version"
    return "not an email file: no mail headers, mbox separator or known container found"
