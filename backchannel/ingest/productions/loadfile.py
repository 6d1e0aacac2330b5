"""A production's load file — a Concordance DAT, a CSV, a pipe- or tab-delimited file — read
as what the producing party says it produced: each record an email (a message, from its native
or from its fields and text), an attachment of the email above it in its family, or a
document that is not email (listed and counted, never dropped), with the Bates numbers,
custodian, volume and line of the record on its copy.

The files a load file names (natives, texts, its image cross-reference and page images) are
read here, as the production's: `references` names them to the walk (ingest/files.py), which
then leaves them out, so a native is never also read as a loose file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..record import (
    Attachment,
    Document,
    Item,
    MessageRecord,
    Problem,
    ProductionInfo,
    Provenance,
    ReadError,
    Skipped,
    SourceFile,
)
from ..text import guess_decode
from . import delimited, loadmessage, natives, opticon
from .delimited import Dialect
from .loadfields import (
    EMAIL_EXTENSIONS,
    PATH_ROLES,
    is_email_type,
    kind_of_extension,
    ranked_roles,
    role_of,
    roles,
    zone_in_name,
)
from .volume import Volume, holds_mail

EMAIL_FORMATS = ("msg", "eml", "emlx")
MAILBOX_FORMATS = ("mbox", "pst")  # a native that is one is read by the walk, not here
MAX_TEXT_BYTES = 64 << 20  # of an extracted text read as a body
SUFFIXES = (".dat", ".csv", ".txt", ".tsv", ".log")
_PATHLIKE = re.compile(r"\.[A-Za-z0-9]{1,6}$")
_SPLIT_IDS = re.compile(r"[;,\s]+")
# Folders a volume holds, not volumes: a path's first folder when it is none of these is the
# volume's name (".\VOL01\TEXT\a.txt").
_VOLUME_FOLDERS = {"native", "natives", "text", "texts", "image", "images", "data", "pdf", "ocr"}

recognise = delimited.recognise


def _key(value: str) -> str:
    return value.strip().casefold()


def count_of(value: str) -> int | None:
    """A count a load file gives (pages, bytes), where it is a number SQLite can hold."""
    value = value.strip()
    return int(value) if value.isdecimal() and len(value) <= 18 else None


def looks_like_path(value: str) -> bool:
    return "\n" not in value and len(value) < 1024 and bool(_PATHLIKE.search(value.strip()))


@dataclass
class Table:
    """A load file's dialect and header: which column has which role."""

    dialect: Dialect | None
    header: list[str] | None
    columns: dict[str, int] = field(default_factory=dict)  # role -> its best column

    def values(self, fields: list[tuple[str, str]]) -> dict[str, str]:
        """A record's value for each role: its best column's, else the next column's that has
        one; for an address, the first that gives an address ("Email From" may give the name
        alone, "From (SMTP Address)" the address)."""
        found: dict[str, str] = {}
        for role, columns in self._ranked.items():
            given = [fields[c][1] for c in columns if fields[c][1]]
            if not given:
                continue
            if role in ("from", "to", "cc", "bcc"):
                found[role] = next((v for v in given if "@" in v), given[0])
                name = given[0]
                address = found[role]
                if role == "from" and "@" in address and "@" not in name and "<" not in address:
                    found[role] = f"{name} <{address}>"  # a name, then its address
            else:
                found[role] = given[0]
        zone = self.date_zone
        if zone and "time_zone" not in found:
            found["time_zone"] = zone
        return found

    def __post_init__(self) -> None:
        self._ranked = ranked_roles(self.header or [])

    @property
    def unknown(self) -> list[int]:
        """Columns no role is read from: fields the table does not know."""
        used = {c for columns in self._ranked.values() for c in columns}
        return [i for i in range(len(self.header or [])) if i not in used]

    @property
    def date_zone(self) -> str | None:
        """The zone a date column's name gives ("Sent Date (UTC)"), where the record's time
        zone field says nothing."""
        header = self.header or []
        for role in ("date_sent", "date_received", "date"):
            if role in self.columns:
                return zone_in_name(header[self.columns[role]])
        return None

    @property
    def privilege_log(self) -> bool:
        """A list of what was withheld: it names a privilege or exemption, and no file."""
        return "privilege" in self.columns and not set(PATH_ROLES) & self.columns.keys()


