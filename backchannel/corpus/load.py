"""`backchannel ingest`: read dump files with ingest/, write them with the one CorpusWriter.

Parsing runs in a pool of worker processes; this process splits containers and writes. Memory
stays flat: at most two batches of raw messages are in flight at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from ..ingest import BY_NAME, find_sources, walk
from ..ingest.archive import ArchiveLimits
from ..ingest.mail.rfc822 import parse_raw
from ..ingest.record import (
    Document,
    Item,
    MessageRecord,
    PageInfo,
    ProductionInfo,
    RawEmail,
    ReadError,
    Skipped,
    SourceFile,
)
from ..ingest.scratch import scratch, sweep
from ..ingest.walk import Visitor
from ..stopping import end_pool, rollback, wait, worker_pool
from .health import corpus_file
from .rows import Prepared, SourceTally, now, prepare
from .sources import fold_custodians, rebuild_custodians
from .writer import CorpusWriter

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from ..cluster import ClusterJob, ClusterPool

BATCH_ITEMS = 500
BATCH_BYTES = 32 << 20
POOL_THRESHOLD = 64  # fewer raw messages than this are parsed here: a pool round trip costs more
PREFETCH = 64  # such files in flight at once


@dataclass
class IngestSummary:
    files: int = 0  # sources read this run (archive members included)
    already: int = 0  # sources skipped: ingested by an earlier run
    unreadable: int = 0  # sources that are not email or not readable (see errors)
    messages: int = 0  # messages read (new + duplicates)
    new: int = 0
    duplicates: int = 0
    failed: int = 0  # messages that could not be read
    errors: int = 0  # errors rows of level error
    warnings: int = 0  # errors rows of level warning
    skipped: Counter = field(default_factory=Counter)  # items that are not email, by kind
    warning_kinds: Counter = field(default_factory=Counter)  # warnings grouped by what they say
    reread: int = 0  # files read anew: an older version of their reader had read them
    quick: int = 0  # messages the quick parse made (ingest/mail/quickparse.py)
    files_new: int = 0  # files this run read for the first time
    custodians: list[dict] = field(default_factory=list)  # the custodians table after the run
    seconds: float = 0.0
    run_custodians: set[str] = field(default_factory=set)  # mailboxes this run read from
    corpora: list[tuple[str, str]] = field(default_factory=list)  # (file, why): not read
    # Load files read this run, and what they said they hold (ingest/productions/loadfile.py).
    productions: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def add(self, tally: SourceTally) -> None:
        self.files += 1
        self.messages += tally.emitted
        self.new += tally.new
        self.duplicates += tally.duplicates
        self.failed += tally.failed
        self.errors += tally.errors
        self.warnings += tally.warnings
        self.warning_kinds.update(tally.warning_kinds)
        self.reread += tally.reread
        self.quick += tally.quick
        if tally.first_run is None:
            self.files_new += 1
        self.run_custodians |= tally.custodians
        if tally.production is not None:
            info = tally.production
            self.productions.update(
                load_files=1,
                records=info.records,
                emails=info.emails,
                attachments=info.attachments,
                not_email=info.not_email,
                not_read=info.not_read,
                missing_files=info.missing_files,
            )
        self.skipped.update(tally.skipped)


# What the parser processes give back for each item.
Parsed = Prepared | ReadError | Skipped | PageInfo | Document | ProductionInfo


def _parse_item(item: Item) -> Parsed:
    """Runs in the parser processes: parse, then build the rows."""
    if isinstance(item, RawEmail):
        item = parse_raw(item)
    return prepare(item) if isinstance(item, MessageRecord) else item


class _Whole(Visitor[Parsed]):
    """The walk of one small file in a parser process: its items parsed into rows, its errors
    kept as they come, and the status it ends with."""

    status = "done"

    def items(self, src: SourceFile, depth: int, items: Iterator[Item]) -> Iterator[Parsed]:
        return (_parse_item(i) for i in items)

    def error(self, src: SourceFile, error: ReadError, unreadable: bool) -> list[Parsed]:
        return [error]

    def end(self, src: SourceFile, depth: int, status: str) -> None:
        self.status = status


def _read_whole(src: SourceFile) -> tuple[list[Parsed], int | None, str]:
    """Runs in a parser process: one small file walked (ingest/walk.py, as every source is),
    every item parsed and turned into rows; the file's expected count and its status."""
    whole = _Whole()
    items = list(walk(src, whole, ArchiveLimits()))
    return items, src.expected, whole.status


