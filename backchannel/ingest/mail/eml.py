"""A single RFC 822 message in a file of its own (.eml, a Maildir entry, a file with no name)."""

from __future__ import annotations

from collections.abc import Iterator

from ..record import Item, Provenance, RawEmail, SourceFile


def messages(src: SourceFile) -> Iterator[Item]:
    data = src.local_path.read_bytes()
    start = 0
    if data.startswith(b"From "):  # saved with its mbox separator line
        start = data.find(b"\n") + 1
    src.expected = 1
    yield RawEmail(
        data[start:],
        Provenance(
            path=src.path,
            source_sha256=src.sha256,
            method="rfc822",
            location=f"{src.folder}/" + src.path.rsplit("/", 1)[-1] if src.folder else "whole file",
            offset=start,
            length=len(data) - start,
            folder=src.folder,
        ),
    )
