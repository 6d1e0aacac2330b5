"""The lines that open quoted history and close a sender's text, as the splitter reads them:
attribution lines, separators, header labels, rules, mobile signatures and sign-offs. Built
once from the per-language tables of ingest/languages.py; a language added there is read here.

Each test takes one line (or a few lines joined) with the quote marks off, and is cheap on the
lines it rejects: a body is read line by line, and most lines are none of these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..corpus.matching import fold
from ..ingest import languages as lang

MAX_ATTRIBUTION = 400  # characters: an attribution line is not a paragraph


def _cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in "WF" for c in text)


_VERBS = lang.every(lang.ATTRIBUTION_VERBS)
# Verbs of scripts written without spaces (写道, のメッセージ, 작성) need no word boundary.
_WORD_VERBS = [v for v in _VERBS if not _cjk(v)]
_CJK_VERBS = [v for v in _VERBS if _cjk(v)]
# "… wrote:", "… a écrit :", "…写道：", "… wrote" closing a Zoho "---- On … wrote ----".
_VERB_AT_END = re.compile(
    r"(?:(?<![\w/.-])(?:"
    + lang.alternation(_WORD_VERBS)
    + r")|(?:"
    + lang.alternation(_CJK_VERBS)
    + r"))\s*(?:\([^()]{0,20}\)\s*)?[:：]?\s*$",
    re.IGNORECASE,
)
_VERB_BEFORE_NAME = re.compile(
    r"(?<![\w/.-])(?:"
    + lang.alternation(lang.ATTRIBUTION_VERBS_BEFORE_NAME)
    + r")\s+\S.{0,160}[:：]\s*$",
    re.IGNORECASE,
)
_OPENINGS = lang.every(lang.ATTRIBUTION_OPENINGS)
_OPENING = re.compile(r"^(?:" + lang.alternation(_OPENINGS) + r")(?:\s|,)", re.IGNORECASE)
# An opening in the middle of a line: the sender's text and the attribution on one line.
_OPENING_INSIDE = re.compile(
    r"(?<=[\s.!?,;)])(?:" + lang.alternation([o for o in _OPENINGS if len(o) > 1]) + r")\s",
)
_QUOTING = re.compile(
    r"^(?:" + lang.alternation(lang.every(lang.QUOTING_OPENINGS)) + r")\s.{1,200}[:：]\s*$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d\d\b|\d{1,2}[:.]\d\d|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
# "2014-03-20 8:48 GMT+01:00 Rémi <r@x>:", "Thu, 26 Jun 2014 14:00:51 +0400 от Alex <a@x>:",
# "26.06.2014, 14:41, "Alex" <a@x>:", "* Carl <c@x> [2025-03-03 16:02]:" (mutt): a date and an
# address and a closing colon, no verb at all.
_ADDRESS_THEN_COLON = re.compile(
    r"(?:<[^<>\s]+@[^<>\s]+>|\[mailto:[^\]]+\]|\(?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\)?"
    r"|\[[^\[\]]*\d[^\[\]]*\])\s*[:：]\s*$"
)
_GMAIL_ISO = re.compile(r"^(?:19|20)\d\d-\d\d-\d\d \d{1,2}:\d\d GMT[+-]\d\d?:\d\d \S")
_DASHES = re.compile(r"^[-=*_\s>]+|[-=*_\s]+$")

WEAK, STRONG = 1, 2


def dated(text: str) -> bool:
    """Whether a text names a date or a time ("03/03/2025 04:02 PM", "16:02", "2025")."""
    return bool(_YEAR_OR_TIME.search(text))


def attribution(text: str) -> int:
    """How surely a line (or lines joined) introduces quoted text: STRONG when it names a time
    or an address ("On Mon, Mar 3, 2025 at 4:02 PM Dana <d@x> wrote:"), WEAK when it only has
    the verb ("Dana wrote:": quoted only if ">" lines follow it), else 0."""
    s = _DASHES.sub("", text.strip()).strip()
    if not s or len(s) > MAX_ATTRIBUTION:
        return 0
    dated = bool(_YEAR_OR_TIME.search(s)) or bool(_EMAIL.search(s))
    if _VERB_AT_END.search(s):
        if not s.rstrip().endswith((":", "：")) and not text.rstrip().endswith("-"):
            # "wrote" closing a line without a colon: only Zoho's "---- On … wrote ----".
            return 0
        if dated or _OPENING.match(s):
            return STRONG if dated else WEAK
        return WEAK if len(s.split()) <= 12 else 0
    if not s.endswith((":", "：")):
        return STRONG if _GMAIL_ISO.match(s) else 0
    if dated and _VERB_BEFORE_NAME.search(s):
        return STRONG
    if _QUOTING.match(s) and dated:
        return STRONG
    if _YEAR_OR_TIME.search(s) and _ADDRESS_THEN_COLON.search(s) and label_of(s) is None:
        return STRONG
    return 0


def opens_attribution(text: str) -> bool:
    """Whether a line starts the way attribution lines start ("On …", "Le …", "Am …")."""
    return bool(_OPENING.match(_DASHES.sub("", text.strip())))


def attribution_inside(line: str) -> int | None:
    """Where an attribution begins in the middle of a line ("Sounds good. On Mon, … wrote:"),
    or None."""
    s = line.rstrip()
    if not s.endswith((":", "：")) or len(s) > MAX_ATTRIBUTION + 200:
        return None
    for m in _OPENING_INSIDE.finditer(s):
        if m.start() > 0 and attribution(s[m.start() :]) == STRONG and s[: m.start()].strip():
            return m.start()
    return None


# Separators: "-----Original Message-----", "---------- Forwarded message ---------",
# "Begin forwarded message:", "-------- Message d'origine --------", "原始邮件".
_SEPARATOR = re.compile(
    r"^[\s>*_=~-]*(?:"
    + lang.alternation(lang.every(lang.ORIGINAL_MESSAGE) + lang.every(lang.FORWARDED_MESSAGE))
    + r")(?:\s+(?:by|from)\b[^\n]{0,80})?[\s*_=~:-]*$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[\s>*]*(?:_{8,}|-{8,}|={8,}|—{4,}|~{8,})[\s*]*$")


_SEPARATOR_FIRST = {
    p.split()[0].casefold()
    for p in lang.every(lang.ORIGINAL_MESSAGE) + lang.every(lang.FORWARDED_MESSAGE)
}
_MARKS = "-_=~*>—"


# Lotus Notes: "----- Forwarded by Dana Whitfield/LUSD on 03/03/2025 04:02 PM -----".
_SEPARATOR_BETWEEN_RULES = re.compile(
    r"^[\s>*]*[-=_~*]{3,}\s*(?:"
    + lang.alternation(lang.every(lang.ORIGINAL_MESSAGE) + lang.every(lang.FORWARDED_MESSAGE))
    + r")\b.{0,120}?[-=_~*]{3,}\s*$",
    re.IGNORECASE,
)


def separator(text: str) -> bool:
    s = text.lstrip()
    if not s or len(s) >= 240:
        return False
    if s[0] not in _MARKS and s.split(maxsplit=1)[0].casefold() not in _SEPARATOR_FIRST:
        return False  # most lines: no need for the regex
    return bool(_SEPARATOR.match(text) or _SEPARATOR_BETWEEN_RULES.match(text))


def rule(text: str) -> bool:
    """A line of underscores or dashes: above an Outlook header block, or a footer."""
    s = text.lstrip()
    return bool(s) and s[0] in _MARKS and bool(_RULE.match(text))


# Header labels of every language ("From:", "Von:", "De :", "发件人：", "*From:*").
_LABELS = lang.header_labels()
_LABEL = re.compile(r"^[\s>*]*([^\W\d_][^:：*\n]{0,24}?)\s*\**\s*[:：]\s*\**")


@lru_cache(maxsize=4096)
def _field_of(label: str) -> str | None:
    return _LABELS.get(lang.fold_label(label))


def label_of(text: str) -> str | None:
    """The header field a line's label stands for ("Gesendet:" -> date), or None."""
    if ":" not in text[:40] and "：" not in text[:40]:
        return None
    m = _LABEL.match(text)
    return _field_of(m.group(1)) if m else None


