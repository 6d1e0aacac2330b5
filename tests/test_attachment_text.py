"""Text of attachments: what a reporter would search, bounded, failures on record."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from conftest import make_email, rows, write_mbox

from backchannel.corpus import ingest, open_corpus
from backchannel.ingest import attachment_text
from backchannel.ingest.attachment_text import extract


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text, offsets computed (a real, minimal PDF)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Vendor", "Brightpath"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget"
    sheet.append(["item", "amount"])
    sheet.append(["charter outreach", 25000])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_each_kind():
    assert extract("memo.pdf", "application/pdf", tiny_pdf("Reserve transfer memo")) == (
        "Reserve transfer memo",
        None,
    )
    text, problem = extract(
        "draft.docx", "application/octet-stream", docx_bytes("Talking points", "Charter vote")
    )
    assert (text, problem) == ("Talking points\nCharter vote\nVendor\tBrightpath", None)
    assert extract("b.xlsx", "application/octet-stream", xlsx_bytes()) == (
        "# Budget\nitem\tamount\ncharter outreach\t25000",
        None,
    )
    assert extract("a.csv", "text/csv", "name,amount\nIbáñez,3\n".encode("cp1252")) == (
        "name,amount\nIbáñez,3",
        None,
    )
    assert extract("page.html", "text/html", b"<p>Hello <b>board</b></p><script>x()</script>") == (
        "Hello board",
        None,
    )
    assert extract("fwd.eml", "message/rfc822", make_email(body="inner text\n"))[0].endswith(
        "inner text"
    )
    assert extract("photo.jpg", "image/jpeg", b"\xff\xd8\xff") == (None, None)


def test_attached_msg_file(tmp_path):
    amsg = pytest.importorskip("aspose.email_foss.msg", reason="aspose-email-foss writes .msg")
    message = amsg.MapiMessage.create("Board packet", "Draft agenda attached.")
    message.save(tmp_path / "a.msg")
    text, problem = extract(
        "fwd.msg", "application/octet-stream", (tmp_path / "a.msg").read_bytes()
    )
    assert problem is None
    assert "Subject: Board packet" in text and text.endswith("Draft agenda attached.")


def test_failures_and_bounds(monkeypatch):
    text, problem = extract("broken.pdf", "application/pdf", b"%PDF-1.4 not really")
    assert text is None and "PDF could not be opened" in problem
    text, problem = extract("broken.docx", "application/octet-stream", b"PK\x03\x04junk")
    assert text is None and "broken.docx" in problem
    monkeypatch.setattr(attachment_text, "MAX_TEXT", 10)
    text, problem = extract("long.txt", "text/plain", b"x" * 100)
    assert text == "x" * 10 and "cut at 10" in problem
    monkeypatch.setattr(attachment_text, "MAX_INPUT", 50)
    text, problem = extract("big.txt", "text/plain", b"x" * 100)
    assert text is None and "not extracted" in problem


def test_attachment_text_is_searchable(tmp_path):
    mail = make_email(
        attachments=[
            ("memo.pdf", "application/pdf", tiny_pdf("Reserve transfer")),
            ("bad.pdf", "application/pdf", b"%PDF-1.4 junk"),
        ]
    )
    write_mbox(tmp_path / "box.mbox", [mail])
    db = tmp_path / "c.db"
    corpus = open_corpus(db)
    ingest(corpus, [tmp_path / "box.mbox"])
    corpus.close()
    assert rows(
        db,
        "select a.name from attachments_fts f join attachments a on a.rowid = f.rowid "
        "where attachments_fts match 'transfer'",
    ) == [("memo.pdf",)]
    assert rows(db, "select stage, level from errors") == [("attachment", "warning")]
