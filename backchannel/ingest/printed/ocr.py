"""OCR of scanned pages with Debian's tesseract, one process per page, both cores busy."""

from __future__ import annotations

import csv
import difflib
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument

import numpy as np

from ...errors import BackchannelError
from ..languages import fold_label, header_labels
from ..scratch import scratch as work_folder
from .layout import Word, lay_out
from .pagelook import PageLook, look, stroke

KNOWN_LABELS = header_labels()
LATIN_LABELS = [label for label in KNOWN_LABELS if label.isascii()]
DPI = 300
TIMEOUT = 300  # seconds for one page


class OcrUnavailable(BackchannelError, RuntimeError):
    pass


def available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_images(images: list[Path], workers: int = 0) -> list[tuple[str, float | None, str | None]]:
    """(text, mean word confidence 0-100, problem) for each image, in order."""
    return [
        (lay_out(words), conf, problem) for words, conf, problem in read_images(images, workers)
    ]


def read_images(
    images: list[Path], workers: int = 0
) -> list[tuple[list[Word], float | None, str | None]]:
    """(words with their boxes in the image's pixels, mean word confidence 0-100, problem) for
    each image, in order. A page whose labels English cannot read (a Chinese header block)
    is read again with the other scripts installed."""
    if not available():
        raise OcrUnavailable("tesseract is not installed (scripts/setup.sh installs it)")
    workers = workers or min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_read, images))


def _read(image: Path) -> tuple[list[Word], float | None, str | None]:
    words, confs, problem = _one(image, "eng")
    if not problem and foreign_labels(words, confs):
        for lang in other_scripts():
            # Read alone: mixed with English, the model takes "发件人" for Latin letters.
            again, _, again_problem = _one(image, lang)
            if not again_problem:
                words, confs = _merged(words, confs, again)
    mean = round(sum(c for c in confs if c >= 0) / max(1, sum(c >= 0 for c in confs)), 1)
    return words, (mean if any(c >= 0 for c in confs) else None), problem


def _merged(
    words: list[Word], confs: list[float], other: list[Word]
) -> tuple[list[Word], list[float]]:
    """The English reading, with each line the other script's reading starts in its own
    characters ("发件人 : …", a Chinese paragraph) in place of what English made of it."""
    out = list(zip(words, confs, strict=True))
    for line in _ocr_lines(other, [w.confidence for w in other]):
        if not _CJK_CHAR.search("".join(w.text for w, _ in line[:2])):
            continue
        top = min(w.top for w, _ in line)
        bottom = max(w.bottom for w, _ in line)
        out = [(w, c) for w, c in out if not top <= (w.top + w.bottom) / 2 <= bottom]
        out += [(w, w.confidence) for w in join_cjk([w for w, _ in line])]
    return [w for w, _ in out], [c for _, c in out]


def other_scripts() -> list[str]:
    """Tesseract's installed models for the scripts of HEADER_LABELS beyond Latin (Chinese,
    Japanese, Korean), in the order tried."""
    folder = _tessdata()
    if folder is None:
        return []
    return [lang for lang in SCRIPTS if (folder / f"{lang}.traineddata").exists()]


SCRIPTS = ["chi_sim", "chi_tra", "jpn", "kor"]


def _tessdata() -> Path | None:
    for base in (
        os.environ.get("TESSDATA_PREFIX"),
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata",
    ):
        if base and (Path(base) / "eng.traineddata").exists():
            return Path(base)
    return None


_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z.\-]*$")


