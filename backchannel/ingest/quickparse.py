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

import re
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32

_HEADERS = HeaderParser(policy=compat32)
# The feed parser's test of a header line: a field name and a colon, or a continuation.
_HEADER_LINE = re.compile(r"(?:[\041-\071\073-\176]*:|[\t ])")
_EOL_END = re.compile(r"(\r\n|\r|\n)\Z")
_MAX_DEPTH = 8


def quick_message(data: bytes) -> Message | None:
    """The Message the feed parser would make of `data`, or None (see the module's note)."""
    if data.startswith(b"From "):
        return None
    text = data.decode("ascii", "surrogateescape")  # what BytesParser does first
    return _part(text, (), 0)


def _split_head(text: str) -> tuple[str, str] | None:
    """(header block with its blank line, body), where the header block is plainly one."""
    lf = text.find("\n\n")
    crlf = text.find("\r\n\r\n")
    if text.startswith(("\n", "\r\n")):  # no headers at all: the body starts at once
        eol = "\r\n" if text.startswith("\r\n") else "\n"
        return text[: len(eol)], text[len(eol) :]
    if lf != -1 and (crlf == -1 or lf < crlf):
        end, eol = lf + 2, "\n"
    elif crlf != -1:
        end, eol = crlf + 4, "\r\n"
    else:
        return None
    head = text[:end]
    lines = head[: -2 * len(eol)].split(eol)
    if eol == "\n" and "\r" in head:
        return None
    if eol == "\r\n" and any("\r" in line or "\n" in line for line in lines):
        return None
    if not all(_HEADER_LINE.match(line) for line in lines):
        return None
    return head, text[end:]


def _part(text: str, outer: tuple[str, ...], depth: int) -> Message | None:
    if depth > _MAX_DEPTH:
        return None
    split = _split_head(text)
    if split is None:
        return None
    head, body = split
    msg = _HEADERS.parsestr(head)
    if msg.defects:
        return None
    maintype = msg.get_content_maintype()
    if maintype == "message" or (outer and any(sep in body for sep in outer)):
        return None
    if maintype != "multipart":
        msg.set_payload(body)
        return msg
    if msg.get_content_subtype() == "digest":
        return None  # its parts default to message/rfc822
    boundary = msg.get_boundary()
    cte = msg.get("content-transfer-encoding")
    if not boundary or (cte is not None and str(cte).lower() not in ("7bit", "8bit", "binary")):
        return None
    parts = _cut(body, "--" + boundary)
    if parts is None:
        return None
    msg.set_payload([])
    for part_text in parts:
        part = _part(part_text, (*outer, "--" + boundary), depth + 1)
        if part is None:
            return None
        msg.attach(part)
    if not msg.get_payload():
        return None
    msg.preamble = msg.epilogue = None  # not read by the records
    return msg


def _cut(body: str, sep: str) -> list[str] | None:
    """The parts' texts between boundary lines, each without the line end before the next
    boundary; None unless every occurrence of the separator, up to the close boundary, is a
    boundary line, and the close boundary is there with nothing after it that looks like one."""
    starts = []
    at = body.find(sep)
    close = None
    while at != -1:
        if at and body[at - 1] not in "\r\n":
            return None  # the separator inside a line
        line_end = at + len(sep)
        rest = body[line_end:]
        is_close = rest.startswith("--")
        after = rest[2:] if is_close else rest
        stripped = after.lstrip(" \t")
        if stripped and stripped[0] not in "\r\n":
            return None  # "--boundary" followed by other text: not a boundary line
        eol = 2 if stripped.startswith("\r\n") else (1 if stripped[:1] in ("\r", "\n") else 0)
        end = line_end + (2 if is_close else 0) + (len(after) - len(stripped)) + eol
        starts.append((at, end))
        if is_close:
            close = end
            break
        at = body.find(sep, end)
    if close is None or sep in body[close:] or not starts:
        return None
    texts = []
    for (_, begin), (next_at, _) in zip(starts, starts[1:], strict=False):
        part = body[begin:next_at]
        if not part:
            continue  # boundary lines one after another: the feed parser skips them
        trail = _EOL_END.search(part)
        texts.append(part[: -len(trail.group(0))] if trail else part)
    return texts
