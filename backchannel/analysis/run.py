"""`backchannel analyze`: the stages that read and write the corpus, in order. Re-runnable:
a stage does only what is not done yet, or rebuilds what it owns."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlite_utils

from ..corpus.roster import Roster, stored_roster
from ..corpus.timezone import apply_zone, propose_zone, store_zone, stored_zone
from ..corpus.writer import CorpusWriter
from ..ingest.record import MessageRecord
from ..stopping import end_pool, rollback, wait, worker_pool
from ..vocabulary import PAPER_METHODS
from .counts import Counts
from .counts import compute as compute_counts
from .counts import write as write_counts
from .gaps import bates_gaps, redaction_diffs, silent_stretches
from .graph import group_graph, measure, person_graph
from .identities import IdentitySummary, resolve
from .ner import PENDING, NerSummary, run_ner
from .quotes import split_body, split_printed
from .recovered import record_from_fragment
from .roster_draft import draft as draft_roster
from .roster_draft import store as store_draft
from .threads import build_threads

if TYPE_CHECKING:
    from ..cluster import ClusterPool

BATCH = 2000
POOL_THRESHOLD = 200  # fewer bodies than this are split here: starting the pool costs more


@dataclass
class AnalyzeSummary:
    split: int = 0  # messages whose authored text and quoted history were split
    recovered_new: int = 0  # emails known only from quoted history, new
    recovered_matched: int = 0  # quoted copies of emails already in the corpus
    threads: int = 0
    missing_parents: int = 0
    bates_gaps: int = 0  # runs of Bates numbers numbered but not released
    silent_stretches: int = 0  # runs of empty weeks in busy mailboxes
    redaction_diffs: int = 0  # pairs of releases of one email that redact differently
    identities: IdentitySummary | None = None
    ner: NerSummary | None = None
    communications: int = 0  # (message, sender, recipient) of produced emails
    contacts: int = 0  # pairs of persons who wrote to each other
    counts_seconds: float = 0.0  # the counts and graph stage
    counts_at: float = 0.0  # seconds from the start of the run to the counts committed
    entities_pending: int = 0  # emails whose entities are not read yet (--entities later)
    stage_seconds: dict[str, float] = field(default_factory=dict)  # STAGES' names, in order
    roster_proposals: int = 0  # staff and people the corpus suggests adding to the roster
    zone: str | None = None  # the corpus zone the dates are in (None: UTC)
    proposed_zone: tuple[str | None, float] = (None, 0.0)  # what the Date headers suggest
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.split / self.seconds if self.seconds else 0.0


@dataclass
class Run:
    """What one analyze is given, and what its stages report."""

    db: sqlite_utils.Database
    writer: CorpusWriter
    summary: AnalyzeSummary
    roster: Roster | None
    overrides: list[tuple[str, str, str]] | None  # the overrides file's decisions
    timezone: str | None
    workers: int
    cluster: ClusterPool | None
    entities: str = "now"  # "later": leave NER to the next run
    on_counts: Callable[[Counts], None] | None = None  # called once the counts are committed
    start: float = 0.0


def split_stage(run: Run) -> None:
    """Authored text apart from quoted history, and the emails the quotes recover."""
    db, pool, ok = run.db, None, False
    try:
        while rows := _unsplit(db):
            if pool is None and run.workers > 1 and len(rows) >= POOL_THRESHOLD and not run.cluster:
                pool = worker_pool(run.workers)
            _split_batch(db, run.writer, run.summary, rows, run.cluster or pool)
            run.writer.checkpoint(force=True)
        ok = True
    finally:
        if pool is not None:  # its workers would hold their memory through NER
            end_pool(pool, ok)


def zone_stage(run: Run) -> None:
    """The corpus zone: every date shown to people is in it (sent_at stays UTC)."""
    db, summary = run.db, run.summary
    zone = run.timezone or (run.roster.timezone if run.roster else None)
    if zone:
        store_zone(db, zone)
    else:
        zone = stored_zone(db)
    summary.zone = zone
    apply_zone(db, zone)
    if zone is None:
        summary.proposed_zone = propose_zone(db)


def threads_stage(run: Run) -> None:
    run.summary.threads, run.summary.missing_parents = build_threads(run.db)


def gaps_stage(run: Run) -> None:
    """What the production leaves out: Bates gaps, silent weeks, one email redacted twice."""
    run.summary.bates_gaps = bates_gaps(run.db)
    run.summary.silent_stretches = silent_stretches(run.db)
    run.summary.redaction_diffs = redaction_diffs(run.db)


def identities_stage(run: Run) -> None:
    run.summary.identities = resolve(run.db, run.roster, run.overrides)
    run.writer.checkpoint(force=True)


def counts_stage(run: Run) -> None:
    """The counts, committed before anything slower runs: the canonical table can be read
    (report, serve) while the entities are read. What is still to read is written down, for
    the story page and the next run's summary."""
    counts = count_and_measure(run.db, run.summary)
    pending = run.db.execute(f"select count(*) from messages where {PENDING}").fetchone()[0]
    _entities_pending(run.db, pending)
    run.writer.checkpoint(force=True)
    run.summary.counts_at = time.monotonic() - run.start
    run.summary.entities_pending = pending
    if run.on_counts is not None:
        run.on_counts(counts)