def table_of(path: Path) -> Table | None:
    dialect = delimited.dialect_of_file(path)
    if dialect is None:
        return None
    first = next(delimited.records(path, dialect), None)
    if first is None or not delimited.is_header(first[1]):
        return Table(dialect, None)
    header = [f.strip() for f in first[1]]
    return Table(dialect, header, roles(header))


@dataclass
class Entry:
    """One record: its fields as written, and its values by role."""

    line: int
    fields: list[tuple[str, str]]
    values: dict[str, str]
    problem: str | None = None

    def get(self, role: str) -> str:
        return self.values.get(role, "")

    @property
    def ident(self) -> str:
        first = next((v for _, v in self.fields if v), "")
        return self.get("doc_id") or self.get("bates_begin") or first or f"line {self.line}"

    def keys(self) -> set[str]:
        return {_key(v) for v in (self.get("doc_id"), self.get("bates_begin"), self.ident) if v}

    def bates(self) -> str | None:
        begin = self.get("bates_begin") or self.get("doc_id")
        end = self.get("bates_end")
        return f"{begin} - {end}" if begin and end and _key(end) != _key(begin) else begin or None

    def parent_ref(self) -> str:
        """The family member above it that its fields name: its parent, or its family's first
        Bates number when that is not its own."""
        for role in ("parent", "attach_begin"):
            value = self.get(role)
            if value and _key(value) not in self.keys():
                return value
        return ""

    def children(self) -> set[str]:
        return {_key(v) for v in _SPLIT_IDS.split(self.get("children")) if v}


def entries(path: Path, table: Table) -> Iterator[Entry]:
    """Each record after the header row, padded or cut to the header's width (said)."""
    header = table.header or []
    width = len(header)
    assert table.dialect is not None
    rows = delimited.records(path, table.dialect)
    next(rows, None)  # the header row
    for line, values in rows:
        if len(values) == width + 1 and not values[-1].strip():
            values = values[:-1]  # a delimiter after the last field
        problem = None
        if len(values) != width:
            problem = f"{len(values)} fields where the header names {width}"
        values = (values + [""] * width)[:width]
        fields = [(name, value.strip()) for name, value in zip(header, values, strict=True)]
        yield Entry(line, fields, table.values(fields), problem)


def families(records: Iterator[Entry]) -> Iterator[list[Entry]]:
    """Records grouped into families as tools write them: a parent, then the records whose
    parent field (or family's first Bates number, or the parent's list of children) names it
    or another member. A record that names a parent not just above it starts a family of its
    own; the reader says so."""
    family: list[Entry] = []
    keys: set[str] = set()
    children: set[str] = set()
    for record in records:
        ref = _key(record.parent_ref())
        group = _key(record.get("group"))
        joins = bool(family) and (
            (bool(ref) and ref in keys)
            or bool(record.keys() & children)
            or (bool(group) and group in keys and group not in record.keys())
        )
        if joins:
            family.append(record)
            keys |= record.keys()
            children |= record.children()
            continue
        if family:
            yield family
        family, keys, children = [record], record.keys(), record.children()
    if family:
        yield family


@dataclass
class Found:
    """What the volume holds of one record: its native, its text, its page images' count."""

    native: Path | None = None
    native_rel: str | None = None
    native_format: str | None = None
    text_file: Path | None = None
    inline_text: str | None = None  # the extracted text itself, written in the field
    text_rel: str | None = None
    pages: int | None = None
    volume: str | None = None
    notes: list[str] = field(default_factory=list)

    def text(self) -> str | None:
        """Its extracted text, read when asked (a document that is not email never is); a
        text that cannot be read is a note."""
        if self.text_file is not None:
            try:
                return read_text(self.text_file)
            except OSError as exc:
                self.notes.append(f"its text {self.text_rel} cannot be read: {exc.strerror}")
                return None
        return self.inline_text

    def native_bytes(self, limit: int) -> bytes | None:
        """Its native's first `limit` + 1 bytes; None (and a note) where it cannot be read."""
        if self.native is None:
            return None
        try:
            with open(self.native, "rb") as f:
                return f.read(limit + 1)
        except OSError as exc:
            self.notes.append(f"its native {self.native_rel} cannot be read: {exc.strerror}")
            return None


