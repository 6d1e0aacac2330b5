"""What the corpus's rows are made of: a parsed message turned into its rows (`prepare`, done
in the parser processes, so the one writing process only checks for duplicates and inserts),
a source's tally of what it gave, and the rows of its copies, pages, documents and errors.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..ingest.record import (
    Document,
    MessageRecord,
    PageInfo,
    ProductionInfo,
    Provenance,
    Redaction,
    SourceFile,
    readable,
)
from ..vocabulary import PAPER_METHODS
from .keys import content_key, copy_id_for, dedupe_key, error_id_for, message_id_for, short_hash
from .matching import match_key, text_start
from .schema import TABLES


def as_row(table: str, values: dict) -> tuple:
    """A row as a tuple in the table's declared column order (cheap to send between processes)."""
    return tuple(values.get(c) for c in TABLES[table]["columns"])


@dataclass
class Prepared:
    id: str
    message: dict  # a messages row, but for first_source_id
    attachments: list[tuple]  # rows in column order
    participants: list[tuple]
    provenance: Provenance
    problems: list[tuple[str, str]]  # (stage, reason), each once
    redactions: list[Redaction]
    quick: bool = False  # parsed by the quick parse (ingest/mail/quickparse.py)


def prepare(record: MessageRecord) -> Prepared:
    start = text_start(record.body_text)
    key = dedupe_key(record, start)
    mid = message_id_for(key)
    sender = next((a for r, a in record.participants if r == "from"), None)
    message = {
        "id": mid,
        "message_id": record.message_id,
        "dedupe_key": key,
        "subject": record.subject,
        "sent_at": record.sent_at.isoformat() if record.sent_at else None,
        "sent_at_original": record.sent_at_original,
        "from_address": (sender.address or None) if sender else None,
        "from_name": (sender.name or None) if sender else None,
        "body": record.body_text,
        "body_html": record.body_html,
        "body_source": record.body_source,
        "recovered": 1 if record.provenance.method == "quoted" else 0,
        "in_reply_to": record.in_reply_to,
        "reference_ids": " ".join(record.references) or None,
        "attachment_count": len(record.attachments),
        "headers": json.dumps(record.headers, ensure_ascii=False),
        "match_key": match_key(record.subject, start),
        "content_key": content_key(record),
        "zone_known": 1 if record.zone_known else 0,
    }
    attachments = [
        as_row(
            "attachments",
            {
                "id": short_hash("attachment", mid, n),
                "message_id": mid,
                "position": n,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "text": a.text,
            },
        )
        for n, a in enumerate(record.attachments)
    ]
    participants = [
        as_row(
            "participants",
            {
                "message_id": mid,
                "role": role,
                "key": a.address or "name:" + a.name.casefold(),
                "address": a.address or None,
                "name": a.name or None,
                "printed": a.printed or None,
                "alias": a.alias or None,
            },
        )
        for role, a in record.participants
    ]
    problems = list(dict.fromkeys((p.stage, p.reason) for p in record.problems))
    return Prepared(
        mid,
        message,
        attachments,
        participants,
        record.provenance,
        problems,
        record.redactions,
        record.quick,
    )


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class SourceTally:
    """What one source gave this run, counted as its rows are written."""

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


@dataclass
class Batch:
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


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|<[^>]*>")


def warning_kind(stage: str, reason: str) -> str:
    """What a warning says, without the values it quotes: warnings of one kind group together."""
    return f"{stage}: {_QUOTED.sub('…', reason)}"


def page_row(source_id: str, page: PageInfo) -> dict:
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


def document_row(tally: SourceTally, d: Document) -> dict:
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


def production_row(source_id: str, info: ProductionInfo) -> dict:
    row = {k: v for k, v in vars(info).items()}
    for key in ("fields", "unknown_fields", "volumes"):
        row[key] = json.dumps(row[key], ensure_ascii=False)
    return {"source_id": source_id, **row}


# Custodian rules that only guess (the folder a loose file sits in, an mbox's file name): a
# copy whose own headers name its mailbox (X-Origin) goes by them instead.
WEAK_RULES = ("folder", "file name")


def copy_row(tally: SourceTally, p: Prepared, note: str | None) -> dict:
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
        "text": p.message["body"] if prov.method in PAPER_METHODS else None,
        "method": prov.method,
        "found_in": prov.found_in,
        "volume": prov.volume,
        "line": prov.line,
        "native_path": prov.native_path,
        "text_path": prov.text_path,
        "page_count": prov.page_count,
    }


def redaction_row(source_id: str, message_id: str, r: Redaction) -> dict:
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


def error_row(
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
