"""Tests on a file's first bytes, one per format that needs more than a magic number; the
formats registry (formats.py) tries them in order."""

from __future__ import annotations

import re

_MAIL_HEADERS = {
    b"from",
    b"to",
    b"subject",
    b"date",
    b"received",
    b"message-id",
    b"return-path",
    b"mime-version",
    b"delivered-to",
    b"x-mailer",
    b"reply-to",
    b"cc",
    b"sender",
    b"content-type",
    b"x-originating-ip",
    b"thread-topic",
    b"dkim-signature",
}
_FROM_FIELD = re.compile(rb"From[ \t]*:")  # "From  : x" is a header, not an mbox separator
# A separator after a blank line: an mbox whose export put a note before its first message.
_COVERED_MBOX = re.compile(
    rb"\n\r?\nFrom \S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+(?:\d{1,2}\s+)?"
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s[^\n]*\d\d?:\d\d[^\n]*\n"
    rb"[!-9;-~]+[ \t]*:"
)
_EMLX = re.compile(rb"\A\s*\d+[ \t]*\r?\n")  # Apple Mail: the message's byte count first
_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:")  # obsolete syntax allows "Subject :"


def is_zip(head: bytes) -> bool:
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def is_ole2(head: bytes) -> bool:
    """An OLE2 compound file: Outlook's .msg."""
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_emlx(head: bytes) -> bool:
    """Apple Mail's .emlx: the message's byte count on a line, then the message."""
    emlx = _EMLX.match(head)
    return emlx is not None and _looks_like_headers(head[emlx.end() :])


def _text(head: bytes) -> bytes:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def _from_line(text: bytes) -> bool:
    """An mbox separator first ("From " and no colon: "From  : x" is a header)."""
    return text.startswith(b"From ") and not _FROM_FIELD.match(text)


def is_eml(head: bytes, name: str) -> bool:
    """One message: a header block, or a separator and a message in a file named .eml."""
    text = _text(head)
    if _from_line(text):
        return name.lower().endswith(".eml")
    return _looks_like_headers(text)


def is_mbox(head: bytes, name: str) -> bool:
    """Messages after separators, perhaps after an export's cover note."""
    return _from_line(_text(head)) or bool(_COVERED_MBOX.search(head))


def _looks_like_headers(text: bytes) -> bool:
    """A header block: header lines up to the first blank line, one of them a mail header.

    Real files have the odd broken line in their headers (a wrapped address, junk pasted in);
    a few are tolerated.
    """
    lines = text.splitlines()
    if not lines or not _FIELD.match(lines[0]):
        return False
    found, good, bad = False, 0, 0
    for line in lines[:200]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            good += 1  # a folded continuation
            continue
        m = _FIELD.match(line)
        if not m:
            bad += 1
            continue
        good += 1
        if m.group(1).lower() in _MAIL_HEADERS:
            found = True
    return found and bad <= max(2, good // 10)
