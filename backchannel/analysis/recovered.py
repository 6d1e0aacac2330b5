"""Emails recovered from quoted history: each quoted block that carries a sender and a date
becomes a message record (method "quoted"), pointing at the message it was found in.

The sender and the date are read from the attribution line or the header block above the
quoted text, in every language of ingest/languages.py (analysis/quoted_header.py). A block
whose date cannot be read for sure stays quoted text: an email whose date is guessed cannot be
told from its copies, and would be counted twice."""

from __future__ import annotations

import html
import re

from ..ingest import languages as lang
from ..ingest.printed.printed import field_of, header_at, label_of, participants_of
from ..ingest.record import Address, MessageRecord, Problem, Provenance
from .quoted_header import notes_sender, read_attribution, read_header_date
from .quotes import Fragment

_LABEL = re.compile(r"^[\s*]*([^:：\n]{1,30}?)\s*\**\s*[:：]")
_LABELS = lang.header_labels()


def record_from_fragment(fragment: Fragment, parent: dict, part: int) -> MessageRecord | None:
    """The quoted email as a record, or None when its header does not give a sender and a
    date (it then stays quoted text: a message without a date cannot be told from its copies)."""
    # "&lt;d@x&gt;": entities an HTML body left in its text.
    lines = [html.unescape(re.sub(r"^(?:>\s*)+", "", x)) for x in fragment.header.split("\n")]
    labels = _labels(lines)
    problems: list[Problem] = []
    if not labels:
        wrote = read_attribution(fragment.header)
        if wrote is None:
            return None
        participants: list[tuple[str, Address]] = [("from", wrote.sender)]
        sent_at, zone_known, original = wrote.sent_at, wrote.zone_known, wrote.date_text
        subject = parent.get("subject") or ""
    else:
        fields, end = _header_fields(lines)
        if "from" not in fields and "date" not in fields:
            fields |= notes_sender(lines[: _first_label(lines)], labels) or {}
        if "date" not in fields:
            return None
        # The block may run a line into the body ("Subject: …" then "Hello,").
        if lines[end:]:
            body = "\n".join(lines[end:]).strip()
            fragment = Fragment(fragment.header, f"{body}\n{fragment.body}".strip())
        participants, doubts = participants_of(fields)
        problems += [Problem("header", doubt) for doubt in doubts]
        date = read_header_date(fields["date"], labels)
        # A sender the agency redacted ("From: [REDACTED]") leaves the recipients: still an
        # email, known by its date and text.
        if date is None or not participants:
            return None
        sent_at, zone_known, original = date.when, date.zone_known, fields["date"]
        subject = fields.get("subject") or parent.get("subject") or ""
    return MessageRecord(
        message_id=None,
        subject=subject,
        sent_at=sent_at,
        sent_at_original=original,
        participants=participants,
        body_text=fragment.body,
        body_html=None,
        in_reply_to=None,
        references=[],
        headers=[("Quoted header", fragment.header)],
        attachments=[],
        provenance=Provenance(
            path=parent["source_path"],
            source_sha256="",
            method="quoted",
            location=f"quoted in message {parent['id']}, part {part}",
            found_in=parent["id"],
        ),
        problems=problems,
        zone_known=zone_known,
    )


def _header_fields(lines: list[str]) -> tuple[dict[str, str], int]:
    """A header block's fields, in whatever order its client wrote them (Hotmail puts the
    date first), and the line after it: read as a printed block where it is one, else line by
    line, a line without a label carrying on the field above it."""
    header = header_at(lines, 0)
    if header is not None:  # "*From:* Dana": the value without the bold's stars
        return {k: v.strip("* ") for k, v in header.fields.items()}, header.end
    fields: dict[str, str] = {}
    last = None
    for line in lines:
        found = field_of(line.strip().strip("*"), in_block=True)
        if found is not None and found[0] not in fields:
            last = found[0]
            fields[last] = found[1].strip("* ")
        elif found is None and last is not None and line.strip():
            fields[last] = f"{fields[last]} {line.strip()}".strip()
    return fields, len(lines)


def _labels(lines: list[str]) -> list[str]:
    """The labels of a header block, as written ("Von", "Envoyé", "发件人"); a printout's
    labels that OCR left without their colons ("From Mills, Cheryl D") where the lines read
    as a printed block. None: the lines are an attribution."""
    labels = [m.group(1) for x in lines if (m := _LABEL.match(x)) and _is_label(m.group(1))]
    if labels or header_at(lines, 0) is None:
        return labels
    return [w[0] for x in lines if (w := x.split()) and label_of(w[0]) is not None]


def _is_label(text: str) -> bool:
    return lang.fold_label(text) in _LABELS


def _first_label(lines: list[str]) -> int:
    return next(
        (k for k, x in enumerate(lines) if (m := _LABEL.match(x)) and _is_label(m.group(1))), 0
    )
