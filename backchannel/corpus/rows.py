"""A parsed message turned into the corpus's rows, ready to write.

Done in the parser processes, so the one writing process only checks for duplicates and inserts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..ingest.record import MessageRecord, Provenance, Redaction
from .keys import content_key, dedupe_key, message_id_for, short_hash
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
