"""Text of the attachments a reporter would search: PDF, Word, Excel, CSV, text, HTML, attached
emails. Bounded: a huge attachment costs a cut-off, never the run."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from email import message_from_bytes
from email.policy import compat32
from typing import Any, cast

from ..errors import BackchannelError
from .text import guess_decode, html_to_text

MAX_INPUT = 50 << 20  # bytes of attachment we try to read
MAX_TEXT = 1 << 20  # characters of text kept per attachment
MAX_PDF_PAGES = 500


class Unreadable(BackchannelError):
    pass


def _pdf(data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise Unreadable(f"PDF could not be opened: {exc}") from exc
    try:
        pages = []
        for n in range(min(len(doc), MAX_PDF_PAGES)):
            page = doc[n]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\n\f".join(pages)
    finally:
        doc.close()


def _docx(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable(f"Word document could not be opened: {exc}") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Unreadable(f"spreadsheet could not be opened: {exc}") from exc
    lines: list[str] = []
    size = 0
    try:
        for sheet in book.worksheets:
            lines.append(f"# {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join("" if v is None else str(v) for v in row).rstrip("\t")
                if line:
                    lines.append(line)
                    size += len(line)
                if size > MAX_TEXT:
                    return "\n".join(lines)
    finally:
        book.close()
    return "\n".join(lines)


def _text(data: bytes) -> str:
    return guess_decode(data)


def _html(data: bytes) -> str:
    return html_to_text(guess_decode(data))


def _eml(data: bytes) -> str:
    msg = message_from_bytes(data, policy=compat32)
    out = [
        f"{k}: {v}" for k, v in msg.items() if k.lower() in ("from", "to", "cc", "subject", "date")
    ]
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            payload = cast(bytes, part.get_payload(decode=True) or b"")  # decoded: bytes
            out.append(guess_decode(payload))
            break
    return "\n".join(out)


def _msg(data: bytes) -> str:
    import extract_msg

    try:
        msg: Any = extract_msg.openMsg(data, strict=False)  # a MSGFile's subclass: Message
    except Exception as exc:
        raise Unreadable(f"Outlook message could not be opened: {exc}") from exc
    try:
        head = [f"From: {msg.sender or ''}", f"To: {msg.to or ''}", f"Subject: {msg.subject or ''}"]
        return "\n".join(head) + "\n\n" + (msg.body or "")
    finally:
        msg.close()


MAX_ZIP_MEMBERS = 200  # documents read inside one zip attachment
MAX_ZIP_DEPTH = 2


def _zip(data: bytes, depth: int = 0) -> str:
    """The text of the documents inside a zip attachment, each under its name; bounded in
    members, in inflated size and in nesting (a zip bomb costs a cut-off)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise Unreadable(f"zip could not be opened: {exc}") from exc
    out: list[str] = []
    budget = MAX_INPUT
    with zf:
        for info in zf.infolist()[:MAX_ZIP_MEMBERS]:
            if info.is_dir() or info.flag_bits & 0x1 or info.file_size > budget:
                continue
            is_zip = info.filename.lower().endswith(".zip")
            reader = reader_for(info.filename, "") if not is_zip else None
            if reader is None and not (is_zip and depth < MAX_ZIP_DEPTH):
                continue
            try:
                with zf.open(info) as member:
                    inner = member.read(budget + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
                continue
            budget -= len(inner)
            try:
                text = _zip(inner, depth + 1) if reader is None else reader(inner)
            except Exception:  # one bad member costs that member
                continue
            if text.strip():
                out.append(f"## {info.filename}\n{text.strip()}")
            if budget <= 0 or sum(len(t) for t in out) > MAX_TEXT:
                break
    return "\n\n".join(out)


_BY_TYPE: dict[str, Callable[[bytes], str]] = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx,
    "text/plain": _text,
    "text/csv": _text,
    "text/tab-separated-values": _text,
    "text/html": _html,
    "message/rfc822": _eml,
    "application/vnd.ms-outlook": _msg,
    "application/zip": _zip,
    "application/x-zip-compressed": _zip,
}
_BY_EXTENSION: dict[str, Callable[[bytes], str]] = {
    ".pdf": _pdf,
    ".docx": _docx,
    ".xlsx": _xlsx,
    ".xlsm": _xlsx,
    ".txt": _text,
    ".csv": _text,
    ".tsv": _text,
    ".htm": _html,
    ".html": _html,
    ".eml": _eml,
    ".msg": _msg,
    ".zip": _zip,
}


def reader_for(name: str, content_type: str) -> Callable[[bytes], str] | None:
    lower = name.lower()
    for ext, reader in _BY_EXTENSION.items():
        if lower.endswith(ext):
            return reader
    return _BY_TYPE.get(content_type.lower())


def extract(
    name: str, content_type: str, data: bytes | None, size: int | None = None
) -> tuple[str | None, str | None]:
    """(text, problem). Text is None for kinds not read (images, archives...) and on failure.
    `data` may be None for an attachment decoded as a stream (payload.py): then `size` says
    how big it was, and it was kept only if it is not over MAX_INPUT."""
    reader = reader_for(name, content_type)
    size = len(data) if data is not None else (size or 0)
    if reader is None or not size:
        return None, None
    if size > MAX_INPUT:
        return (
            None,
            f"attachment {name!r} is {size} bytes; text not extracted past {MAX_INPUT}",
        )
    if data is None:
        return None, None
    try:
        text = reader(data)
    except Unreadable as exc:
        return None, f"attachment {name!r}: {exc}"
    except Exception as exc:  # a library choking on a malformed file: never stop the run
        return None, f"attachment {name!r}: text extraction failed: {type(exc).__name__}: {exc}"
    text = text.replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        return text[:MAX_TEXT], f"attachment {name!r}: text cut at {MAX_TEXT} characters"
    return text, None
