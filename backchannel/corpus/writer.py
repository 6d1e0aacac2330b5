"""The one writer of the corpus: a batch's rows inserted in one transaction, each copy filed
under the message it is (corpus/dedupe.py decides which), and a source marked done only in the
same transaction as the last of its rows (corpus/sources.py keeps its lifecycle)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from ..ingest.record import (
    Document,
    MessageRecord,
    PageInfo,
    ProductionInfo,
    ReadError,
    Skipped,
    SourceFile,
)
from ..vocabulary import PRINTED_METHODS
from . import dedupe, sources
from .dedupe import Seen
from .keys import short_hash
from .rows import (
    Batch,
    Prepared,
    SourceTally,
    copy_row,
    document_row,
    error_row,
    now,
    page_row,
    prepare,
    production_row,
    redaction_row,
    warning_kind,
)
from .schema import FTS, TABLES, ensure_schema, index_new_rows
from .sql import select_in

# What a batch holds: parsed messages (or their rows), and what reading found besides.
Written = Prepared | MessageRecord | ReadError | Skipped | PageInfo | Document | ProductionInfo
CANDIDATE = "id, message_id, sent_at, zone_known, from_name, from_address"


class CorpusWriter:
    """Writes ingest records into the corpus. Commits only between sources, and only every so
    often (many small files would otherwise cost a disk sync each)."""

    def __init__(self, db: sqlite_utils.Database, commit_every: float | None = None):
        self.db = db
        ensure_schema(db)
        if commit_every is None:
            commit_every = float(os.environ.get("BACKCHANNEL_COMMIT_SECONDS", "2"))
        self.commit_every = commit_every
        self._last_commit = time.monotonic()
        self.run = short_hash("run", now(), os.getpid())  # this ingest run

    # -- transactions -----------------------------------------------------------------------
    def _begin(self) -> None:
        if not self.db.conn.in_transaction:
            self.db.begin()

    def checkpoint(self, force: bool = False) -> None:
        """Commit if it has been a while. Call only between sources."""
        if force or time.monotonic() - self._last_commit >= self.commit_every:
            self.db.commit()
            self._last_commit = time.monotonic()

    def close(self) -> None:
        self.checkpoint(force=True)

    # -- sources (corpus/sources.py), inside the writer's transaction -----------------------
    def is_done(self, src: SourceFile) -> bool:
        return sources.is_done(self.db, src)

    def recustody(self, src: SourceFile) -> None:
        self._begin()
        sources.recustody(self.db, src)

    def begin_source(self, src: SourceFile) -> SourceTally:
        self._begin()
        return sources.begin_source(self.db, src)

    def finish_source(self, tally: SourceTally, status: str) -> None:
        sources.finish_source(self.db, self.run, tally, status)

    # -- rows -------------------------------------------------------------------------------
    def add(self, tally: SourceTally, items: Sequence[Written]) -> None:
        """Write one batch of a source's messages and read errors."""
        self._begin()
        rows = Batch()
        ready = self._sort(tally, items, rows)
        tally.quick += sum(p.quick for p in ready)
        seen = self._seen(ready)
        for p in ready:
            tally.emitted += 1
            note = seen.identify(p)
            if p.id in seen.known:
                tally.duplicates += 1
                note = self._another_copy(tally, p, note, seen, rows)
            else:
                tally.new += 1
                seen.admit(p)
                rows.messages.append({**p.message, "first_source_id": tally.id})
                rows.attachments.extend(p.attachments)
            self._copy_rows(tally, p, note, p.id in seen.new, rows)
            if p.provenance.line is not None:
                tally.lines.setdefault(p.provenance.line, p.id)
        rows.document_rows = [document_row(tally, d) for d in rows.documents]
        if rows.productions:
            self.db.table("productions").insert_all(rows.productions, replace=True)
        if rows.messages:
            self._insert("messages", rows.messages)
            rows.errors.extend(dedupe.reused_ids(tally, rows.messages, rows.copies, self._shared))
        for table, batch in rows.tables():
            self._insert(table, batch)

    def add_quoted(
        self,
        source_id: str,
        path: str,
        custodian: str,
        rule: str,
        records: list[MessageRecord],
    ) -> SourceTally:
        """Emails recovered from the quoted history of a message already in: copies (method
        "quoted") in the source its quoting copy came from, with that copy's custodian and
        custodian rule. No file of their own: the source is not begun or finished again."""
        found_in = SourceFile(
            path=path,
            local_path=Path(path),
            sha256="",
            size=0,
            format="quoted",
            custodian=custodian,
            custodian_rule=rule,
        )
        tally = SourceTally(found_in, source_id)
        self.add(tally, records)
        return tally

    def _sort(self, tally: SourceTally, items: Sequence[Written], rows: Batch) -> list[Prepared]:
        """The batch's messages, prepared; its read errors, skipped items and pages tallied and
        turned into rows."""
        ready: list[Prepared] = []
        for item in items:
            if isinstance(item, ReadError):
                rows.errors.append(
                    error_row(tally, item.location, item.stage, item.reason, item.level)
                )
                if item.level == "error":
                    tally.errors += 1
                    if item.stage == "parse":
                        tally.failed += 1
                else:
                    tally.warnings += 1
                    tally.warning_kinds[warning_kind(item.stage, item.reason)] += 1
            elif isinstance(item, Skipped):
                tally.skipped[item.kind] += 1
            elif isinstance(item, PageInfo):
                rows.pages.append(page_row(tally.id, item))
            elif isinstance(item, Document):
                rows.documents.append(item)  # linked to its message once the batch's are known
            elif isinstance(item, ProductionInfo):
                rows.productions.append(production_row(tally.id, item))
                tally.production = item
            else:
                ready.append(prepare(item) if isinstance(item, MessageRecord) else item)
        return ready

    def _seen(self, ready: list[Prepared]) -> Seen:
        """What the corpus already holds of this batch: its ids, its content keys, and whether
        any message lacks a Message-ID."""
        keyless = self.db.execute(
            "select exists(select 1 from messages where message_id is null)"
        ).fetchone()[0]
        by_content = dict(
            select_in(
                self.db,
                "select content_key, id from messages where content_key in ({marks})",
                [p.message["content_key"] for p in ready if p.message["content_key"]],
            )
        )
        ids = [p.id for p in ready]
        existing = {
            r[0] for r in select_in(self.db, "select id from messages where id in ({marks})", ids)
        }
        return Seen(self._same_email, existing, by_content, bool(keyless))

    def _another_copy(
        self, tally: SourceTally, p: Prepared, note: str | None, seen: Seen, rows: Batch
    ) -> str | None:
        """A copy of a message already in: a quoted-only message produced after all, and
        attachments that disagree with the first copy's (a warning, kept in the copy's note)."""
        if not p.message["recovered"] and seen.keyless:  # produced after all, not only quoted
            self.db.execute(
                "update messages set recovered = 0 where id = ? and recovered = 1", [p.id]
            )
        disagree = self._other_attachments(p, seen.attachments.get(p.id))
        if not disagree:
            return note
        tally.warnings += 1
        rows.errors.append(
            error_row(tally, p.provenance.location, "dedupe", disagree, "warning", p.id)
        )
        return f"{note + '; ' if note else ''}{disagree}"

    def _copy_rows(
        self, tally: SourceTally, p: Prepared, note: str | None, first: bool, rows: Batch
    ) -> None:
        """This copy: where it was found, its redactions, the participants it shows, and its
        reader's warnings."""
        prov = p.provenance
        rows.copies.append(copy_row(tally, p, note))
        rows.redactions.extend(redaction_row(tally.id, p.id, r) for r in p.redactions)
        # Every copy of a message adds the participants it shows (a sender's copy may show
        # a Bcc the others don't) — but not a printed copy of a message already in: its
        # names and OCR'd addresses would add the same people again, spelled otherwise.
        if first or prov.method not in PRINTED_METHODS:
            rows.participants.extend(p.participants)
        for stage, reason in p.problems:
            tally.warnings += 1
            tally.warning_kinds[warning_kind(stage, reason)] += 1
            rows.errors.append(error_row(tally, prov.location, stage, reason, "warning", p.id))

    def _insert(self, table: str, rows: list[dict] | list[tuple]) -> None:
        """INSERT OR IGNORE: the first copy of anything wins, a repeat adds nothing. Plain
        executemany on the declared columns (sqlite-utils' insert_all costs as much as parsing)."""
        if not rows:
            return
        columns = list(TABLES[table]["columns"])
        names = ", ".join(f"[{c}]" for c in columns)
        marks = ", ".join("?" * len(columns))
        indexed = table in FTS
        if indexed:  # new rows get rowids above the largest: they are indexed after, in bulk
            last = self.db.execute(f"select coalesce(max(rowid), 0) from [{table}]").fetchone()[0]
        self.db.conn.executemany(
            f"insert or ignore into [{table}] ({names}) values ({marks})",
            rows if isinstance(rows[0], tuple) else [[r.get(c) for c in columns] for r in rows],
        )
        if indexed:
            index_new_rows(self.db, table, last)

    # -- what dedupe asks of the corpus, and what a match teaches it -------------------------
    def _same_email(self, p: Prepared, fresh: list[dict]) -> str | None:
        """The id of a message already in that is this same email, though it has no
        Message-ID in common with it (corpus/dedupe.py), or None."""
        m = p.message
        sql = f"select {CANDIDATE} from messages where match_key = ?"
        candidates = [tuple(r) for r in self.db.execute(sql, [m["match_key"]]).fetchall()]
        candidates += [dedupe.as_candidate(f) for f in fresh]
        if dedupe.may_be_redacted_otherwise(p):
            near = self.db.execute(
                f"select {CANDIDATE}, subject, body from messages where message_id is null "
                "and sent_at between ? and ? and match_key != ?",
                [*dedupe.redaction_window(m["sent_at"]), m["match_key"]],
            ).fetchall()
            candidates += dedupe.redacted_otherwise(m, near)
        match = dedupe.same_email(m, candidates)
        if match is None:
            return None
        if match.learns_id:  # the id the email travelled with, and its thread (a printout
            self.db.execute(  # came first)
                "update messages set message_id = ?, in_reply_to = coalesce(in_reply_to, ?),"
                " reference_ids = coalesce(reference_ids, ?) where id = ?",
                [m["message_id"], m["in_reply_to"], m["reference_ids"], match.id],
            )
        if match.learns_zone:  # a printout's time without its zone, corrected by a copy that
            self.db.execute(  # has it (analyze recomputes the month it falls in)
                "update messages set sent_at = ?, zone_known = 1, year = null, month = null "
                "where id = ?",
                [m["sent_at"], match.id],
            )
        return match.id

    def _other_attachments(self, p: Prepared, in_batch: set[tuple[str, str]] | None) -> str | None:
        """What this copy's attachments disagree with the first copy's in, or None. `in_batch`:
        the first copy's attachments when it came in this batch (not written yet)."""
        if not dedupe.compares_attachments(p):
            return None
        if in_batch is None:
            sql = "select sha256, name from attachments where message_id = ?"
            in_batch = {(r[0], r[1]) for r in self.db.execute(sql, [p.id])}
        return dedupe.other_attachments(p, in_batch)

    def _shared(self, message_ids: list[str]) -> dict[str, int]:
        """Of these Message-IDs, those more than one message in the corpus has, with how many."""
        sql = (
            "select message_id, count(*) from messages where message_id in ({marks}) "
            "group by message_id having count(*) > 1"
        )
        return dict(select_in(self.db, sql, message_ids))
