"""Finding the same email across copies that share no Message-ID: a PDF printout, a quoted block
in a reply, the original. Same subject (reply prefixes aside) and the same start of text, sent at
the same minute — or, where a copy printed no time zone, at a whole number of quarter hours
apart — by a sender that can be the same person."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from datetime import datetime

from ..vocabulary import REDACTED

FINGERPRINT_CHARS = 160
_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|tr|sv|vs|rv|r|antw|odp)\s*(\[\d+\])?\s*:\s*)+", re.I)
_ALNUM = re.compile(r"[\W_]+")  # keeps letters and digits of every script
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_QUOTE_START = re.compile(
    r"^\s*(?:>|On\s.{4,200}?wrote:|-{2,}\s*(?:Original|Forwarded)|_{10,}|From:\s|Begin forwarded)",
    re.MULTILINE | re.IGNORECASE,
)


def fold(text: str) -> str:
    """Lower case, accents off: "Ibáñez" and "IBANEZ" are the same word here. Letters of
    other scripts stay what they are."""
    text = text.casefold()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold_words(text: str) -> str:
    """Folded (see fold), whitespace collapsed: names and subjects as they are compared."""
    return " ".join(fold(text).split())


def normalize_subject(subject: str) -> str:
    """The subject without Re:/Fwd:/AW:/TR: prefixes, folded, whitespace collapsed."""
    return fold_words(_PREFIX.sub("", subject or ""))


def text_start(body: str) -> str:
    """The first letters and digits of what the sender wrote: the text up to its quoted
    history (a reply quotes the original whole; the original does not quote the reply)."""
    # Redaction marks left out: two releases of one email may redact it differently.
    head = (body or "")[: FINGERPRINT_CHARS * 20].replace(REDACTED, "")
    cut = _QUOTE_START.search(head)
    own = head[: cut.start()] if cut else head
    # Most texts have their 160 letters in the first 400 characters: look there first.
    start = _ALNUM.sub("", fold(own[: FINGERPRINT_CHARS * 3]))
    if len(start) < FINGERPRINT_CHARS and len(own) > FINGERPRINT_CHARS * 3:
        start = _ALNUM.sub("", fold(own))
    return start[:FINGERPRINT_CHARS]


def match_key(subject: str, start: str) -> str:
    """From the subject and the text_start() of the body."""
    raw = f"{normalize_subject(subject)}|{start}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def same_time(a: str | None, a_zone: int, b: str | None, b_zone: int) -> bool:
    if not a or not b:
        return False
    ta = datetime.fromisoformat(a).replace(second=0, microsecond=0)
    tb = datetime.fromisoformat(b).replace(second=0, microsecond=0)
    minutes = round(abs((ta - tb).total_seconds()) / 60)
    if a_zone and b_zone:
        return minutes == 0
    # A time printed without its zone is off by the zone's offset: whole quarter hours.
    return minutes % 15 == 0 and minutes <= 14 * 60


def same_sender(
    a_name: str | None, a_addr: str | None, b_name: str | None, b_addr: str | None
) -> bool:
    """Whether two ways of writing a sender can be one person: equal addresses, or (where one
    side has only a name) a shared name word of three letters or more."""
    if a_addr and b_addr:
        return a_addr.lower() == b_addr.lower()
    words_a = set(_WORD.findall(fold(f"{a_name or ''} {(a_addr or '').split('@')[0]}")))
    words_b = set(_WORD.findall(fold(f"{b_name or ''} {(b_addr or '').split('@')[0]}")))
    return bool(words_a & words_b)


_TOKEN = re.compile(r"[^\W_]+")
SIMILAR = 0.8  # share of words two copies have in common to be one email redacted otherwise


def similar_text(a: str, b: str, limit: int = 400) -> bool:
    """Whether two texts are one text with different parts redacted (or read by OCR): most of
    their words the same, in the same order, redaction marks aside."""
    wa = [w for w in _TOKEN.findall(fold(a or ""))[:limit] if w != "redacted"]
    wb = [w for w in _TOKEN.findall(fold(b or ""))[:limit] if w != "redacted"]
    if not wa or not wb:
        return False
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= SIMILAR


HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "hon",
    "honorable",
    "prof",
    "rev",
    "sir",
    "trustee",
    "councilmember",
    "commissioner",
    "jr",
    "sr",
    "ii",
    "iii",
}


def name_key(name: str) -> str:
    """A name as compared: folded, "Last, First" turned round, honorifics and middle initials
    off. "Dr. Ibáñez, Rosa M." and "rosa ibanez" are the same key."""
    words = [w for w in _words(fold(name or "")) if w not in HONORIFICS]
    if len(words) > 2:  # middle initials go; a first or last initial stays
        words = [words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]]
    return " ".join(words)


def last_name(name: str) -> str:
    """The family name as written ("Whitfield" of "Dr. Dana R. Whitfield" and of "Whitfield,
    Dana"): the last word name_key keeps, accents and case as they are."""
    words = [w for w in _words(name or "") if fold(w) not in HONORIFICS]
    return words[-1] if words else ""


def _words(name: str) -> list[str]:
    """A name's words in speaking order: "Whitfield, Dana" turned round to "Dana Whitfield"
    (one comma after a one-word family name), quotes and punctuation off."""
    text = name.strip().strip("'\"")
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if last and first and " " not in last:
            text = f"{first} {last}"
    return [w for w in re.split(r"[^\w'-]+", text) if w]
