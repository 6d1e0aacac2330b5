"""CSV cells a spreadsheet will not run: one rule for `export`, `report --format csv` and the
CSV that Datasette serves through the plugin.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (or those signs
after leading spaces, which spreadsheets trim) is read by Excel, LibreOffice and Google Sheets as
a formula: `=cmd|' /C calc'!A0` in an email's subject would run when the file is opened. As
OWASP advises ("CSV Injection"), such a cell is written with a `'` in front, which spreadsheets
show as text. A cell that is a plain number (`-3`, `+1.5e3`) is left as it is: it is no
formula, and a sign is part of it.
"""

from __future__ import annotations

import csv
import io
import re

# The signs that start a formula, and their full-width forms (read as formulas by some
# spreadsheets in East Asian locales).
FORMULA_START = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
_RISKY = re.compile(r"[ \t\r\n]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should read it: text that a spreadsheet would take for a
    formula gets a leading `'`; anything else (numbers, None, other text) is unchanged."""
    if not isinstance(value, str) or not value or not _RISKY.match(value):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(row: list) -> list:
    return [safe_cell(v) for v in row]


# A record that may hold a risky cell: one starting (after a comma, or a quote) with a sign.
_MAYBE = re.compile(r'(?:^|,)"?[ \t\r\n]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]')


class CsvRewriter:
    """Made-safe CSV text, streamed: feed() the text as it comes, get back the complete
    records (a quoted cell can hold line breaks), each rewritten only where a cell is risky;
    finish() gives the rest. Datasette writes with the csv module's default dialect."""

    def __init__(self) -> None:
        self.pending: list[str] = []  # lines of a record not yet complete
        self.open_quotes = False  # inside a quoted cell at the end of the pending lines
        self.rest = ""  # text after the last line break

    def feed(self, text: str) -> str:
        lines = (self.rest + text).split("\n")
        self.rest = lines.pop()
        out = []
        for line in lines:
            self.pending.append(line + "\n")
            if line.count('"') % 2:
                self.open_quotes = not self.open_quotes
            if not self.open_quotes:
                out.append(_record("".join(self.pending)))
                self.pending = []
        return "".join(out)

    def finish(self) -> str:
        text = "".join(self.pending) + self.rest
        self.pending, self.rest = [], ""
        return _record(text) if text else ""


def _record(text: str) -> str:
    """One CSV record (with its line end), its risky cells made safe; untouched otherwise."""
    if not _MAYBE.search(text):
        return text
    cells = next(csv.reader(io.StringIO(text)), [])
    safe = safe_row(cells)
    if safe == cells:
        return text
    end = text[len(text.rstrip("\r\n")) :]
    buf = io.StringIO()
    csv.writer(buf, lineterminator=end).writerow(safe)
    return buf.getvalue()
