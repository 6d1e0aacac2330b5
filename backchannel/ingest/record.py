"""The plain records every reader yields. They know nothing of the database."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Address:
    name: str  # display name, decoded; "" when absent
    address: str  # lower-cased; "" when only a name is known (printed emails)
    # As printed, where OCR noise was cleaned off the address ("[rnailto:X@state.govi]").
    printed: str = field(default="", compare=False)
    # The Exchange alias (last CN of an X.500 address) the headers give for this mailbox.
    alias: str = field(default="", compare=False)


@dataclass
class Attachment:
    name: str
    content_type: str
    size: int
    sha256: str
    text: str | None = None


@dataclass
class Problem:
    """Something wrong with one message that did not stop it being read (a warning row)."""

    stage: str
    reason: str


@dataclass
class Provenance:
    path: str  # relative to the dump root; zip members as "dump.zip!/inner/a.eml"
    source_sha256: str
    method: str  # rfc822, msg, pst, pdf-text, ocr, quoted
    location: str  # human-readable: "offset 1234, 567 bytes", "whole file", "Inbox/Board"
    offset: int | None = None
    length: int | None = None
    folder: str | None = None
    found_in: str | None = None  # quoted history: the id of the message it was found in
    pages: str | None = None  # PDF page range, "3-4"
    bates: str | None = None  # Bates range printed on those pages, "DIST-0001236 - DIST-0001237"
    document: str | None = None  # the released document's number its stamps give
    note: str | None = None  # how the reader decided where this copy begins, when it had to
    custodian: str | None = None  # the mailbox the copy's own headers name (X-Origin)
    # How `custodian` was told: "header" (X-Origin), "load file" (a production's Custodian
    # field, which only the reporter's --custodian overrides). None: "header".
    custodian_rule: str | None = None
    # A production's record (ingest/productions/loadfile.py): its volume, the load file's line, the
    # native and text files it names (relative to the dump root) and its page count.
    volume: str | None = None
    line: int | None = None
    native_path: str | None = None
    text_path: str | None = None
    page_count: int | None = None


@dataclass(frozen=True)
class Redaction:
    """An exemption code printed on a page: over or beside a redaction, or listed by a stamp."""

    page: int | None
    code: str  # as printed: (b)(6), B6, B7(C), 1.4(D)
    kind: str  # redaction, stamp
    line: str = ""  # the line it was printed on, the codes left out
    doubtful: bool = False  # printed where a code goes, but no code as printed (B0: OCR?)


@dataclass
class MessageRecord:
    message_id: str | None
    subject: str
    sent_at: datetime | None  # timezone-aware UTC
    sent_at_original: str | None  # the Date header as written
    participants: list[tuple[str, Address]]  # (role, address), in header order
    body_text: str
    body_html: str | None
    in_reply_to: str | None
    references: list[str]
    headers: list[tuple[str, str]]  # decoded, in order
    attachments: list[Attachment]
    provenance: Provenance
    problems: list[Problem] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    zone_known: bool = True  # False when the time was printed without its zone (read as UTC)
    # Where body_text came from: "text" (a text/plain part) or "html" (made from the HTML
    # part, the only one): the splitter reads the quote structure from the HTML then.
    body_source: str | None = None
    # Made by the quick parse (quickparse.py) rather than the feed parser: the same record
    # either way, so left out of comparisons; counted in the ingest summary.
    quick: bool = field(default=False, compare=False)

    def addresses(self, role: str) -> list[Address]:
        return [a for r, a in self.participants if r == role]


@dataclass
class ReadError:
    """A thing that could not be read: a file, a message, a member of an archive."""

    path: str
    location: str
    stage: str
    reason: str
    level: str = "error"  # "warning" when the thing was read all the same


def disk_full(exc: BaseException) -> bool:
    """An OSError that says a disk is full (or a quota spent): never the fault of the file being
    read. It stops the run rather than become that file's errors row, or a rerun would skip
    the file as read."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def readable(name: str) -> str:
    """A file name as text that can be stored and shown. A name that is not UTF-8 (what unzip
    makes of a Windows zip, b"r\\xe9union.eml") reaches Python with its bytes escaped as lone
    surrogates, which SQLite and a terminal refuse: each such byte becomes a visible `\\xe9`,
    never a guess at its code page (a wrong guess would show other letters, plausibly)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that no byte made
            return name.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")


@dataclass
class Skipped:
    """An item that is not email (a contact, a calendar entry, a task): counted, not ingested."""

    kind: str
    location: str


@dataclass
class Document:
    """One record of a production's load file (ingest/productions/loadfile.py): an email, an
    attachment or a document that is not email, as the producing party listed it.
    `message_line` is the line of the record whose message holds it (its own for an email, its
    parent's for an attachment); the writer links it to that message."""

    line: int
    doc_id: str | None
    bates_begin: str | None
    bates_end: str | None
    kind: str  # email, attachment, not email, not read
    what: str | None = None  # its type as the load file or the native tells: msg, xlsx, ...
    title: str | None = None  # file name or subject
    volume: str | None = None
    custodian: str | None = None
    parent: str | None = None  # the family's parent document (its id or Bates number)
    page_count: int | None = None
    native_path: str | None = None
    text_path: str | None = None
    message_line: int | None = None
    note: str | None = None  # what was missing or disagreed
    fields: list[tuple[str, str]] = field(default_factory=list)  # the record as written


@dataclass
class ProductionInfo:
    """What a production's load file says it holds, and what reading it found: the expected
    figures a reconciliation starts from (records, pages, first and last Bates number)."""

    load_file: str  # the load file's path, relative to the dump root
    kind: str  # concordance, csv, opticon, ipro, summation
    encoding: str | None
    delimiter: str | None
    quote: str | None
    fields: list[str]  # the header row as written
    unknown_fields: list[str]  # fields the field table does not know: kept in headers
    records: int
    emails: int = 0
    attachments: int = 0
    not_email: int = 0
    not_read: int = 0  # records that could not be read (no header row, too few fields)
    missing_files: int = 0  # natives and texts it names that are not in the volume
    pages: int | None = None  # in the image cross-reference (OPT, LFP), when there is one
    images: int | None = None
    images_missing: int | None = None
    image_file: str | None = None  # that cross-reference's path
    first_bates: str | None = None
    last_bates: str | None = None
    volumes: list[str] = field(default_factory=list)


@dataclass
class PageInfo:
    """How one PDF page was read: its text layer or OCR (with the OCR's confidence)."""

    page: int
    method: str  # pdf-text, ocr
    confidence: float | None
    bates: str | None
    stamps: str | None
    chars: int
    withheld: bool = False  # blacked out whole (mostly black, by pixel count)


@dataclass
class RawEmail:
    """An RFC 822 message split out of its container but not parsed yet.

    Readers of mbox, Maildir and .eml yield these so that parsing, the costly part, can run in a
    pool of worker processes while one process writes.
    """

    data: bytes
    provenance: Provenance


@dataclass
class SourceFile:
    """One input file (or archive member), detected and hashed, ready for a reader."""

    path: str  # relative to the dump root
    local_path: Path  # where its bytes are now (a temporary file for archive members)
    sha256: str
    size: int
    format: str
    custodian: str
    custodian_given: bool = False  # named by the reporter: a reader must not change it
    custodian_rule: str = ""  # how the custodian was told: named, depth, layout, file name, ...
    file: str = ""  # the physical file (resolved path; "archive!/member"): one source per file
    reason: str = ""  # for a file that cannot be read: why
    parent: str | None = None  # path of the archive it came from
    parent_id: str | None = None  # that archive's sources.id, set by the corpus loader
    folder: str | None = None  # mail folder (Maildir) it sits in
    expected: int | None = None  # messages the container says it holds, set by its reader


Item = MessageRecord | RawEmail | ReadError | Skipped | PageInfo | Document | ProductionInfo
