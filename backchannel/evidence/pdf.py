"""A packet as a PDF (fpdf2): A4 landscape, the figure, its search and counting rule in one
sentence and when the corpus was built at the top, then one table row per email with its
copies' provenance and an empty column for a fact-checker's mark; the heading repeats on every
page, each page says "page n of N" and what it is the evidence for.

Names and subjects are any script: the text is set in a Unicode font of the system (DejaVu
Sans, Liberation Sans, Arial, or what fontconfig offers). Without one, the PDF's core Helvetica
shows Latin-1 only, other characters as "?", and the page says so (the CSV and HTML packets
keep them).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .packet import Packet, Row

# (regular, bold) files, in the order tried; the first found is used.
FONTS = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "Arial Bold.ttf"),
    ("/Library/Fonts/Arial.ttf", "Arial Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "arialbd.ttf"),
]
# Column widths in mm (A4 landscape less the margins: 277): #, sent, people, subject and first
# lines, direction, copies, the fact-checker's mark.
WIDTHS = (8, 24, 56, 70, 24, 85, 10)
HEADINGS = (
    "#",
    "sent",
    "from, to, cc, bcc",
    "subject, and the first lines the sender wrote",
    "direction",
    "copies: file, place in it, custodian, the file's sha256",
    "✓",
)


def unicode_font() -> tuple[Path, Path] | None:
    """A TrueType font with its bold, from the system; None when there is none."""
    for regular, bold in FONTS:
        path = Path(regular)
        if path.is_file():
            return path, (path.parent / bold if (path.parent / bold).is_file() else path)
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "sans:lang=en:fontformat=TrueType"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found.lower().endswith(".ttf") and Path(found).is_file():
            return Path(found), Path(found)
    return None


class _Document:
    """An FPDF with the packet's footer, in the font found."""

    def __init__(self, packet: Packet, font: tuple[Path, Path] | None):
        from fpdf import FPDF

        outer = self

        class _PDF(FPDF):
            def footer(self) -> None:
                self.set_y(-10)
                outer.font(7)
                self.cell(
                    0,
                    5,
                    outer.text(f"{outer.short} · page {self.page_no()} of {{nb}}"),
                    align="R",
                )

        self.pdf: Any = _PDF(orientation="L", unit="mm", format="A4")
        self.unicode = font is not None
        self.family = "Helvetica"
        if font is not None:
            self.pdf.add_font("packet", "", str(font[0]))
            self.pdf.add_font("packet", "B", str(font[1]))
            self.family = "packet"
        self.short = f"Evidence: {len(packet.rows):,} emails " + _cut(packet.figure.description, 90)
        self.pdf.set_margins(10, 10, 10)
        self.pdf.set_auto_page_break(False)  # the grid breaks its own pages
        self.pdf.set_title(packet.headline()[:200])
        self.pdf.set_creator("backchannel")

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def text(self, value: str) -> str:
        """What the font can show: everything in a Unicode font; Latin-1 in the core font."""
        if self.unicode:
            return value
        return (
            value.replace("✓", "ok")
            .replace("→", "->")
            .encode("latin-1", "replace")
            .decode("latin-1")
        )


