"""The one writer of the corpus: idempotent rows, dedupe, and a source marked done only in the
same transaction as the last of its rows."""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from ..ingest import BY_NAME
from ..ingest.custodians import SPELLING_RANK, custodian_key
from ..ingest.record import (
    Document,
    MessageRecord,
    PageInfo,
    ProductionInfo,
    ReadError,
    Redaction,
    Skipped,
    SourceFile,
    readable,
)
from .keys import copy_id_for, error_id_for, short_hash, source_id_for
from .matching import normalize_subject, same_sender, same_time, similar_text
from .rows import Prepared, prepare
from .schema import FTS, TABLES, ensure_schema, index_new_rows

# What a batch holds: parsed messages (or their rows), and what reading found besides.
Written = Prepared | MessageRecord | ReadError | Skipped | PageInfo | Document | ProductionInfo
FINISHED = ("done", "error")  # statuses a rerun skips; anything else is done again
REDACTION_WINDOW = timedelta(hours=14)  # a printed time without its zone is off by at most this
# Copies read off paper or out of quoted history: they may spell people differently (names
# only, OCR), so they give participants only to a message they are the first copy of.
# A production's record read from its load file's fields and text is one too.
PRINTED_METHODS = ("pdf-text", "ocr", "quoted", "loadfile")


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
    skipped: Counter = field(default_factory=Counter)
    warning_kinds: Counter = field(default_factory=Counter)  # "stage: reason", values left out
    reread: bool = False  # read before by an older version of its reader: read anew
    quick: int = 0  # messages the quick parse made (the rest: the stdlib's feed parser)
    first_run: tuple[str, str] | None = None  # (run id, time) of the run that first read it
    custodians: set[str] = field(default_factory=set)  # whose mailboxes its copies went to
    # A load file's lines -> the message each record became (its documents link to it).
    lines: dict[int, str] = field(default_factory=dict)
    production: ProductionInfo | None = None  # what a load file said it holds


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|<[^>]*>")


# Custodian rules that only guess (the folder a loose file sits in, an mbox's file name): a
# copy whose own headers name its mailbox (X-Origin) goes by them instead.
WEAK_RULES = ("folder", "file name")
# Tables whose rows belong to one source.
SOURCE_TABLES = ("message_copies", "redactions", "pages", "documents", "productions", "errors")
# Tables whose rows belong to one message (besides its copies).
MESSAGE_TABLES = (
    "participants",
    "attachments",
    "redactions",
    "mentions",
    "missing_parents",
    "counted_messages",
    "errors",
)


def _stale(format: str, version: int | None) -> bool:
    """Read by an older version of its format's reader than this one."""
    fmt = BY_NAME.get(format)
    return fmt is not None and (version or 1) < fmt.version


def _reader_version(format: str) -> int | None:
    """Stored only for formats whose reader has been raised past its first version."""
    fmt = BY_NAME.get(format)
    return fmt.version if fmt is not None and fmt.version > 1 else None


def warning_kind(stage: str, reason: str) -> str:
    """What a warning says, without the values it quotes: warnings of one kind group together."""
    return f"{stage}: {_QUOTED.sub('…', reason)}"


def _rekey(participants: list[tuple], message_id: str) -> list[tuple]:
    """Participant rows moved onto the message this copy turned out to be."""
    at = list(TABLES["participants"]["columns"]).index("message_id")
    return [row[:at] + (message_id,) + row[at + 1 :] for row in participants]


@dataclass
class _Rows:
    """One batch's rows, by table, written together at its end."""

    messages: list[dict] = field(default_factory=list)
    attachments: list[tuple] = field(default_factory=list)
    copies: list[dict] = field(default_factory=list)
    participants: list[tuple] = field(default_factory=list)
    redactions: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    productions: list[dict] = field(default_factory=list)
    document_rows: list[dict] = field(default_factory=list)

    def tables(self) -> list[tuple[str, list]]:
        """Every table but messages, in the order they are written."""
        return [
            ("attachments", self.attachments),
            ("message_copies", self.copies),
            ("participants", self.participants),
            ("redactions", self.redactions),
            ("pages", self.pages),
            ("documents", self.document_rows),
            ("errors", self.errors),
        ]


