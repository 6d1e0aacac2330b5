"""Dates as mail clients write them above quoted history, in the languages of
ingest/languages.py: "Mon, Mar 3, 2025 at 4:02 PM", "3. März 2025 um 16:02", "3 марта 2025 г.,
в 16:02", "2025年3月3日 下午4:02", "03/03/2025 16:02 (GMT-08:00)".

Strict where dateutil is lenient: every number must find its place (day, month, year, hour,
minute, second, offset), the month word must mean one month in the languages the line is
written in, a date written in numbers is read in those languages' order (day first, month
first), and a date without a year, a day or a time is not read. What is not certain is None:
an email whose date is guessed cannot be told from its copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from . import languages as lang

# Time zones printed by name. Only the unambiguous ones: "IST" or "CST" elsewhere than the
# United States would be a guess, and CST is read as the United States' here, as the printed
# reader does.
# UTC and the United States' zones: all the printed reader (ingest/printed/printed.py) takes.
US_ZONES: dict[str, int] = {
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
}
ZONES: dict[str, int] = {
    **US_ZONES,
    "Z": 0,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "WET": 0,
    "WEST": 1,
    "MSK": 3,
    "JST": 9,
    "KST": 9,
}


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"


@dataclass(frozen=True)
class ReadDate:
    when: datetime  # in UTC; as printed, marked UTC, where no zone was printed
    zone_known: bool
    start: int  # where the date stands in the text read
    end: int


def fold(word: str) -> str:
    """A word as compared: lower case, accents off, a trailing dot off."""
    return lang.fold_label(word.rstrip("."))


def _spellings(entry: str) -> list[str]:
    return [w.replace("_", " ") for w in entry.split()]


@lru_cache(maxsize=1)
def _month_words() -> dict[str, dict[str, int]]:
    """Language -> folded month word -> month number."""
    return {
        code: {fold(w): n for n, entry in enumerate(months, start=1) for w in _spellings(entry)}
        for code, months in lang.MONTH_NAMES.items()
    }


@lru_cache(maxsize=1)
def _tokens() -> re.Pattern[str]:
    phrases = [w for m in lang.MONTH_NAMES.values() for e in m for w in _spellings(e) if " " in w]
    weekdays = [w for ws in lang.WEEKDAY_NAMES.values() for e in ws for w in _spellings(e)]
    halves = [w for t in lang.DAY_HALVES_AFTER.values() for w in t]
    halves += [w for t in lang.DAY_HALVES.values() for w in t] + ["AM", "PM", "a.m.", "p.m."]
    return re.compile(
        r"(?P<ymd>(?<!\d)\d{4}\s?(?P<s1>[-/.])\s?\d{1,2}\s?(?P=s1)\s?\d{1,2}(?!\d)\.?)"
        r"|(?P<cjk>(?<!\d)\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]?)"
        r"|(?P<num>(?<![\d.])\d{1,2}\s?(?P<s2>[-/.])\s?\d{1,2}\s?(?P=s2)\s?(?:\d{4}|\d{2})(?![\d:])\.?)"
        r"|(?P<time>(?<![\d.])\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[.,]\d+)?(?!\d))"
        r"|(?P<offset>(?:(?:GMT|UTC)\s?|(?<![\w+−-]))[+−-]\d{2}:?\d{2}(?!\d)"
        r"|(?:GMT|UTC)\s?[+−-]\d{1,2}(?![\d:]))"
        r"|(?P<phrase>(?<!\w)(?:" + lang.alternation(phrases + weekdays) + r")(?![\w]))"
        r"|(?P<half>(?<!\w)(?:"
        + lang.alternation([h for h in halves if not re.search(f"[{_CJK}]", h)])
        + r")(?![^\W\d_])|(?:"
        + lang.alternation([h for h in halves if re.search(f"[{_CJK}]", h)])
        + r"))"
        r"|(?P<dottime>(?<![\d.])\d{1,2}\.\d{2}(?![\d]|\.\d))"
        r"|(?P<number>(?<![\d.])\d{1,4}(?!\d)\.?)"
        # Words of scripts written without spaces one character at a time, so that a day
        # half glued to the weekday ("周二下午4:07") is still read.
        r"|(?P<word>[^\W\d_" + _CJK + r"]+\.?|[" + _CJK + r"])",
        re.IGNORECASE,
    )


_HALF = {
    fold(w): h
    for t in [*lang.DAY_HALVES_AFTER.values(), *lang.DAY_HALVES.values()]
    for w, h in t.items()
} | {"am": "AM", "pm": "PM", "a.m": "AM", "p.m": "PM"}


def _half_languages() -> dict[str, set[str]]:
    """The languages of each word for AM and PM but English's (read in every language)."""
    found: dict[str, set[str]] = {}
    for code, table in [*lang.DAY_HALVES_AFTER.items(), *lang.DAY_HALVES.items()]:
        for word in table:
            if fold(word) not in ("am", "pm", "a.m", "p.m"):
                found.setdefault(fold(word), set()).add(code)
    return found