def _read_sent(sent: tuple[SourceFile, bytes]) -> tuple[list, int | None, str]:
    """Runs on a cluster's worker: a small file sent as bytes, read from a scratch copy by the
    same reader and parse as on this machine would."""
    src, data = sent
    with scratch("sent") as folder:
        local = Path(folder) / "file"
        local.write_bytes(data)
        return _read_whole(replace(src, local_path=local))


@dataclass
class _Walking:
    """A source being walked: its tally, and the bytes of it reported to the progress bar."""

    tally: SourceTally
    reported: int = 0


class _Ready:
    """What was parsed here, with the pool's AsyncResult's `get`."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value


def _file_of(db: sqlite_utils.Database) -> Path | None:
    """The file the corpus is in (None in memory)."""
    for _, name, file in db.execute("pragma database_list"):
        if name == "main" and file:
            return Path(file)
    return None


def _batches(items: Iterator[Item]) -> Iterator[list[Item]]:
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        if isinstance(item, RawEmail):
            size += len(item.data)
        if len(batch) >= BATCH_ITEMS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class Loader(Visitor[Any]):
    """One ingest run: the sources walked (ingest/walk.py, this loader its visitor), their raw
    messages parsed in a pool of processes or on a cluster, and written by the corpus's writer,
    a source at a time."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        custodian: str | None = None,
        workers: int = 0,
        limits: ArchiveLimits | None = None,
        on_bytes: Callable[[int], None] | None = None,
        custodian_depth: int = 0,
        cluster: ClusterPool | None = None,
    ):
        self.writer = CorpusWriter(db)
        self.cluster = cluster  # parses the raw messages instead of the local pool
        self.custodian = custodian
        self.custodian_depth = custodian_depth
        self.workers = workers or min(2, os.cpu_count() or 1)
        self.limits = limits or ArchiveLimits()
        self.on_bytes = on_bytes or (lambda n: None)
        self.summary = IngestSummary()
        self._pool: Pool | None = None
        self._open: list[_Walking] = []  # the sources being walked, an archive's members last

    def _pool_or_none(self) -> Pool | ClusterPool | None:
        if self.cluster is not None:
            return self.cluster
        if self.workers < 2:
            return None
        if self._pool is None:
            self._pool = worker_pool(self.workers)
        return self._pool

    def close(self, ok: bool = True) -> None:
        # A half-written source must never be committed: on any failure, roll back to the last
        # source boundary (a rerun does the rest).
        try:
            if ok:
                self.writer.close()
            else:
                rollback(self.writer.db.conn)
        finally:
            if self._pool is not None:
                end_pool(self._pool, ok)
                self._pool = None

    def _parsed(self, items: Iterator[Item]) -> Iterator[list[Prepared | ReadError | Skipped]]:
        """Batches of parsed records, in order; the next batch parses while this one is written."""
        pending: Any = None  # a pool's, a cluster's or a _Ready job
        for batch in _batches(items):
            raws = sum(1 for i in batch if isinstance(i, RawEmail))
            pool = self._pool_or_none() if raws >= POOL_THRESHOLD else None
            job: Any
            if pool is not None:
                job = pool.map_async(_parse_item, batch, chunksize=64)
            else:
                job = _Ready([_parse_item(i) for i in batch])
            if pending is not None:
                yield wait(pending)
            pending = job
        if pending is not None:
            yield wait(pending)

    def ingest_path(self, path: Path) -> None:
        """Every source under `path`, in order. Small one-message files (.eml, .msg) are parsed
        ahead in the pool, a window of them at a time, and written in order as they come back."""
        window: deque = deque()
        pool = self._pool_or_none()
        corpus = _file_of(self.writer.db)

        def leave(file: Path, rel: str) -> bool:
            why = corpus_file(file, corpus)
            if why:
                self.summary.corpora.append((rel, why))
            return why is not None

        for src in find_sources(Path(path), self.custodian, self.custodian_depth, leave):
            fmt = BY_NAME.get(src.format)
            if pool is not None and fmt is not None and fmt.one_message:
                if self.skip(src, depth=0):
                    continue
                window.append((src, self._read_ahead(src)))
                if len(window) >= PREFETCH:
                    self._write_whole(*window.popleft())
                continue
            while window:
                self._write_whole(*window.popleft())
            self.ingest_source(src, depth=0)
        while window:
            self._write_whole(*window.popleft())

    def _read_ahead(self, src: SourceFile) -> _Ready | ClusterJob | AsyncResult:
        """One small file read and parsed in the pool, ahead of the writer. A cluster's workers
        cannot open this machine's files: its bytes are sent, and read there the same way."""
        if self.cluster is None:
            assert self._pool is not None  # ingest_path reads ahead only with a pool
            return self._pool.apply_async(_read_whole, (src,))
        try:
            data = src.local_path.read_bytes()
        except OSError:  # gone or unreadable since it was found: the walk here says why
            return _Ready(_read_whole(src))
        return self.cluster.apply_async(_read_sent, ((src, data),))

    def _write_whole(self, src: SourceFile, job: Any) -> None:
        items, src.expected, status = wait(job)
        tally = self.writer.begin_source(src)
        self.writer.add(tally, items)
        self._finish(tally, status, depth=0, progressed=0)

    def _skip(self, src: SourceFile, depth: int) -> None:
        self.summary.already += 1
        # Reached again, perhaps from another root or under another rule: the same source,
        # its custodian and path brought up to date in place.
        self.writer.recustody(src)
        if depth == 0:
            self.on_bytes(src.size)

    def _finish(self, tally: SourceTally, status: str, depth: int, progressed: int) -> None:
        self.writer.finish_source(tally, status)
        self.summary.add(tally)
        if depth == 0:
            self.on_bytes(max(tally.source.size - progressed, 0))
        self.writer.checkpoint()

    def ingest_source(self, src: SourceFile, depth: int) -> None:
        """One source (an archive with its members) read and written: ingest/walk.py's walk,
        this loader its visitor."""
        for _ in walk(src, self, self.limits, self.custodian, depth):
            pass

    # -- the walk's visitor: each source begun, its items written, then finished -------------
    def fatal(self, exc: Exception) -> bool:
        # The corpus failing (a full disk, a damaged file) is no fault of the source being
        # read: the run stops at its last commit, the source unfinished, read again next time.
        return isinstance(exc, sqlite3.Error) or super().fatal(exc)

    def skip(self, src: SourceFile, depth: int) -> bool:
        if not self.writer.is_done(src):
            return False
        self._skip(src, depth)
        return True

    def begin(self, src: SourceFile, depth: int) -> None:
        self._open.append(_Walking(self.writer.begin_source(src)))

    def member(self, archive: SourceFile, member: SourceFile) -> None:
        member.parent_id = self._open[-1].tally.id

    def items(self, src: SourceFile, depth: int, items: Iterator[Item]) -> list:
        walking = self._open[-1]
        for batch in self._parsed(items):
            self.writer.add(walking.tally, batch)
            if depth == 0:
                step = sum(i.provenance.length or 0 for i in batch if isinstance(i, Prepared))
                walking.reported += step
                self.on_bytes(step)
        return []

    def error(self, src: SourceFile, error: ReadError, unreadable: bool) -> list:
        self.writer.add(self._open[-1].tally, [error])
        if unreadable:
            self.summary.unreadable += 1
        return []

    def end(self, src: SourceFile, depth: int, status: str) -> None:
        walking = self._open.pop()
        self._finish(walking.tally, status, depth, walking.reported)


