"""Turning the bytes and encoded words of real mail into text: charsets, headers, HTML."""

from __future__ import annotations

import codecs
import re
from email.header import decode_header, make_header
from functools import lru_cache

from charset_normalizer import from_bytes
from inscriptis import get_text
from inscriptis.html_engine import Inscriptis
from inscriptis.model.config import ParserConfig
from lxml.html import HtmlElement

# Charsets mail clients write that Python knows under another name or not at all.
_ALIASES = {
    "unknown-8bit": "cp1252",
    "x-unknown": "cp1252",
    "ansi_x3.4-1968": "ascii",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "x-mac-roman": "mac_roman",
    "utf8": "utf-8",
}

_HTML_CONFIG = ParserConfig(display_links=False, display_images=False)


def known_charset(name: str | None) -> str | None:
    """The Python codec for a declared charset, or None when Python has no such codec."""
    if not name:
        return None
    name = name.strip().strip('"').lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def guess_decode(data: bytes) -> str:
    """Decode bytes whose charset is unknown: UTF-8 if it is valid, else the best guess."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Detection needs some text to go on; on a name or a subject it guesses wildly, and
    # cp1252 is what unlabelled 8-bit mail almost always is.
    best = from_bytes(data[:65536]).best() if len(data) >= 200 else None
    if best is not None:
        return data.decode(best.encoding, errors="replace")
    return data.decode("cp1252", errors="replace")


FEW_BAD_BYTES = 3  # bad bytes a declared charset survives (more in long texts: 1 in 500)


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Text of a body part, and a problem description when the charset had to be guessed."""
    codec = known_charset(charset)
    if codec is None:
        problem = f"unknown charset {charset!r}; guessed" if charset else None
        return guess_decode(data), problem
    try:
        return data.decode(codec), None
    except UnicodeDecodeError:
        pass
    # A few bad bytes in a part that is otherwise what it says (a truncated character, a stray
    # byte): the declared charset stands, the bad bytes become U+FFFD. A guess over the whole
    # part can turn all of it into another script (Russian read as Chinese).
    kept = data.decode(codec, errors="replace")
    bad = kept.count("\ufffd")
    # ...when the rest really is that charset: it decoded text beyond ASCII, much of it (a
    # latin-1 "café" sent as UTF-8 decodes nothing beyond ASCII, and is guessed).
    beyond_ascii = sum(1 for c in kept if ord(c) > 127) - bad
    if bad <= max(FEW_BAD_BYTES, len(data) // 500) and beyond_ascii >= 10 * bad:
        return kept, f"{bad} byte(s) not valid in the declared charset {charset!r}; replaced"
    # Mislabelled parts are common (cp1252 sent as iso-8859-1, latin-1 sent as utf-8).
    text = guess_decode(data)
    return text, f"text does not decode as declared charset {charset!r}; guessed"


def fix_raw_header(value: str) -> str:
    """Header text that arrived as raw 8-bit bytes (surrogate-escaped by the parser)."""
    try:
        value.encode("utf-8")  # fails only on the parser's surrogate escapes: fast in C
        return value
    except UnicodeEncodeError:
        pass
    return guess_decode(value.encode("ascii", "surrogateescape"))


def decode_header_value(value: str | None) -> tuple[str, str | None]:
    """Decode RFC 2047 encoded words; return the text and a problem if a charset was unknown."""
    if value is None:
        return "", None
    value = str(value)
    if "=?" not in value:
        # Most header values (ids, dates, routes) are plain and seen once: no cache for them.
        return _unfold(fix_raw_header(value)), None
    return _decode_header(value)


@lru_cache(maxsize=65536)  # encoded names and subjects repeat all through a mailbox
def _decode_header(value: str) -> tuple[str, str | None]:
    try:
        parts = decode_header(value)
    except Exception as exc:  # a malformed encoded word: keep the raw text
        return _unfold(fix_raw_header(value)), f"undecodable header: {exc}"
    try:
        # make_header knows RFC 2047's rules for the whitespace between encoded words.
        return _unfold(fix_raw_header(str(make_header(parts)))), None
    except (LookupError, UnicodeDecodeError):
        pass
    problem = None
    pieces = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            pieces.append(fix_raw_header(chunk))
            continue
        text, bad = decode_bytes(chunk, charset)
        problem = problem or bad
        pieces.append(text)
    return _unfold(" ".join(pieces)), problem


def _unfold(value: str) -> str:
    # str.split() splits where the regex \s+ matches (both are str.isspace), at a third the cost.
    return " ".join(value.split())


def html_to_text(html: str) -> str:
    """Readable text of an HTML body: block layout kept, scripts and styles dropped."""
    if not html.strip():
        return ""
    try:
        text = get_text(html, _HTML_CONFIG)
    except Exception:  # inscriptis chokes on a few pathological documents
        text = re.sub(r"<[^>]+>", " ", html)
    return _tidy(text)


def element_text(element: HtmlElement) -> str:
    """Readable text of a parsed HTML element, as html_to_text gives it for a whole body."""
    try:
        text = Inscriptis(element, _HTML_CONFIG).get_text()
    except Exception:  # as in html_to_text
        text = " ".join(element.itertext())
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
