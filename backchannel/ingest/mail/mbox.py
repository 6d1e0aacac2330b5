"""mbox: split at "From " separator lines, streaming, keeping each message's byte offset.

The file is read in blocks and separators found with bytes.find: a line-by-line Python loop
costs as much as a third of the parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..record import Item, Provenance, RawEmail, ReadError, SourceFile

# "From sender@example Thu Jan  1 00:00:00 2015", "From - Sat Jan 01 ...", Gmail's
# "From 1234@xxx Sat Jan 02 23:30:38 +0000 2021": an address-ish word, then a time. A body line
# "From what I hear..." after a blank line is not a separator (mboxo files don't escape it).
# A separator is "From ", a sender word, and an asctime date: a weekday and a month name
# before the time. "From what I hear the board meets at 10:30" is body text.
SEPARATOR = re.compile(
    rb"From \S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+(?:\d{1,2}\s+)?"
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s.*\d\d?:\d\d"
)
BLOCK = 1 << 22
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def messages(src: SourceFile) -> Iterator[Item]:
    """Yield each message of an mbox as raw bytes with its offset and length in the file."""
    count = 0
    with open(src.local_path, "rb") as f:
        buf = bytearray(f.read(BLOCK))
        base = 0  # file offset of buf[0]
        eof = len(buf) < BLOCK
        lead = len(buf) - len(buf.lstrip(b"\xef\xbb\xbf \t\r\n"))
        cur = None  # index in buf of the current message's separator line
        if buf[lead : lead + 5] == b"From ":
            cur, count = lead, 1
        elif SEPARATOR.match(buf, lead):
            cur, count = lead, 1
        scan = lead
        junk = False  # text seen before the first separator, already dropped from buf
        while True:
            i = buf.find(b"\nFrom ", scan)
            eol = buf.find(b"\n", i + 1) if i != -1 else -1
            if (i == -1 or eol == -1) and not eof:
                if i == -1:  # searched to the end: the next search starts there, not again
                    scan = max(scan, len(buf) - len(b"\nFrom ") + 1)
                keep = cur if cur is not None else scan
                if cur is None and buf[:keep].strip():
                    junk = True
                block = f.read(BLOCK)
                eof = len(block) < BLOCK
                # In place: a message of hundreds of blocks is not copied once per block.
                del buf[:keep]
                buf += block
                base += keep
                scan = max(scan - keep, 0)
                cur = 0 if cur is not None else None
                continue
            if i == -1:
                break
            j = i + 1  # the candidate separator line starts here
            scan = j
            blank_before = buf[i - 1 : i] == b"\n" or buf[i - 2 : i] == b"\n\r" or i == 0
            if not blank_before or not SEPARATOR.match(buf, j, eol if eol != -1 else len(buf)):
                continue
            if cur is not None:
                raw = _raw(src, buf, base, cur, j)
                if j - cur > BLOCK:  # a big message's bytes leave the buffer before it is read
                    del buf[:j]
                    base, scan, j = base + j, 0, 0
                yield raw
            elif junk or buf[:j].strip():
                yield ReadError(
                    src.path,
                    f"offset 0, {base + j} bytes",
                    "split",
                    "text before the first mbox separator (a cover note?): not a message",
                    level="warning",
                )
            cur, count = j, count + 1
        if cur is not None:
            raw = _raw(src, buf, base, cur, len(buf))
            cut, size = not buf.endswith(b"\n"), len(buf) - cur
            buf = bytearray()  # the last message's bytes go before it is read
            yield raw
            if cut:
                yield ReadError(
                    src.path,
                    f"offset {base + cur}, {size} bytes",
                    "split",
                    "file ends in the middle of a line: the last message may be truncated",
                    level="warning",
                )
        elif buf.strip():
            yield ReadError(src.path, "whole file", "split", "no mbox separator line found")
    src.expected = count


def _raw(src: SourceFile, buf: bytearray, base: int, start: int, end: int) -> RawEmail:
    body_start = buf.find(b"\n", start, end)
    body_start = end if body_start == -1 else body_start + 1
    stop = end
    # The blank line before the next separator belongs to the mbox, not to the message.
    if buf[stop - 2 : stop] == b"\n\n":
        stop -= 1
    elif buf[stop - 4 : stop] == b"\r\n\r\n":
        stop -= 2
    with memoryview(buf) as view:  # one copy of the message, as bytes
        data = bytes(view[body_start:stop])
    if b">From " in data:
        # mbox writers escape body lines starting "From " as ">From " (mboxrd adds one ">" more
        # per level): undo it, or the text reads ">From what I hear".
        data = _ESCAPED_FROM.sub(rb"\1", data)
    return RawEmail(
        data,
        Provenance(
            path=src.path,
            source_sha256=src.sha256,
            method="rfc822",
            location=f"offset {base + start}, {end - start} bytes",
            offset=base + start,
            length=end - start,
            folder=src.folder,
        ),
    )
