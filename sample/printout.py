"""Render printed emails to PDF the way records offices produce them: a real PDF writer (fpdf2),
a Bates number on every page, release stamps, exemption codes over redactions; and the same
pages rasterized into an image-only ("scanned") PDF.

Used by the sample dump and by the tests. Text must be Latin-1 (the PDF core fonts).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF


@dataclass
class Page:
    lines: list[str]  # the page's text, line by line; "**" at the start of a line: bold
    bates: str | None = None
    stamp: str | None = None  # printed at the top right, e.g. "RELEASED IN PART B6"
    redactions: list[tuple[int, str]] = field(default_factory=list)  # (line index, code) boxes


FIXED_DATE = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)  # the same bytes every time


def text_pdf(pages: list[Page], path: Path) -> Path:
    pdf = FPDF(format="letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    for page in pages:
        pdf.add_page()
        if page.stamp:
            pdf.set_font("Helvetica", "B", 10)
            pdf.set_xy(120, 8)
            pdf.cell(80, 6, page.stamp, align="R")
        y = 20
        for n, line in enumerate(page.lines):
            bold = line.startswith("**")
            pdf.set_font("Helvetica", "B" if bold else "", 11)
            pdf.set_xy(20, y)
            if pdf.get_string_width(line) > 170:
                # Long lines wrap, as they do on paper: a recipient list over two lines.
                pdf.multi_cell(170, 6, line.removeprefix("**"), new_x="LMARGIN", new_y="NEXT")
                y = pdf.get_y() + 0.5
                continue
            pdf.cell(170, 6, line.removeprefix("**"))
            for at, code in page.redactions:
                if at == n:
                    # A black box with the code printed over it in white, as redaction tools do.
                    x = 20 + pdf.get_string_width(line) + 3
                    pdf.set_fill_color(0, 0, 0)
                    pdf.rect(x, y, 30, 6, style="F")
                    pdf.set_text_color(255, 255, 255)
                    pdf.set_xy(x, y)
                    pdf.cell(30, 6, code, align="C")
                    pdf.set_text_color(0, 0, 0)
            y += 6.5
        if page.bates:
            pdf.set_font("Helvetica", "", 10)
            pdf.set_xy(150, 265)
            pdf.cell(45, 6, page.bates, align="R")
    pdf.output(str(path))
    return path


# Characters of released text that the PDF core fonts (Latin-1) lack, and what prints for them.
_LATIN1 = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "•": "*",
        "‹": "<",
        "›": ">",
        "■": "#",
        "…": "...",
    }
)


def latin1(text: str) -> str:
    text = text.translate(_LATIN1)
    return text.encode("latin-1", "replace").decode("latin-1")


def layout_pdf(pages: list[str], path: Path) -> Path:
    """A PDF whose pages print `pages` as laid out text (a page of a records office's text layer,
    as pdftotext -layout reads it): every line at its place, columns kept, in Courier small
    enough for the widest line of the page to fit, as a copier shrinks a wide printout."""
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    for page in pages:
        lines = latin1(page).rstrip("\n").split("\n")
        widest = max((len(line.rstrip()) for line in lines), default=1) or 1
        size = min(9.0, (pdf.w - 30) / (0.6 * widest), (pdf.h - 40) / (1.15 * max(len(lines), 1)))
        pdf.add_page()
        pdf.set_font("Courier", "", size)
        for n, line in enumerate(lines):
            if line.strip():
                pdf.text(15, 25 + n * size * 1.15, line.rstrip())
    pdf.output(str(path))
    return path


def scanned_pdf(source: Path, path: Path, pages: list[int] | None = None, dpi: int = 200) -> Path:
    """An image-only PDF of `source`'s pages (0-based; all by default): no text layer at all."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(source))
    out = FPDF(format="letter")
    out.set_creation_date(FIXED_DATE)
    for n in pages if pages is not None else range(len(doc)):
        image = doc[n].render(scale=dpi / 72, grayscale=True).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        out.add_page()
        out.image(buf, x=0, y=0, w=out.w, h=out.h)
    doc.close()
    out.output(str(path))
    return path


def mixed_pdf(text_source: Path, scanned_source: Path, path: Path) -> Path:
    """Page 1 from the text PDF, page 2 from the scanned one: a production of both kinds."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    for src, index in ((text_source, 0), (scanned_source, 1)):
        doc = pdfium.PdfDocument(str(src))
        out.import_pages(doc, [index])
        doc.close()
    out.save(str(path))
    out.close()
    return path
