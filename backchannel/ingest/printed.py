"""Emails printed to paper (and back to PDF): find each message's header block, read its fields.

Handles Outlook ("From: / Sent: / To: / Cc: / Subject:"), Gmail and Apple Mail printouts
("From … Date … To … Subject"), headers that wrap over several lines, display names without
addresses ("Lee, Marcus"), and OCR noise in the labels (a dropped colon, a misread letter).

A header block starts a new message unless it sits right under a quote marker
("-----Original Message-----", "On … wrote:", a rule of underscores): then it is quoted history
and stays in the message's body. Where the text is unsure, it stays in one message and a problem
says why: precision over guessing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dateutil import parser as dateparser

from .record import Address

LABELS = {
    "from": "from",
    "sent": "date",
    "date": "date",
    "to": "to",
    "cc": "cc",
    "bcc": "bcc",
    "subject": "subject",
    "attachments": "attachments",
    "importance": "importance",
}
_OCR_MISREADS = [("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("5", "s"), ("|", "l")]
_LABEL_LINE = re.compile(
    r"^\s*([A-Za-z][A-Za-z.]{1,12})\s*[:;.]?\s+(\S.*)?$|^\s*([A-Za-z]{2,12})\s*:\s*$"
)
_QUOTE_MARKER = re.compile(
    r"^\s*(?:-{3,}\s*(?:Original Message|Forwarded message|Message d'origine"
    r"|Ursprüngliche Nachricht)\s*-{3,}|_{10,}|On .{5,200}wrote:|Begin forwarded message:|>.*)\s*$",
    re.IGNORECASE,
)
# Month names of the mail clients' other common languages (dateutil reads English).
_MONTHS = {
    "Januar": "January",
    "Februar": "February",
    "März": "March",
    "Mai": "May",
    "Juni": "June",
    "Juli": "July",
    "Oktober": "October",
    "Dezember": "December",
    "janvier": "January",
    "février": "February",
    "mars": "March",
    "avril": "April",
    "juin": "June",
    "juillet": "July",
    "août": "August",
    "septembre": "September",
    "octobre": "October",
    "novembre": "November",
    "décembre": "December",
    "enero": "January",
    "febrero": "February",
    "marzo": "March",
    "abril": "April",
    "mayo": "May",
    "junio": "June",
    "julio": "July",
    "agosto": "August",
    "septiembre": "September",
    "octubre": "October",
    "noviembre": "November",
    "diciembre": "December",
}
_ZONES = {
    name: hours * 3600
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "AKST": -9,
        "AKDT": -8,
        "HST": -10,
    }.items()
}
# Gmail prints the sender and the date on one line, with no labels, and "To:" below.
_GMAIL_SENDER = re.compile(
    r"^\s*(?P<from>[^<>\n]*<[^<>@\s]+@[^<>\s]+>)\s+"
    r"(?P<date>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+\w+\s+\d{1,2},?\s+\d{4}.*)$"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def label_of(word: str) -> str | None:
    """The header field a printed label stands for, allowing OCR's misreads ("Frorn", "Sen t")."""
    w = word.lower()
    for seen, meant in _OCR_MISREADS:
        w = w.replace(seen, meant)
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return None
    if w in LABELS:
        return LABELS[w]
    if len(w) < 4:  # "To", "Cc": too short to guess at
        return None
    close = difflib.get_close_matches(w, list(LABELS), n=1, cutoff=0.75)
    return LABELS[close[0]] if close else None


def _field(line: str) -> tuple[str, str] | None:
    """(field, value) when the line starts with a header label, else None."""
    m = _LABEL_LINE.match(line)
    if not m:
        return None
    word = m.group(1) or m.group(3)
    label = label_of(word)
    if label is None:
        return None
    has_colon = ":" in line[: line.find(word) + len(word) + 3]
    value = (m.group(2) or "").strip()
    # Without a colon, only a long, unambiguous label counts ("From Rosa Ibáñez ..." in Gmail
    # printouts, or a colon OCR dropped); "To the board" is prose.
    if not has_colon and (label in ("to", "cc", "bcc") or not value):
        return None
    return label, value


