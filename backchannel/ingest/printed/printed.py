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
import functools
import html
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateparser

from ...vocabulary import REDACTED
from ..dates import US_ZONES
from ..languages import (
    DATE_UNITS,
    DAY_HALVES,
    HEADER_LABELS,
    MONTHS,
    RECORD_LABELS,
    WEEKDAYS,
    alternation,
    fold_label,
    header_labels,
    record_labels,
)
from ..outlook.directory import x500_alias
from ..record import Address

# Header labels of every language (ingest/languages.py), folded: label -> field.
LABELS = header_labels()
RECORD = record_labels()  # an e-discovery print's record boxes
# Labels OCR may garble, matched loosely: English ones (other languages' labels are matched as
# printed, so that a word of prose is not taken for a label it resembles).
_FUZZY = [fold_label(label) for label in HEADER_LABELS["en"] if label.isalpha()]
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
_ZONES = {name: hours * 3600 for name, hours in US_ZONES.items()}
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


@functools.lru_cache(maxsize=4096)
def label_of(word: str) -> str | None:
    """The header field a printed label stands for, in any language of the table, allowing
    OCR's misreads of the Latin ones ("Frorn", "Sen t")."""
    folded = fold_label(word)
    if folded in LABELS:
        return LABELS[folded]
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
    close = difflib.get_close_matches(w, _FUZZY, n=1, cutoff=0.75)
    return LABELS[close[0]] if close else None


# The labels as printed ("Envoyé", "Ämne") and folded ("envoye"), every language's.
_PRINTED_LABELS = [
    *LABELS,
    *RECORD,
    *(label for table in HEADER_LABELS.values() for label in table),
    *(label for table in RECORD_LABELS.values() for label in table),
]
# A line that starts with a label of the table and its colon (half or full width): the way in
# for labels of more than one word ("Envoyé le", "보낸 사람") and of other scripts ("发件人：").
_KNOWN_LABEL = re.compile(
    rf"^\s*[*=~_'`.,]{{0,2}}(?P<label>{alternation(_PRINTED_LABELS)})"
    r"\s*[:：]\s*(?P<value>.*)$",
    re.IGNORECASE,
)


def field_of(line: str, in_block: bool = False) -> tuple[str, str] | None:
    """(field, value) when the line starts with a header label, else None (see _field)."""
    return _field(line, in_block)


def record_field(line: str) -> tuple[str, str] | None:
    """(field, value) when the line starts with a label of an e-discovery record box
    ("Sender:", "Sent Date:", "Type:"), else None."""
    m = _KNOWN_LABEL.match(line)
    if m and fold_label(m.group("label")) in RECORD:
        return RECORD[fold_label(m.group("label"))], m.group("value").strip()
    return None


def _field(line: str, in_block: bool = False) -> tuple[str, str] | None:
    """(field, value) when the line starts with a header label, else None. Inside a header
    block, a recipient label whose colon OCR lost still counts when a wide gap or a list
    follows it ("To        Sullivan, Jacob J; Gordon, Philip H"), or alone ("To")."""
    line = _LABEL_NOISE.sub(r"\1", line)  # "=To:": a speck before the label
    if in_block and _BARE_RECIPIENTS.match(line):
        return line.strip().lower(), ""
    known = _KNOWN_LABEL.match(line)
    if known:
        folded = fold_label(known.group("label"))
        if folded in LABELS:
            return LABELS[folded], known.group("value").strip()
        if in_block:
            return RECORD[folded], known.group("value").strip()
        return None
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


# Web mail prints (Outlook on the web, Yahoo): the sender's name and address with no label, the
# date beside it after a wide gap, "To:" below.
_WEBMAIL_SENDER = re.compile(
    r"^\s*(?P<from>[^<>\n]{0,80}?<?[\w.'%+-]+@[\w.-]+\.[A-Za-z]{2,}>?)\s{3,}(?P<date>\S.{5,60})$"
)
_DATE_LIKE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


def _sender_line(line: str) -> re.Match[str] | None:
    """A sender printed without a label with the date beside it (Gmail, web mail prints)."""
    found = _GMAIL_SENDER.match(line)
    if found:
        return found
    found = _WEBMAIL_SENDER.match(line)
    if (
        found
        and _DATE_LIKE.search(found.group("date"))
        and re.search(r"\d{1,2}[:.]\d{2}", found.group("date"))
        and parse_date(found.group("date"))[0] is not None
    ):
        return found
    return None


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def decode_entities(line: str) -> str:
    """HTML entities a mail system left in the text ("&lt;", "&amp;", "&#8217;"), decoded, with
    what OCR makes of the commonest ("&It;"); and the spaces OCR puts between Chinese,
    Japanese and Korean characters ("发 送 时间") taken out."""
    if not line.isascii():
        line = _CJK_GAP.sub("", line)
    if "&" not in line:
        return line
    line = re.sub(r"&[Il1|]t;", "&lt;", line)
    return html.unescape(line)


