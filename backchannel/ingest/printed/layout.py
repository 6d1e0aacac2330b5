"""A page's text with its layout back: words placed on their lines and columns, as
`pdftotext -layout` prints them.

A PDF's text layer and tesseract's output both give words with their boxes, but plain text
extraction collapses a wide gap to one space and drops blank lines. Production marks depend on
both: an exemption code printed in the right margin level with the redacted line is told from
a word of the sentence by the gap before it, and a header block ends at a blank line.
"""

from __future__ import annotations

import ctypes
import functools
import re
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

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
    bold: bool = False  # heavier type than the page's text (font weight, or stroke width)
    confidence: float = 100.0  # OCR's, 0-100 (a text layer's words are certain)


@dataclass
class LineLook:
    """Where a laid-out line sits on the page and how it is printed."""

    top: float
    bottom: float
    left: float
    right: float
    bold: bool  # most of its letters in bold
    height: float  # its words' median height
    label_end: float | None = None  # where its first word ends (a memo table's label column)
    value_left: float | None = None  # where the word after it starts
    first_middle: float | None = None  # the vertical middle of its first word (a label)


def lay_out(words: list[Word]) -> str:
    """The page's words as lines of text, columns kept by runs of spaces, vertical gaps as
    blank lines."""
    return lay_out_lines(words)[0]


def lay_out_lines(words: list[Word]) -> tuple[str, list[LineLook | None]]:
    """The page's text as lay_out gives it, and for each of its lines where it sits (None for
    the blank lines that stand for vertical gaps)."""
    words = [w for w in words if w.text.strip() and w.right > w.left and w.bottom > w.top]
    if not words:
        return "", []
    char = statistics.median((w.right - w.left) / len(w.text) for w in words) or 1.0
    lines = _lines(words)
    height = statistics.median(line[0].bottom - line[0].top for line in lines) or 1.0
    tops = [min(w.top for w in line) for line in lines]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False) if b - a > height * 0.5]
    pitch = statistics.median(steps) if steps else height * 1.2
    margin = min(w.left for w in words)
    out: list[str] = []
    looks: list[LineLook | None] = []
    for n, line in enumerate(lines):
        if n:
            blank = max(0, min(round((tops[n] - tops[n - 1]) / pitch) - 1, 10))
            out += [""] * blank
            looks += [None] * blank
        looks.append(_look(line))
        text = " " * round((line[0].left - margin) / char)
        for i, w in enumerate(line):
            if i:
                gap = w.left - line[i - 1].right
                text += " " * (max(GAP_SPACES, round(gap / char)) if gap > WIDE_GAP * char else 1)
            text += w.text
        out.append(text.rstrip())
    return "\n".join(out), looks


def _look(line: list[Word]) -> LineLook:
    letters = sum(len(w.text) for w in line) or 1
    bold = sum(len(w.text) for w in line if w.bold) / letters > 0.6
    heights = sorted(w.bottom - w.top for w in line)
    return LineLook(
        min(w.top for w in line),
        max(w.bottom for w in line),
        line[0].left,
        line[-1].right,
        bold,
        heights[len(heights) // 2],
        line[0].right,
        line[1].left if len(line) > 1 else None,
        (line[0].top + line[0].bottom) / 2,
    )


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines: a word belongs to the line its vertical middle falls
    in, or that it overlaps for most of the shorter one's height (OCR's box of a word with a
    descender or an underline reaches lower than its neighbours'). Lines top to bottom, words
    left to right."""
    lines: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (w.top + w.bottom) / 2
        if spans:
            top, bottom = spans[-1]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            shorter = min(bottom - top, w.bottom - w.top)
            if top <= middle <= bottom or (shorter > 0 and overlap > shorter * 0.6):
                lines[-1].append(w)
                spans[-1] = (min(top, w.top), max(bottom, w.bottom))
                continue
        lines.append([w])
        spans.append((w.top, w.bottom))
    return [sorted(line, key=lambda w: w.left) for line in lines]


BOLD_WEIGHT = 600  # a font weight from this up is bold (400 is regular)
_BOLD_NAME = re.compile(rb"bold|black|heavy|semibold|demi", re.IGNORECASE)


_FONT_NAME = 96


def _bold(textpage: PdfTextPage, i: int, fonts: dict[bytes, bool], buffer, flags) -> bool:
    """Whether character i is set in a bold font: by its weight, or (the standard fonts give
    none) by the font's name ("Helvetica-Bold")."""
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFText_GetFontWeight(textpage.raw, i) >= BOLD_WEIGHT:
        return True
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, _FONT_NAME, ctypes.byref(flags))
    name = buffer.value
    if name not in fonts:
        fonts[name] = bool(_BOLD_NAME.search(name))
    return fonts[name]


