"""A page's text with its layout back: words placed on their lines and columns, as
`pdftotext -layout` prints them.

A PDF's text layer and tesseract's output both give words with their boxes, but plain text
extraction collapses a wide gap to one space and drops blank lines. Production marks depend on
both: an exemption code printed in the right margin level with the redacted line is told from
a word of the sentence by the gap before it, and a header block ends at a blank line.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdfium2 import PdfTextPage

WIDE_GAP = 2.5  # character widths: a gap wider than this is kept as a run of spaces
GAP_SPACES = 3  # the fewest spaces a wide gap is printed with (what marks.py looks for)


@dataclass
class Word:
    text: str
    left: float
    right: float
    top: float  # y grows down the page
    bottom: float


def lay_out(words: list[Word]) -> str:
    """The page's words as lines of text, columns kept by runs of spaces, vertical gaps as
    blank lines."""
    words = [w for w in words if w.text.strip() and w.right > w.left and w.bottom > w.top]
    if not words:
        return ""
    char = statistics.median((w.right - w.left) / len(w.text) for w in words) or 1.0
    lines = _lines(words)
    height = statistics.median(line[0].bottom - line[0].top for line in lines) or 1.0
    tops = [min(w.top for w in line) for line in lines]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False) if b - a > height * 0.5]
    pitch = statistics.median(steps) if steps else height * 1.2
    margin = min(w.left for w in words)
    out: list[str] = []
    for n, line in enumerate(lines):
        if n:
            blank = round((tops[n] - tops[n - 1]) / pitch) - 1
            out += [""] * max(0, min(blank, 10))
        text = " " * round((line[0].left - margin) / char)
        for i, w in enumerate(line):
            if i:
                gap = w.left - line[i - 1].right
                text += " " * (max(GAP_SPACES, round(gap / char)) if gap > WIDE_GAP * char else 1)
            text += w.text
        out.append(text.rstrip())
    return "\n".join(out)


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines: a word belongs to the line its vertical middle falls
    in. Lines top to bottom, words left to right."""
    lines: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (w.top + w.bottom) / 2
        if spans and spans[-1][0] <= middle <= spans[-1][1]:
            lines[-1].append(w)
            spans[-1] = (min(spans[-1][0], w.top), max(spans[-1][1], w.bottom))
        else:
            lines.append([w])
            spans.append((w.top, w.bottom))
    return [sorted(line, key=lambda w: w.left) for line in lines]


def pdf_words(textpage: PdfTextPage, page_height: float) -> list[Word]:
    """The words of a pypdfium2 text page, from each character's box (PDF y grows up)."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    words: list[Word] = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []

    def flush() -> None:
        if current:
            boxes = [box for _, box in current]
            words.append(
                Word(
                    "".join(c for c, _ in current),
                    min(b[0] for b in boxes),
                    max(b[2] for b in boxes),
                    page_height - max(b[3] for b in boxes),
                    page_height - min(b[1] for b in boxes),
                )
            )
            current.clear()

    for i, c in enumerate(text[:count]):
        if c.isspace():
            flush()
            continue
        box = textpage.get_charbox(i, loose=True)
        if current:
            # Characters far apart on one run, or on another line, are another word.
            prev = current[-1][1]
            if box[0] - prev[2] > (prev[2] - prev[0]) * 1.5 or box[3] < prev[1] or box[1] > prev[3]:
                flush()
        current.append((c, box))
    flush()
    return words
