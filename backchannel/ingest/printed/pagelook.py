"""What a page image shows besides its words: rules, tinted boxes, black boxes, how much of it
is black, how heavy each word's strokes are.

Print layouts mark where a printout begins with things that are not text: Outlook prints the
mailbox owner's name in bold over a heavy rule, e-discovery prints open a record with a tinted
metadata box, redaction tools black out values and whole pages. These are read off the pixels
(numpy over the rendered page), the same way for scans and for pages with a text layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ...vocabulary import REDACTED
from .layout import Word
from .marks import CODE, DOUBTFUL

if TYPE_CHECKING:
    from PIL import Image
    from pypdfium2 import PdfPage

DARK = 110  # grey level below which a pixel is ink
RULE_SPAN = 0.3  # a rule runs unbroken over this share of the page's width at least
TINT = 24  # colour saturation (max - min of RGB) above which a pixel is tinted
TINT_ROW = 0.3  # a row of a tinted box has this share of its width tinted
SHADE = (225, 251)  # grey levels of a pale shade (a tinted box printed or scanned in greys)
SHADE_ROW = 0.5  # a row of a shaded box has this share of its width shaded
WITHHELD = 0.45  # a page with this share of its area black is withheld (blacked out whole)
BOX_FILL = 0.9  # a black box is this full of ink


@dataclass
class Rule:
    top: float  # in the page's points (72 a inch), y down
    bottom: float
    left: float
    right: float

    @property
    def thickness(self) -> float:
        return self.bottom - self.top


@dataclass
class Box:
    top: float
    bottom: float
    left: float
    right: float

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass
class PageLook:
    """The page's rules, tinted and black boxes (in points, y down), and its black share."""

    width: float = 0.0
    height: float = 0.0
    rules: list[Rule] = field(default_factory=list)
    tinted: list[Box] = field(default_factory=list)
    black: list[Box] = field(default_factory=list)
    black_share: float = 0.0

    @property
    def withheld(self) -> bool:
        return self.black_share >= WITHHELD


