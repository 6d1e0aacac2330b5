"""Emails recovered from quoted history: each quoted block that carries a sender and a date
becomes a message record (method "quoted"), pointing at the message it was found in."""

from __future__ import annotations

import re

from ..ingest.printed.printed import addresses, header_at, parse_date, participants_of
from ..ingest.record import MessageRecord, Problem, Provenance
from .quotes import Fragment

_WROTE = re.compile(
    r"^(?:>\s*)*(?:On|Am|Le|El|Il|Op)\s+(?P<rest>.+?)\s*"
    r"(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?|\b\d{4}\b")


_SCHRIEB = re.compile(r"^(?:>\s*)*Am\s+(?P<date>.+?)\s+schrieb\s+(?P<who>.+?)\s*:\s*$", re.DOTALL)


def _wrote_line(header: str) -> tuple[str, str] | None:
    """(date text, sender text) of "On Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield
    <dana@d.example> wrote:", its Apple Mail and Thunderbird variants, and Gmail's German
    "Am Mo., 3. März 2025 um 16:02 Uhr schrieb Carl Vance <c@x>:"."""
    line = " ".join(header.split())
    german = _SCHRIEB.match(line)
    if german:
        return german.group("date"), german.group("who")
    m = _WROTE.match(line)
    if not m:
        return None
    rest = m.group("rest").strip().rstrip(",")
    times = list(_TIME.finditer(rest))
    if not times:
        return None
    cut = times[-1].end()
    return rest[:cut].strip(" ,"), rest[cut:].strip(" ,")


def record_from_fragment(fragment: Fragment, parent: dict, part: int) -> MessageRecord | None:
    """The quoted email as a record, or None when its header does not give a sender and a
    date (it then stays quoted text: a message without a date cannot be told from its copies)."""
    problems: list[Problem] = []
    wrote = _wrote_line(fragment.header)
    if wrote is not None:
        when, who = wrote
        senders, _ = addresses(who)
        fields = {"date": when}
        participants = [("from", senders[0])] if senders else []
        subject = parent.get("subject") or ""
    else:
        lines = [re.sub(r"^(?:>\s*)+", "", line) for line in fragment.header.split("\n")]
        header = header_at(lines, 0)
        if header is None:
            return None
        fields = header.fields
        # The parser's header may run a line into the body ("Subject: …" then "Hello,").
        if lines[header.end :]:
            body = "\n".join(lines[header.end :]).strip()
            fragment = Fragment(fragment.header, f"{body}\n{fragment.body}".strip())
        participants, doubts = participants_of(fields)
        problems += [Problem("header", doubt) for doubt in doubts]
        subject = fields.get("subject") or parent.get("subject") or ""
    if not participants:
        return None
    sent_at, problem = parse_date(fields["date"])
    if sent_at is None:
        return None
    zone_known = problem is None
    return MessageRecord(
        message_id=None,
        subject=subject,
        sent_at=sent_at,
        sent_at_original=fields["date"],
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