def foreign_labels(words: list[Word], confs: list[float]) -> bool:
    """Whether English OCR left header labels it could not read: a line that starts with a few
    unsure words then a colon (what "发件人：" becomes: "AGNI) :")."""
    found = 0
    for line in _ocr_lines(words, confs):
        head: list[tuple[Word, float]] = []
        for w, c in line[:4]:
            if w.text in (":", "\uff1a") or w.text.endswith((":", "\uff1a")):
                label = w.text.rstrip(":\uff1a")
                if label:
                    head.append((Word(label, w.left, w.right, w.top, w.bottom), c))
                break
            head.append((w, c))
        else:
            continue
        if not head or len(head) > 3:
            continue
        text = " ".join(w.text for w, _ in head)
        if fold_label(text) in KNOWN_LABELS or difflib.get_close_matches(
            fold_label(text), LATIN_LABELS, n=1, cutoff=0.6
        ):
            continue  # a Latin label, read or misread ("Frorn")
        if sum(c for _, c in head) / len(head) < FOREIGN_CONFIDENCE:
            found += 1
    return found >= 1


FOREIGN_CONFIDENCE = 85  # a label OCR is less sure of than this may be another script's


def _ocr_lines(words: list[Word], confs: list[float]) -> list[list[tuple[Word, float]]]:
    """Words in printed lines (a word belongs to the line its middle falls in), left to right."""
    lines: list[list[tuple[Word, float]]] = []
    spans: list[tuple[float, float]] = []
    for w, c in sorted(zip(words, confs, strict=True), key=lambda p: (p[0].top + p[0].bottom) / 2):
        middle = (w.top + w.bottom) / 2
        if spans and spans[-1][0] <= middle <= spans[-1][1]:
            lines[-1].append((w, c))
            spans[-1] = (min(spans[-1][0], w.top), max(spans[-1][1], w.bottom))
        else:
            lines.append([(w, c)])
            spans.append((w.top, w.bottom))
    return [sorted(line, key=lambda p: p[0].left) for line in lines]


_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")


def join_cjk(words: list[Word]) -> list[Word]:
    """Tesseract cuts Chinese, Japanese and Korean text into a word per character ("收 件 人"):
    neighbours on a line, both in those scripts and close together, are one word again."""
    out: list[Word] = []
    for line in _ocr_lines(words, [w.confidence for w in words]):
        last: Word | None = None
        for w, _ in line:
            if (
                last is not None
                and _CJK_CHAR.search(last.text[-1:])
                and _CJK_CHAR.search(w.text[:1])
                and 0 <= w.left - last.right < (w.bottom - w.top) * 0.8
            ):
                last = Word(
                    last.text + w.text,
                    last.left,
                    w.right,
                    min(last.top, w.top),
                    max(last.bottom, w.bottom),
                    last.bold,
                    min(last.confidence, w.confidence),
                )
                out[-1] = last
            else:
                out.append(w)
                last = w
    return out


def _one(image: Path, langs: str) -> tuple[list[Word], list[float], str | None]:
    cached = _cache_path(image, langs)
    if cached is not None and cached.exists():
        return _read_tsv(cached)
    base = image.with_suffix("").with_name(f"{image.stem}-{langs.replace('+', '_')}")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per page; pages run side by side
    try:
        subprocess.run(
            # psm 6, one uniform block: printed emails are one column, and it keeps thin
            # lines such as "-----Original Message-----" that page segmentation drops.
            ["tesseract", str(image), str(base), "-l", langs, "--psm", "6", "tsv"],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
        )
    except subprocess.CalledProcessError as exc:
        return [], [], f"tesseract failed: {exc.stderr.decode(errors='replace').strip()[:200]}"
    except subprocess.TimeoutExpired:
        return [], [], f"tesseract took more than {TIMEOUT} s"
    tsv = base.with_suffix(".tsv")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tsv, cached)
    return _read_tsv(tsv)


CACHE_VARIABLE = "BACKCHANNEL_OCR_CACHE"


def _cache_path(image: Path, langs: str) -> Path | None:
    """Where tesseract's answer for this image is kept, when BACKCHANNEL_OCR_CACHE names a
    folder (for developers re-reading the same scans; the answer depends only on the pixels)."""
    folder = os.environ.get(CACHE_VARIABLE)
    if not folder:
        return None
    digest = hashlib.sha256(image.read_bytes()).hexdigest()
    return Path(folder) / f"{digest}-{langs}-psm6.tsv"


