"""Who wrote a quoted email and when, read from the line or block above it: an attribution line
("On … Dana <d@x> wrote:", "Am … schrieb Dana <d@x>:", "在 …，Dana <d@x> 写道：", Gmail's
"2025-03-03 16:02 GMT+01:00 Dana <d@x>:") or a header block ("Von: / Gesendet: / An:",
"De : / Envoyé : / À :", "发件人: / 发送时间:"), in the languages of ingest/languages.py.

An attribution line is read by its layout, not by its words: the sender is the address and the
name right before it (back to a comma, a number, the verb or a word that joins the date to the
sender), or, with no address, what stands between the date and the verb; the date is the rest,
read in the languages the line's verb and opening are written in (ingest/dates.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ..ingest import languages as lang
from ..ingest.dates import ZONES, ReadDate, fold, read_date
from ..ingest.printed.printed import addresses, english_date
from ..ingest.record import Address

MAX_NAME_WORDS = 6  # a sender's name, not a sentence


@dataclass(frozen=True)
class Attribution:
    sender: Address
    sent_at: datetime
    zone_known: bool
    date_text: str  # the date as written


def _cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))


@lru_cache(maxsize=1)
def _verbs() -> re.Pattern[str]:
    """Every language's attribution verbs, openings and sender words, wherever they stand."""
    words = (
        lang.every(lang.ATTRIBUTION_VERBS)
        + lang.ATTRIBUTION_VERBS_BEFORE_NAME
        + lang.every(lang.ATTRIBUTION_SENDER_WORDS)
    )
    latin = [w for w in words if not _cjk(w)]
    cjk = [w for w in words if _cjk(w)]
    return re.compile(
        r"(?<![\w/.-])(?:" + lang.alternation(latin) + r")(?![\w])"
        r"|(?:" + lang.alternation(cjk) + r")",
        re.IGNORECASE,
    )


_OPENING = re.compile(
    r"^(?:" + lang.alternation(lang.every(lang.ATTRIBUTION_OPENINGS)) + r")(?=[\s,])",
    re.IGNORECASE,
)
# The verb that ends the line, with Polish "(a)" after it and the colon ("… napisał(a):").
_VERB_END = re.compile(
    r"(?:(?<![\w/.-])(?:"
    + lang.alternation([v for v in lang.every(lang.ATTRIBUTION_VERBS) if not _cjk(v)])
    + r")|(?:"
    + lang.alternation([v for v in lang.every(lang.ATTRIBUTION_VERBS) if _cjk(v)])
    + r"))\s*(?:\([^()]{0,20}\)\s*)?[:：]?\s*$",
    re.IGNORECASE,
)
# The sender's address as the clients write it: "<d@x>", "(d@x)", "(<d@x>)", "[mailto:d@x]".
_ADDRESS = re.compile(
    r"\(?\s*<(?P<a1>[^<>\s]+@[^<>\s]+)>\s*\)?"
    r"|\[mailto:(?P<a2>[^\]\s]+@[^\]\s]+)\]"
    r"|\(\s*(?P<a3>[\w.+'-]+@[\w-]+(?:\.[\w-]+)+)\s*\)"
    r"|(?<![\w.+'-])(?P<a4>[\w.+'-]+@[\w-]+(?:\.[\w-]+)+)"
)
_STOP = re.compile(r"[,，、;；()\[\]|]|\d")  # what a name does not run back over


def _languages(line: str) -> set[str]:
    """The languages of a line's attribution words: its verbs, opening and joining words."""
    found: set[str] = set()
    for m in _verbs().finditer(line):
        found |= lang.languages_with(lang.ATTRIBUTION_VERBS, m.group())
        found |= lang.languages_with(lang.ATTRIBUTION_SENDER_WORDS, m.group())
        found |= lang.languages_with(lang.ATTRIBUTION_VERBS, m.group().split()[0])
    opening = _OPENING.match(line)
    if opening:
        found |= lang.languages_with(lang.ATTRIBUTION_OPENINGS, opening.group())
    return found