class _Seen:
    """Dedupe for one batch: which message each copy is, against the corpus and the batch."""

    def __init__(
        self,
        same_email: Callable[[Prepared, list[dict]], str | None],
        known: set[str],
        by_content: dict[str, str],
        keyless: bool,
    ):
        self.same_email = same_email  # the corpus's lookup by match key (CorpusWriter's)
        self.known = known
        self.by_content = by_content  # content key -> message id
        self.keyless = keyless  # the corpus has a message without a Message-ID
        self.keyless_fresh = False  # so has this batch
        self.fresh: dict[str, list[dict]] = {}  # match_key -> messages new in this batch
        self.new: set[str] = set()
        self.attachments: dict[str, set[tuple[str, str]]] = {}  # of the new: (sha256, name)

    def identify(self, p: Prepared) -> str | None:
        """Move `p` onto the message it is a copy of, if any; the note that says why when only
        its content tells."""
        note = None
        # A copy with a Message-ID can only be the same email as a message without one
        # (a printout, a quote): when the corpus has none, there is nothing to look for.
        lookup = not p.message["message_id"] or self.keyless or self.keyless_fresh
        same = None
        if p.id not in self.known and lookup:
            same = self.same_email(p, self.fresh.get(p.message["match_key"], []))
        content = p.message["content_key"]
        if same is None and p.id not in self.known and content in self.by_content:
            same = self.by_content[content]
            note = (
                f"filed under Message-ID <{p.message['message_id']}>: the same sender, "
                "second, recipients, subject and body as message " + same
            )
        if same is not None:
            p.id = same
            self.known.add(same)
            p.attachments, p.participants = [], _rekey(p.participants, same)
        return note

    def admit(self, p: Prepared) -> None:
        """`p` is a new message: later copies in this batch are matched against it."""
        self.known.add(p.id)
        self.new.add(p.id)
        self.attachments[p.id] = _attachment_keys(p.attachments)
        if p.message["content_key"]:
            self.by_content.setdefault(p.message["content_key"], p.id)
        self.fresh.setdefault(p.message["match_key"], []).append(p.message)
        self.keyless_fresh = self.keyless_fresh or not p.message["message_id"]


def _attachment_keys(rows: list[tuple]) -> set[tuple[str, str]]:
    """(sha256, name) of attachment rows, what copies are compared by."""
    at = list(TABLES["attachments"]["columns"])
    name_at, digest_at = at.index("name"), at.index("sha256")
    return {(r[digest_at], r[name_at]) for r in rows}


def _page_row(source_id: str, page: PageInfo) -> dict:
    return {
        "id": short_hash("page", source_id, page.page),
        "source_id": source_id,
        "page": page.page,
        "method": page.method,
        "ocr_confidence": page.confidence,
        "bates": page.bates,
        "stamps": page.stamps,
        "chars": page.chars,
        "withheld": 1 if page.withheld else 0,
    }


def _document_row(tally: SourceTally, d: Document) -> dict:
    return {
        "id": short_hash("document", tally.id, d.line),
        "source_id": tally.id,
        "line": d.line,
        "doc_id": d.doc_id,
        "bates_begin": d.bates_begin,
        "bates_end": d.bates_end,
        "kind": d.kind,
        "what": d.what,
        "title": d.title,
        "volume": d.volume,
        "custodian": d.custodian,
        "parent": d.parent,
        "page_count": d.page_count,
        "native_path": d.native_path,
        "text_path": d.text_path,
        "message_id": tally.lines.get(d.message_line) if d.message_line is not None else None,
        "note": d.note,
        "fields": json.dumps(d.fields, ensure_ascii=False) if d.fields else None,
    }


def _production_row(source_id: str, info: ProductionInfo) -> dict:
    row = {k: v for k, v in vars(info).items()}
    for key in ("fields", "unknown_fields", "volumes"):
        row[key] = json.dumps(row[key], ensure_ascii=False)
    return {"source_id": source_id, **row}


def _copy_row(tally: SourceTally, p: Prepared, note: str | None) -> dict:
    prov = p.provenance
    custodian, rule = tally.source.custodian, tally.source.custodian_rule
    if prov.custodian and prov.custodian_rule == "load file" and rule != "named":
        custodian, rule = prov.custodian, "load file"  # the production's own word
    elif prov.custodian and rule in WEAK_RULES:
        custodian, rule = prov.custodian, "header"  # the layout said nothing
    tally.custodians.add(custodian)
    return {
        "id": copy_id_for(tally.id, prov.location, p.id),
        "message_id": p.id,
        "source_id": tally.id,
        "custodian": custodian,
        "custodian_rule": rule,
        "location": prov.location,
        "offset": prov.offset,
        "length": prov.length,
        "folder": prov.folder,
        "pages": prov.pages,
        "bates": prov.bates,
        "document": prov.document,
        "note": note or prov.note,
        # A printout's own text: releases of one email differ in what they redact.
        "text": p.message["body"] if prov.method in ("pdf-text", "ocr") else None,
        "method": prov.method,
        "found_in": prov.found_in,
        "volume": prov.volume,
        "line": prov.line,
        "native_path": prov.native_path,
        "text_path": prov.text_path,
        "page_count": prov.page_count,
    }