_UNREAD_LABEL = re.compile(r"^\s*[^\s:：]{1,6}\s?[:：]\s*(?P<value>\S.*)$")


def _garbled_from(lines: list[str], i: int) -> tuple[str, str] | None:
    """A first label OCR could not read ("RFA :" for "发件人："), taken for "From:" when the
    date's label is read right under it: no other field opens a header block."""
    m = _UNREAD_LABEL.match(lines[i])
    if m is None or not _GARBLED_LABEL.match(lines[i].replace("：", ":")) and "：" not in lines[i]:
        return None
    nxt = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].strip()), None)
    if nxt is None:
        return None
    f = _field(lines[nxt], in_block=True)
    return ("from", m.group("value").strip()) if f is not None and f[0] == "date" else None


def header_at(lines: list[str], i: int) -> Header | None:
    """A header block starting at line i: a From line and, within it, a date and (To or
    Subject). Continuation lines (wrapped recipient lists) join the field above them."""
    first = _field(lines[i])
    gmail = _sender_line(lines[i]) if first is None else None
    if first is None and gmail is None:
        first = _garbled_from(lines, i)
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
    # Documents in which every block below the first is quoted (the print's layout says so).
    strict: set[int] = field(default_factory=set)
    # Set when the print's signs say where printouts start: lines before the first continue a
    # printout begun elsewhere, and hold no produced email.
    fragment_end: int | None = None
    headers: dict[int, Header] = field(default_factory=dict)  # blocks read from the page's look
    fragments: set[int] = field(default_factory=set)  # documents that hold no produced email


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
        h = layout.headers.get(i) or header_at(lines, i)
        if h is None:
            first = _field(lines[i])
            if first is not None and first[0] == "from" and _labels_follow(lines, i):
                doubtful.append(i)
            i += 1
            continue
        blocks.append(h)
        i = max(h.end, i + 1)
    docs = sorted(set(layout.documents) | {0})
    starts: list[Header] = []
    reasons: dict[int, str] = {}
    previous: Header | None = None
    for h in blocks:
        if layout.fragment_end is not None and h.start < layout.fragment_end:
            continue  # the history of a printout whose first page is in another file
        doc = bisect.bisect_right(docs, h.start) - 1
        if docs[doc] in layout.fragments:
            continue
        if previous is None or bisect.bisect_right(docs, previous.start) - 1 != doc:
            starts.append(h)
        elif docs[doc] in layout.strict:
            pass  # the print's layout says where its email begins: the rest is quoted
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
    if layout.fragment_end is not None:
        before = lines[: layout.fragment_end]
    else:
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
    if _X500_AT.search(value):
        return _x500_addresses(value), None
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


# Where an Exchange X.500 address begins ("/O=EXCHANGELABS/OU=…"), and its last CN, the alias:
# Exchange Online writes a GUID and the first eleven characters of the display name there.
_X500_AT = re.compile(r"(?:(?<=\s)|(?<=<)|^)/[oO0]=")
_CN_TAIL = re.compile(r"/cn=(?![^/]*/cn=)", re.IGNORECASE)
_GUID_ALIAS = re.compile(r"^[0-9a-f]{32}-", re.IGNORECASE)
ALIAS_NAME = 11  # characters of the display name in an Exchange Online alias


def _x500_addresses(value: str) -> list[Address]:
    """Recipients printed with Exchange X.500 addresses, one after another with no separator
    ("Hilldrup Frank /o=ExchangeLabs/…/cn=a8005c…-Hilldrup Fr Ward Lorenda /o=…"): each
    becomes its display name and the X.500 address, lower-cased, with its alias, as for a
    mailbox export. An alias ends at a bracket, a separator, a black box, or after as much of
    its display name as Exchange writes."""
    starts = [m.start() for m in _X500_AT.finditer(value)]
    out: list[Address] = []
    name_from = 0
    for k, at in enumerate(starts):
        name = value[name_from:at]
        end = starts[k + 1] if k + 1 < len(starts) else len(value)
        segment = value[at:end]
        cn = list(_CN_TAIL.finditer(segment))
        tail_at = cn[-1].end() if cn else len(segment)
        tail = segment[tail_at:]
        cut = re.search(r">|;|,|" + re.escape(REDACTED) + r"|\s{3,}", tail)
        if cut is not None:
            alias_end = cut.start()
        elif k + 1 < len(starts):
            alias_end = _alias_length(tail, name)
        else:
            alias_end = len(tail)
        address = segment[: tail_at + alias_end]
        name_from = at + tail_at + alias_end
        display = re.sub(r"\s+", " ", name.replace(REDACTED, " ")).strip(" <>\"';,")
        x500 = re.sub(r"\s+", " ", re.sub(r"\s*/\s*", "/", address)).strip().lower()
        x500 = re.sub(r"^/0=", "/o=", x500)
        out.append(Address(display, x500, printed=(name + address).strip(), alias=x500_alias(x500)))
    return out


