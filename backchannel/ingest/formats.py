"""Every input format, one entry each: the one place to add a format.

An entry says how a file of the format is recognised from its first bytes (dumps hold mail with
no extension or the wrong one), which reader turns it into message records, and how the rest of
the program treats its files. Detection tries the entries in order: the first that recognises
a file names its format.

To add a format: write `ingest/<format>.py` with `messages(src: SourceFile) -> Iterator[Item]`
(one of the readers below is the model), then add its entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import detect
from .mail import eml, emlx, mbox
from .outlook import msg, pst
from .printed import pdf
from .productions import delimited, loadfile, opticon, summation
from .record import Item, SourceFile

Reader = Callable[[SourceFile], Iterator[Item]]
# (the file, the dump root) -> the files it reads itself, which the walk leaves to it
References = Callable[[Path, Path], Iterator[Path]]


@dataclass(frozen=True)
class Format:
    name: str
    recognise: Callable[[bytes, str], bool]  # (first bytes, file name) -> is it this format
    read: Reader | None = None  # None: a container, or recognised but not read yet
    container: bool = False  # its members are files of their own (ingest/archive.py)
    one_message: bool = False  # a file is one message: parsed ahead in the parser pool
    mailbox: bool = False  # a file is a whole mailbox: named after its custodian, by default
    # Raised when the reader's output changes in a way that fixes corpora made before: files
    # read at an older version are read again by the next ingest.
    version: int = 1
    pending: str = ""  # recognised but not read yet: what it is (its files become errors)
    # A production's load file reads the files it names (natives, texts, page images): the
    # walk asks files with these name endings, before it starts, which files they read, and
    # leaves those to them (ingest/files.py).
    references: References | None = None
    suffixes: tuple[str, ...] = ()
    label: str = ""  # what `backchannel ingest --help` calls it


def described() -> tuple[list[str], list[str]]:
    """The formats as `ingest --help` lists them: those read, and those recognised but not
    read (their files become errors)."""
    read = [f.label for f in FORMATS if f.read is not None or f.container]
    not_read = [f.label for f in FORMATS if f.read is None and not f.container]
    return read, not_read


FORMATS: list[Format] = [
    Format("empty", lambda head, name: not head, label="empty files"),
    # Outlook for Mac's .olm is a zip of XML messages.
    Format("olm", lambda h, n: detect.is_zip(h) and n.lower().endswith(".olm"),
           pending="Outlook for Mac .olm", label="Outlook for Mac .olm"),
    Format("zip", lambda h, n: detect.is_zip(h), container=True,
           label="zips (their members, zips inside zips too)"),
    Format("msg", lambda h, n: detect.is_ole2(h), msg.messages, one_message=True,
           version=msg.VERSION, label="Outlook .msg"),
    Format("pst", lambda h, n: h.startswith(b"!BDN"), pst.messages, mailbox=True,
           version=pst.VERSION, label="Outlook .pst and .ost"),
    Format("pdf", lambda h, n: b"%PDF-" in h[:1024], pdf.messages, version=pdf.VERSION,
           label="PDFs of printed emails (scanned ones by OCR)"),
    Format("dbx", lambda h, n: h.startswith(b"\xcf\xad\x12\xfe"),
           pending="Outlook Express .dbx", label="Outlook Express .dbx"),
    Format("emlx", lambda h, n: detect.is_emlx(h), emlx.messages, one_message=True,
           label="Apple Mail .emlx"),
    # A production's load file (Concordance DAT, CSV; Summation DII) and its image
    # cross-reference (Opticon OPT, IPRO LFP): ingest/productions/ (loadfile.py, summation.py,
    # opticon.py).
    Format("loadfile", delimited.recognise, loadfile.messages,
           references=loadfile.references, suffixes=loadfile.SUFFIXES,
           label="productions' load files (Concordance .dat and other delimited tables)"),
    Format("summation", summation.recognise, summation.messages,
           references=summation.references, suffixes=summation.SUFFIXES,
           label="Summation .dii"),
    Format("opticon", opticon.recognise, opticon.messages,
           references=opticon.references, suffixes=opticon.SUFFIXES,
           label="image cross references (Opticon .opt, IPRO .lfp)"),
    # A single message saved with its mbox separator is still one .eml.
    Format("eml", detect.is_eml, eml.messages, one_message=True,
           label=".eml files (Maildir folders too)"),
    Format("mbox", detect.is_mbox, mbox.messages, mailbox=True, label="mbox"),
]  # fmt: skip
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}


def sniff(head: bytes, name: str = "") -> str:
    """The format of a file whose first bytes are `head`: an entry's name, or "unknown"."""
    return next((f.name for f in FORMATS if f.recognise(head, name)), "unknown")


def sniff_file(path: Path, name: str = "") -> str:
    with open(path, "rb") as f:
        return sniff(f.read(8192), name or path.name)
