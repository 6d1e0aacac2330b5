"""One email record of a production's load file made a message: from its native where that is
an email file (the native's parse is the truth; the load file's fields fill what it lacks, and
a field that disagrees is a warning), else from the load file's fields and its extracted text
(a text that begins with a printed header block is read as one)."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import attachment_text
from ..mail.rfc822 import make_attachment
from ..printed.printed import addresses, header_at, parse_date, participants_of
from ..record import Address, Attachment, MessageRecord, Problem, Provenance

# Windows' names of the zones a production is processed in, by the words that tell them.
_ZONE_WORDS = {
    "eastern": "America/New_York",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "arizona": "America/Phoenix",
    "pacific": "America/Los_Angeles",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "gmt standard": "Europe/London",
    "w. europe": "Europe/Berlin",
    "romance": "Europe/Paris",
    "coordinated universal": "UTC",
    "greenwich mean": "UTC",
}
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)$")
HEADER_LINES = 8  # a printed header block must begin within the text's first lines
_FROM_LABEL = re.compile(r"^\s*(?:From|Sender|Von|De|Van)\s*:", re.IGNORECASE)
# The dates load files write, read without dateutil's fuzzy parse (a tenth of its time).
_FORMATS = (
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d",
    "%Y%m%d %H:%M:%S", "%Y%m%d %H:%M", "%Y%m%d", "%m/%d/%y %I:%M %p", "%m/%d/%y %H:%M",
    # Dotted dates are day first wherever they are written.
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
)  # fmt: skip
TIME_TOLERANCE = timedelta(minutes=1)  # a native's time and the load file's, both with a zone


_WORD = re.compile(r"\w+")


def same_words(a: str, b: str, any_word: bool = False) -> bool:
    """Two ways of writing one field agree: the same words, case and punctuation aside (with
    `any_word`, a word of three letters or more in common: a name against an address)."""
    wa, wb = _WORD.findall(a.casefold()), _WORD.findall(b.casefold())
    if any_word:
        return bool({w for w in wa if len(w) >= 3} & {w for w in wb if len(w) >= 3})
    return wa == wb


@dataclass
class EmailFields:
    """What a load file's record says of an email."""

    subject: str = ""
    participants: list[tuple[str, Address]] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)  # From, To... as written
    sent_at: datetime | None = None
    sent_original: str | None = None
    zone_known: bool = True
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def zone_of(value: str) -> tzinfo | None:
    """A load file's time zone field: an IANA name, a Windows name ("(UTC-05:00) Eastern Time
    (US & Canada)", "Pacific Standard Time"), an offset ("-05:00", "GMT+1") or a number of hours
    ("-5") or minutes ("-300")."""
    text = value.strip()
    if not text:
        return None
    if "/" in text and " " not in text:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones
            pass
    lowered = text.casefold()
    for words, name in _ZONE_WORDS.items():
        if words in lowered:
            return ZoneInfo(name)
    if lowered in ("utc", "gmt", "z"):
        return UTC
    number = _NUMBER.match(text)
    if number:
        amount = float(number.group(1))
        minutes = amount * 60 if abs(amount) <= 14 else amount
        return timezone(timedelta(minutes=minutes)) if abs(minutes) <= 14 * 60 else None
    offset = _OFFSET.search(text)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
        return timezone(sign * timedelta(minutes=minutes)) if minutes <= 14 * 60 else None
    return None


def _named_zone(value: str) -> tzinfo | None:
    """A zone a date spells out in words ("… at 09:51:30 Greenwich Mean Time"); never an
    offset read out of the date's own digits."""
    lowered = value.casefold()
    for words, name in _ZONE_WORDS.items():
        if words in lowered:
            return ZoneInfo(name)
    return UTC if re.search(r"\b(utc|gmt)\b", lowered) else None


def load_date(value: str, zone: str = "") -> tuple[datetime | None, bool, Problem | None]:
    """(UTC time, whether its zone is known, a problem) of a load file's date and time, read in
    its record's time zone field when there is one, else as UTC (said, like a printout's)."""
    sent_at, problem = _plain_date(value)
    if sent_at is None:
        sent_at, problem = parse_date(value)
    if sent_at is None:
        return None, False, Problem("date", f"unreadable date in the load file: {value!r}")
    if problem is None:
        return sent_at, True, None
    tz = zone_of(zone) if zone else _named_zone(value)
    if tz is not None:
        try:
            return sent_at.replace(tzinfo=tz).astimezone(UTC), True, None
        except OverflowError:  # .NET's empty date (1/1/0001) east of UTC
            return None, False, Problem("date", f"date out of range in the load file: {value!r}")
    why = f"its time zone {zone!r} is not one known" if zone else "no time zone in the load file"
    return sent_at, False, Problem("date", f"{why} for {value!r}; read as UTC")


