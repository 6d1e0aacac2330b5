"""`backchannel analyze`: the stages that read and write the corpus, in order. Re-runnable:
a stage does only what is not done yet, or rebuilds what it owns."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from ..corpus.writer import CorpusWriter, SourceTally
from ..ingest.record import MessageRecord, SourceFile
from .quotes import split_body
from .recovered import record_from_fragment
from .threads import build_threads

BATCH = 2000


@dataclass
class AnalyzeSummary:
    split: int = 0  # messages whose authored text and quoted history were split
    recovered_new: int = 0  # emails known only from quoted history, new
    recovered_matched: int = 0  # quoted copies of emails already in the corpus
    threads: int = 0
    missing_parents: int = 0
    seconds: float = 0.0


def analyze(db: sqlite_utils.Database) -> AnalyzeSummary:
    start = time.monotonic()
    summary = AnalyzeSummary()
    writer = CorpusWriter(db)
    try:
        while _split_batch(db, writer, summary):
            writer.checkpoint(force=True)
        summary.threads, summary.missing_parents = build_threads(db)
        writer.checkpoint(force=True)
    except BaseException:
        db.rollback()
        raise
    summary.seconds = time.monotonic() - start
    return summary


def _split_batch(db: sqlite_utils.Database, writer: CorpusWriter, summary: AnalyzeSummary) -> int:
    """Split one batch of messages not split yet; write what their quotes recover."""
    rows = db.execute(
        """select m.id, m.subject, m.body, m.from_name, s.id, s.path, c.custodian
           from messages m
           join message_copies c on c.id = (select id from message_copies
                                             where message_id = m.id order by rowid limit 1)
           left join sources s on s.id = c.source_id
           where m.body_authored is null limit ?""",
        [BATCH],
    ).fetchall()
    if not rows:
        return 0
    if not db.conn.in_transaction:
        db.begin()
    updates = []
    recovered: dict[tuple, list[MessageRecord]] = {}
    for mid, subject, body, from_name, source_id, path, custodian in rows:
        split = split_body(body or "", from_name)
        updates.append(
            (
                split.authored,
                split.quoted or None,
                split.signature or None,
                split.disclaimer or None,
                mid,
            )
        )
        parent = {"id": mid, "subject": subject, "source_path": path or ""}
        for part, fragment in enumerate(split.fragments, start=1):
            record = record_from_fragment(fragment, parent, part)
            if record is not None:
                recovered.setdefault((source_id, path, custodian), []).append(record)
    db.conn.executemany(
        "update messages set body_authored = ?, body_quoted = ?, signature = ?, disclaimer = ? "
        "where id = ?",
        updates,
    )
    for (source_id, path, custodian), records in recovered.items():
        source = SourceFile(
            path=path or "",
            local_path=Path("."),
            sha256="",
            size=0,
            format="quoted",
            custodian=custodian or "",
        )
        tally = SourceTally(source, source_id)
        writer.add(tally, records)
        summary.recovered_new += tally.new
        summary.recovered_matched += tally.duplicates
    summary.split += len(rows)
    return len(rows)