def ingest(
    db: sqlite_utils.Database,
    paths: list[Path],
    custodian: str | None = None,
    workers: int = 0,
    limits: ArchiveLimits | None = None,
    on_bytes: Callable[[int], None] | None = None,
    custodian_depth: int = 0,
    cluster: ClusterPool | None = None,
) -> IngestSummary:
    """Ingest files, folders and archives into the corpus; resumable and idempotent.
    `custodian` names the mailbox of everything in the run; `custodian_depth` N makes the
    folder N levels under each root the custodian (ingest/custodians.py has the rule)."""
    start = time.monotonic()
    started_at = now()
    sweep()  # what a killed run left in the temporary folder
    loader = Loader(db, custodian, workers, limits, on_bytes, custodian_depth, cluster)
    try:
        for path in paths:
            loader.ingest_path(Path(path))
    except BaseException:
        loader.close(ok=False)
        raise
    loader.close()
    summary = loader.summary
    summary.seconds = time.monotonic() - start
    renamed = fold_custodians(db)
    summary.run_custodians = {renamed.get(c, c) for c in summary.run_custodians}
    summary.custodians = rebuild_custodians(db)
    with db.atomic():
        db.table("ingest_runs").insert(
            {
                "id": loader.writer.run,
                "started_at": started_at,
                "paths": json.dumps([str(p) for p in paths]),
                "files_new": summary.files_new,
                "messages_new": summary.new,
                "copies_of_known": summary.duplicates,
            },
            replace=True,
        )
    return summary