def to_pdf(packet: Packet, written: datetime | None = None) -> bytes:
    """The packet as PDF bytes."""
    written = written or datetime.now(UTC)
    doc = _Document(packet, unicode_font())
    pdf = doc.pdf
    pdf.add_page()
    doc.font(11, bold=True)
    pdf.multi_cell(0, 5.5, doc.text(packet.headline()), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    doc.font(8.5)
    lines = [
        f"{packet.corpus_line()} Packet written {written.strftime('%Y-%m-%d %H:%M UTC')} by "
        "backchannel.",
        "Checked by ____________________ on ____________",
    ]
    if not doc.unicode:
        lines.append(
            "No Unicode font was found on this system: characters outside Latin-1 show as ?. "
            "The CSV and HTML packets keep them."
        )
    for line in lines:
        pdf.multi_cell(0, 4.5, doc.text(line), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _table(doc, packet.rows)
    return bytes(pdf.output())


def _table(doc: _Document, rows: list[Row]) -> None:
    """The emails as a grid laid out here: fpdf2's own tables and multi_cell measure every
    character of a line again for each character added (4 minutes for 6,000 emails); this
    wraps each cell once with cached character widths and draws its lines as plain text."""
    grid = _Grid(doc)
    grid.heading()
    for n, r in enumerate(rows, start=1):
        grid.row(_cells(n, r))


class _Grid:
    """Rows of cells with borders, the heading again on every new page, a row taller than a
    page continued on the next."""

    SIZE = 7.0  # pt
    LINE = 3.1  # mm between baselines
    PAD = 1.0  # mm inside a cell

    def __init__(self, doc: _Document):
        self.doc, self.pdf = doc, doc.pdf
        self.widths: dict[tuple[bool, str], float] = {}  # (bold, character) -> mm
        self.bottom = self.pdf.h - 14  # the page's last usable line, above the footer

    def width(self, text: str, bold: bool) -> float:
        cache, total = self.widths, 0.0
        for c in text:
            w = cache.get((bold, c))
            if w is None:
                w = cache[(bold, c)] = self.pdf.get_string_width(c)
            total += w
        return total

    def wrap(self, text: str, room: float, bold: bool) -> list[str]:
        """Greedy word wrap; a word wider than the cell (a path, a hash) is cut anywhere."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self.width(candidate, bold) <= room:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = ""
                for c in word:
                    if line and self.width(line + c, bold) > room:
                        lines.append(line)
                        line = ""
                    line += c
            lines.append(line)
        return lines

    def heading(self) -> None:
        self.row(list(HEADINGS), bold=True)

    def row(self, cells: list[str], bold: bool = False) -> None:
        self.doc.font(self.SIZE, bold)
        columns = [
            self.wrap(self.doc.text(c), w - 2 * self.PAD, bold)
            for c, w in zip(cells, WIDTHS, strict=True)
        ]
        done = 0
        tallest = max(len(c) for c in columns)
        while done < tallest:
            room = int((self.bottom - self.pdf.get_y() - 2 * self.PAD) // self.LINE)
            if room < min(3, tallest - done):  # not even the row's start: a new page
                self.pdf.add_page()
                if not bold:
                    self.heading()
                    self.doc.font(self.SIZE, bold)
                continue
            part = [c[done : done + room] for c in columns]
            self._draw(part, max(len(c) for c in part), bold)
            done += room

    def _draw(self, columns: list[list[str]], lines: int, bold: bool) -> None:
        pdf, x, y = self.pdf, self.pdf.l_margin, self.pdf.get_y()
        height = lines * self.LINE + 2 * self.PAD
        for column, w in zip(columns, WIDTHS, strict=True):
            if bold:
                pdf.set_fill_color(235, 235, 235)
                pdf.rect(x, y, w, height, style="DF")
            else:
                pdf.rect(x, y, w, height)
            for i, line in enumerate(column):
                if line:
                    pdf.text(x + self.PAD, y + self.PAD + (i + 0.8) * self.LINE, line)
            x += w
        pdf.set_y(y + height)


def _cells(n: int, r: Row) -> list[str]:
    people = [f"From: {r.sender}"]
    for role, found in (("To", r.to), ("Cc", r.cc), ("Bcc", r.bcc)):
        if found:
            people.append(f"{role}: {'; '.join(found)}")
    copies = "\n\n".join(
        f"{c.file}\n{c.place}\ncustodian {c.custodian}, {c.method}\n"
        f"sha256 {c.sha256[:32]}\n{c.sha256[32:]}"
        for c in r.copies
    )
    subject = r.subject or "(no subject)"
    return [
        str(n),
        r.when,
        "\n".join(people),
        "\n".join([subject, *r.first_lines]),
        f"{r.direction}\n{r.status}",
        copies,
        "",
    ]


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