def roster_draft_stage(run: Run) -> None:
    """What the corpus suggests around the roster (the page Who works for whom)."""
    found = draft_roster(run.db, run.roster, resolved=True) if run.roster else None
    store_draft(run.db, found)
    run.summary.roster_proposals = (
        sum(1 for p in found.proposals if p.status == "entry") if found else 0
    )


def ner_stage(run: Run) -> None:
    if run.entities == "later":
        run.summary.ner = NerSummary()
        return
    run.summary.ner = run_ner(run.db, run.roster, n_process=run.workers, cluster=run.cluster)
    # Each wave of NER commits its own entities; what is left after a whole run is none.
    left = run.db.execute(f"select count(*) from messages where {PENDING}").fetchone()[0]
    with run.db.atomic():
        _entities_pending(run.db, left)
    run.summary.entities_pending = left


def _entities_pending(db: sqlite_utils.Database, n: int) -> None:
    """settings.entities_pending: emails whose authored text NER has not read (none: gone)."""
    if n:
        db.execute(
            "insert or replace into settings (key, value) values ('entities_pending', ?)", [str(n)]
        )
    else:
        db.execute("delete from settings where key = 'entities_pending'")


# The stages of analyze, in order: each reads the corpus and writes its tables, and says what
# it did in the summary. To add one: a function (run) -> None and its line here.
STAGES: list[tuple[str, Callable[[Run], None]]] = [
    ("split bodies", split_stage),
    ("time zone", zone_stage),
    ("threads", threads_stage),
    ("gaps", gaps_stage),
    ("identities", identities_stage),
    ("counts and graph", counts_stage),
    ("roster draft", roster_draft_stage),
    ("entities", ner_stage),
]


def analyze(
    db: sqlite_utils.Database,
    workers: int = 0,
    roster: Roster | None = None,
    overrides: list[tuple[str, str, str]] | None = None,
    timezone: str | None = None,
    cluster: ClusterPool | None = None,
    entities: str = "now",
    on_counts: Callable[[Counts], None] | None = None,
) -> AnalyzeSummary:
    """Run every stage of STAGES; `workers` processes (default: up to 2) split the bodies and
    read entities. `roster` and the reporter's identity `overrides` feed identity resolution.
    With a `cluster`, splitting and NER run on its workers instead (the rest needs the whole
    corpus: here). `on_counts(counts)` is called as soon as the counts are committed, before
    NER; `entities="later"` leaves NER to the next run."""
    start = time.monotonic()
    run = Run(
        db,
        CorpusWriter(db),
        AnalyzeSummary(),
        roster or stored_roster(db),
        overrides,
        timezone,
        workers or min(2, os.cpu_count() or 1),
        cluster,
        entities,
        on_counts,
        start,
    )
    try:
        for name, stage in STAGES:
            began = time.monotonic()
            stage(run)
            run.summary.stage_seconds[name] = time.monotonic() - began
    except BaseException:
        rollback(db.conn)
        raise
    run.summary.seconds = time.monotonic() - start
    return run.summary