def read_text(path: Path) -> str:
    """An extracted text: UTF-16 or UTF-8 by its BOM, else UTF-8, else the best guess."""
    with open(path, "rb") as f:
        data = f.read(MAX_TEXT_BYTES)
    encoding = delimited.bom_encoding(data[:4])
    text = data.decode(encoding, errors="replace") if encoding else guess_decode(data)
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\x00", "")


def volume_of_path(value: str) -> str | None:
    """The volume a path names first (".\\VOL01\\NATIVES\\a.msg": VOL01), if it does."""
    parts = [p for p in re.split(r"[\\/]+", value.strip()) if p not in ("", ".")]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        return None  # a path on the producer's machine: its first folder says nothing
    if len(parts) >= 3 and parts[0].casefold() not in _VOLUME_FOLDERS:
        return parts[0]
    return None


def references(path: Path, root: Path) -> Iterator[Path]:
    """The files a load file names that are in its volume (natives, texts, page images), and
    the image cross-reference beside it with its images: the walk leaves them to it. Not a
    file that holds mail the walk reads by itself (volume.holds_mail): a mailbox, or a PDF
    of a family that the load file does not read as an email."""
    table = table_of(path)
    if table is None or table.header is None:
        return
    volume = Volume(path, root)
    texts = table.columns.get("text_path")
    columns = [table.columns[r] for r in PATH_ROLES if r in table.columns]
    emails: set[str] = set()
    for family in families(entries(path, table)):
        named = [
            (column, found)
            for record in family
            for column in columns
            if looks_like_path(value := record.fields[column][1])
            and (found := volume.find(value)) is not None
        ]
        own = {found: holds_mail(found) for column, found in named if column != texts}
        head = family[0].get("native_path")
        email = says_email(family[0], _format(volume.find(head)) if looks_like_path(head) else None)
        if email:
            emails |= {k for record in family for k in record.keys()}
        for _, found in named:
            held = own.get(found)
            if held is None or (email and held == "pdf"):
                yield found
    images = opticon.beside(path)
    if images is not None:
        yield images
        yield from opticon.references(images, root, emails)


def native_format(path: Path) -> str:
    """A native's format as the registry tells it; an OLE2 file not named .msg is an office
    file (Word, Excel, PowerPoint), not an Outlook message. Raises OSError."""
    from ..formats import sniff_file  # the registry imports this module

    name = sniff_file(path)
    return "office" if name == "msg" and path.suffix.lower() not in ("", ".msg") else name


def _format(native: Path | None) -> str | None:
    try:
        return native_format(native) if native is not None else None
    except OSError:
        return None


def says_email(record: Entry, native_format: str | None, child: bool = False) -> bool:
    """An email: its native is an email file (never a mailbox: the walk reads the emails in
    it), or its record type says so, or (a family's first record only) its fields give a
    sender and a recipient."""
    if native_format in EMAIL_FORMATS:
        return True
    if native_format in MAILBOX_FORMATS:
        return False
    kind = record.get("record_type")
    verdict = is_email_type(kind) if kind else None
    extension = record.get("extension").strip().lstrip(".").casefold()
    if verdict is None and extension in EMAIL_EXTENSIONS:
        verdict = True
    if verdict is not None:
        return verdict
    if child:
        return False  # tools copy the family's email fields onto its attachments
    return bool(record.get("from")) and any(record.get(r) for r in ("to", "cc", "bcc"))


