"""Stable ids. The same email gets the same id whatever order or production it arrives in, so
links published after one production still work after the next."""

from __future__ import annotations

import hashlib

from ..ingest.record import MessageRecord
from .matching import text_start


def short_hash(*parts: object) -> str:
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode())
    return h.hexdigest()[:16]


def _norm(text: str) -> str:
    # str.split() splits at what the regex's \s matches, and costs a fifth of it on a body.
    return " ".join((text or "").split()).casefold()


def dedupe_key(record: MessageRecord, start: str | None = None) -> str:
    """Message-ID and minute sent when the email has an id, else a fingerprint of sender,
    minute, subject and body.

    The minute guards the counts against ids that are not unique: productions redact them
    ("xxxx@xxxx.com"), and some systems reuse them. Every copy of one email carries the same
    Date header, so copies still meet.
    """
    when = (
        record.sent_at.strftime("%Y-%m-%dT%H:%M")
        if record.sent_at
        else _norm(record.sent_at_original or "")
    )
    if record.message_id:
        return f"mid:{record.message_id.strip()}|{when}"
    sender = next((a.address or _norm(a.name) for r, a in record.participants if r == "from"), "")
    # The start of the text, letters and digits only: the same email printed to PDF, wrapped
    # differently or read by OCR further down, still meets its copies.
    if start is None:
        start = text_start(record.body_text)
    return f"fp:{sender}|{when}|{_norm(record.subject)}|{start}"


def content_key(record: MessageRecord) -> str | None:
    """Sender, time to the second, recipients, subject and the whole body: copies that agree on
    all of it are one email whatever Message-ID each was filed under (exports that give every
    folder's copy a new id). None where the sender or the time is unknown."""
    sender = next((a.address for r, a in record.participants if r == "from" and a.address), "")
    if not sender or record.sent_at is None:
        return None
    recipients = sorted(
        {a.address or _norm(a.name) for r, a in record.participants if r in ("to", "cc")}
    )
    return short_hash(
        "content",
        sender,
        record.sent_at.isoformat(),
        ",".join(recipients),
        _norm(record.subject),
        hashlib.sha256(_norm(record.body_text).encode()).hexdigest(),
    )


def message_id_for(key: str) -> str:
    return short_hash("message", key)


def source_id_for(path: str, sha256: str) -> str:
    return short_hash("source", path, sha256)


def copy_id_for(source_id: str, location: str, message: str) -> str:
    """One per message and place: several messages printed on one page are several copies."""
    return short_hash("copy", source_id, location, message)


def error_id_for(source_id: str, location: str, stage: str, reason: str) -> str:
    return short_hash("error", source_id, location, stage, reason)
