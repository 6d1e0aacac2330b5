"""Summation's `.DII` load file: a production as tokens, one record from each `@T` (its first
Bates number) to the next, fields as `@C FIELD value`, an email's as `@FROM`, `@TO`, `@CC`,
`@BCC`, `@SUBJECT`, `@DATESENT`, `@TIMESENT` between `@EMAIL-BEGIN` and `@EMAIL-END`, the
native as `@EDOC`, the text as `@O`, and the page images as the file names listed under
`@D @I\\folder\\`. Its records are read as a DAT's are (ingest/productions/loadfile.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..record import Item, ProductionInfo, SourceFile
from .delimited import file_encoding, head_text, sample_lines
from .loadfields import role_of, roles
from .loadfile import Entry, Table, read_records
from .volume import Volume, holds_mail

SUFFIXES = (".dii", ".txt")
_TOKEN = re.compile(r"^@(\S+)\s?(.*)$")
_IMAGE_FOLDER = re.compile(r"^@?[IV]\s*", re.IGNORECASE)


@dataclass
class DiiRecord:
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # paths, as written
    email: bool = False


def recognise(head: bytes, name: str = "") -> bool:
    lines = [x.strip() for x in sample_lines(head_text(head)[0]) if not x.startswith(";")]
    return bool(lines) and lines[0].startswith("@") and any(re.match(r"@T\s+\S", x) for x in lines)


def records(path: Path) -> Iterator[DiiRecord]:
    """Each record, its tokens as (name, value) fields in order."""
    record: DiiRecord | None = None
    folder = ""
    with open(path, encoding=file_encoding(path), errors="replace") as f:
        for number, raw in enumerate(f, start=1):
            line = raw.strip().lstrip("\ufeff")
            if not line or line.startswith(";"):
                continue
            token = _TOKEN.match(line)
            if token is None:  # a page image's file name, under the last @D
                if record is not None:
                    record.images.append(f"{folder}\\{line}" if folder else line)
                continue
            name, value = token.group(1).upper(), token.group(2).strip()
            if name == "T":
                if record is not None:
                    yield _finished(record)
                record, folder = DiiRecord(number, [("T", value)]), ""
            elif record is None:
                continue  # tokens before the first record: a header Summation ignores too
            elif name == "C":
                field_name, _, field_value = value.partition(" ")
                record.fields.append((field_name, field_value.strip()))
            elif name in ("EMAIL-BEGIN", "EMAIL-END"):
                record.email = True
            elif name == "D":
                folder = _IMAGE_FOLDER.sub("", value).rstrip("\\/")
            else:
                record.fields.append((name, value))
    if record is not None:
        yield _finished(record)


def _finished(record: DiiRecord) -> DiiRecord:
    names = {n.upper() for n, _ in record.fields}
    if record.email and "MEDIA" not in names:
        record.fields.append(("MEDIA", "eMail"))
    if record.images:
        record.fields.append(("PAGECOUNT", str(len(record.images))))
        record.fields.append(("IMAGEPATH", record.images[0]))
    return record


def _table(found: list[DiiRecord]) -> tuple[Table, list[Entry]]:
    """The records as a table: every field name any record uses, in order of first use."""
    header = list(dict.fromkeys(name for r in found for name, _ in r.fields))
    table = Table(None, header, roles(header))
    rows = []
    for r in found:
        given = dict(reversed(r.fields))  # a name given twice: its first value
        fields = [(name, given.get(name, "")) for name in header]
        rows.append(Entry(r.line, fields, table.values(fields)))
    return table, rows


def references(path: Path, root: Path) -> Iterator[Path]:
    """The natives, texts and page images its records name; but not a mailbox, nor a PDF of
    a record that is not an email (the walk reads the mail in them: volume.holds_mail)."""
    volume = Volume(path, root)
    for r in records(path):
        texts = [v for n, v in r.fields if role_of(n) == "text_path"]
        others = [v for n, v in r.fields if role_of(n) == "native_path"] + r.images
        for value in texts + others:
            found = volume.find(value)
            if found is None:
                continue
            held = holds_mail(found) if value in others else None
            if held is None or (r.email and held == "pdf"):
                yield found


def messages(src: SourceFile) -> Iterator[Item]:
    found = list(records(src.local_path))
    table, rows = _table(found)
    info = ProductionInfo(
        load_file=src.path,
        kind="summation",
        encoding=file_encoding(src.local_path),
        delimiter=None,
        quote=None,
        fields=table.header or [],
        unknown_fields=[h for h in table.header or [] if role_of(h) is None],
        records=0,
        pages=sum(len(r.images) for r in found),
    )
    yield from read_records(src, table, iter(rows), info)