def _read_tsv(path: Path) -> tuple[list[Word], list[float], str | None]:
    words: list[Word] = []
    confidences: list[float] = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (row.get("text") or "").strip()
            if not text:
                continue
            if text == "|":
                text = "I"  # the pronoun, as OCR reads it more often than not
            left, top = int(row["left"]), int(row["top"])
            conf = float(row["conf"])
            words.append(
                Word(
                    text,
                    left,
                    left + int(row["width"]),
                    top,
                    top + int(row["height"]),
                    confidence=conf,
                )
            )
            confidences.append(conf)
    return words, confidences, None


@dataclass
class Scan:
    """A scanned page as read: its words (in points, y down, bold where the strokes are
    heavy), OCR's mean confidence, a problem if any, and what the image shows."""

    words: list[Word]
    confidence: float | None
    problem: str | None
    look: PageLook


LOOK_DPI = 100  # rules, boxes and black share need no more


def scan_pages(doc: PdfDocument, numbers: list[int], folder: Path) -> list[Scan]:
    """The given pages (0-based) of a pypdfium2 document, rendered, OCR'd and looked at."""
    images = render_pages(doc, numbers, folder)
    looks = []
    for n in numbers:
        page = doc[n]
        width, height = page.get_size()
        looks.append(look(page.render(scale=LOOK_DPI / 72).to_pil(), width, height)[0])
        page.close()
    out = []
    for image, page_look, (words, conf, problem) in zip(
        images, looks, read_images(images), strict=True
    ):
        out.append(Scan(_in_points(image, words, page_look), conf, problem, page_look))
    return out


def _in_points(image: Path, words: list[Word], page_look: PageLook) -> list[Word]:
    """Words from pixels to points, bold where their strokes are heavier than the page's."""
    from PIL import Image

    with Image.open(image) as img:
        grey = np.asarray(img.convert("L"))
        scale = page_look.width / img.width
    strokes = [stroke(grey, 1.0, w.left, w.top, w.right, w.bottom) for w in words]
    body = statistics.median([s for s in strokes if s > 0] or [1.0])
    tall = statistics.median([w.bottom - w.top for w in words] or [1.0])
    return [
        Word(
            w.text,
            w.left * scale,
            w.right * scale,
            w.top * scale,
            w.bottom * scale,
            bold=weight >= body * BOLD_STROKE,
            confidence=w.confidence,
        )
        for w, weight in zip(words, strokes, strict=True)
        if not _on_rule(w, page_look, scale) and not _speck(w, tall)
    ]


def _speck(word: Word, tall: float) -> bool:
    """A speck of dust or the edge of a rule that OCR read as a word: far shorter than the
    page's letters, and unsure."""
    return word.bottom - word.top < tall * SPECK and word.confidence < RULE_NOISE


SPECK = 0.3  # of the page's median word height


def _on_rule(word: Word, page_look: PageLook, scale: float) -> bool:
    """What OCR made of a rule ("—", "eee", "SSS SSIES"): an unsure word across one."""
    top, bottom = word.top * scale, word.bottom * scale
    across = any(top - 1 <= (r.top + r.bottom) / 2 <= bottom + 1 for r in page_look.rules)
    return across and (word.confidence < RULE_NOISE or not any(c.isalnum() for c in word.text))


RULE_NOISE = 60  # OCR confidence under which a word across a rule is taken for the rule


BOLD_STROKE = 1.3  # a word whose strokes are this much wider than the page's is bold


def render_pages(doc: PdfDocument, numbers: list[int], folder: Path) -> list[Path]:
    """PNG images of the given pages (0-based) of a pypdfium2 document, at OCR resolution."""
    paths = []
    for n in numbers:
        page = doc[n]
        image = page.render(scale=DPI / 72, grayscale=True).to_pil()
        path = folder / f"page-{n + 1}.png"
        image.save(path)
        page.close()
        paths.append(path)
    return paths


def scratch() -> tempfile.TemporaryDirectory:
    return work_folder("ocr")