def _alias_length(tail: str, name: str) -> int:
    """How much of `tail` is the alias, when the next recipient's name follows it with nothing
    between: its GUID and as much of the display name (commas off) as Exchange writes."""
    guid = _GUID_ALIAS.match(tail)
    if guid is None:
        word = re.match(r"\S+", tail)
        return word.end() if word else 0
    folded = re.sub(r"[,\"']", "", name.replace(REDACTED, " ")).split()
    expected = " ".join(folded)[:ALIAS_NAME] if folded else ""
    rest = tail[guid.end() :]
    if expected and rest.lower().startswith(expected.lower()):
        return guid.end() + len(expected)
    word = re.match(r"\S+", rest)
    return guid.end() + (word.end() if word else 0)


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


def parse_date(value: str, zone: str | None = None) -> tuple[datetime | None, str | None]:
    """A printed date; (UTC datetime, problem). A date printed without a zone is read in `zone`
    (a zone printed elsewhere in the same printout) when one is given, else as UTC, and said
    so: the corpus's time zone (--timezone, the roster) is applied to it later."""
    text = english_date(value)
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
        if zone is not None and zone.upper() in _ZONES:
            offset = timedelta(seconds=_ZONES[zone.upper()])
            return (parsed - offset).replace(tzinfo=UTC), (
                f"no time zone printed in {value!r}; read in {zone}, the zone printed "
                "elsewhere in this printout"
            )
        return parsed.replace(tzinfo=UTC), (
            f"no time zone printed in {value!r}; read as UTC, until the corpus's time zone "
            "(--timezone, or the roster's timezone) is set"
        )
    try:
        return parsed.astimezone(UTC), None
    except (ValueError, OverflowError):  # OCR made an offset of a day or more of a stray number
        return None, f"unreadable printed date {value!r}"


_DAY_HALF = {word: half for table in DAY_HALVES.values() for word, half in table.items()}
_WEEKDAY = re.compile(alternation([w for words in WEEKDAYS.values() for w in words]))
_UNITS = [
    re.compile(rf"(\d{{4}})\s*{y}\s*(\d{{1,2}})\s*{m}\s*(\d{{1,2}})\s*{d}?")
    for y, m, d in DATE_UNITS.values()
]
# "GMT+8", "UTC+08:00", "(UTC-05:00) Eastern Time": an offset, the sign as printed (dateutil
# reads "GMT+8" the POSIX way round, 8 hours west).
_OFFSET = re.compile(r"\(?\b(?:GMT|UTC)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?\b\)?")
_MONTH_WORD = re.compile(rf"\b({alternation(list(MONTHS))})\b", re.IGNORECASE)


def english_date(value: str) -> str:
    """A printed date in the words dateutil reads: months and day halves in English, CJK year,
    month and day units as numbers, an offset from GMT as "+08:00"."""
    text = html.unescape(value.strip())
    text = re.sub(r"\s+(?:at|um|à|a las|às|alle|om|kl\.?)\s+", " ", text)
    text = re.sub(r"\b(Uhr|h)\b", "", text)
    text = _MONTH_WORD.sub(lambda m: MONTHS[m.group(1).lower()], text)
    for units in _UNITS:
        text = units.sub(r"\1-\2-\3 ", text)
    text = _WEEKDAY.sub(" ", text)
    for word, half in _DAY_HALF.items():
        text = re.sub(rf"{word}\s*(\d{{1,2}}[:：]\d{{2}}(?:[:：]\d{{2}})?)", rf"\1 {half}", text)
    text = text.replace("：", ":")
    offset = _OFFSET.search(text)
    text = _OFFSET.sub(" ", text) if offset else text
    text = re.sub(r"\(.*?\)", "", text).strip()
    # OCR glues the year to the hour ("20111:53 AM") and loses the colon of a time ("800 AM",
    # "11;14 PM"); clients spell zones out ("Eastern Standard Time").
    text = re.sub(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)", r"\1 \2", text)
    text = re.sub(r"\b(\d{1,2})[;.,]?(\d{2})\s*([AaPp]\.?[Mm]\b\.?)", r"\1:\2 \3", text)
    text = _ZONE_NAME.sub(
        lambda m: _ZONE_NAMES[m.group(0).split()[0].lower()][m.group(1).title()], text
    )
    if offset:
        sign = "-" if offset.group(1) in "-−" else "+"
        text += f" {sign}{int(offset.group(2)):02d}:{offset.group(3) or '00'}"
    return text


def printed_zone(lines: list[str]) -> str | None:
    """The one time zone printed beside the times of a printout ("CDT" after "6:36:54 AM"),
    when they agree on one; None when none is printed, or several."""
    found = set()
    for line in lines:
        for m in re.finditer(
            r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?\s*([A-Z]{3,4})\b", line
        ):
            if m.group(1) in _ZONES and m.group(1) not in ("UTC", "GMT"):
                found.add(m.group(1))
    return found.pop() if len(found) == 1 else None
