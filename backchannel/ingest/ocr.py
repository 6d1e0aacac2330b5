"""OCR of scanned pages with Debian's tesseract, one process per page, both cores busy."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument

from .layout import Word, lay_out
from .scratch import scratch as work_folder

DPI = 300
TIMEOUT = 300  # seconds for one page


class OcrUnavailable(RuntimeError):
    pass


def available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_images(images: list[Path], workers: int = 0) -> list[tuple[str, float | None, str | None]]:
    """(text, mean word confidence 0-100, problem) for each image, in order."""
    if not available():
        raise OcrUnavailable("tesseract is not installed (scripts/setup.sh installs it)")
    workers = workers or min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_one, images))


def _one(image: Path) -> tuple[str, float | None, str | None]:
    base = image.with_suffix("")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per page; pages run side by side
    try:
        subprocess.run(
            # psm 6, one uniform block: printed emails are one column, and it keeps thin
            # lines such as "-----Original Message-----" that page segmentation drops.
            ["tesseract", str(image), str(base), "-l", "eng", "--psm", "6", "tsv"],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
        )
    except subprocess.CalledProcessError as exc:
        return "", None, f"tesseract failed: {exc.stderr.decode(errors='replace').strip()[:200]}"
    except subprocess.TimeoutExpired:
        return "", None, f"tesseract took more than {TIMEOUT} s"
    return _read_tsv(base.with_suffix(".tsv"))


def _read_tsv(path: Path) -> tuple[str, float | None, str | None]:
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
            words.append(Word(text, left, left + int(row["width"]), top, top + int(row["height"])))
            conf = float(row["conf"])
            if conf >= 0:
                confidences.append(conf)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    # Laid out as on the page: a code in the margin stays apart from the line's text.
    return lay_out(words), mean, None


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