def messages(src: SourceFile) -> Iterator[Item]:
    """The reader: every record of the load file, as messages, documents and warnings, then
    what the load file says it holds (ProductionInfo)."""
    table = table_of(src.local_path)
    if table is None:
        yield ReadError(src.path, "whole file", "loadfile", "no delimiter found: not read")
        return
    dialect = table.dialect
    assert dialect is not None
    info = ProductionInfo(
        load_file=src.path,
        kind="concordance" if dialect.delimiter == "\x14" else "delimited",
        encoding=dialect.encoding,
        delimiter=dialect.delimiter,
        quote=dialect.quote,
        fields=table.header or [],
        unknown_fields=[h for h in table.header or [] if role_of(h) is None],
        records=0,
    )
    if table.header is None:
        yield from _headerless(src, table, info)
        return
    yield from read_records(src, table, entries(src.local_path, table), info)


def read_records(
    src: SourceFile, table: Table, records: Iterator[Entry], info: ProductionInfo
) -> Iterator[Item]:
    """A load file's records, whatever its syntax (a DAT's lines, a DII's tokens), read
    family by family; then what it says it holds."""
    if table.privilege_log:
        info.kind = "privilege log"
    src.expected = 0
    reading = Reading(src, Volume.of(src), table, info)
    for family in families(records):
        for item in reading.family(family):
            if isinstance(item, MessageRecord) and " > " not in item.provenance.location:
                src.expected += 1
            yield item
    yield from reading.finish()


def _headerless(src: SourceFile, table: Table, info: ProductionInfo) -> Iterator[Item]:
    """A load file without its header row: what each field is cannot be told, so nothing of
    it is guessed; its records are counted and said."""
    assert table.dialect is not None
    info.records = info.not_read = sum(1 for _ in delimited.records(src.local_path, table.dialect))
    src.expected = 0
    yield ReadError(
        src.path,
        "whole file",
        "loadfile",
        f"no header row naming the fields: its {info.records} records were not read",
    )
    yield info


