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

import bisect
import difflib
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

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
# What sits above a quoted header block: "-----Original Message-----" and what OCR makes of it
# ("---- Original Message ---", "Original Message ----", dashes lost), forward markers, rules,
# "On … wrote:", ">" quoting.
_QUOTE_MARKER = re.compile(
    r"^\s*(?:[-_=~. ]*(?:Original\s+Messag\w*|Forwarded\s+(?:message|by)\b.*|Message\s+d'origine"
    r"|Ursprüngliche\s+Nachricht|Begin\s+forwarded\s+message:?)[-_=~. ]*|[-_=~]{2,}[-_=~ ]*"
    r"|On\s.{5,200}wrote:|>.*)\s*$",
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
_ZONE_NAME = re.compile(
    r"\b(?:Eastern|Central|Mountain|Pacific|Alaska|Hawaii)\s+(Standard|Daylight)\s+Time\b", re.I
)
_ZONE_NAMES = {
    region: {"Standard": f"{letter}ST", "Daylight": f"{letter}DT"}
    for region, letter in {
        "eastern": "E",
        "central": "C",
        "mountain": "M",
        "pacific": "P",
        "alaska": "AK",
        "hawaii": "H",
    }.items()
}
# Gmail prints the sender and the date on one line, with no labels, and "To:" below.
_GMAIL_SENDER = re.compile(
    r"^\s*(?P<from>[^<>\n]*<[^<>@\s]+@[^<>\s]+>)\s+"
    r"(?P<date>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+\w+\s+\d{1,2},?\s+\d{4}.*)$"
)
# An apostrophe only inside the local part (O'Brien@): around it, it is OCR's or a client's.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:'[A-Za-z0-9._%+-]+)*@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


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


def _field(line: str, in_block: bool = False) -> tuple[str, str] | None:
    """(field, value) when the line starts with a header label, else None. Inside a header
    block, a recipient label whose colon OCR lost still counts when a wide gap or a list
    follows it ("To        Sullivan, Jacob J; Gordon, Philip H"), or alone ("To")."""
    line = _LABEL_NOISE.sub(r"\1", line)  # "=To:": a speck before the label
    if in_block and _BARE_RECIPIENTS.match(line):
        return line.strip().lower(), ""
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
    if not has_colon and in_block and label in ("to", "cc", "bcc") and value:
        gap = re.match(rf"\s*{re.escape(word)}(\s*)", line)
        if (gap and len(gap.group(1)) >= 2) or re.search(r"[;@]", value):
            return label, value
    if not has_colon and (label in ("to", "cc", "bcc") or not value):
        return None
    return label, value


REDACTED = "[REDACTED]"  # what marks.py leaves of a line that held only exemption codes
WRAP = 60  # a printed line this long may have wrapped onto the next


def _continues(field: str, value: str, previous: str) -> bool:
    """Whether the next unlabelled line carries on this field: a recipient list that ends in a
    separator, or a line long enough to have wrapped. Anything else is the body."""
    if field in ("to", "cc", "bcc", "from", "attachments") and value.rstrip().endswith((";", ",")):
        return True
    return field != "date" and len(" ".join(previous.split())) >= WRAP


_LABEL_NOISE = re.compile(r"^(\s*)[=~_'`.,*]{1,2}(?=[A-Za-z]{2,12}\s*:)")
_BARE_RECIPIENTS = re.compile(r"^\s*(?:To|Cc|CC|Bcc|BCC)\s*$")
_GARBLED_LABEL = re.compile(r"^\s*[A-Za-z]{1,8}\s*:")


def _blank(line: str) -> bool:
    return not line.strip() or line.strip() == REDACTED


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
        if _blank(line):
            # Blank lines between fields (OCR puts them there) do not end the block, nor does a
            # line redacted whole; a blank line before anything but a new field does.
            k = j
            while k < len(lines) and _blank(lines[k]):
                k += 1
            f = _field(lines[k], in_block=True) if k < len(lines) else None
            if f is None or f[0] in fields:
                break
            j = k
            continue
        f = _field(line, in_block=True)
        if f is not None and f[0] not in fields:
            fields[f[0]] = f[1]
            last, previous = f[0], line
        elif f is None and _continues(last, fields[last], previous):
            fields[last] = (fields[last] + " " + line.strip()).strip()
            previous = line
        elif (
            f is None
            and _GARBLED_LABEL.match(line)
            and j + 1 < len(lines)
            and _field(lines[j + 1], in_block=True) is not None
        ):
            previous = line  # a label OCR garbled past reading ("Tut:"), between two it read
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
    why: str | None = None  # why it is an email of its own though a block is printed above it


@dataclass
class Layout:
    """What the pages tell of a printout's structure, beyond its text."""

    documents: list[int] = field(default_factory=list)  # lines where a released document starts
    known: bool = False  # the marks say where documents begin (document numbers, stamps)
    numbered: bool = False  # by document numbers: then every block below the first is quoted
    page_tops: set[int] = field(default_factory=set)  # each page's first line of text


def split(lines: list[str], layout: Layout | None = None) -> tuple[list[PrintedMessage], list[str]]:
    """Messages in the document's lines, and the text before the first one (if any).

    A production is a sequence of released documents. In a document, the first header block is
    the email the agency produced and those below it are its quoted history, whatever the
    separator above them looks like after OCR (or with none). Where the marks do not say where
    documents begin, a header block below another is quoted history when a quote marker is
    above it or it is not dated after the one above; one printed at the top of a page with no
    marker, or dated later with none, is an email of its own (and says why).
    """
    layout = layout or Layout()
    blocks: list[Header] = []
    doubtful: list[int] = []  # "From:" lines that did not make a header block
    i = 0
    while i < len(lines):
        h = header_at(lines, i)
        if h is None:
            first = _field(lines[i])
            if first is not None and first[0] == "from" and _labels_follow(lines, i):
                doubtful.append(i)
            i += 1
            continue
        blocks.append(h)
        i = h.end
    docs = sorted(set(layout.documents) | {0})
    starts: list[Header] = []
    reasons: dict[int, str] = {}
    previous: Header | None = None
    for h in blocks:
        doc = bisect.bisect_right(docs, h.start) - 1
        if previous is None or bisect.bisect_right(docs, previous.start) - 1 != doc:
            starts.append(h)
        elif not layout.numbered and not _quoted(lines, h.start):
            reason = _own_email(lines, h, previous, layout)
            if reason:
                starts.append(h)
                reasons[h.start] = reason
        previous = h
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
        # A message ends where the next produced one, or the next document, begins.
        doc_end = next((d for d in docs if d > h.start), len(lines))
        stop = min(starts[n + 1].start if n + 1 < len(starts) else len(lines), doc_end)
        if n + 1 < len(starts) and stop == starts[n + 1].start:
            stop = _title_line(lines, h.end, stop, starts[n + 1])
        message = PrintedMessage(h, lines[h.end : stop], h.start, max(stop - 1, h.start))
        message.why = reasons.get(h.start)
        for d in doubtful:
            if h.end <= d < stop and not any(b.start <= d < b.end for b in blocks):
                message.problems.append(
                    f"a 'From:' line ({lines[d].strip()[:60]!r}) has no date or recipients "
                    "under it: kept in the body, not read as a new message"
                )
        messages.append(message)
    before = lines[: _title_line(lines, 0, starts[0].start, starts[0])] if starts else lines
    return messages, before


def _labels_follow(lines: list[str], i: int) -> bool:
    """A "From:" line with other header labels close under it that still made no header block:
    a header damaged beyond reading, worth a look. "From: Sid" above a memo's text is not."""
    if ":" not in lines[i]:
        return False
    for line in [line for line in lines[i + 1 : i + 8] if line.strip()][:3]:
        f = _field(line, in_block=True)
        if f is not None:
            return f[0] != "from"
    return False


def _own_email(lines: list[str], h: Header, above: Header, layout: Layout) -> str | None:
    """Why a header block with no quote marker above it is an email of its own, or None when
    it is the quoted history of the block above."""
    top = max((t for t in layout.page_tops if t <= h.start), default=None)
    if not layout.known and top is not None and top > above.start:
        if not any(lines[k].strip() for k in range(top, h.start)):
            return (
                "printed at the top of a page with no quote marker above it: read as an email "
                "of its own, not as quoted history"
            )
    when, zone_missing = parse_date(h.fields.get("date", ""))
    before, above_zone_missing = parse_date(above.fields.get("date", ""))
    # A time printed without its zone is read as UTC: it may be off by a zone's hours.
    slack = timedelta(hours=14) if zone_missing or above_zone_missing else timedelta(0)
    if when is not None and before is not None and when > before + slack:
        return (
            f"dated after the email printed above it ({h.fields.get('date')!r}), with no quote "
            "marker: read as an email of its own, not as quoted history"
        )
    return None


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
    return j >= 0 and is_quote_marker(lines[j])


def is_quote_marker(line: str) -> bool:
    """A line that introduces quoted history ("-----Original Message-----" and what OCR makes
    of it, a forward marker, a rule, "On … wrote:")."""
    return bool(_QUOTE_MARKER.match(line))


# "[mailto:x@y]" and what OCR makes of it: "(mailto:", "[rnailto:", "[mallto:".
_MAILTO = re.compile(
    # A bracket, a short word ending in a colon or a dot ("[mailto:", "(rnaitto:", "[mailba."),
    # or a word OCR glued to the name that still ends like "mailto:" ("Jimaitto:"); then the
    # address, if any, and the closing bracket (or what OCR made of it).
    r"(?:[\[({]\s*[A-Za-z]{2,9}\s*(?:[:.;]|$)|[A-Za-z]*(?:ailto|aitto|allto|ailba|ailbo)\s*[:.;])"
    r"\s*([^\s\])}>]*@[^\s\])}>]*)?\s*[\])}]?"
)
_NOISE = "'\"`°‘’“”«»‹›"  # what OCR leaves around a printed address
_BRACKETED = re.compile(r"(?<=<)[^<>\s@]+@[^<>\s@]+(?=>)")
_GLUED = re.compile(r"(\.(?:gov|com|org|net|edu|mil))[a-z]$")  # "state.govi": a speck after it
_SURNAME_FIRST = re.compile(r"^[^\W\d_][\w'-]*$")  # "Mills" of "Mills, Cheryl D"
# "Cheryl D", "Jacob J.", an initial OCR misread ("Jacob 3", "Jacob .1"), an office after it
# ("Rick (CSO)"), the address in brackets.
_GIVEN = re.compile(
    r"^(?:[^\W\d_][\w'.-]*\s*){1,3}(?:\S{1,2})?\s*(?:\([^()]*\))?\s*(?:<[^<>]*>?)?$"
)


def addresses(value: str) -> tuple[list[Address], str | None]:
    """Printed recipients: "Lee, Marcus <m@x>; Rosa Ibáñez", "a@x, b@y", names without
    addresses. Returns the addresses and a problem when the split is a guess."""
    original = value.strip().strip(";,")
    value = value.replace(REDACTED, " ")
    # Certainly OCR's: "©" for "@" and "," for "." inside an address ("x©state,gov").
    value = re.sub(r"(?<=\w)©(?=\w)", "@", value)
    value = re.sub(r"(@[\w.-]+),(?=[a-z]{2,4}\b)", r"\1.", value)
    value = _MAILTO.sub(lambda m: f" <{m.group(1)}>" if m.group(1) else "", value)
    value = value.strip().strip(";,")
    if not value.strip(_NOISE + " "):
        return [], None
    if ";" in value:
        pieces = [p for p in value.split(";") if p.strip(_NOISE + " ")]
    elif "<" in value:
        pieces = [p for p in re.split(r"(?<=>)\s*,\s*", value) if p.strip()]
    else:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if len(parts) == 1:
            pieces = parts  # one name or one address ("H", "Mills Cheryl")
        elif all(_EMAIL.search(p) for p in parts):
            pieces = parts
        elif len(parts) == 2 and _SURNAME_FIRST.match(parts[0]) and _GIVEN.match(parts[1]):
            pieces = [value]  # "Lee, Marcus", "Mills, Cheryl D": one person, last name first
        elif all(len(p.split()) >= 2 or _EMAIL.search(p) for p in parts):
            pieces = parts
        else:
            return [_one(value, original)], f"unsure how to split the names {value!r}; kept as one"
    if len(pieces) == 1:
        return [_one(pieces[0], original)], None
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


def _one(piece: str, printed: str | None = None) -> Address:
    piece = piece.strip().strip(",;")
    printed = printed or piece
    # OCR puts spaces into addresses ("jpark @lakemontledger.example"): inside angle brackets
    # there are none to keep.
    piece = re.sub(r"<([^<>]*)>?", lambda m: "<" + re.sub(r"\s+", "", m.group(1)) + ">", piece)
    # An address in brackets that is not quite one ("<hrod17@clintonemailcom>") is still the
    # address printed: kept, for identity resolution to weigh, rather than read as a name.
    found = _EMAIL.search(piece) or _BRACKETED.search(piece)
    address = clean_address(found.group(0)) if found else ""
    name = (piece[: found.start()] + piece[found.end() :]) if found else piece
    name = name.replace("<>", "").strip(" <>" + _NOISE)
    if name.lower() == address:
        name = ""
    return Address(name=name, address=address, printed=printed if address else "")


def clean_address(address: str) -> str:
    """An address with what is certainly OCR noise taken off: quotes and brackets around it, a
    letter glued after its top-level domain ("state.govi"), a trailing dot. Near-misses that
    could be another address ("state.goy") are left as printed."""
    address = address.strip(_NOISE + "<>[]().,;:").lower()
    return _GLUED.sub(r"\1", address)


def parse_date(value: str) -> tuple[datetime | None, str | None]:
    """A printed date; (UTC datetime, problem). A date printed without a zone is read as UTC and
    said so: the agency's zone is not on the page."""
    text = re.sub(r"\s+(?:at|um|à|a las)\s+", " ", value.strip())
    text = re.sub(r"\b(Uhr|h)\b", "", text)
    for foreign, english in _MONTHS.items():
        text = re.sub(rf"\b{foreign}\b", english, text, flags=re.IGNORECASE)
    text = re.sub(r"\(.*?\)", "", text).strip()
    # OCR glues the year to the hour ("20111:53 AM") and loses the colon of a time ("800 AM",
    # "11;14 PM"); clients spell zones out ("Eastern Standard Time").
    text = re.sub(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)", r"\1 \2", text)
    text = re.sub(r"\b(\d{1,2})[;.,]?(\d{2})\s*([AaPp]\.?[Mm]\b\.?)", r"\1:\2 \3", text)
    text = _ZONE_NAME.sub(
        lambda m: _ZONE_NAMES[m.group(0).split()[0].lower()][m.group(1).title()], text
    )
    try:
        with warnings.catch_warnings():
            # OCR makes zone names of stray letters ("S"): read as no zone, said below.
            warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
            parsed = dateparser.parse(text, fuzzy=True, tzinfos=_ZONES)
    except (ValueError, OverflowError):
        return None, f"unreadable printed date {value!r}"
    if parsed is None:
        return None, f"unreadable printed date {value!r}"
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), f"no time zone printed in {value!r}; read as UTC"
    try:
        return parsed.astimezone(UTC), None
    except (ValueError, OverflowError):  # OCR made an offset of a day or more of a stray number
        return None, f"unreadable printed date {value!r}"
