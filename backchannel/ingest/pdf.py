"""PDFs of printed emails: text layer with pypdfium2, OCR for scanned pages, production marks
read off each page, then the text split into messages at their printed header blocks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium

from . import ocr
from .marks import clean_page
from .printed import PrintedMessage, parse_date, participants_of, split
from .record import Item, MessageRecord, PageInfo, Problem, Provenance, ReadError, SourceFile

MIN_TEXT = 20  # characters: a page with less text than this is taken for a scan
OCR_CHUNK = 4  # scanned pages rendered and read at a time (memory stays flat)


def messages(src: SourceFile) -> Iterator[Item]:
    try:
        doc = pdfium.PdfDocument(str(src.local_path))
    except pdfium.PdfiumError as exc:
        text = str(exc)
        reason = (
            "encrypted PDF: a password is needed to read it"
            if "password" in text.lower()
            else f"damaged or unreadable PDF: {text}"
        )
        yield ReadError(src.path, "whole file", "pdf", reason)
        return
    try:
        yield from _document(doc, src)
    finally:
        doc.close()


def _document(doc, src: SourceFile) -> Iterator[Item]:
    lines: list[str] = []
    line_page: list[int] = []
    line_codes: dict[int, list[str]] = {}
    methods: dict[int, str] = {}
    stamp_codes: dict[int, list[str]] = {}
    bates: dict[int, str] = {}
    for number, text, method, confidence, problem in _pages(doc, src):
        if problem:
            yield ReadError(src.path, f"page {number}", method, problem)
        cleaned, marks = clean_page(text)
        methods[number] = method
        if marks.bates:
            bates[number] = marks.bates
        stamp_codes[number] = marks.stamp_codes
        yield PageInfo(
            number,
            method,
            confidence,
            marks.bates,
            "; ".join(marks.stamps) or None,
            len(cleaned.strip()),
        )
        if method == "ocr" and not cleaned.strip():
            yield ReadError(src.path, f"page {number}", "ocr", "no text on the page, even by OCR")
        base = len(lines)
        page_lines = cleaned.split("\n")
        for index, code in marks.codes:
            line_codes.setdefault(base + index, []).append(code)
        lines += page_lines
        line_page += [number] * len(page_lines)
    found, before = split(lines)
    if not found:
        yield ReadError(
            src.path,
            f"pages 1-{len(doc)}",
            "pdf",
            "no email headers found: not read as email",
            level="error",
        )
        return
    if any(line.strip() for line in before):
        pages = sorted({line_page[i] for i, line in enumerate(before) if line.strip()})
        yield ReadError(
            src.path,
            _span(pages),
            "pdf",
            "text before the first email header block (a cover sheet?): not a message",
            level="warning",
        )
    seen_stamps: set[int] = set()
    for message in found:
        yield _record(message, src, line_page, line_codes, methods, bates, stamp_codes, seen_stamps)


def _pages(doc, src: SourceFile) -> Iterator[tuple[int, str, str, float | None, str | None]]:
    """(page number, text, method, OCR confidence, problem) for every page, in order."""
    waiting: list[int] = []

    def flush():
        if not waiting:
            return []
        if not ocr.available():
            out = [
                (n + 1, "", "ocr", None, "scanned page, and tesseract is not installed")
                for n in waiting
            ]
        else:
            with ocr.scratch() as tmp:
                images = ocr.render_pages(doc, waiting, Path(tmp))
                out = [
                    (n + 1, text, "ocr", conf, problem)
                    for n, (text, conf, problem) in zip(
                        waiting, ocr.ocr_images(images), strict=True
                    )
                ]
        waiting.clear()
        return out

    for n in range(len(doc)):
        page = doc[n]
        try:
            textpage = page.get_textpage()
            text = textpage.get_text_bounded()
            textpage.close()
        except pdfium.PdfiumError as exc:
            yield from flush()
            yield n + 1, "", "pdf-text", None, f"page text unreadable: {exc}"
            continue
        finally:
            page.close()
        if len(text.strip()) >= MIN_TEXT:
            yield from flush()
            yield n + 1, text, "pdf-text", None, None
        else:
            waiting.append(n)
            if len(waiting) >= OCR_CHUNK:
                yield from flush()
    yield from flush()


def _span(pages: list[int]) -> str:
    return f"page {pages[0]}" if pages[0] == pages[-1] else f"pages {pages[0]}-{pages[-1]}"


def _record(
    message: PrintedMessage,
    src: SourceFile,
    line_page,
    line_codes,
    methods,
    bates,
    stamp_codes,
    seen_stamps: set[int],
) -> MessageRecord:
    fields = message.header.fields
    participants, doubts = participants_of(fields)
    problems = [Problem("header", doubt) for doubt in doubts]
    problems += [Problem("split", reason) for reason in message.problems]
    sent_at, problem = parse_date(fields.get("date", ""))
    if problem:
        problems.append(Problem("date", problem))
    zone_known = sent_at is not None and problem is None
    span = range(message.first_line, message.last_line + 1)
    pages = sorted({line_page[i] for i in span})
    method = "ocr" if any(methods[p] == "ocr" for p in pages) else "pdf-text"
    first_bates, last_bates = bates.get(pages[0]), bates.get(pages[-1])
    bates_range = None
    if first_bates:
        bates_range = (
            first_bates if last_bates in (None, first_bates) else (f"{first_bates} - {last_bates}")
        )
    redactions = [(line_page[i], code, "redaction") for i in span for code in line_codes.get(i, [])]
    for p in pages:  # a page's stamp belongs to the first message printed on it
        if p not in seen_stamps:
            seen_stamps.add(p)
            redactions += [(p, code, "stamp") for code in stamp_codes.get(p, [])]
    location = _span(pages) + (f" ({bates_range})" if bates_range else "")
    body = "\n".join(message.body_lines).strip("\n")
    return MessageRecord(
        message_id=None,
        subject=fields.get("subject", ""),
        sent_at=sent_at,
        sent_at_original=fields.get("date") or None,
        participants=participants,
        body_text=body,
        body_html=None,
        in_reply_to=None,
        references=[],
        headers=[(k.title(), v) for k, v in fields.items()],
        attachments=[],
        provenance=Provenance(
            path=src.path,
            source_sha256=src.sha256,
            method=method,
            location=location,
            folder=src.folder,
            pages=_span(pages).removeprefix("pages ").removeprefix("page "),
            bates=bates_range,
        ),
        problems=problems,
        redactions=redactions,
        zone_known=zone_known,
    )
