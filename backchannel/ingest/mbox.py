"""mbox: split at "From " separator lines, streaming, keeping each message's byte offset."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .record import Item, Provenance, RawEmail, ReadError, SourceFile

# "From sender@example Thu Jan  1 00:00:00 2015", "From - Sat Jan 01 ...", Gmail's
# "From 1234@xxx Sat Jan 02 23:30:38 +0000 2021": an address-ish word, then a time.
_SEPARATOR = re.compile(rb"From \S*\s.*\d\d?:\d\d")


def messages(src: SourceFile) -> Iterator[Item]:
    """Yield each message of an mbox as raw bytes with its offset and length in the file."""
    count = 0
    start: int | None = None
    lines: list[bytes] = []
    offset = 0
    prev_blank = True
    last = b""
    with open(src.local_path, "rb") as f:
        for line in f:
            if (
                line.startswith(b"From ")
                and prev_blank
                and (start is None or _SEPARATOR.match(line))
            ):
                if start is not None:
                    yield _raw(src, start, offset, lines)
                elif b"".join(lines).strip():
                    yield ReadError(
                        src.path,
                        f"offset 0, {offset} bytes",
                        "split",
                        "text before the first mbox separator",
                    )
                start, lines = offset, []
                count += 1
            else:
                lines.append(line)
            prev_blank = not line.strip()
            offset += len(line)
            last = line
    if start is not None:
        yield _raw(src, start, offset, lines)
        if last and not last.endswith(b"\n"):
            yield ReadError(
                src.path,
                f"offset {start}, {offset - start} bytes",
                "split",
                "file ends in the middle of a line: the last message may be truncated",
                level="warning",
            )
    src.expected = count


def _raw(src: SourceFile, start: int, end: int, lines: list[bytes]) -> RawEmail:
    # The blank line before the next separator belongs to the mbox, not to the message.
    if lines and not lines[-1].strip():
        lines = lines[:-1]
    return RawEmail(
        b"".join(lines),
        Provenance(
            path=src.path,
            source_sha256=src.sha256,
            method="rfc822",
            location=f"offset {start}, {end - start} bytes",
            offset=start,
            length=end - start,
            folder=src.folder,
        ),
    )
