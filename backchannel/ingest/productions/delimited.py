"""A delimited load file's text — a Concordance DAT, a CSV, a pipe- or tab-delimited file: its
encoding, delimiter and quote told from its own bytes, its header row, and its records with
the line each starts on.

Concordance wraps fields in þ (U+00FE) and separates them with the byte 0x14; other tools pick
other characters (Relativity lets the user choose: `|` and `^` are common). Nothing here
assumes one tool's choice: the first lines say which characters are used. A line break inside
a field is written ® (U+00AE) by Concordance and Relativity, and is read as one.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .loadfields import IDENTITY_ROLES, fold_name, role_of

CONCORDANCE_QUOTE = "\u00fe"  # þ; the single byte 0xFE in cp1252
CONCORDANCE_DELIMITER = "\x14"
NEWLINE = "\u00ae"  # ®
DELIMITERS = ("\x14", "|", "\t", ",", ";")
QUOTES = ("\u00fe", '"', "^", "~", "`", "'")
SAMPLE_LINES = 20
# A value that is data, not a field's name: a path with an extension, an address, a date.
_DATA = re.compile(r"[\\/][^\\/]*\.\w{2,5}$|\w@\w|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
FIELD_LIMIT = (1 << 31) - 1  # csv's default is 128 KB: extracted text is sometimes inline


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    quote: str | None
    encoding: str

    def csv_params(self) -> dict:
        if self.quote is None:
            return {"delimiter": self.delimiter, "quoting": csv.QUOTE_NONE, "strict": False}
        return {
            "delimiter": self.delimiter,
            "quotechar": self.quote,
            "doublequote": True,
            "strict": False,
        }


def bom_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return "utf-16-le"  # UTF-16 without its BOM: every other byte of ASCII text is 0
    return None


def head_text(head: bytes) -> tuple[str, str]:
    """The first bytes of a file as text, and the encoding they were read in: a BOM's, else
    UTF-8 where they are valid UTF-8 (a character cut at the end aside), else cp1252."""
    encoding = bom_encoding(head)
    if encoding:
        return head.decode(encoding, errors="ignore").lstrip("\ufeff"), encoding
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head), "utf-8"
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace"), "cp1252"


def file_encoding(path: Path) -> str:
    """A BOM's encoding; else UTF-8 if the whole file is valid UTF-8; else cp1252 (where þ is
    the byte 0xFE, which UTF-8 never uses)."""
    with open(path, "rb") as f:
        encoding = bom_encoding(f.read(4))
        if encoding:
            return encoding
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for block in iter(lambda: f.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def sample_lines(text: str) -> list[str]:
    return [line for line in text.splitlines()[:SAMPLE_LINES] if line.strip()]


def dialect_of(lines: list[str], encoding: str) -> Dialect | None:
    """The delimiter and quote the first lines use, or None when no delimiter splits them."""
    if not lines:
        return None
    first = lines[0]
    if CONCORDANCE_DELIMITER in first:
        delimiter = CONCORDANCE_DELIMITER
    else:
        counts = {d: first.count(d) for d in DELIMITERS[1:]}
        delimiter = max(counts, key=lambda d: counts[d])  # ties: the order of DELIMITERS
        if counts[delimiter] == 0:
            return None
    scores = {
        q: sum(
            line.count(q + delimiter) + line.count(delimiter + q) + line.startswith(q)
            for line in lines
        )
        for q in QUOTES
        if q != delimiter
    }
    quote = max(scores, key=lambda q: scores[q])
    return Dialect(delimiter, quote if scores[quote] else None, encoding)


def split_line(line: str, dialect: Dialect) -> list[str]:
    """One physical line's fields (a sample line: quoted line breaks are not followed)."""
    return next(csv.reader([line], **dialect.csv_params()), [])


def is_header(fields: list[str]) -> bool:
    """A header row: names that the field table knows at least one of, none of them data,
    each once (a name twice is forgiven where two or more are known)."""
    names = [f.strip() for f in fields]
    if not names or any(_DATA.search(n) for n in names):
        return False
    known = sum(role_of(n) is not None for n in names)
    folded = [fold_name(n) for n in names if n]
    if len(set(folded)) < len(folded) and known < 2:
        return False
    return known >= 1


def recognise(head: bytes, name: str = "") -> bool:
    """A delimited load file: a Concordance line (þ and 0x14), with or without its header
    row; or a header row, split by the delimiter its lines use, that names a document's Bates
    number or id and at least one other field the table knows. Every file's first bytes come
    here: whatever they are, the answer is yes or no."""
    try:
        return _recognise(head, name)
    except (csv.Error, ValueError, LookupError):
        return False


def _recognise(head: bytes, name: str) -> bool:
    text, encoding = head_text(head)
    lines = sample_lines(text)
    if not lines:
        return False
    first = lines[0]
    if first.count(CONCORDANCE_DELIMITER) >= 2:
        return True
    dialect = dialect_of(lines, encoding)
    if dialect is None:
        return False
    fields = split_line(first, dialect)
    if len(fields) < 3:
        return False
    if not is_header(fields):
        # A .dat whose lines all split alike: a load file without its header row (read as
        # one, so that its records are counted and said, not guessed at).
        widths = {len(split_line(line, dialect)) for line in lines[:-1] or lines}
        return name.lower().endswith(".dat") and widths == {len(fields)} and len(lines) > 1
    found = {role_of(f) for f in fields} - {None}
    return bool(found & set(IDENTITY_ROLES)) and len(found) >= 2


def dialect_of_file(path: Path) -> Dialect | None:
    encoding = file_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        text = f.read(1 << 16)
    return dialect_of(sample_lines(text.lstrip("\ufeff")), encoding)


def records(path: Path, dialect: Dialect) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its fields), ® read as a line break. Blank lines are
    passed by; a field quoted over a real line break is followed to its end."""
    csv.field_size_limit(min(sys.maxsize, FIELD_LIMIT))
    with open(path, encoding=dialect.encoding, errors="replace", newline="") as f:
        lines = (line.replace("\0", "") for line in f)
        reader = csv.reader(lines, **dialect.csv_params())
        start = 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in fields):
                continue
            if line == 1 and fields:
                fields[0] = fields[0].lstrip("\ufeff")
            yield line, [v.replace(NEWLINE, "\n") for v in fields]
