"""compat32's Message for a well-formed email, built without the stdlib feed parser walking
every line of its body (most of the parse's time: a base64 attachment is thousands of lines).

The header blocks are parsed by the stdlib's own header parser; a multipart body is cut at its
boundary lines with str.find; each part's text becomes its payload exactly as the feed parser
sets it (the line end before a boundary belongs to the boundary). Decoding, charsets and the
defects found while decoding stay the stdlib's, on the same payload strings. So the Message is
the feed parser's wherever this module answers; it answers None — and the caller parses the
whole message with the stdlib — for anything it cannot vouch for: a defect in a header block,
a line there that is not a header, mixed line ends, an mbox "From " line, message/* parts, a
multipart/digest, a transfer encoding on a multipart, a boundary string found anywhere but on
a boundary line, no close boundary, a part without a blank line after its headers.
tests/test_rfc822.py compares the records of both ways on every fixture and generated mailbox.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32
from typing import cast

_HEADERS = HeaderParser(policy=compat32)
# The feed parser's test of a header line: a field name and a colon, or a continuation.
_HEADER_LINE = re.compile(r"(?:[\041-\071\073-\176]*:|[\t ])")
_EOL_END = re.compile(r"(\r\n|\r|\n)\Z")
_MAX_DEPTH = 8


def quick_message(data: bytes) -> Message | None:
    """The Message the feed parser would make of `data`, or None (see the module's note)."""
    if data.startswith(b"From "):
        return None
    return _part(memoryview(data), 0, len(data), (), 0)


# BytesParser decodes the whole message as ASCII with surrogateescape first: one character per
# byte, so the parts are found as ranges of the bytes, and only a header block, a few
# characters after a boundary and a leaf part's payload are decoded (the same text): a 270 MB
# attachment is one string, not one per level and boundary.


def _text(data: memoryview, start: int, end: int) -> str:
    return codecs.ascii_decode(data[start:end], "surrogateescape")[0]


def _find(data: memoryview, sub: bytes, start: int, end: int) -> int:
    return cast(bytes, data.obj).find(sub, start, end)  # the bytes under the view: no copy


def _split_head(data: memoryview, start: int, end: int) -> tuple[str, int] | None:
    """(header block with its blank line, where the body starts) of data[start:end], where the
    header block is plainly one."""
    first = bytes(data[start : min(end, start + 2)])
    if first.startswith((b"\n", b"\r\n")):  # no headers: the body starts at once
        blank = 2 if first.startswith(b"\r\n") else 1
        return _text(data, start, start + blank), start + blank
    lf = _find(data, b"\n\n", start, end)
    crlf = _find(data, b"\r\n\r\n", start, end)
    if lf != -1 and (crlf == -1 or lf < crlf):
        head_end, eol = lf + 2, "\n"
    elif crlf != -1:
        head_end, eol = crlf + 4, "\r\n"
    else:
        return None
    head = _text(data, start, head_end)
    lines = head[: -2 * len(eol)].split(eol)
    if eol == "\n" and "\r" in head:
        return None
    if eol == "\r\n" and any("\r" in line or "\n" in line for line in lines):
        return None
    if not all(_HEADER_LINE.match(line) for line in lines):
        return None
    return head, head_end


def _part(
    data: memoryview, start: int, end: int, outer: tuple[bytes, ...], depth: int
) -> Message | None:
    """The Message of data[start:end]."""
    if depth > _MAX_DEPTH:
        return None
    split = _split_head(data, start, end)
    if split is None:
        return None
    head, body = split
    msg = _HEADERS.parsestr(head)
    if msg.defects:
        return None
    maintype = msg.get_content_maintype()
    if maintype == "message" or any(_find(data, sep, body, end) != -1 for sep in outer):
        return None
    if maintype != "multipart":
        msg.set_payload(_text(data, body, end))
        return msg
    if msg.get_content_subtype() == "digest":
        return None  # its parts default to message/rfc822
    boundary = msg.get_boundary()
    cte = msg.get("content-transfer-encoding")
    if not boundary or (cte is not None and str(cte).lower() not in ("7bit", "8bit", "binary")):
        return None
    try:
        sep = ("--" + boundary).encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return None  # a boundary that is no bytes of the message
    parts = _cut(data, body, end, sep)
    if parts is None:
        return None
    msg.set_payload([])
    for part_start, part_end in parts:
        part = _part(data, part_start, part_end, (*outer, sep), depth + 1)
        if part is None:
            return None
        msg.attach(part)
    if not msg.get_payload():
        return None
    msg.preamble = msg.epilogue = None  # not read by the records
    return msg


_WINDOW = 4096  # characters after a boundary string read to tell a boundary line


def _cut(data: memoryview, start: int, end: int, sep: bytes) -> list[tuple[int, int]] | None:
    """The ranges of the parts between boundary lines in data[start:end], each without the
    line end before the next boundary; None unless every occurrence of the separator, up to
    the close boundary, is a boundary line, and the close boundary is there with nothing after
    it that looks like one."""
    starts = []
    at = _find(data, sep, start, end)
    close = None
    while at != -1:
        if at > start and data[at - 1] not in b"\r\n":
            return None  # the separator inside a line
        line_end = at + len(sep)
        rest = _text(data, line_end, min(end, line_end + _WINDOW))
        is_close = rest.startswith("--")
        after = rest[2:] if is_close else rest
        stripped = after.lstrip(" \t")
        if not stripped and line_end + _WINDOW < end:
            return None  # a boundary line running on in blanks: the feed parser decides
        if stripped and stripped[0] not in "\r\n":
            return None  # "--boundary" followed by other text: not a boundary line
        eol = 2 if stripped.startswith("\r\n") else (1 if stripped[:1] in ("\r", "\n") else 0)
        stop = line_end + (2 if is_close else 0) + (len(after) - len(stripped)) + eol
        starts.append((at, stop))
        if is_close:
            close = stop
            break
        at = _find(data, sep, stop, end)
    if close is None or _find(data, sep, close, end) != -1 or not starts:
        return None
    ranges = []
    for (_, begin), (next_at, _) in zip(starts, starts[1:], strict=False):
        if begin >= next_at:
            continue  # boundary lines one after another: the feed parser skips them
        trail = _EOL_END.search(_text(data, max(begin, next_at - 2), next_at))
        ranges.append((begin, next_at - (len(trail.group(0)) if trail else 0)))
    return ranges