_HALF_LANGUAGES = _half_languages()
_WEEKDAYS = {fold(w) for ws in lang.WEEKDAY_NAMES.values() for e in ws for w in _spellings(e)}


def _weekdays(languages: set[str] | frozenset[str]) -> set[str]:
    return {
        fold(w) for c in languages for e in lang.WEEKDAY_NAMES.get(c, []) for w in _spellings(e)
    }


@dataclass
class _Parts:
    day: int | None = None
    month: int | None = None
    year: int | None = None
    hour: int | None = None
    minute: int = 0
    second: int = 0
    offset: int | None = None  # minutes east of UTC
    half: str | None = None  # AM or PM written before the time ("下午4:02")
    start: int = -1
    end: int = -1

    def at(self, m: re.Match[str]) -> None:
        self.start = m.start() if self.start < 0 else min(self.start, m.start())
        self.end = max(self.end, m.end())


def read_date(text: str, languages: set[str] | frozenset[str] = frozenset()) -> ReadDate | None:
    """The date and time written in `text`, in the given languages (English is read too), or
    None when any part of it is missing or could be read two ways."""
    matches = list(_tokens().finditer(text))
    parts = _Parts()
    months: list[tuple[re.Match[str], set[int]]] = []
    numbers: list[re.Match[str]] = []
    for k, m in enumerate(matches):
        kind = m.lastgroup
        if kind in ("ymd", "cjk", "num"):
            if parts.year is not None or not _full_date(parts, m, languages):
                return None
        elif kind in ("time", "dottime"):
            if parts.hour is not None:
                return None
            parts.hour, parts.minute, parts.second = _clock(m.group())
            parts.at(m)
        elif kind == "offset":
            if parts.offset is not None:
                return None
            parts.offset = _offset(m.group())
            parts.at(m)
        elif kind == "half":
            if not _apply_half(parts, matches, k, languages):
                return None
        elif kind == "phrase" or kind == "word":
            found = _month_of(m.group(), languages)
            if found:
                months.append((m, found))
            elif m.group() in ZONES and parts.hour is not None and parts.offset is None:
                parts.offset = ZONES[m.group()] * 60
                parts.at(m)
        elif kind == "number":
            numbers.append(m)
    if not _day_month_year(parts, months, numbers, languages):
        return None
    return _finish(parts)


def _clock(text: str) -> tuple[int, int, int]:
    pieces = [int(p) for p in re.split(r"[:：.]", re.sub(r",\d+$", "", text))[:3]]
    return pieces[0], pieces[1], pieces[2] if len(pieces) > 2 else 0


def _offset(text: str) -> int:
    m = re.search(r"([+−-])(\d{1,2})(?::?(\d{2}))?$", text.strip())
    assert m is not None  # the token's pattern has them
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return -minutes if m.group(1) in "−-" else minutes


def _apply_half(
    parts: _Parts, matches: list[re.Match[str]], k: int, languages: set[str] | frozenset[str]
) -> bool:
    """AM or PM right after the time ("4:02 PM", "4:02 CH") or right before it ("下午4:02");
    anywhere else the word is not one ("Am 3. März" is German), nor is another language's
    word where the line's languages are known. False when it cannot be."""
    word = fold(matches[k].group())
    half = _HALF.get(word)
    if languages and word in _HALF_LANGUAGES and not _HALF_LANGUAGES[word] & languages:
        return True
    after = k > 0 and matches[k - 1].lastgroup in ("time", "dottime")
    before = k + 1 < len(matches) and matches[k + 1].lastgroup in ("time", "dottime")
    if half is None or not (after or before):
        return True
    if before:  # the time is read next
        parts.half = half
        parts.at(matches[k])
        return True
    if parts.hour is None or not _halves(parts.hour, half):
        return False
    parts.hour = _with_half(parts.hour, half)
    parts.at(matches[k])
    return True