WRAP = 60  # a printed line this long may have wrapped onto the next


def _continues(field: str, value: str, previous: str) -> bool:
    """Whether the next unlabelled line carries on this field: a recipient list that ends in a
    separator, or a line long enough to have wrapped. Anything else is the body."""
    if field in ("to", "cc", "bcc", "from", "attachments") and value.rstrip().endswith((";", ",")):
        return True
    return field != "date" and len(previous.rstrip()) >= WRAP


@dataclass
class Header:
    fields: dict[str, str]
    start: int  # line index of the block's first line
    end: int  # line index after the block
    gmail: bool = False  # sender and date on one unlabelled line; the subject is printed above


def header_at(lines: list[str], i: int) -> Header | None:
    """A header block starting at line i: a From line and, within it, a date and (To or
    Subject). Continuation lines (wrapped recipient lists) join the field above them."""
    first = _field(lines[i])
    gmail = _GMAIL_SENDER.match(lines[i]) if first is None else None
    if gmail:
        fields = {"from": gmail.group("from").strip(), "date": gmail.group("date").strip()}
    elif first is None or first[0] != "from":
        return None
    else:
        fields = {"from": first[1]}
    last, previous = "from", lines[i]
    j = i + 1
    while j < len(lines) and j < i + 40:
        line = lines[j]
        if not line.strip():
            # Blank lines between fields (OCR puts them there) do not end the block; a blank
            # line before anything but a new field does.
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            f = _field(lines[k]) if k < len(lines) else None
            if f is None or f[0] in fields:
                break
            j = k
            continue
        f = _field(line)
        if f is not None and f[0] not in fields:
            fields[f[0]] = f[1]
            last, previous = f[0], line
        elif f is None and _continues(last, fields[last], previous):
            fields[last] = (fields[last] + " " + line.strip()).strip()
            previous = line
        else:
            break
        j += 1
    if "date" not in fields or not ({"to", "subject"} & fields.keys()):
        return None
    return Header(fields, i, j, gmail=bool(gmail))


@dataclass
class PrintedMessage:
    header: Header
    body_lines: list[str]
    first_line: int  # index into the document's lines
    last_line: int
    problems: list[str] = field(default_factory=list)


def split(lines: list[str]) -> tuple[list[PrintedMessage], list[str]]:
    """Messages in the document's lines, and the text before the first one (if any)."""
    starts: list[Header] = []
    doubtful: list[int] = []  # "From:" lines that did not make a header block
    i = 0
    while i < len(lines):
        h = header_at(lines, i)
        if h is None:
            first = _field(lines[i])
            if first is not None and first[0] == "from" and ":" in lines[i]:
                doubtful.append(i)
            i += 1
            continue
        if starts and _quoted(lines, i):
            i = h.end  # quoted history: part of the message above
            continue
        starts.append(h)
        i = h.end
    for h in starts:
        if h.gmail and "subject" not in h.fields:
            # Gmail prints the conversation's subject as a title above the first message.
            j = h.start - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and len(lines[j].strip()) < 120 and _field(lines[j]) is None:
                h.fields["subject"] = lines[j].strip()
                h.start = j
    messages = []
    for n, h in enumerate(starts):
        stop = starts[n + 1].start if n + 1 < len(starts) else len(lines)
        if n + 1 < len(starts):
            stop = _title_line(lines, h.end, stop, starts[n + 1])
        message = PrintedMessage(h, lines[h.end : stop], h.start, max(stop - 1, h.start))
        for d in doubtful:
            if h.end <= d < stop:
                message.problems.append(
                    f"a 'From:' line ({lines[d].strip()[:60]!r}) has no date or recipients "
                    "under it: kept in the body, not read as a new message"
                )
        messages.append(message)
    before = lines[: _title_line(lines, 0, starts[0].start, starts[0])] if starts else lines
    return messages, before


