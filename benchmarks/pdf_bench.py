"""PDF benchmark: pages per second for text-layer pages and for scanned (OCR) pages, and OCR with
one core against both. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/pdf_bench.py [--text-pages 300] [--scanned-pages 16]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sample"))
sys.path.insert(0, str(Path(__file__).parent))
from ingest_bench import run_measured  # noqa: E402
from printout import Page, scanned_pdf, text_pdf  # noqa: E402


def pages(n: int) -> list[Page]:
    out = []
    for i in range(n):
        lines = [
            "From: Rosa Ibanez <rosa@betterschoolsnow.example>",
            f"Subject: Charter vote, item {i}",
            f"Date: March {1 + i % 28}, 2025 at 9:{i % 60:02d}:00 AM PST",
            "To: Dana Whitfield <dana.whitfield@lakemontusd.example>; Marcus Lee "
            "<marcus.lee@lakemontusd.example>",
            "",
        ]
        lines += [
            f"Paragraph {k}: the board will take up the charter expansion item and the "
            "bond language"
            for k in range(25)
        ]
        out.append(Page(lines=lines, bates=f"LUSD-{i + 1:06d}", stamp="RELEASED IN FULL"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text-pages", type=int, default=300)
    ap.add_argument("--scanned-pages", type=int, default=16)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = ap.parse_args()
    out = args.out / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    text = text_pdf(pages(args.text_pages), out / "text.pdf")
    scan = scanned_pdf(
        text_pdf(pages(args.scanned_pages), out / "to-scan.pdf"), out / "scanned.pdf", dpi=300
    )
    exe = Path(sys.executable).parent / "backchannel"
    for label, path, n in (
        ("text layer", text, args.text_pages),
        ("scanned (OCR)", scan, args.scanned_pages),
    ):
        db = out / f"{path.stem}.db"
        db.unlink(missing_ok=True)
        secs, rss, code, *_ = run_measured([str(exe), "ingest", str(path), "--db", str(db)])
        print(
            f"{label:<14} {n:>5} pages  {n / secs:7.2f} pages/s  {secs:6.1f} s  "
            f"peak RSS {rss / 2**20:4.0f} MiB  exit {code}"
        )

    import pypdfium2 as pdfium

    from backchannel.ingest.printed import ocr

    doc = pdfium.PdfDocument(str(scan))
    with tempfile.TemporaryDirectory() as tmp:
        images = ocr.render_pages(doc, list(range(min(8, len(doc)))), Path(tmp))
        rates = {}
        for workers in (1, 2):
            t = time.perf_counter()
            ocr.ocr_images(images, workers=workers)
            rates[workers] = len(images) / (time.perf_counter() - t)
            print(f"OCR alone, {workers} tesseract process(es): {rates[workers]:5.2f} pages/s")
        print(f"OCR speed-up with both cores: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
