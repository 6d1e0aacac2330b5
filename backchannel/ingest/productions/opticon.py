"""A production's image cross-reference: which page images make each document, under which
Bates number. Opticon's `.OPT` (`key,volume,image path,Y,,,page count`, a `Y` on each
document's first page) and IPRO's `.LFP` (`IM,key,D,0,@volume;folder;file;2`, a boundary
flag — D, C, S, B or F — on each document's first page), LF or CRLF.

Beside a load file (same name, or the only one in its folder) it gives each record its page
count; alone, each of its documents is listed as page images that were not read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..record import Document, Item, ProductionInfo, ReadError, Skipped, SourceFile
from .delimited import file_encoding, head_text, sample_lines
from .volume import Volume, holds_mail

SUFFIXES = (".opt", ".lfp")
_OPT = re.compile(r"^[^,]+,[^,]*,[^,]+,[YyNn]?,[^,]*,[^,]*,\s*\d*\s*$")
_LFP = re.compile(r"^IM,[^,]+,[A-Za-z ]?,\d*,")


@dataclass
class ImageDoc:
    key: str  # the first page's key: its Bates number
    line: int
    volume: str = ""
    last: str = ""  # the last page's key
    images: list[str] = field(default_factory=list)  # one per page, as written

    @property
    def pages(self) -> int:
        return len(self.images)


def is_opticon(head: bytes, name: str = "") -> bool:
    lines = sample_lines(head_text(head)[0])
    return bool(lines) and bool(_OPT.match(lines[0])) and lines[0].split(",")[3] in "Yy"


def is_lfp(head: bytes, name: str = "") -> bool:
    lines = [line for line in sample_lines(head_text(head)[0]) if not line.startswith("##")]
    return bool(lines) and bool(_LFP.match(lines[0]))


def recognise(head: bytes, name: str = "") -> bool:
    return is_opticon(head, name) or is_lfp(head, name)


def _page(line: str) -> tuple[str, bool, str, str] | None:
    """(key, first page of a document, volume, image path) of one line, OPT or LFP."""
    if line.startswith("IM,"):
        parts = line.split(",", 4)
        if len(parts) < 5:
            return None
        where = parts[4].split(",")[0].split(";")
        volume = where[0].lstrip("@") if where[0].startswith("@") and len(where) > 2 else ""
        folder, name = (where[1], where[2]) if volume or len(where) > 2 else ("", where[0])
        return parts[1].strip(), bool(parts[2].strip()), volume, f"{folder}\\{name}".lstrip("\\")
    parts = (line.split(",") + [""] * 7)[:7]
    if not parts[0].strip():
        return None
    return parts[0].strip(), parts[3].strip().upper() == "Y", parts[1].strip(), parts[2].strip()


def documents(path: Path) -> Iterator[ImageDoc]:
    """Each document of the cross-reference, its pages in order. A first line that does not
    open a document opens one all the same (a cross-reference cut at its start)."""
    lfp = is_lfp(_head(path))
    doc: ImageDoc | None = None
    with open(path, encoding=file_encoding(path), errors="replace") as f:
        for number, raw in enumerate(f, start=1):
            line = raw.strip().lstrip("\ufeff")
            if not line or (lfp and not line.startswith("IM,")):
                continue  # blank; an LFP's comments and other commands
            page = _page(line)
            if page is None:
                continue
            key, first, volume, image = page
            if doc is None or first:
                if doc is not None:
                    yield doc
                doc = ImageDoc(key, number, volume)
            doc.last = key
            doc.images.append(image)
    if doc is not None:
        yield doc


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(8192)


def beside(load_file: Path) -> Path | None:
    """The cross-reference that goes with a load file: the one of the same name in its folder,
    else the only one there."""
    try:
        siblings = [
            p for p in load_file.parent.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()
        ]
    except OSError:
        return None
    same = [p for p in siblings if p.stem.casefold() == load_file.stem.casefold()]
    if same:
        return same[0]
    return siblings[0] if len(siblings) == 1 else None


def references(path: Path, root: Path, emails: set[str] | None = None) -> Iterator[Path]:
    """The page images a cross-reference names that are in the volume; but a PDF of printed
    emails is the walk's to read, unless it is the image of a document whose Bates number
    is in `emails` (the records a load file beside it reads as emails, keys folded)."""
    volume = Volume(path, root)
    for doc in documents(path):
        email = emails is not None and doc.key.strip().casefold() in emails
        for image in doc.images:
            found = volume.find(image)
            if found is None:
                continue
            if email or found.suffix.lower() != ".pdf" or holds_mail(found) is None:
                yield found


def messages(src: SourceFile) -> Iterator[Item]:
    """A cross-reference with no load file beside it: its documents are page images only,
    listed and counted, not read (no text names who wrote them)."""
    volume = Volume.of(src)
    info = ProductionInfo(
        load_file=src.path,
        kind="ipro" if is_lfp(_head(src.local_path)) else "opticon",
        encoding=None,
        delimiter=",",
        quote=None,
        fields=[],
        unknown_fields=[],
        records=0,
        pages=0,
        images=0,
        images_missing=0,
        image_file=src.path,
    )
    for doc in documents(src.local_path):
        info.records += 1
        info.not_email += 1
        info.pages = (info.pages or 0) + doc.pages
        missing = [i for i in doc.images if volume.find(i) is None]
        info.images = (info.images or 0) + doc.pages - len(missing)
        info.images_missing = (info.images_missing or 0) + len(missing)
        info.first_bates = info.first_bates or doc.key
        info.last_bates = doc.last
        if doc.volume and doc.volume not in info.volumes:
            info.volumes.append(doc.volume)
        yield Skipped("page images", f"line {doc.line}")
        yield Document(
            line=doc.line,
            doc_id=doc.key,
            bates_begin=doc.key,
            bates_end=doc.last,
            kind="not email",
            what="page images",
            volume=doc.volume or None,
            page_count=doc.pages,
            note="page images only (no load file beside it names a text or native): not read",
        )
        if missing:
            yield ReadError(
                src.path,
                f"line {doc.line} ({doc.key})",
                "loadfile",
                f"{len(missing)} of its {doc.pages} page images are not in the volume "
                f"(first: {missing[0]})",
                level="warning",
            )
    src.expected = 0
    yield info