def read_attribution(header: str) -> Attribution | None:
    """The sender and the date of an attribution line (joined when it ran over lines), or
    None when either cannot be read for sure."""
    line = html.unescape(" ".join(header.split()))
    line = re.sub(r"^[\s>*_=~-]+|[\s_=~-]+$", "", line)
    languages = _languages(line)
    line = _VERB_END.sub("", line).rstrip(" :：")
    line = _OPENING.sub("", line).strip(" ,")
    found = _ADDRESS.search(line)
    if found is not None:
        start = _name_start(line, found.start())
        sender_text = line[start : found.start()].strip() + f" <{_address(found)}>"
        rest = f"{line[:start]} | {line[found.end() :]}"
        date = _date(rest, languages)
        if date is None:
            return None
        return _attribution(sender_text, date, rest)
    date = _date(line, languages)
    if date is None:
        return None
    name = _name_without_address(line, date)
    return _attribution(name, date, line) if name else None


def _address(m: re.Match[str]) -> str:
    return next(g for g in m.group("a1", "a2", "a3", "a4") if g)


def _date(text: str, languages: set[str]) -> ReadDate | None:
    return read_date(text, frozenset(languages))


def _attribution(sender_text: str, date: ReadDate, text: str) -> Attribution | None:
    found, _ = addresses(sender_text)
    if len(found) != 1:
        return None
    return Attribution(found[0], date.when, date.zone_known, text[date.start : date.end])


def _name_start(line: str, at: int) -> int:
    """Where the name before an address begins: a quoted name whole ('"Whitfield, Dana"'),
    else the words back to a comma, a number, an AM/PM or zone, or an attribution word."""
    before = line[:at].rstrip()
    quoted = re.search(r"[\"“'][^\"“”']+[\"”']$", before)
    if quoted:
        return quoted.start()
    start = len(before)
    for word in reversed(list(re.finditer(r"\S+", before))):
        text = word.group()
        if _STOP.search(text) or _date_word(text) or _verbs().fullmatch(text):
            # A word that ends in a comma or a CJK mark still starts the name after it.
            mark = max(text.rfind(c) for c in ",，、;；)]|")
            if mark >= 0 and not _STOP.search(text[mark + 1 :]) and text[mark + 1 :]:
                start = word.start() + mark + 1
            break
        start = word.start()
        if len(before[start:].split()) >= MAX_NAME_WORDS:
            break
    return start


def _date_word(word: str) -> bool:
    """AM, PM or a zone: what ends a date and is not a name."""
    return word.strip(",.") in ZONES or fold(word) in ("am", "pm", "a.m", "p.m")


_GARBLED_ADDRESS = re.compile(r"\s*<[^<>\s]*>\s*$")


def _name_without_address(line: str, date: ReadDate) -> str | None:
    """A sender named without an address: between the date and the verb ("On 3/3/25 4:02
    PM, Dana Whitfield wrote:"), or before the verb that precedes the date ("Dana Whitfield
    schrieb am 3. März 2025, 16:02:")."""
    # An address OCR garbled past reading ("<Jonathan.Lewin(CDchicagopolice.org>") still ends
    # the name before it.
    after = _GARBLED_ADDRESS.sub(" ", _verbs().sub(" ", line[date.end :]))
    name = after.strip(" ,，、:：")
    if not name:
        before = line[: date.start]
        verb = _verbs().search(before)
        name = (before[: verb.start()] if verb else before).strip(" ,，、:：")
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or re.search(r"\d|[()\[\]<>@|]", name):
        return None
    return name


def read_header_date(value: str, labels: list[str]) -> ReadDate | None:
    """A header block's date, in the languages of its labels ("Envoyé : lundi 3 mars 2025
    16:02" is French)."""
    languages = frozenset(lang.label_languages(labels))
    # english_date first: it spells a zone's name as its abbreviation ("Eastern Standard Time"
    # would be passed over as words) and puts back what OCR takes out ("334 pm").
    return read_date(english_date(value), languages) or read_date(value, languages)


def notes_sender(lines: list[str], labels: list[str]) -> dict[str, str] | None:
    """The sender and the date Lotus Notes writes above a quoted block's To, cc and Subject,
    unlabelled ("Dana Whitfield/LUSD" / "03/03/2025 04:02 PM", or "Kevin Doyle <k@x> on
    03/03/2025 01:12:21 PM"), as header fields; None where they are not there."""
    text = " ".join(" ".join(lines).split())
    if not text:
        return None
    date = read_date(text, frozenset(lang.label_languages(labels)))
    if date is None or text[date.end :].strip():
        return None
    # What stands before the date, without the word that joins them ("on").
    sender = re.sub(r"\s+[a-z]{1,3}$", "", text[: date.start].strip()).strip(" ,")
    if not sender or len(sender.split()) > MAX_NAME_WORDS + 1:
        return None
    return {"from": sender, "date": text[date.start : date.end]}
