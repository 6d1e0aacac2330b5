"""Apple Mail's .emlx: a line with the message's length in bytes, the RFC 822 message, then an
XML property list (flags, dates) that is Mail's, not the sender's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..record import Item, Provenance, RawEmail, ReadError, SourceFile

_LENGTH = re.compile(rb"\A\s*(\d+)[ \t]*\r?\n")


def messages(src: SourceFile) -> Iterator[Item]:
    data = src.local_path.read_bytes()
    m = _LENGTH.match(data)
    if m is None:
        yield ReadError(src.path, "whole file", "emlx", "no byte count on the first line")
        return
    start, length = m.end(), int(m.group(1))
    src.expected = 1
    if start + length > len(data):
        yield ReadError(
            src.path,
            "whole file",
            "emlx",
            f"the file says {length} bytes of message; {len(data) - start} are there",
            level="warning",
        )
        length = len(data) - start
    if src.path.endswith(".partial.emlx"):
        yield ReadError(
            src.path,
            "whole file",
            "emlx",
            "a partial .emlx: Mail keeps its attachments in .emlxpart files beside it, not read",
            level="warning",
        )
    yield RawEmail(
        data[start : start + length],
        Provenance(
            path=src.path,
            source_sha256=src.sha256,
            method="rfc822",
            location="whole file",
            offset=start,
            length=length,
            folder=src.folder,
        ),
    )