def _title_line(lines: list[str], lo: int, stop: int, header: Header) -> int:
    """Outlook prints the sender's name as a title above each message's header block: that line
    belongs to the next message, not to the body above it."""
    j = stop - 1
    while j >= lo and not lines[j].strip():
        j -= 1
    if j >= lo:
        sender = _one(header.fields.get("from", "")).name.strip().lower()
        if sender and lines[j].strip().lower() == sender:
            return j
    return stop


def _quoted(lines: list[str], i: int) -> bool:
    """True when the header block at line i is quoted history: a quote marker just above it."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j >= 0 and bool(_QUOTE_MARKER.match(lines[j]))


def addresses(value: str) -> tuple[list[Address], str | None]:
    """Printed recipients: "Lee, Marcus <m@x>; Rosa Ibáñez", "a@x, b@y", names without
    addresses. Returns the addresses and a problem when the split is a guess."""
    value = re.sub(r"\[mailto:([^\]]+)\]", r"<\1>", value).strip().strip(";,")
    if not value:
        return [], None
    if ";" in value:
        pieces = [p for p in value.split(";") if p.strip()]
    elif "<" in value:
        pieces = [p for p in re.split(r"(?<=>)\s*,\s*", value) if p.strip()]
    else:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if all(_EMAIL.fullmatch(p) for p in parts):
            pieces = parts
        elif len(parts) == 2 and all(len(p.split()) == 1 for p in parts):
            pieces = [value]  # "Lee, Marcus": one person, last name first
        elif all(len(p.split()) >= 2 or _EMAIL.fullmatch(p) for p in parts):
            pieces = parts
        else:
            return [_one(value)], f"unsure how to split the names {value!r}; kept as one"
    return [_one(p) for p in pieces], None


def participants_of(fields: dict[str, str]) -> tuple[list[tuple[str, Address]], list[str]]:
    """(role, address) for the From, To, Cc and Bcc of a printed header block, and the doubts."""
    participants: list[tuple[str, Address]] = []
    doubts = []
    for role in ("from", "to", "cc", "bcc"):
        found, problem = addresses(fields.get(role, ""))
        if problem:
            doubts.append(f"{role}: {problem}")
        participants += [(role, a) for a in (found[:1] if role == "from" else found)]
    return participants, doubts


def _one(piece: str) -> Address:
    piece = piece.strip().strip(",;")
    # OCR puts spaces into addresses ("jpark @lakemontledger.example"): inside angle brackets
    # there are none to keep.
    piece = re.sub(r"<([^<>]*)>", lambda m: "<" + re.sub(r"\s+", "", m.group(1)) + ">", piece)
    found = _EMAIL.search(piece)
    address = found.group(0).lower() if found else ""
    name = _EMAIL.sub("", piece).replace("<>", "").strip(" <>\"'")
    if name.lower() == address:
        name = ""
    return Address(name=name, address=address)


def parse_date(value: str) -> tuple[datetime | None, str | None]:
    """A printed date; (UTC datetime, problem). A date printed without a zone is read as UTC and
    said so: the agency's zone is not on the page."""
    text = re.sub(r"\s+(?:at|um|à|a las)\s+", " ", value.strip())
    text = re.sub(r"\b(Uhr|h)\b", "", text)
    for foreign, english in _MONTHS.items():
        text = re.sub(rf"\b{foreign}\b", english, text, flags=re.IGNORECASE)
    text = re.sub(r"\(.*?\)", "", text).strip()
    try:
        parsed = dateparser.parse(text, fuzzy=True, tzinfos=_ZONES)
    except (ValueError, OverflowError):
        return None, f"unreadable printed date {value!r}"
    if parsed is None:
        return None, f"unreadable printed date {value!r}"
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), f"no time zone printed in {value!r}; read as UTC"
    return parsed.astimezone(UTC), None