def _plain_date(value: str) -> tuple[datetime | None, str | None]:
    """A date in one of the forms load files write (`_FORMATS`), read as UTC with the same
    problem as parse_date's for a date without its zone; (None, None) for any other form."""
    text = " ".join(value.split())
    for form in _FORMATS:
        try:
            parsed = datetime.strptime(text, form)
        except ValueError:
            continue
        return parsed.replace(tzinfo=UTC), "no time zone"
    return None, None


def _address_list(value: str) -> tuple[list[Address], str | None]:
    """A load file's address field: `; `-separated, perhaps with a trailing `; `."""
    found, problem = addresses(value.replace("\n", "; "))
    cleaned = [
        Address(
            name=" ".join(re.sub(r"[\[(]\s*[\])]", "", a.name).split()),
            address=a.address,
            printed=a.printed,
        )
        for a in found
    ]
    return cleaned, problem


def email_fields(values: dict[str, str]) -> EmailFields:
    """The email a record's fields describe (`values`: role -> value, see loadfields.py)."""
    out = EmailFields(subject=values.get("subject", ""))
    for role in ("from", "to", "cc", "bcc"):
        value = values.get(role, "")
        if not value:
            continue
        out.raw[role] = value
        found, problem = _address_list(value)
        if problem:
            out.problems.append(Problem("header", f"{role}: {problem}"))
        out.participants += [(role, a) for a in (found[:1] if role == "from" else found)]
    for date_role, time_role in (
        ("date_sent", "time_sent"),
        ("date_received", "time_received"),
        ("date", ""),
    ):
        day = values.get(date_role, "")
        if not day:
            continue
        clock = values.get(time_role, "") if time_role else ""
        written = f"{day} {clock}" if clock and clock not in day else day
        out.sent_original = written
        out.sent_at, out.zone_known, unsure = load_date(written, values.get("time_zone", ""))
        if unsure:
            out.problems.append(unsure)
        break
    out.message_id = _bare_id(values.get("message_id", ""))
    out.in_reply_to = _bare_id(values.get("in_reply_to", ""))
    out.references = [r.strip("<>") for r in values.get("references", "").split() if r]
    return out


def _bare_id(value: str) -> str | None:
    value = value.strip()
    if value.startswith("<") and ">" in value:
        value = value[1 : value.index(">")]
    return value or None


def printed_header(text: str) -> tuple[dict[str, str], str] | None:
    """The header block a text begins with (an extracted text as the tools print it: From,
    Sent, To, Cc, Subject), and the text after it; None when it begins otherwise. Extracted
    text is no OCR: a block starts at a line that is a From label."""
    lines = text[:20000].replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines[:HEADER_LINES]):
        if not _FROM_LABEL.match(line):
            continue
        header = header_at(lines, i)
        if header is not None:
            body = "\n".join(lines[header.end :]) + text[20000:]
            return header.fields, body.strip("\n")
    return None


def from_fields(
    fields: EmailFields,
    text: str | None,
    provenance: Provenance,
    headers: list[tuple[str, str]],
    attachments: list[Attachment],
) -> MessageRecord:
    """An email known from its record's fields and extracted text only."""
    problems = list(fields.problems)
    body = text or ""
    block = printed_header(body) if body else None
    participants = list(fields.participants)
    subject, sent_at, original, zone_known = (
        fields.subject,
        fields.sent_at,
        fields.sent_original,
        fields.zone_known,
    )
    if block is not None:
        printed, body = block
        shown, doubts = participants_of(printed)
        problems += [Problem("header", f"text: {d}") for d in doubts]
        roles = {r for r, _ in participants}
        participants += [(r, a) for r, a in shown if r not in roles]  # fills, never replaces
        subject = subject or printed.get("subject", "")
        if sent_at is None and printed.get("date"):
            sent_at, problem = parse_date(printed["date"])
            original, zone_known = printed["date"], problem is None
        problems += _disagree("text", printed, fields)
    return MessageRecord(
        message_id=fields.message_id,
        subject=subject,
        sent_at=sent_at,
        sent_at_original=original,
        participants=participants,
        body_text=body.replace("\r\n", "\n").strip("\n"),
        body_html=None,
        in_reply_to=fields.in_reply_to,
        references=fields.references,
        headers=[(k.title(), v) for k, v in fields.raw.items()]
        + ([("Subject", fields.subject)] if fields.subject else [])
        + ([("Date", fields.sent_original)] if fields.sent_original else [])
        + headers,
        attachments=attachments,
        provenance=provenance,
        problems=problems,
        zone_known=zone_known if sent_at is not None else True,
    )


