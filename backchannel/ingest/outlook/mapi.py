"""What an Outlook item says, whichever library read it (extract-msg for .msg, pypff for
.pst/.ost), and how that becomes a MessageRecord.

The transport headers, when the item kept them, are the email as it travelled: they are read with
the same code as an .eml. Items without them (sent items, drafts, messages saved in Outlook) are
read from MAPI properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import message_from_string
from email.policy import compat32

from ..mail.rfc822 import record_from_headers
from ..record import Address, Attachment, MessageRecord, Problem, Provenance
from ..text import html_to_text
from .directory import x500_alias

# Message classes that are not email. Everything else in IPM.* (notes, posts, meeting
# requests, reports) is a communication and is kept.
_NOT_EMAIL = {
    "ipm.contact": "contact",
    "ipm.distlist": "distribution list",
    "ipm.appointment": "calendar",
    "ipm.task": "task",
    "ipm.stickynote": "note",
    "ipm.activity": "journal",
}
ROLE_OF_RECIPIENT_TYPE = {1: "to", 2: "cc", 3: "bcc"}


def kind_of(message_class: str | None) -> str:
    """'email', or what else the item is ('contact', 'calendar', ...)."""
    cls = (message_class or "IPM.Note").strip().strip("\x00").lower()
    for prefix, kind in _NOT_EMAIL.items():
        if cls == prefix or cls.startswith(prefix + "."):
            return kind
    if cls.startswith(("ipm", "report")):
        return "email"
    return "other item"


@dataclass
class OutlookItem:
    message_class: str | None
    transport_headers: str | None
    subject: str
    sender: Address | None
    recipients: list[tuple[str, Address]]  # (role, address) from the recipient table
    sent_at: datetime | None
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    body: str | None
    html: str | None
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def mapi_address(name: str | None, address: str | None, smtp: str | None = None) -> Address:
    """An Address from what an Outlook item gives; a "address" that is only a word (Outlook
    keeps bare names there) is a name."""
    addr = smtp_or_x500(address, smtp)
    name = (name or "").strip("\x00").strip()
    if addr and "@" not in addr and not addr.startswith("/"):
        name, addr = name or (address or "").strip(), ""
    # An Exchange X.500 address names its mailbox's alias (its last CN): kept for identities.
    return Address(name="" if name.lower() == addr else name, address=addr, alias=x500_alias(addr))


def smtp_or_x500(address: str | None, smtp: str | None) -> str:
    """The SMTP address when the item carries one, else what it has (an Exchange X.500
    "/O=EXCHANGELABS/..." address is kept as it is, lower-cased, with the display name)."""
    for value in (smtp, address):
        value = (value or "").strip().strip("\x00")
        if value:
            return value.lower()
    return ""


def _has_real_headers(text: str | None) -> bool:
    if not text or not text.strip():
        return False
    lower = text.lower()
    return "\nfrom:" in "\n" + lower or "\ndate:" in "\n" + lower


_HEADER_START = re.compile(r"^[!-9;-~]+[ \t]*:")


def _header_block(text: str) -> str:
    """The transport headers without what some clients write above them ("Microsoft Mail
    Internet Headers Version 2.0"): the stdlib would read that line as the end of the headers."""
    lines = text.strip().replace("\r\n", "\n").split("\n")
    while lines and not _HEADER_START.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


def to_record(item: OutlookItem, provenance: Provenance) -> MessageRecord:
    headers = item.transport_headers
    if headers is not None and _has_real_headers(headers):
        text = _header_block(headers)
        parsed = message_from_string(text + "\n\n", policy=compat32)
        record = record_from_headers(list(parsed.raw_items()), provenance)
        record.participants = _names_from_properties(record.participants, item)
        roles = {r for r, _ in record.participants}
        # Headers that name nobody (cut, or an old Exchange's): the MAPI properties do.
        if "from" not in roles and item.sender is not None:
            record.participants.insert(0, ("from", item.sender))
            record.problems = [p for p in record.problems if p.reason != "no From header"]
        if not roles & {"to", "cc"}:
            record.participants += [(r, a) for r, a in item.recipients if r != "bcc"]
        # Transport headers never show Bcc; the sender's own item lists them as recipients.
        record.participants += [(r, a) for r, a in item.recipients if r == "bcc"]
        record.message_id = record.message_id or _strip_id(item.message_id)
        record.subject = record.subject or item.subject
        if record.sent_at is None and item.sent_at is not None:
            record.sent_at = item.sent_at
            record.problems = [p for p in record.problems if p.stage != "date"]
    else:
        participants: list[tuple[str, Address]] = []
        if item.sender is not None and (item.sender.address or item.sender.name):
            participants.append(("from", item.sender))
        seen = set()
        for role, addr in item.recipients:
            key = (role, addr.address or addr.name.casefold())
            if key not in seen:
                seen.add(key)
                participants.append((role, addr))
        record = MessageRecord(
            message_id=_strip_id(item.message_id),
            subject=item.subject,
            sent_at=item.sent_at,
            sent_at_original=item.sent_at.isoformat() if item.sent_at else None,
            participants=participants,
            body_text="",
            body_html=None,
            in_reply_to=_strip_id(item.in_reply_to),
            references=[r.strip("<>") for r in item.references],
            headers=[],
            attachments=[],
            provenance=provenance,
            problems=[],
        )
        if item.sender is None:
            record.problems.append(Problem("header", "no sender"))
        if item.sent_at is None:
            record.problems.append(Problem("date", "no date sent"))
    record.body_html = item.html
    if item.body and item.body.strip():
        record.body_text = item.body.replace("\r\n", "\n").strip("\n")
        record.body_source = "text"
    elif item.html:
        record.body_text = html_to_text(item.html)
        record.body_source = "html"
    record.attachments = item.attachments
    record.problems += item.problems
    return record


def _names_from_properties(
    participants: list[tuple[str, Address]], item: OutlookItem
) -> list[tuple[str, Address]]:
    """Addresses the transport headers give without a name ("To: hong@corp.example") take the
    name the item's own properties give them: the recipient table's (or the sender's) for the
    same address, else, where a role has one address in the headers and one in the
    properties, known there only by its Exchange DN, that one's name and alias."""
    table = list(item.recipients) + ([("from", item.sender)] if item.sender else [])
    out = []
    for role, a in participants:
        if not a.name and a.address:
            mine = [t for r, t in table if r == role]
            same = [t for t in mine if t.address == a.address and t.name]
            one_each = len(mine) == 1 and sum(1 for r, _ in participants if r == role) == 1
            if not same and one_each and mine[0].name and "@" not in mine[0].address:
                same = mine  # one each, the properties' known only by its DN: the same one
            if same:
                a = replace(a, name=same[0].name, alias=a.alias or same[0].alias)
        out.append((role, a))
    return out


def _strip_id(value: str | None) -> str | None:
    value = (value or "").strip().strip("\x00").strip()
    if value.startswith("<") and ">" in value:
        value = value[1 : value.index(">")]
    return value or None


def filetime(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=0)  # as precise as a Date header