# Mobile and client signatures: a phrase, a few words at most, a device or client name.
_MOBILE = re.compile(
    r"^(?:" + lang.alternation(lang.every(lang.MOBILE_PHRASES)) + r")\s+"
    r"(?:[^\s,.;]+\s+){0,3}?(?:" + lang.alternation(lang.DEVICES) + r")(?:\b|[\w']{1,4}\b)"
    r"|^(?:" + lang.alternation(lang.every(lang.MOBILE_APP_LINES)) + r")\b",
    re.IGNORECASE,
)
_MOBILE_SUFFIX = re.compile(
    r"^(?:\S+\s*){0,3}?(?:"
    + lang.alternation(lang.DEVICES)
    + r")\S*\s*(?:\S+\s+){0,2}?(?:"
    + lang.alternation(lang.MOBILE_SUFFIXES)
    + r")\s*[.!]?$",
    re.IGNORECASE,
)
_MOBILE_FIRST = {
    p.split()[0].casefold()
    for p in lang.every(lang.MOBILE_PHRASES) + lang.every(lang.MOBILE_APP_LINES)
}
_MOBILE_ENDS = tuple(x.casefold() for x in lang.MOBILE_SUFFIXES)
MOBILE_WORDS = 14  # a client's line is short: "Sent from my Verizon Wireless BlackBerry"