def _halves(hour: int, half: str) -> bool:
    """Whether an hour can be read with AM or PM: 1 to 12, and as Outlook's prints also write
    them, 0 with AM ("00:56 AM") and 13 to 23 with PM ("23:51 PM"), which say the same."""
    return 1 <= hour <= 12 or (hour == 0 and half == "AM") or (13 <= hour <= 23 and half == "PM")


def _with_half(hour: int, half: str) -> int:
    return hour if hour > 12 else hour % 12 + (12 if half == "PM" else 0)


def _month_of(word: str, languages: set[str] | frozenset[str]) -> set[int]:
    """The months a word can be in these languages and English (in every language, where
    none is known)."""
    tables = _month_words()
    codes = (set(languages) | {"en"}) if languages else set(tables)
    key = fold(word)
    return {tables[c][key] for c in codes if c in tables and key in tables[c]}


def _order(languages: set[str] | frozenset[str]) -> str | None:
    orders = {lang.DATE_ORDER[c] for c in languages if c in lang.DATE_ORDER}
    return orders.pop() if len(orders) == 1 else None


def _full_date(parts: _Parts, m: re.Match[str], languages: set[str] | frozenset[str]) -> bool:
    """Day, month and year from a date written in numbers; False when it cannot be read for
    sure."""
    numbers = [int(n) for n in re.findall(r"\d+", m.group())]
    if m.lastgroup in ("ymd", "cjk"):
        year, month, day = numbers
    else:
        a, b, year = numbers
        year += 2000 if year < 100 else 0
        sep = re.search(r"[-/.]", m.group())
        order = "DMY" if sep and sep.group() == "." else _order(languages)
        if a == b:
            order = "DMY"
        elif order is None:  # no language says: only a day over 12 tells
            order = "DMY" if a > 12 else "MDY" if b > 12 else None
        if order not in ("DMY", "MDY"):
            return False
        day, month = (a, b) if order == "DMY" else (b, a)
    parts.day, parts.month, parts.year = day, month, year
    parts.at(m)
    return True


def _day_month_year(
    parts: _Parts,
    months: list[tuple[re.Match[str], set[int]]],
    numbers: list[re.Match[str]],
    languages: set[str] | frozenset[str],
) -> bool:
    """The day, month and year of a date with its month in words ("3. März 2025", "Mar 3,
    2025", "2025. márc. 3."): one month word, one year of four digits, one day; nothing
    left over."""
    if len(months) > 1:  # "mar, 4 mar 2025", "mar 4 mar 2025": martes, then marzo
        names = _WEEKDAYS if not languages else _weekdays(languages)
        plain = [(m, n) for m, n in months if fold(m.group()) not in names]
        # Every one a weekday's name too: the weekday is written first.
        months = plain or months[1:]
    if parts.year is not None:  # the date was in numbers: nothing else may claim a part
        return not months and not numbers
    if len(months) != 1 or len(months[0][1]) != 1:
        return False
    years = [n for n in numbers if len(n.group().rstrip(".")) == 4]
    days = [n for n in numbers if len(n.group().rstrip(".")) <= 2]
    if len(years) != 1 or len(days) != 1 or len(numbers) != 2:
        return False
    parts.month = next(iter(months[0][1]))
    parts.year = int(years[0].group().rstrip("."))
    parts.day = int(days[0].group().rstrip("."))
    for m in (months[0][0], years[0], days[0]):
        parts.at(m)
    return True


def _finish(parts: _Parts) -> ReadDate | None:
    if parts.hour is None or parts.year is None or parts.month is None or parts.day is None:
        return None
    if parts.half is not None:  # written before the time ("下午4:02")
        if not _halves(parts.hour, parts.half):
            return None
        parts.hour = _with_half(parts.hour, parts.half)
    if not 1980 <= parts.year <= 2100:
        return None
    try:
        when = datetime(
            parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second, tzinfo=UTC
        )
    except ValueError:
        return None
    if parts.offset is not None:
        when -= timedelta(minutes=parts.offset)
    return ReadDate(when, parts.offset is not None, parts.start, parts.end)
