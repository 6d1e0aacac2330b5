"""PDFs of printed emails: text layer with pypdfium2, OCR for scanned pages, production marks
read off each page, then the text split into messages at their printed header blocks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..record import (
    Item,
    MessageRecord,
    PageInfo,
    Problem,
    Provenance,
    ReadError,
    Redaction,
    SourceFile,
)
from . import ocr
from .boxes import Box
from .layout import LineLook, Word, lay_out, lay_out_lines, pdf_words
from .marks import Code, PageMarks, bates_series, clean_page_lines
from .pagelook import PageLook, drawn, redact_boxes
from .printed import (
    Layout,
    PrintedMessage,
    decode_entities,
    parse_date,
    participants_of,
    printed_zone,
    split,
)
from .signs import CLOSING_SIGN, Signs, Start, by_signs, find_signs

# 2: released documents, quoted history kept in the produced email, a copy per message and page
VERSION = 2
MIN_TEXT = 20  # characters: a page with less text than this is taken for a scan
OCR_CHUNK = 4  # scanned pages rendered and read at a time (memory stays flat)


def messages(src: SourceFile) -> Iterator[Item]:
    import pypdfium2 as pdfium  # only when a PDF is met: mailbox parsers stay small

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
    looks: list[LineLook | None] = []
    line_page: list[int] = []
    line_codes: dict[int, list[Code]] = {}
    methods: dict[int, str] = {}
    pages: dict[int, PageMarks] = {}
    page_looks: dict[int, PageLook | None] = {}
    layout = Layout()
    page_starts: dict[int, int] = {}  # page number -> its first line
    for read in _pages(doc, src):
        number = read.number
        if read.problem:
            yield ReadError(src.path, f"page {number}", read.method, read.problem)
        cleaned, marks, origin = clean_page_lines(read.text)
        methods[number] = read.method
        pages[number] = marks
        page_looks[number] = read.look
        yield PageInfo(
            number,
            read.method,
            read.confidence,
            marks.bates,
            "; ".join(marks.stamps) or None,
            len(cleaned.strip()),
            withheld=read.withheld,
        )
        if read.method == "ocr" and not cleaned.strip() and not read.withheld:
            yield ReadError(src.path, f"page {number}", "ocr", "no text on the page, even by OCR")
        base = len(lines)
        page_starts[number] = base
        page_lines = [decode_entities(line) for line in cleaned.split("\n")]
        for code in marks.codes:
            line_codes.setdefault(base + code.line, []).append(code)
        top = next((n for n, line in enumerate(page_lines) if line.strip()), None)
        if top is not None:
            layout.page_tops.add(base + top)
        lines += page_lines
        looks += [read.looks[o] if o < len(read.looks) else None for o in origin] or [None]
        line_page += [number] * len(page_lines)
    layout.known, starts = documents(pages)
    layout.numbered = any(marks.document for marks in pages.values())
    layout.documents = [page_starts[p] for p in starts if p in page_starts]
    found_signs = Signs() if layout.known else find_signs(lines, looks, page_starts, page_looks)
    closed: dict[int, Box] = {}
    if found_signs:
        closed = by_signs(layout, found_signs, lines, sorted(page_starts.values()))
    found, before = split(lines, layout)
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
        spans = sorted({line_page[i] for i, line in enumerate(before) if line.strip()})
        reason = (
            "continues a printout whose first page is not in this file (no sign of a printout's "
            "start above it): read as quoted history, not as a message"
            if found_signs
            else "text before the first email header block (a cover sheet?): not a message"
        )
        yield ReadError(src.path, _span(spans), "pdf", reason, level="warning")
    # A message's pages are those its text is on: blank lines after it (a withheld page before
    # the next printout) are not its.
    for message in found:
        while message.last_line > message.first_line and not lines[message.last_line].strip():
            message.last_line -= 1
    yield from _produced(found, found_signs, closed, src, line_page, line_codes, methods, pages)


def _produced(
    found: list[PrintedMessage],
    signs: Signs,
    closed: dict[int, Box],
    src: SourceFile,
    line_page: list[int],
    line_codes: dict[int, list[Code]],
    methods: dict[int, str],
    pages: dict[int, PageMarks],
) -> Iterator[MessageRecord]:
    """The produced emails as records, each noting the sign that started it."""
    seen_stamps: set[int] = set()
    titles = {s.header: s for s in signs.starts}
    for message in found:
        closing = closed.get(message.header.start)
        if closing is not None:
            # The record runs to its closing box; what that box says is kept with the header.
            message.last_line = max(message.last_line, closing.end - 1)
            for name, value in closing.fields.items():
                message.header.fields.setdefault(name, value)
        record = _record(message, src, line_page, line_codes, methods, pages, seen_stamps)
        by_closing = closing is not None and message.header.start not in titles
        _signed(record, titles.get(message.header.start), by_closing)
        yield record


def _signed(record: MessageRecord, start: Start | None, by_closing: bool) -> None:
    """Say in the copy's note which sign of the print's layout started it; an Outlook print's
    title is its mailbox owner."""
    if start is None and by_closing:
        start = Start(0, 0, CLOSING_SIGN, True)
    if start is None:
        return
    record.provenance.note = "; ".join(
        n for n in (f"printout start: {start.sign}", record.provenance.note) if n
    )
    if start.title and "over a rule" in start.sign:
        record.provenance.custodian = record.provenance.custodian or start.title


def documents(pages: dict[int, PageMarks]) -> tuple[bool, list[int]]:
    """Whether the marks say where released documents begin, and the pages where they do: a
    new document number, a Bates number of another series, a release stamp (unless every page
    carries one, which then says nothing)."""
    numbers = sorted(pages)
    stamped = [p for p in numbers if pages[p].release]
    stamps_tell = bool(stamped) and len(stamped) < len(numbers)
    known = stamps_tell or any(pages[p].document for p in numbers)
    starts = numbers[:1]
    for before, page in zip(numbers, numbers[1:], strict=False):
        a, b = pages[before], pages[page]
        if a.document and b.document:
            new = a.document != b.document
        elif a.bates and b.bates and bates_series(a.bates) != bates_series(b.bates):
            new = True
        else:
            new = stamps_tell and bool(b.release)
        if new:
            starts.append(page)
    return known, starts


@dataclass
class PageRead:
    """One page as read: its laid-out text, where each line sits, how it was read, and what the
    page image shows (rules, boxes, how much of it is black)."""

    number: int
    text: str
    looks: list[LineLook | None]
    method: str
    confidence: float | None = None
    problem: str | None = None
    look: PageLook | None = None

    @property
    def withheld(self) -> bool:
        return self.look is not None and self.look.withheld


def _pages(doc, src: SourceFile) -> Iterator[PageRead]:
    """Every page, in order, read from its text layer or by OCR."""
    import pypdfium2 as pdfium

    waiting: list[int] = []

    def flush() -> list[PageRead]:
        if not waiting:
            return []
        if not ocr.available():
            out = [
                PageRead(
                    n + 1, "", [], "ocr", problem="scanned page, and tesseract is not installed"
                )
                for n in waiting
            ]
        else:
            with ocr.scratch() as tmp:
                scans = ocr.scan_pages(doc, waiting, Path(tmp))
            out = [
                _laid_out(n + 1, scan.words, "ocr", scan.look, scan.confidence, scan.problem)
                for n, scan in zip(waiting, scans, strict=True)
            ]
        waiting.clear()
        return out

    for n in range(len(doc)):
        try:
            page = doc[n]
        except pdfium.PdfiumError as exc:
            yield from flush()
            yield PageRead(n + 1, "", [], "pdf-text", problem=f"page unreadable: {exc}")
            continue
        try:
            textpage = page.get_textpage()
            words = pdf_words(textpage, page.get_height())
            textpage.close()
            text = lay_out(words)
            looked = None
            if len(text.strip()) >= MIN_TEXT:
                looked = drawn(page)
        except pdfium.PdfiumError as exc:
            yield from flush()
            yield PageRead(n + 1, "", [], "pdf-text", problem=f"page text unreadable: {exc}")
            continue
        finally:
            page.close()
        if looked is not None:
            yield from flush()
            yield _laid_out(n + 1, words, "pdf-text", looked)
        else:
            waiting.append(n)
            if len(waiting) >= OCR_CHUNK:
                yield from flush()
    yield from flush()


def _laid_out(
    number: int,
    words: list[Word],
    method: str,
    page: PageLook,
    confidence: float | None = None,
    problem: str | None = None,
) -> PageRead:
    """A page's words laid out, black boxes read as "[REDACTED]"; a page blacked out whole
    has no text."""
    if page.withheld:
        return PageRead(number, "", [], method, confidence, problem, page)
    text, looks = lay_out_lines(redact_boxes(words, page.black))
    return PageRead(number, text, looks, method, confidence, problem, page)


def _span(pages: list[int]) -> str:
    return f"page {pages[0]}" if pages[0] == pages[-1] else f"pages {pages[0]}-{pages[-1]}"


def _record(
    message: PrintedMessage,
    src: SourceFile,
    line_page: list[int],
    line_codes: dict[int, list[Code]],
    methods: dict[int, str],
    marks: dict[int, PageMarks],
    seen_stamps: set[int],
) -> MessageRecord:
    fields = message.header.fields
    participants, doubts = participants_of(fields)
    problems = [Problem("header", doubt) for doubt in doubts]
    problems += [Problem("split", reason) for reason in message.problems]
    # A time printed without its zone is read in the zone the printout prints beside its other
    # times, when it prints one; else as UTC (the corpus's zone applies later), and said so.
    zone = printed_zone([fields.get("date", ""), *message.body_lines])
    sent_at, problem = parse_date(fields.get("date", ""), zone)
    if problem:
        problems.append(Problem("date", problem))
    zone_known = sent_at is not None and (problem is None or zone is not None)
    span = range(message.first_line, message.last_line + 1)
    pages = sorted({line_page[i] for i in span})
    # The message's document runs on past its own lines only through quoted history, which
    # is part of it: its pages, codes and stamps are the message's.
    method = "ocr" if any(methods[p] == "ocr" for p in pages) else "pdf-text"
    # The first and last Bates numbers that could be read (OCR may garble one page's).
    numbered = [marks[p].bates for p in pages if marks[p].bates]
    first_bates, last_bates = (numbered[0], numbered[-1]) if numbered else (None, None)
    bates_range = None
    if first_bates:
        bates_range = (
            first_bates if last_bates in (None, first_bates) else (f"{first_bates} - {last_bates}")
        )
    document = next((marks[p].document for p in pages if marks[p].document), None)
    redactions: dict[tuple[int, str, str], Redaction] = {}
    for i in span:
        for code in line_codes.get(i, []):
            key = (line_page[i], code.code, "redaction")
            redactions.setdefault(
                key, Redaction(line_page[i], code.code, "redaction", code.printed_on, code.doubtful)
            )
    for p in pages:  # a page's stamp belongs to the first message printed on it
        if p not in seen_stamps:
            seen_stamps.add(p)
            for stamp in marks[p].stamp_codes:
                redactions.setdefault(
                    (p, stamp, "stamp"), Redaction(p, stamp, "stamp", marks[p].release or "")
                )
    location = _span(pages) + (f" ({bates_range})" if bates_range else "")
    if document:
        location += f", document {document}"
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
            document=document,
            note=message.why,
        ),
        problems=problems,
        redactions=list(redactions.values()),
        zone_known=zone_known,
    )
