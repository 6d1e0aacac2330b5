"""A large base64 attachment decoded a slice at a time: its size and SHA-256 without the whole
decoded file in memory (and its bytes only when its text is to be read, up to the extraction
limit). The stdlib's `get_payload(decode=True)` turns a 270 MB payload into a list of 3.5
million line objects, their join and the decoded bytes at once: 1.8 GB for a 200 MB scan.

Only base64 that the stdlib decodes without a defect is streamed — the alphabet, line breaks,
padding at the very end, a length that is a multiple of four — so the bytes are the stdlib's;
anything else (and every small part) is left to `get_payload(decode=True)`, defects and all.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from dataclasses import dataclass
from email.message import Message

STREAM_FROM = 1 << 20  # characters of payload from which a part is decoded in slices
SLICE = 4 << 20  # characters decoded at a time
_BODY = re.compile(rb"[A-Za-z0-9+/]*")
_LAST = re.compile(rb"[A-Za-z0-9+/]*={0,2}")


@dataclass
class Decoded:
    size: int
    sha256: str
    data: bytes | None  # the bytes, when asked for and at most `keep` of them


def stream_base64(part: Message, keep: int) -> Decoded | None:
    """The part's decoded size and digest (and its bytes when there are at most `keep` of
    them), or None where the stdlib must decode it: a small part, another encoding, base64
    with anything the stdlib would call a defect."""
    # The payload as the parser set it: get_payload() would first encode all of it to test
    # for surrogates (a copy as big as the part); a part with any is left to the stdlib.
    payload = getattr(part, "_payload", None)
    cte = str(part.get("content-transfer-encoding", "")).lower()
    if not isinstance(payload, str) or cte != "base64" or len(payload) < STREAM_FROM:
        return None
    digest = hashlib.sha256()
    kept: list[bytes] | None = []
    size = 0
    carry = b""
    for start in range(0, len(payload), SLICE):
        try:
            chunk = payload[start : start + SLICE].encode("ascii")
        except UnicodeEncodeError:
            return None
        chunk = carry + chunk.translate(None, b"\r\n")  # what splitlines() and join() leave
        last = start + SLICE >= len(payload)
        whole = len(chunk) if last else len(chunk) - len(chunk) % 4
        chunk, carry = chunk[:whole], chunk[whole:]
        if len(chunk) % 4 or not (_LAST if last else _BODY).fullmatch(chunk):
            return None  # a defect: the stdlib decodes it and says so
        decoded = binascii.a2b_base64(chunk)
        size += len(decoded)
        digest.update(decoded)
        if kept is not None and size <= keep:
            kept.append(decoded)
        else:
            kept = None
    return Decoded(size, digest.hexdigest(), b"".join(kept) if kept is not None else None)