def look(image: Image.Image, width: float, height: float) -> tuple[PageLook, np.ndarray]:
    """The page's look, and its grey levels (for stroke weights), from a rendered image of a
    page `width` x `height` points."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int32)
    grey = (rgb[..., 0] * 299 + rgb[..., 1] * 587 + rgb[..., 2] * 114) // 1000
    scale = width / grey.shape[1]
    ink = grey < DARK
    page = PageLook(width, height)
    page.black_share = float(ink.mean())
    page.rules = [
        Rule(top * scale, (bottom + 1) * scale, left * scale, right * scale)
        for top, bottom, left, right in _rules(ink)
    ]
    tint = (rgb.max(axis=2) - rgb.min(axis=2)) > TINT
    # A tinted box scanned in greys is a pale shade: neither paper nor ink.
    shade = (grey >= SHADE[0]) & (grey <= SHADE[1])
    min_rows = max(3, grey.shape[0] // 100)
    page.tinted = [
        Box(top * scale, (bottom + 1) * scale, left * scale, right * scale)
        for top, bottom, left, right in sorted(
            _bands(tint, TINT_ROW, min_rows) + _bands(shade, SHADE_ROW, min_rows)
        )
    ]
    page.black = [
        Box(top * scale, (bottom + 1) * scale, left * scale, right * scale)
        for top, bottom, left, right in _black_boxes(ink, grey.shape[0] // 250)
    ]
    return page, grey.astype(np.uint8)


def _runs(row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (exclusive) of the True runs of a boolean row."""
    padded = np.concatenate(([False], row, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return edges[0::2], edges[1::2]


def _rules(ink: np.ndarray) -> list[tuple[float, float, int, int]]:
    """Horizontal rules, as (top, bottom, left, right) pixels: what is left of the ink once
    everything shorter than a twentieth of the width is opened away, joined where it touches
    (a scanned rule is tilted: a staircase of runs), RULE_SPAN of the width long at least and
    no taller than a rule is (a black box is not one). Top and bottom are those of the rule's
    middle, its thickness its ink over its length."""
    from scipy import ndimage

    height, width = ink.shape
    runs = _opened(ink, 1, max(width // 20, 3))
    labels, _ = ndimage.label(runs, structure=np.ones((3, 3), dtype=bool))
    out = []
    for found in ndimage.find_objects(labels):
        if found is None:
            continue
        ys, xs = found
        if xs.stop - xs.start < width * RULE_SPAN or ys.stop - ys.start > height // 40:
            continue
        thickness = float(runs[ys, xs].sum()) / (xs.stop - xs.start)
        if thickness > height / 80:  # a filled box, not a rule
            continue
        middle = (ys.start + ys.stop - 1) / 2
        out.append((middle - thickness / 2, middle + thickness / 2 - 1, xs.start, xs.stop))
    return sorted(out)


def _eroded(mask: np.ndarray, tall: int, wide: int) -> np.ndarray:
    """Where a tall x wide block of the mask is all set (anchored at its top left): running
    sums along each axis, cheaper than scipy's erosion on a whole page."""
    out = mask
    for axis, size in ((1, wide), (0, tall)):
        if size <= 1:
            continue
        sums = np.cumsum(out, axis=axis, dtype=np.int32)
        sums = np.concatenate([np.zeros_like(sums.take([0], axis=axis)), sums], axis=axis)
        n = out.shape[axis]
        window = sums.take(range(size, n + 1), axis=axis) - sums.take(
            range(0, n - size + 1), axis=axis
        )
        full = window == size
        pad = [(0, 0), (0, 0)]
        pad[axis] = (0, size - 1)
        out = np.pad(full, pad)
    return out


def _opened(mask: np.ndarray, tall: int, wide: int) -> np.ndarray:
    """The mask opened by a tall x wide block: what of it such a block fits in."""
    fits = _eroded(mask, tall, wide)
    # Dilation of the anchors back over their blocks, by the same running sums.
    out = fits
    for axis, size in ((1, wide), (0, tall)):
        if size <= 1:
            continue
        sums = np.cumsum(out, axis=axis, dtype=np.int32)
        n = out.shape[axis]
        shifted = np.concatenate(
            [np.zeros_like(sums.take(range(0, min(size, n)), axis=axis)), sums], axis=axis
        ).take(range(0, n), axis=axis)
        out = (sums - shifted) > 0
    return out


def _groups(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) pairs."""
    groups: list[tuple[int, int]] = []
    for y in rows:
        if groups and y == groups[-1][1] + 1:
            groups[-1] = (groups[-1][0], y)
        else:
            groups.append((y, y))
    return groups


def _bands(mask: np.ndarray, share: float, min_rows: int) -> list[tuple[int, int, int, int]]:
    """Stretches of rows with `share` of the width set in `mask`: tinted boxes. A row of text
    inside a box breaks its tint: stretches a line's gap apart are one box."""
    width = mask.shape[1]
    rows = np.flatnonzero(mask.sum(axis=1) >= width * share)
    groups: list[tuple[int, int]] = []
    for top, bottom in _groups([int(y) for y in rows]):
        if groups and top - groups[-1][1] <= min_rows * 2:
            groups[-1] = (groups[-1][0], bottom)
        else:
            groups.append((top, bottom))
    out = []
    for top, bottom in groups:
        if bottom - top + 1 < min_rows:
            continue
        cols = np.flatnonzero(mask[top : bottom + 1].mean(axis=0) > 0.5)
        if len(cols):
            out.append((top, bottom, int(cols[0]), int(cols[-1]) + 1))
    return out


def _black_boxes(ink: np.ndarray, size: int) -> list[tuple[int, int, int, int]]:
    """Filled black rectangles (redactions), as (top, bottom, left, right) pixels: what is left
    of the ink once every stroke thinner than `size` is opened away, in pieces at least as
    tall as a line of small print and wider than tall, mostly ink (a code printed in white
    over a box leaves it so)."""
    from scipy import ndimage

    size = max(size, 3)
    solid = _opened(ink, size, size)
    labels, _ = ndimage.label(solid)
    out = []
    for found in ndimage.find_objects(labels):
        if found is None:
            continue
        ys, xs = found
        top, bottom, left, right = ys.start, ys.stop - 1, xs.start, xs.stop
        tall, wide = bottom - top + 1, right - left
        if tall < size * 2 or wide < tall * 1.5:
            continue
        if ink[top : bottom + 1, left:right].mean() < BOX_FILL - 0.25:
            continue
        out.append((top, bottom, left, right))
    return out


def stroke(
    grey: np.ndarray, scale: float, left: float, top: float, right: float, bottom: float
) -> float:
    """The mean width of a word's strokes, in pixels of `grey` (ink per run of ink along its
    rows): bold type has wider strokes than the text around it. Coordinates in points."""
    x0, x1 = int(left / scale), int(right / scale) + 1
    y0, y1 = int(top / scale), int(bottom / scale) + 1
    cell = grey[max(y0, 0) : y1, max(x0, 0) : x1] < DARK
    if cell.size == 0:
        return 0.0
    ink = int(cell.sum())
    runs = int((cell[:, 1:] & ~cell[:, :-1]).sum() + cell[:, 0].sum())
    return ink / runs if runs else 0.0


def redact_boxes(words: list[Word], boxes: list[Box]) -> list[Word]:
    """The page's words with each black box read as "[REDACTED]": what OCR made of the box
    (noise) goes, unless an exemption code is printed over it ("(b)(6)" in white), which
    marks.py reads as the redaction it is."""
    if not boxes:
        return words
    out = list(words)
    for box in boxes:
        inside = [w for w in out if box.holds((w.left + w.right) / 2, (w.top + w.bottom) / 2)]
        if any(CODE.search(w.text) or DOUBTFUL.search(w.text) for w in inside):
            continue
        out = [w for w in out if w not in inside]
        out.append(Word(REDACTED, box.left, box.right, box.top, box.bottom))
    return out


def drawn(page: PdfPage) -> PageLook:
    """A text page's look from what it draws (its path objects) rather than its pixels: rules,
    filled black and tinted boxes. Cheaper than rendering, and exact."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    out = PageLook(width, height)
    black_area = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        y0, y1 = height - top, height - bottom
        fill_mode, stroke = ctypes.c_int(0), ctypes.c_int(0)
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill_mode), ctypes.byref(stroke))
        if fill_mode.value:
            rgb = _colour(pdfium_c.FPDFPageObj_GetFillColor, obj.raw)
            if rgb is None:
                continue
            box = Box(y0, y1, left, right)
            if max(rgb) < DARK:
                thin = y1 - y0 <= RULE_POINTS and right - left >= width * RULE_SPAN
                if thin:
                    out.rules.append(Rule(y0, y1, left, right))
                else:
                    out.black.append(box)
                    black_area += (right - left) * (y1 - y0)
            elif max(rgb) - min(rgb) > TINT or SHADE[0] <= sum(rgb) / 3 <= SHADE[1]:
                out.tinted.append(box)
        elif stroke.value and right - left >= width * RULE_SPAN:
            rgb = _colour(pdfium_c.FPDFPageObj_GetStrokeColor, obj.raw)
            thickness = ctypes.c_float(0)
            pdfium_c.FPDFPageObj_GetStrokeWidth(obj.raw, ctypes.byref(thickness))
            if rgb is not None and max(rgb) < 200 and y1 - y0 <= RULE_POINTS + thickness.value:
                middle = (y0 + y1) / 2
                half = max(thickness.value, 0.5) / 2
                out.rules.append(Rule(middle - half, middle + half, left, right))
    out.black_share = min(1.0, black_area / max(width * height, 1.0))
    out.rules.sort(key=lambda r: r.top)
    out.tinted.sort(key=lambda b: b.top)
    return out


RULE_POINTS = 4.0  # a drawn shape no taller than this and wide is a rule


def _colour(getter: Any, raw: Any) -> tuple[int, int, int] | None:
    import ctypes

    r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
    if not getter(raw, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return None
    return (r.value, g.value, b.value) if a.value else None