def mobile(text: str) -> bool:
    """A mail client's line: "Sent from my iPhone", "Von meinem iPhone gesendet", "Get Outlook
    for iOS", "iPhoneから送信". A sentence that starts the same way is not one ("Sent from my
    desk, is much easier then my mobile phone.")."""
    s = text.strip().strip("*_")
    if not s or len(s) > 120:
        return False
    words = s.split()
    if not words or len(words) > MOBILE_WORDS:
        return False
    # Cheap tests first: most lines start with no client phrase and end with no client suffix.
    if words[0].casefold() in _MOBILE_FIRST and _MOBILE.match(s):
        return True
    return s.rstrip(".! ").casefold().endswith(_MOBILE_ENDS) and bool(_MOBILE_SUFFIX.match(s))


_SIGN_OFF = re.compile(
    r"^(?:" + lang.alternation(lang.every(lang.SIGN_OFFS)) + r")(?:\s+(?:again|so much|a lot|"
    r"very much|in advance|for everything|all))?\s*[,.!;:—–-]*\s*$",
    re.IGNORECASE,
)
_SIGN_OFF_NAMED = re.compile(
    r"^(?:"
    + lang.alternation(lang.every(lang.SIGN_OFFS))
    + r")\s*[,!.;—–-]+\s*(?P<name>\S.{0,40})$",
    re.IGNORECASE,
)


_SIGN_OFF_FIRST = {p.split()[0].casefold() for p in lang.every(lang.SIGN_OFFS)}


def _first_word(s: str) -> str:
    return re.split(r"[\s,.!;:—–。，！-]", s, maxsplit=1)[0].casefold()


def sign_off(text: str) -> bool:
    """A closing line alone: "Thanks,", "Best regards", "Mit freundlichen Grüßen"."""
    s = text.strip()
    return len(s) < 60 and _first_word(s) in _SIGN_OFF_FIRST and bool(_SIGN_OFF.match(s))


def sign_off_name(text: str) -> str | None:
    """The name of a closing with the name on the same line ("Thanks, Rosa"), or None."""
    s = text.strip()
    if len(s) >= 80 or _first_word(s) not in _SIGN_OFF_FIRST:
        return None
    m = _SIGN_OFF_NAMED.match(s)
    return m.group("name") if m else None


def names(text: str | None) -> set[str]:
    """The words of a name, folded, as compared ("Ibáñez, Rosa" -> {"ibanez", "rosa"})."""
    return {w for w in re.findall(r"[^\W\d_]{2,}", fold(text or ""))}