def count_and_measure(db: sqlite_utils.Database, summary: AnalyzeSummary | None = None) -> Counts:
    """Rebuild the count tables and the graph's measures from the resolved identities; the
    counts, as written."""
    start = time.monotonic()
    counts = compute_counts(db)
    metrics = {**measure(person_graph(counts)), **measure(group_graph(counts))}
    write_counts(db, counts, metrics)
    if summary is not None:
        recovered = counts.messages.recovered
        summary.communications = sum(1 for m, _, _ in counts.comms if not recovered[m])
        summary.contacts = sum(
            1
            for cid in counts.contacts.values()
            if counts.count("contact", cid, "a_to_b") or counts.count("contact", cid, "b_to_a")
        )
        summary.counts_seconds = time.monotonic() - start
    return counts


def _unsplit(db: sqlite_utils.Database) -> list[tuple]:
    """A batch of messages not split yet, with where their first copy came from."""
    return [
        tuple(r)
        for r in db.execute(
            """select m.id, m.subject, m.body, m.from_name, s.id, s.path, c.custodian, c.method,
                      c.custodian_rule,
                      case when m.body_source = 'html' then m.body_html end, m.from_address
               from messages m
               join message_copies c on c.id = (select id from message_copies
                                                 where message_id = m.id order by rowid limit 1)
               left join sources s on s.id = c.source_id
               where m.body_authored is null limit ?""",
            [BATCH],
        )
    ]


def _split_one(row: tuple) -> tuple[tuple, list[MessageRecord]]:
    """Runs in a worker: one message's body split, and the emails its quotes recover."""
    mid, subject, body, from_name, _source_id, path, _custodian, method, _rule, html, address = row
    # Who signs: the sender's name, and the words of their address ("dana.whitfield@…").
    sender = " ".join(filter(None, [from_name, (address or "").split("@")[0]]))
    # A printout's quoted history is told by its header blocks, whatever OCR left of the
    # separators above them; a body made from HTML, by the HTML's quote structure.
    if method in PAPER_METHODS:
        split = split_printed(body or "", sender)
    else:
        split = split_body(body or "", sender, html)
    update = (
        split.authored,
        split.quoted or None,
        split.signature or None,
        split.disclaimer or None,
        split.method,
        mid,
    )
    parent = {"id": mid, "subject": subject, "source_path": path or ""}
    records = [
        record
        for part, fragment in enumerate(split.fragments, start=1)
        if (record := record_from_fragment(fragment, parent, part)) is not None
    ]
    return update, records


def _split_batch(
    db: Any, writer: CorpusWriter, summary: AnalyzeSummary, rows: list[tuple], pool: Any
) -> None:
    """Split one batch; write the splits and what their quotes recover, through the writer
    (so a recovered email meets its other copies like any copy does)."""
    if not db.conn.in_transaction:
        db.begin()
    if pool is not None and len(rows) >= POOL_THRESHOLD:
        results = wait(pool.map_async(_split_one, rows, chunksize=64))
    else:
        results = [_split_one(r) for r in rows]
    recovered: dict[tuple, list[MessageRecord]] = {}
    for row, (_, records) in zip(rows, results, strict=True):
        if records:
            source_id, path, custodian, _method, rule = row[4:9]  # the first copy's
            recovered.setdefault((source_id, path, custodian, rule), []).extend(records)
    db.conn.executemany(
        "update messages set body_authored = ?, body_quoted = ?, signature = ?, disclaimer = ?, "
        "split_method = ? where id = ?",
        [update for update, _ in results],
    )
    for (source_id, path, custodian, rule), records in recovered.items():
        tally = writer.add_quoted(source_id, path or "", custodian or "", rule or "", records)
        summary.recovered_new += tally.new
        summary.recovered_matched += tally.duplicates
    summary.split += len(rows)
