"""The one writer of the corpus: idempotent rows, dedupe, and a source marked done only in the
same transaction as the last of its rows."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from ..ingest.record import MessageRecord, ReadError, SourceFile
from .keys import copy_id_for, dedupe_key, error_id_for, message_id_for, short_hash, source_id_for
from .schema import ensure_schema

FINISHED = ("done", "error")  # statuses a rerun skips; anything else is done again


@dataclass
class SourceTally:
    source: SourceFile
    id: str
    emitted: int = 0
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: int = 0
    warnings: int = 0


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CorpusWriter:
    """Writes ingest records into the corpus. Commits only between sources, and only every so
    often (many small files would otherwise cost a disk sync each)."""

    def __init__(self, db: sqlite_utils.Database, commit_every: float = 2.0):
        self.db = db
        ensure_schema(db)
        self.commit_every = commit_every
        self._last_commit = time.monotonic()

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

    # -- sources ----------------------------------------------------------------------------
    def is_done(self, src: SourceFile) -> bool:
        row = self.db.execute(
            "select status from sources where id = ?", [source_id_for(src.path, src.sha256)]
        ).fetchone()
        return row is not None and row[0] in FINISHED

    def begin_source(self, src: SourceFile) -> SourceTally:
        self._begin()
        sid = source_id_for(src.path, src.sha256)
        # What an unfinished earlier attempt left (a pending format, an archive's own errors).
        self.db.execute("delete from errors where source_id = ?", [sid])
        self.db.execute("delete from sources where id = ?", [sid])
        return SourceTally(src, sid)

    def finish_source(self, tally: SourceTally, status: str) -> None:
        src = tally.source
        self.db["sources"].insert(
            {
                "id": tally.id,
                "path": src.path,
                "parent_id": src.parent_id,
                "sha256": src.sha256,
                "size": src.size,
                "format": src.format,
                "custodian": src.custodian,
                "status": status,
                "messages_expected": src.expected,
                "messages_emitted": tally.emitted,
                "messages_new": tally.new,
                "duplicates": tally.duplicates,
                "failed": tally.failed,
                "warnings": tally.warnings,
                "ingested_at": now(),
            },
            replace=True,
        )

    # -- rows -------------------------------------------------------------------------------
    def add(self, tally: SourceTally, items: list[MessageRecord | ReadError]) -> None:
        """Write one batch of a source's records and read errors."""
        self._begin()
        errors: list[dict] = []
        records = [i for i in items if isinstance(i, MessageRecord)]
        for item in items:
            if isinstance(item, ReadError):
                errors.append(
                    self._error_row(tally, item.location, item.stage, item.reason, item.level)
                )
                if item.level == "error":
                    tally.errors += 1
                    if item.stage == "parse":
                        tally.failed += 1
        keys = [dedupe_key(r) for r in records]
        ids = [message_id_for(k) for k in keys]
        known = self._existing(ids)
        messages, copies, participants, attachments = [], [], [], []
        for record, key, mid in zip(records, keys, ids, strict=True):
            tally.emitted += 1
            if mid in known:
                tally.duplicates += 1
            else:
                known.add(mid)
                tally.new += 1
                messages.append(self._message_row(record, key, mid, tally.id))
                attachments.extend(
                    {
                        "id": short_hash("attachment", mid, n),
                        "message_id": mid,
                        "position": n,
                        "name": a.name,
                        "content_type": a.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "text": a.text,
                    }
                    for n, a in enumerate(record.attachments)
                )
            prov = record.provenance
            copies.append(
                {
                    "id": copy_id_for(tally.id, prov.location),
                    "message_id": mid,
                    "source_id": tally.id,
                    "custodian": tally.source.custodian,
                    "location": prov.location,
                    "offset": prov.offset,
                    "length": prov.length,
                    "folder": prov.folder,
                    "pages": None,
                    "method": prov.method,
                }
            )
            # Every copy adds what it knows: a sender's copy may show a Bcc the others don't.
            participants.extend(
                {
                    "message_id": mid,
                    "role": role,
                    "key": a.address or "name:" + a.name.casefold(),
                    "address": a.address or None,
                    "name": a.name or None,
                }
                for role, a in record.participants
            )
            seen = set()
            for problem in record.problems:
                if (problem.stage, problem.reason) in seen:
                    continue
                seen.add((problem.stage, problem.reason))
                tally.warnings += 1
                errors.append(
                    self._error_row(
                        tally, prov.location, problem.stage, problem.reason, "warning", mid
                    )
                )
        if messages:
            self.db["messages"].insert_all(messages, ignore=True, batch_size=500)
            errors.extend(self._reused_ids(tally, messages, copies))
        for table, rows in (
            ("attachments", attachments),
            ("message_copies", copies),
            ("participants", participants),
            ("errors", errors),
        ):
            if rows:
                self.db[table].insert_all(rows, ignore=True, batch_size=500)

    def _reused_ids(
        self, tally: SourceTally, messages: list[dict], copies: list[dict]
    ) -> list[dict]:
        """Warn where a Message-ID is shared by emails sent at different times: they are kept
        apart, and the fact-checker should know why the id is not unique."""
        wanted = list({m["message_id"] for m in messages if m["message_id"]})
        if not wanted:
            return []
        reused: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            reused.update(
                self.db.execute(
                    f"select message_id, count(*) from messages where message_id in ({marks}) "
                    "group by message_id having count(*) > 1",
                    chunk,
                ).fetchall()
            )
        where = {c["message_id"]: c["location"] for c in copies}
        rows = []
        for m in messages:
            if m["message_id"] in reused:
                tally.warnings += 1
                rows.append(
                    self._error_row(
                        tally,
                        where[m["id"]],
                        "dedupe",
                        f"Message-ID <{m['message_id']}> is shared by {reused[m['message_id']]} "
                        "emails sent at different times; kept as separate messages",
                        "warning",
                        m["id"],
                    )
                )
        return rows

    def _existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(f"select id from messages where id in ({marks})", chunk)
            )
        return found

    @staticmethod
    def _message_row(record: MessageRecord, key: str, mid: str, source_id: str) -> dict:
        sender = next((a for r, a in record.participants if r == "from"), None)
        return {
            "id": mid,
            "message_id": record.message_id,
            "dedupe_key": key,
            "subject": record.subject,
            "sent_at": record.sent_at.isoformat() if record.sent_at else None,
            "sent_at_original": record.sent_at_original,
            "from_address": sender.address or None if sender else None,
            "from_name": sender.name or None if sender else None,
            "body": record.body_text,
            "body_html": record.body_html,
            "body_authored": None,
            "body_quoted": None,
            "recovered": 0,
            "thread_id": None,
            "in_reply_to": record.in_reply_to,
            "reference_ids": " ".join(record.references) or None,
            "attachment_count": len(record.attachments),
            "headers": json.dumps(record.headers, ensure_ascii=False),
            "first_source_id": source_id,
        }

    @staticmethod
    def _error_row(
        tally: SourceTally,
        location: str,
        stage: str,
        reason: str,
        level: str,
        message_id: str | None = None,
    ) -> dict:
        return {
            "id": error_id_for(tally.id, location, stage, reason),
            "source_id": tally.id,
            "source_path": tally.source.path,
            "location": location,
            "stage": stage,
            "level": level,
            "reason": reason,
            "message_id": message_id,
            "at": now(),
        }