class _Chars:
    """A text page's characters' boxes and weights, read with as few calls into pdfium as
    there can be: a box per character through one reused rectangle, and a weight per text
    object (every character of an object is in its font). pypdfium2's own wrappers build a
    rectangle and a pointer object per call: with a page's thousands of characters, those
    calls were most of a text page's time."""

    def __init__(self, textpage: PdfTextPage) -> None:
        self.textpage = textpage
        self.page = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        self.rect = _Rect()
        self.rect_address = ctypes.addressof(self.rect)
        self.objects: dict[int | None, bool] = {}
        self.fonts: dict[bytes, bool] = {}
        self.buffer, self.flags = ctypes.create_string_buffer(_FONT_NAME), ctypes.c_int(0)

    def bold(self, i: int, obj: int | None) -> bool:
        """Whether character i, of text object obj, is bold (its object's answer, once
        known; a character pdfium generated has no object and is asked on its own)."""
        known = self.objects.get(obj) if obj else None
        if known is None:
            known = _bold(self.textpage, i, self.fonts, self.buffer, self.flags)
            if obj:
                self.objects[obj] = known
        return known


class _Rect(ctypes.Structure):
    # pdfium's FS_RECTF
    _fields_ = [(side, ctypes.c_float) for side in ("left", "top", "right", "bottom")]


@functools.cache
def _pdfium_calls() -> tuple[
    Callable[[int | None, int, int], int], Callable[[int | None, int], int]
]:
    """FPDFText_GetLooseCharBox and FPDFText_GetTextObject called with plain addresses and
    answering ints: pypdfium2's bindings convert their arguments and build a pointer object
    per call, which costs more than the call itself."""
    import pypdfium2.raw as pdfium_c

    def bare(function: Any, result: Any, *args: Any) -> Any:
        address = ctypes.cast(function, ctypes.c_void_p).value
        if address is None:
            raise RuntimeError(f"pdfium has no {function.__name__}")
        return ctypes.CFUNCTYPE(result, *args)(address)

    void, int_ = ctypes.c_void_p, ctypes.c_int
    box = bare(pdfium_c.FPDFText_GetLooseCharBox, int_, void, int_, void)
    return box, bare(pdfium_c.FPDFText_GetTextObject, void, void, int_)


def _word(
    text: str, left: float, bottom: float, right: float, top: float, height: float, bold: bool
) -> Word:
    """A word from its extent in PDF coordinates (y grows up), in the page's (y grows down)."""
    return Word(text, left, right, height - top, height - bottom, bold=bold)


def pdf_words(textpage: PdfTextPage, page_height: float) -> list[Word]:
    """The words of a pypdfium2 text page, from each character's box (PDF y grows up), bold
    where the font's weight says so for most of its letters."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    chars = _Chars(textpage)
    get_box, text_object = _pdfium_calls()
    page, rect, address, objects = chars.page, chars.rect, chars.rect_address, chars.objects
    words: list[Word] = []
    # The word being read: its first character, letters, heavy letters, and extent (PDF
    # coordinates); and the previous character's box.
    start = n = heavy = 0
    left = bottom = right = top = pl = pb = pr = pt = 0.0
    for i, c in enumerate(text[:count]):
        if c.isspace():
            if n:
                words.append(
                    _word(text[start:i], left, bottom, right, top, page_height, heavy * 2 > n)
                )
                n = 0
            continue
        if not get_box(page, i, address):
            from pypdfium2 import PdfiumError

            raise PdfiumError("Failed to get charbox.")
        cl, cb, cr, ct = rect.left, rect.bottom, rect.right, rect.top
        # Characters far apart on one run, or on another line, are another word.
        if n and (cl - pr > (pr - pl) * 1.5 or ct < pb or cb > pt):
            words.append(_word(text[start:i], left, bottom, right, top, page_height, heavy * 2 > n))
            n = 0
        if not n:
            start, heavy, left, bottom, right, top = i, 0, cl, cb, cr, ct
        else:  # (comparisons, not min and max: this loop runs for every character)
            if cl < left:
                left = cl
            if cb < bottom:
                bottom = cb
            if cr > right:
                right = cr
            if ct > top:
                top = ct
        n += 1
        obj = text_object(page, i)
        known = objects.get(obj) if obj else None
        heavy += chars.bold(i, obj) if known is None else known
        pl, pb, pr, pt = cl, cb, cr, ct
    if n:
        words.append(_word(text[start:count], left, bottom, right, top, page_height, heavy * 2 > n))
    return words