def _disagree(where: str, printed: dict[str, str], fields: EmailFields) -> list[Problem]:
    """The printed header block against the record's fields."""
    problems = []
    if fields.subject and printed.get("subject"):
        if not same_words(fields.subject, printed["subject"]):
            problems.append(
                Problem(
                    "loadfile",
                    f"the load file gives the subject {fields.subject!r}, its {where} "
                    f"{printed['subject']!r}",
                )
            )
    return problems


def overlay(record: MessageRecord, fields: EmailFields, headers: list[tuple[str, str]]) -> None:
    """A native's parse, the truth for body and headers, with what the load file's fields add
    where it has nothing, and a warning for each field where the two disagree."""
    problems: list[Problem] = []

    def differs(name: str, theirs: object, ours: object) -> None:
        problems.append(
            Problem(
                "loadfile",
                f"the load file gives the {name} {theirs!r}, the native {ours!r}",
            )
        )

    if not record.subject.strip():
        record.subject = fields.subject
    elif fields.subject and not same_words(fields.subject, record.subject):
        differs("subject", fields.subject, record.subject)
    if record.sent_at is None and fields.sent_at is not None:
        record.sent_at, record.zone_known = fields.sent_at, fields.zone_known
        record.sent_at_original = fields.sent_original
    elif record.sent_at is not None and fields.sent_at is not None:
        if not _same_time(record.sent_at, fields.sent_at, fields.zone_known):
            differs("date", fields.sent_original, record.sent_at_original)
    _fill_people(record, fields, differs)
    if not record.message_id:
        record.message_id = fields.message_id
    elif fields.message_id and fields.message_id != record.message_id:
        differs("Message-ID", fields.message_id, record.message_id)
    record.in_reply_to = record.in_reply_to or fields.in_reply_to
    record.headers = record.headers + headers
    record.problems = record.problems + problems


def _fill_people(record: MessageRecord, fields: EmailFields, differs: Any) -> None:
    mine = {r for r, _ in record.participants}
    theirs = {r for r, _ in fields.participants}
    for role in ("from", "to", "cc", "bcc"):
        given = [a for r, a in fields.participants if r == role]
        if role not in theirs:
            continue
        if role not in mine:
            record.participants += [(role, a) for a in given]
            continue
        have = [a for r, a in record.participants if r == role]
        if not _same_people(have, given):
            differs(role.title(), fields.raw.get(role, ""), ", ".join(_show(a) for a in have))


def _show(a: Address) -> str:
    return f"{a.name} <{a.address}>" if a.name and a.address else a.address or a.name


def _same_people(have: list[Address], given: list[Address]) -> bool:
    """Whether the load file's people are the native's: every address it gives is among the
    native's, and every name it gives alone shares a word with one of the native's."""
    addresses_had = {a.address for a in have if a.address}
    for a in given:
        if a.address:
            if a.address not in addresses_had:
                return False
        elif not any(same_words(a.name, f"{h.name} {h.address}", any_word=True) for h in have):
            return False
    return True


def _same_time(native: datetime, theirs: datetime, zone_known: bool) -> bool:
    gap = abs(native - theirs)
    if zone_known:
        return gap <= TIME_TOLERANCE
    # A time without its zone: off by the zone's offset, whole quarter hours up to 14 hours.
    minutes = round(gap.total_seconds() / 60)
    return minutes % 15 <= 1 and minutes <= 14 * 60 + 1


def attachment(
    name: str, data: bytes | None, size: int | None, text: str | None, problems: list[Problem]
) -> Attachment:
    """A family member attached to its email: its native's bytes where the volume has them,
    its extracted text (else the text read from the native)."""
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if text is None and data:
        return make_attachment(name, ctype, data, problems)
    return Attachment(
        name=name,
        content_type=ctype,
        size=len(data) if data else (size or 0),
        sha256=hashlib.sha256(data).hexdigest() if data else "",
        text=text.strip()[: attachment_text.MAX_TEXT] if text else text,
    )