class Reading:
    """One load file being read: its volume, its image cross-reference, its tallies."""

    def __init__(self, src: SourceFile, volume: Volume, table: Table, info: ProductionInfo):
        self.src = src
        self.volume = volume
        self.table = table
        self.info = info
        self.seen: set[str] = set()
        self.images: dict[str, tuple[str, int, str]] = {}  # first page key -> volume, pages, last
        self.matched: set[str] = set()
        cross = opticon.beside(volume.load_file)
        if cross is not None:
            self._index(cross)

    def _index(self, cross: Path) -> None:
        info = self.info
        info.image_file = self.volume.relative(cross)
        info.pages = info.images = info.images_missing = 0
        for doc in opticon.documents(cross):
            self.images[_key(doc.key)] = (doc.volume, doc.pages, doc.last)
            info.pages += doc.pages
            missing = sum(1 for image in doc.images if self.volume.find(image) is None)
            info.images += doc.pages - missing
            info.images_missing += missing

    def finish(self) -> Iterator[Item]:
        unlisted = [k for k in self.images if k not in self.matched]
        if unlisted:
            yield ReadError(
                self.src.path,
                self.info.image_file or "",
                "loadfile",
                f"the image cross-reference lists {len(unlisted)} documents the load file does "
                f"not (first: {unlisted[0]})",
                level="warning",
            )
        if self.info.images_missing:
            yield ReadError(
                self.src.path,
                self.info.image_file or "",
                "loadfile",
                f"{self.info.images_missing} page images the cross-reference names are not in "
                "the volume",
                level="warning",
            )
        yield self.info

    # -- one record's files -----------------------------------------------------------------
    def found(self, record: Entry) -> Found:
        found = Found()
        native = record.get("native_path")
        if native and looks_like_path(native):
            path = self.volume.find(native)
            if path is None:
                found.notes.append(f"its native {native} is not in the volume")
            else:
                found.native, found.native_rel = path, self.volume.relative(path)
                try:
                    found.native_format = native_format(path)
                except OSError as exc:
                    found.notes.append(f"its native {native} cannot be read: {exc.strerror}")
        text = record.get("text_path")
        if text and looks_like_path(text):
            path = self.volume.find(text)
            if path is None:
                found.notes.append(f"its text {text} is not in the volume")
            else:
                found.text_file, found.text_rel = path, self.volume.relative(path)
        elif text:
            found.inline_text = text
        self.info.missing_files += len(found.notes)
        self._pages(record, found, native or text)
        return found

    def _pages(self, record: Entry, found: Found, path: str) -> None:
        first = _key(record.get("bates_begin") or record.get("doc_id"))
        if first in self.images:
            volume, found.pages, _ = self.images[first]
            found.volume = volume or None
            self.matched.add(first)
        elif (pages := count_of(record.get("page_count"))) is not None:
            found.pages = pages
        found.volume = (
            found.volume
            or record.get("volume")
            or volume_of_path(path)
            or self.volume.load_file.parent.name
        )
        if found.volume not in self.info.volumes:
            self.info.volumes.append(found.volume)

    # -- one family ----------------------------------------------------------------------------
    def family(self, members: list[Entry]) -> Iterator[Item]:
        head, children = members[0], members[1:]
        found = [self.found(m) for m in members]
        orphan = self._orphan(head)
        for member in members:
            self._tally(member)
            if member.problem:
                yield self._warning(member, member.problem)
        if self.table.privilege_log:
            for member, files in zip(members, found, strict=True):
                yield from self._listed(member, files, head, "withheld")
            return
        if not says_email(head, found[0].native_format):
            for member, files in zip(members, found, strict=True):
                note = orphan if member is head else None
                yield from self._listed(member, files, head, "not email", note)
            return
        problems: list[Problem] = [Problem("loadfile", orphan)] if orphan else []
        attached = [
            self._attachment(c, f, problems) for c, f in zip(children, found[1:], strict=True)
        ]
        yield from self.email(head, found[0], attached, problems)
        for child, files in zip(children, found[1:], strict=True):
            also = says_email(child, files.native_format, child=True)
            if also:  # an email attached to an email: a message of its own too
                yield from self.email(child, files, [], [])
            yield self._document(child, files, "attachment", head, message_line=head.line)

    def _orphan(self, head: Entry) -> str | None:
        ref = head.parent_ref()
        if not ref:
            return None
        if _key(ref) in self.seen:
            return f"its parent {ref} is listed earlier, apart from it: not attached to it"
        return f"its parent {ref} is not in this load file"

    def _tally(self, record: Entry) -> None:
        self.seen |= record.keys()
        self.info.records += 1
        begin = record.get("bates_begin") or record.get("doc_id")
        self.info.first_bates = self.info.first_bates or begin or None
        self.info.last_bates = record.get("bates_end") or begin or self.info.last_bates

    def _warning(self, record: Entry, reason: str) -> ReadError:
        return ReadError(
            self.src.path, f"line {record.line} ({record.ident})", "loadfile", reason, "warning"
        )

    # -- what each record becomes -------------------------------------------------------------
    def email(
        self, record: Entry, found: Found, attached: list[Attachment], problems: list[Problem]
    ) -> Iterator[Item]:
        """The record's message: its native's parse overlaid with its fields, else its fields
        and text. A native that turns out not to be an email (a calendar entry) is listed."""
        fields = loadmessage.email_fields(record.values)
        prov = self.provenance(record, found)
        headers = self._unknown_headers(record)
        unread: list[Problem] = []
        if found.native_format in EMAIL_FORMATS:
            parsed, other = natives.read(found, prov, self.src.custodian)
            if parsed:
                main = parsed[0]
                loadmessage.overlay(main, fields, headers)
                if not main.attachments:
                    main.attachments = attached
                main.problems += problems + [Problem("loadfile", n) for n in found.notes]
                yield from parsed
                yield self._document(record, found, "email", message_line=record.line)
                return
            if isinstance(other, Skipped):
                yield from self._listed(record, found, record, "not email", what=other.kind)
                return
            if other is not None:
                unread.append(Problem("loadfile", f"its native could not be read: {other.reason}"))
        text = found.text()
        if text is None and found.native is not None and not unread:
            text = natives.text_of(found, unread)
        message = loadmessage.from_fields(fields, text, prov, headers, attached)
        message.problems += problems + [Problem("loadfile", n) for n in found.notes] + unread
        yield message
        yield self._document(record, found, "email", message_line=record.line)

    def provenance(self, record: Entry, found: Found) -> Provenance:
        custodian = None if self.src.custodian_given else record.get("custodian") or None
        return Provenance(
            path=self.src.path,
            source_sha256=self.src.sha256,
            method="loadfile",
            location=f"line {record.line} ({record.ident})",
            folder=record.get("folder") or self.src.folder,
            bates=record.bates(),
            document=record.ident,
            custodian=custodian,
            custodian_rule="load file" if custodian else None,
            volume=found.volume,
            line=record.line,
            native_path=found.native_rel,
            text_path=found.text_rel,
            page_count=found.pages,
        )

    def _unknown_headers(self, record: Entry) -> list[tuple[str, str]]:
        """Fields the table does not know, kept with the message as the tool named them."""
        return [
            (f"{record.fields[i][0]} (load file)", record.fields[i][1])
            for i in self.table.unknown
            if record.fields[i][1]
        ]

    def _attachment(self, child: Entry, found: Found, problems: list[Problem]) -> Attachment:
        """A family member as an attachment of its email: name, bytes and text."""
        from .. import attachment_text

        data = found.native_bytes(attachment_text.MAX_INPUT)
        if data is not None and len(data) > attachment_text.MAX_INPUT:
            data = None  # too big to hash here: named, sized, its text kept
        name = child.get("file_name") or (found.native.name if found.native else child.ident)
        size_bytes = count_of(child.get("file_size"))
        text = found.text()
        problems += [Problem("loadfile", f"attachment {child.ident}: {n}") for n in found.notes]
        return loadmessage.attachment(name, data, size_bytes, text, problems)

    def _what(self, record: Entry, found: Found) -> str | None:
        return (
            record.get("record_type")
            or record.get("extension")
            or (found.native.suffix.lstrip(".").lower() if found.native else None)
            or PurePosixPath(record.get("file_name")).suffix.lstrip(".").lower()
            or None
        )

    def _listed(
        self,
        record: Entry,
        found: Found,
        head: Entry,
        kind: str,
        note: str | None = None,
        what: str | None = None,
    ) -> Iterator[Item]:
        """A record that is not email: counted by what it is, listed, its missing files said."""
        extension = (
            record.get("extension")
            or (found.native.suffix if found.native else "")
            or PurePosixPath(record.get("file_name")).suffix
        )
        label = "withheld" if kind == "withheld" else what or kind_of_extension(extension)
        yield Skipped(label, f"line {record.line}")
        notes = ([note] if note else []) + found.notes
        if notes:
            yield self._warning(record, "; ".join(notes))
        yield self._document(record, found, kind, head if head is not record else None, notes)

    def _document(
        self,
        record: Entry,
        found: Found,
        kind: str,
        parent: Entry | None = None,
        notes: list[str] | None = None,
        message_line: int | None = None,
    ) -> Document:
        tally = {"email": "emails", "attachment": "attachments"}.get(kind, "not_email")
        setattr(self.info, tally, getattr(self.info, tally) + 1)
        return Document(
            line=record.line,
            doc_id=record.get("doc_id") or None,
            bates_begin=record.get("bates_begin") or record.get("doc_id") or None,
            bates_end=record.get("bates_end") or None,
            kind=kind,
            what=self._what(record, found),
            title=record.get("subject") or record.get("file_name") or None,
            volume=found.volume,
            custodian=record.get("custodian") or None,
            parent=(parent.ident if parent else record.parent_ref()) or None,
            page_count=found.pages,
            native_path=found.native_rel,
            text_path=found.text_rel,
            message_line=message_line,
            note="; ".join(notes if notes is not None else found.notes) or None,
            fields=[(name, value) for name, value in record.fields if value],
        )
