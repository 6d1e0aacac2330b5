"""A production's natives read: an email file by its own format's reader, any other file (a PDF,
a web page) for its text, where no extracted text was produced with it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..mail.rfc822 import parse_raw
from ..record import (
    MessageRecord,
    Problem,
    Provenance,
    RawEmail,
    ReadError,
    Skipped,
    SourceFile,
    disk_full,
)

if TYPE_CHECKING:
    from .loadfile import Found


def read(
    found: Found, prov: Provenance, custodian: str
) -> tuple[list[MessageRecord], Skipped | ReadError | None]:
    """The native email parsed by its own format's reader, each message's provenance the
    record's (an email attached to it: "line 4 (ABC01) > attachment 2")."""
    from ..formats import BY_NAME  # the registry imports this module

    assert found.native is not None and found.native_format is not None
    native = SourceFile(
        path=found.native_rel or found.native.name,
        local_path=found.native,
        sha256="",
        size=found.native.stat().st_size,
        format=found.native_format,
        custodian=custodian,
    )
    reader = BY_NAME[found.native_format].read
    assert reader is not None
    parsed: list[MessageRecord] = []
    other: Skipped | ReadError | None = None
    try:
        for item in reader(native):
            item = parse_raw(item) if isinstance(item, RawEmail) else item
            if isinstance(item, MessageRecord):
                inner = item.provenance.location
                where = prov.location if inner == "whole file" else f"{prov.location} > {inner}"
                item.provenance = replace(prov, method=item.provenance.method, location=where)
                parsed.append(item)
            elif isinstance(item, Skipped | ReadError) and other is None:
                other = item
    except Exception as exc:  # a reader's surprise costs this native, not the load file
        if disk_full(exc):  # not the native's fault: stops the run
            raise
        other = ReadError(native.path, "whole file", "loadfile", f"{type(exc).__name__}: {exc}")
    return parsed, other


def text_of(found: Found, notes: list[Problem]) -> str | None:
    """The text of a native that is not an email file (a PDF, a web page), where no
    extracted text was produced with it."""
    from .. import attachment_text

    assert found.native is not None
    data = found.native_bytes(attachment_text.MAX_INPUT)
    if data is None:
        return None
    text, problem = attachment_text.extract(found.native.name, "application/octet-stream", data)
    if problem:
        notes.append(Problem("attachment", problem))
    return text