def _redaction_row(source_id: str, message_id: str, r: Redaction) -> dict:
    return {
        "id": short_hash("redaction", source_id, message_id, r.page, r.code, r.kind),
        "message_id": message_id,
        "source_id": source_id,
        "page": r.page,
        "code": r.code,
        "kind": r.kind,
        "line": r.line or None,
        "doubtful": 1 if r.doubtful else 0,
    }


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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

    # -- sources ----------------------------------------------------------------------------
    def source_id(self, src: SourceFile) -> str:
        """One source per physical file, whatever dump root reached it: the id it was first
        given, found by the file and its bytes; a new file's id from its path and bytes."""
        if src.file:
            row = self.db.execute(
                "select id from sources where file = ? and sha256 = ?", [src.file, src.sha256]
            ).fetchone()
            if row:
                return row[0]
        return source_id_for(src.path, src.sha256)

    def is_done(self, src: SourceFile) -> bool:
        row = self.db.execute(
            "select status, reader_version from sources where id = ?", [self.source_id(src)]
        ).fetchone()
        if row is None or row[0] not in FINISHED or _stale(src.format, row[1]):
            return False
        # An archive is done when nothing inside it, at any depth, is stale.
        inside = self.db.execute(
            """with recursive inside(id) as (
                   select id from sources where parent_id = ?
                   union select s.id from sources s join inside on s.parent_id = inside.id)
               select s.format, s.reader_version from sources s join inside using (id)""",
            [self.source_id(src)],
        ).fetchall()
        return not any(_stale(f, v) for f, v in inside)

    def recustody(self, src: SourceFile) -> None:
        """A file already read, reached again: where this run's rule places it differently
        (another root, --custodian), its source and copies take the new custodian and path, in
        place. Copies whose own headers named the mailbox keep theirs, and a production's
        records their load file's custodian (unless the reporter names one)."""
        sid = self.source_id(src)
        self._begin()
        self.db.execute(
            "update sources set path = ?, file = coalesce(file, ?), custodian = ?, "
            "custodian_rule = ? where id = ?",
            [src.path, src.file or None, src.custodian, src.custodian_rule, sid],
        )
        self.db.execute(
            "update message_copies set custodian = ?, custodian_rule = ?, "
            "folder = coalesce(?, folder) where source_id = ? and "
            "(coalesce(custodian_rule, '') not in ('header', 'load file') "
            "or (custodian_rule = 'load file' and ? = 'named')) and "
            "(custodian is not ? or custodian_rule is not ?)",
            [
                src.custodian,
                src.custodian_rule,
                src.folder,
                sid,
                src.custodian_rule,
                src.custodian,
                src.custodian_rule,
            ],
        )

    def begin_source(self, src: SourceFile) -> SourceTally:
        self._begin()
        sid = self.source_id(src)
        row = self.db.execute(
            "select status, reader_version, ingest_run, first_ingested_at from sources "
            "where id = ?",
            [sid],
        ).fetchone()
        tally = SourceTally(src, sid)
        if row is not None and row[2]:
            tally.first_run = (row[2], row[3])  # the run that first read it stays its run
        if row is not None and row[0] == "done" and _stale(src.format, row[1]):
            # Read by an older reader: what it gave goes, and the file is read anew.
            self.forget_source(sid)
            tally.reread = True
        # What an unfinished earlier attempt left (a pending format, an archive's own errors).
        self.db.execute("delete from errors where source_id = ?", [sid])
        self.db.execute("delete from sources where id = ?", [sid])
        return tally

    def forget_source(self, sid: str) -> int:
        """Take out what one source gave the corpus: its copies, and the messages no other
        source has a copy of (with the emails recovered only from their quotes). Returns how
        many messages went. Threads, identities and counts are rebuilt by the next analyze."""
        doomed = {
            r[0]
            for r in self.db.execute(
                """select m.id from messages m where m.first_source_id = ?
                   and not exists (select 1 from message_copies c where c.message_id = m.id
                                   and c.source_id != ? and c.method != 'quoted')
                   and not exists (select 1 from message_copies c where c.message_id = m.id
                                   and c.method = 'quoted' and c.found_in not in
                                   (select message_id from message_copies where source_id = ?))""",
                [sid, sid, sid],
            )
        }
        while True:  # emails known only from the quotes of doomed ones go with them
            quoted = {
                r[0]
                for r in self._in(
                    "select message_id from message_copies where found_in in ({marks})",
                    list(doomed),
                )
            }
            orphans = {
                m
                for m in quoted - doomed
                if not self.db.execute(
                    "select exists(select 1 from message_copies where message_id = ? "
                    "and (found_in is null or found_in not in (select id from messages "
                    "where first_source_id = ?)))",
                    [m, sid],
                ).fetchone()[0]
            }
            if not orphans:
                break
            doomed |= orphans
        ids = list(doomed)
        for table in MESSAGE_TABLES:
            self._in(f"delete from [{table}] where message_id in ({{marks}})", ids)
        self._in("delete from message_copies where found_in in ({marks})", ids)
        self._in("delete from messages where id in ({marks})", ids)
        for table in SOURCE_TABLES:
            self.db.execute(f"delete from [{table}] where source_id = ?", [sid])
        return len(ids)

    def finish_source(self, tally: SourceTally, status: str) -> None:
        src = tally.source
        self.db.table("sources").insert(
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
                "items_skipped": sum(tally.skipped.values()),
                "skipped_kinds": json.dumps(dict(sorted(tally.skipped.items())))
                if tally.skipped
                else None,
                "reader_version": _reader_version(src.format),
                "custodian_rule": src.custodian_rule or None,
                "file": src.file or None,
                "ingest_run": (tally.first_run or (self.run, ""))[0],
                "first_ingested_at": (tally.first_run or ("", now()))[1] or now(),
                "ingested_at": now(),
            },
            replace=True,
        )

    # -- rows -------------------------------------------------------------------------------
    def add(self, tally: SourceTally, items: Sequence[Written]) -> None:
        """Write one batch of a source's messages and read errors."""
        self._begin()
        rows = _Rows()
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
        rows.document_rows = [_document_row(tally, d) for d in rows.documents]
        if rows.productions:
            self.db.table("productions").insert_all(rows.productions, replace=True)
        if rows.messages:
            self._insert("messages", rows.messages)
            rows.errors.extend(self._reused_ids(tally, rows.messages, rows.copies))
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

    def _sort(
        self,
        tally: SourceTally,
        items: Sequence[Written],
        rows: _Rows,
    ) -> list[Prepared]:
        """The batch's messages, prepared; its read errors, skipped items and pages tallied and
        turned into rows."""
        ready: list[Prepared] = []
        for item in items:
            if isinstance(item, ReadError):
                rows.errors.append(
                    self._error_row(tally, item.location, item.stage, item.reason, item.level)
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
                rows.pages.append(_page_row(tally.id, item))
            elif isinstance(item, Document):
                rows.documents.append(item)  # linked to its message once the batch's are known
            elif isinstance(item, ProductionInfo):
                rows.productions.append(_production_row(tally.id, item))
                tally.production = item
            else:
                ready.append(prepare(item) if isinstance(item, MessageRecord) else item)
        return ready

    def _seen(self, ready: list[Prepared]) -> _Seen:
        """What the corpus already holds of this batch: its ids, its content keys, and whether
        any message lacks a Message-ID."""
        keyless = self.db.execute(
            "select exists(select 1 from messages where message_id is null)"
        ).fetchone()[0]
        by_content = dict(
            self._in(
                "select content_key, id from messages where content_key in ({marks})",
                [p.message["content_key"] for p in ready if p.message["content_key"]],
            )
        )
        existing = self._existing([p.id for p in ready])
        return _Seen(self._same_email, existing, by_content, bool(keyless))

    def _another_copy(
        self, tally: SourceTally, p: Prepared, note: str | None, seen: _Seen, rows: _Rows
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
            self._error_row(tally, p.provenance.location, "dedupe", disagree, "warning", p.id)
        )
        return f"{note + '; ' if note else ''}{disagree}"

    def _copy_rows(
        self, tally: SourceTally, p: Prepared, note: str | None, first: bool, rows: _Rows
    ) -> None:
        """This copy: where it was found, its redactions, the participants it shows, and its
        reader's warnings."""
        prov = p.provenance
        rows.copies.append(_copy_row(tally, p, note))
        rows.redactions.extend(_redaction_row(tally.id, p.id, r) for r in p.redactions)
        # Every copy of a message adds the participants it shows (a sender's copy may show
        # a Bcc the others don't) — but not a printed copy of a message already in: its
        # names and OCR'd addresses would add the same people again, spelled otherwise.
        if first or prov.method not in PRINTED_METHODS:
            rows.participants.extend(p.participants)
        for stage, reason in p.problems:
            tally.warnings += 1
            tally.warning_kinds[warning_kind(stage, reason)] += 1
            rows.errors.append(
                self._error_row(tally, prov.location, stage, reason, "warning", p.id)
            )

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

    def _same_email(self, p: Prepared, fresh: list[dict]) -> str | None:
        """The id of a message already in that is this same email, though it has no
        Message-ID in common with it (see corpus/matching.py), or None."""
        m = p.message
        rows = self.db.execute(
            "select id, message_id, sent_at, zone_known, from_name, from_address from messages "
            "where match_key = ?",
            [m["match_key"]],
        ).fetchall()
        candidates = [tuple(r) for r in rows] + [
            (
                f["id"],
                f["message_id"],
                f["sent_at"],
                f["zone_known"],
                f["from_name"],
                f["from_address"],
            )
            for f in fresh
        ]
        if p.provenance.method in ("pdf-text", "ocr") and not m["message_id"] and m["sent_at"]:
            candidates += self._redacted_otherwise(m)
        for cid, mid, sent_at, zone, name, address in candidates:
            if mid and m["message_id"] and mid != m["message_id"]:
                continue  # two Message-IDs: two emails
            if not same_time(m["sent_at"], m["zone_known"], sent_at, zone):
                continue
            if not same_sender(m["from_name"], m["from_address"], name, address):
                continue
            if m["message_id"] and not mid:
                # The id the email travelled with, and its thread, learnt from this copy (a
                # printout came first).
                self.db.execute(
                    "update messages set message_id = ?, in_reply_to = coalesce(in_reply_to, ?),"
                    " reference_ids = coalesce(reference_ids, ?) where id = ?",
                    [m["message_id"], m["in_reply_to"], m["reference_ids"], cid],
                )
            if m["zone_known"] and not zone:
                # A printout's time without its zone, corrected by a copy that has the zone
                # (analyze recomputes the month it falls in).
                self.db.execute(
                    "update messages set sent_at = ?, zone_known = 1, year = null, month = null "
                    "where id = ?",
                    [m["sent_at"], cid],
                )
            return cid
        return None

    def _other_attachments(
        self, p: Prepared, in_batch: set[tuple[str, str]] | None = None
    ) -> str | None:
        """Copies of one email (one Message-ID) that carry other attachments disagree: said on
        the copy and in a warning, not merged silently. Printed copies show none: not compared.
        `in_batch`: the first copy's attachments when it came in this batch (not written yet)."""
        if not p.message["message_id"] or p.provenance.method in PRINTED_METHODS:
            return None
        mine = _attachment_keys(p.attachments)
        stored = (
            in_batch
            if in_batch is not None
            else {
                (r[0], r[1])
                for r in self.db.execute(
                    "select sha256, name from attachments where message_id = ?", [p.id]
                )
            }
        )
        if mine == stored or not p.attachments:
            return None
        only_here = sorted(n for d, n in mine - stored)
        only_there = sorted(n for d, n in stored - mine)
        return (
            "copies disagree: this copy's attachments differ from the message's first copy "
            f"(only in this copy: {only_here or 'none'}; only in the first: {only_there or 'none'})"
        )

    def _redacted_otherwise(self, m: dict) -> list[tuple]:
        """Messages that a printed copy may be though its text starts otherwise: the same email
        released again with other redactions (its start is not the same letters), printed (or
        quoted) too: it has no Message-ID. Sent within
        a zone's hours of it, with the same subject (Re:/Fwd: aside) and most of the same
        words; the sender and the time are checked after."""
        when = datetime.fromisoformat(m["sent_at"])
        rows = self.db.execute(
            "select id, message_id, sent_at, zone_known, from_name, from_address, subject, body "
            "from messages where message_id is null and sent_at between ? and ? "
            "and match_key != ?",
            [
                (when - REDACTION_WINDOW).isoformat(),
                (when + REDACTION_WINDOW).isoformat(),
                m["match_key"],
            ],
        ).fetchall()
        subject = normalize_subject(m["subject"])
        return [
            tuple(r[:6])
            for r in rows
            if normalize_subject(r[6] or "") == subject and similar_text(m["body"], r[7] or "")
        ]

    def _reused_ids(
        self, tally: SourceTally, messages: list[dict], copies: list[dict]
    ) -> list[dict]:
        """Warn where a Message-ID is shared by emails sent at different times: they are kept
        apart, and the fact-checker should know why the id is not unique."""
        wanted = list({m["message_id"] for m in messages if m["message_id"]})
        if not wanted:
            return []
        reused = dict(
            self._in(
                "select message_id, count(*) from messages where message_id in ({marks}) "
                "group by message_id having count(*) > 1",
                wanted,
            )
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
        return {r[0] for r in self._in("select id from messages where id in ({marks})", ids)}

    def _in(self, sql: str, values: list[str]) -> list[tuple]:
        """Rows of `sql` for `values` in its `in ({marks})`, 500 at a time (SQLite's limit on
        parameters is lower than a batch)."""
        unique = list(dict.fromkeys(values))
        out: list[tuple] = []
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            out += self.db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
        return out

    @staticmethod
    def _error_row(
        tally: SourceTally,
        location: str,
        stage: str,
        reason: str,
        level: str,
        message_id: str | None = None,
    ) -> dict:
        # A reader's reason may quote a file name that is not UTF-8: stored escaped.
        location, reason = readable(location), readable(reason)
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


def fold_custodians(db: sqlite_utils.Database) -> dict[str, str]:
    """One name per custodian: spellings that differ only in case, spacing or punctuation
    ("allen-p" from the layout, "Allen-P" from X-Origin) become the spelling of the strongest
    rule (ingest/custodians.py, SPELLING_RANK), then the commonest. Copies and sources are
    renamed in place; returns {old spelling: kept spelling}."""
    spellings: dict[str, list[tuple[int, int, str]]] = {}
    for name, rule, n in db.execute(
        "select custodian, custodian_rule, count(*) from message_copies "
        "where custodian is not null group by 1, 2 "
        "union all select custodian, custodian_rule, 0 from sources "
        "where custodian is not null group by 1, 2"
    ):
        rank = SPELLING_RANK.index(rule) if rule in SPELLING_RANK else len(SPELLING_RANK)
        spellings.setdefault(custodian_key(name), []).append((rank, -n, name))
    renames = {}
    for entries in spellings.values():
        kept = min(entries)[2]
        renames.update({name: kept for _, _, name in entries if name != kept})
    if renames:
        with db.atomic():
            db.execute("create temp table if not exists custodian_renames (old text, new text)")
            db.execute("delete from custodian_renames")
            db.conn.executemany("insert into custodian_renames values (?, ?)", renames.items())
            for table in ("message_copies", "sources"):
                db.execute(
                    f"update [{table}] set custodian = (select new from custodian_renames "
                    f"where old = [{table}].custodian) "
                    "where custodian in (select old from custodian_renames)"
                )
            db.execute("drop table custodian_renames")
    return renames


def rebuild_custodians(db: sqlite_utils.Database) -> list[dict]:
    """The `custodians` table: each mailbox the copies came from, how its name was told (the
    rule most of its copies were placed by), and what it holds. Rebuilt after every ingest,
    once the spellings of one name are folded into one (fold_custodians)."""
    rules: dict[str, Counter] = {}
    for custodian, rule, n in db.execute(
        "select custodian, custodian_rule, count(*) from message_copies "
        "where method != 'quoted' group by 1, 2"
    ):
        rules.setdefault(custodian, Counter())[rule] += n
    rows = [
        {
            "name": name,
            "rule": rules[name].most_common(1)[0][0] if name in rules else None,
            "sources": sources,
            "copies": copies,
            "messages": messages,
            "first": first,
            "last": last,
        }
        for name, sources, copies, messages, first, last in db.execute(
            """select c.custodian, count(distinct c.source_id), count(*),
                      count(distinct c.message_id), min(m.sent_at), max(m.sent_at)
               from message_copies c join messages m on m.id = c.message_id
               where c.method != 'quoted' group by c.custodian order by count(*) desc"""
        )
    ]
    with db.atomic():
        db.execute("delete from custodians")
        db.table("custodians").insert_all(rows)
    return rows
