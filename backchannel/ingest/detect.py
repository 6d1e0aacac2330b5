"""Tell a file's format from its first bytes: dumps hold mail with no extension or the wrong one."""

from __future__ import annotations

import re
from pathlib import Path

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


def sniff(head: bytes, name: str = "") -> str:
    """The format of a file whose first bytes are `head`.

    One of: empty, zip, msg, pst, pdf, mbox, eml, unknown.
    """
    if not head:
        return "empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        # Outlook for Mac's .olm is a zip of XML messages: not read yet (pending).
        return "olm" if name.lower().endswith(".olm") else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2 compound file: Outlook .msg
        return "msg"
    if head.startswith(b"!BDN"):
        return "pst"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xcf\xad\x12\xfe"):  # Outlook Express's .dbx
        return "dbx"
    emlx = _EMLX.match(head)
    if emlx and _looks_like_headers(head[emlx.end() :]):
        return "emlx"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"From ") and not _FROM_FIELD.match(text):
        # A single message saved with its mbox separator is still one .eml.
        return "eml" if name.lower().endswith(".eml") else "mbox"
    if _looks_like_headers(text):
        return "eml"
    if _COVERED_MBOX.search(head):
        return "mbox"  # an export's cover note, then the mbox
    return "unknown"


def sniff_file(path: Path, name: str = "") -> str:
    with open(path, "rb") as f:
        return sniff(f.read(8192), name or path.name)


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
