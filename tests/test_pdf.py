"""PDFs of printed emails, made here with a real PDF writer (fpdf2) and rasterized for the
scanned case: messages, header fields, pages, Bates numbers, exemption codes, OCR."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, rows

from backchannel.corpus import ingest, open_corpus
from backchannel.ingest import read
from backchannel.ingest.printed.printed import addresses, split
from backchannel.ingest.record import Address, MessageRecord, PageInfo, ReadError

sys.path.insert(0, str(ROOT / "sample"))
printout = pytest.importorskip("printout", reason="fpdf2 renders the test PDFs")

PAGES = [
    printout.Page(
        lines=[
            "**Lee, Marcus",
            "From: Lee, Marcus",
            "Sent: Tuesday, March 4, 2025 9:15 AM",
            "To: Ibáñez, Rosa <rosa@bsn.example>; Whitfield, Dana;",
            "    Doyle, Kevin",
            "Cc: Sesay, Amara",
            "Subject: RE: Charter vote",
            "",
            "Thanks Rosa. Call the board office line at",
            "",
            "-----Original Message-----",
            "From: Rosa Ibáñez [mailto:rosa@bsn.example]",
            "Sent: Monday, March 3, 2025 4:02 PM",
            "To: Lee, Marcus",
            "Subject: Charter vote",
            "",
            "Can we talk before Tuesday? My cell is",
        ],
        bates="DIST-0001234",
        stamp="RELEASED IN PART B6",
        redactions=[(8, "(b)(6)"), (16, "(b)(6)")],
    ),
    printout.Page(
        lines=[
            "I will bring the petition signatures.",
            "",
            "From: Rosa Ibáñez <rosa@bsn.example>",
            "Subject: Next steps",
            "Date: March 5, 2025 at 10:00:00 AM PST",
            "To: Dana Whitfield <dana.whitfield@district.example>",
            "",
            "Dana, the investigator's report names",
            "We should meet before the vote.",
        ],
        bates="DIST-0001235",
        redactions=[(7, "(b)(7)(C)")],
    ),
    printout.Page(
        lines=[
            "**Budget workshop",
            "",
            "Kevin Doyle <kdoyle@bsn.example>          Thu, Mar 6, 2025 at 2:30 PM",
            "To: Samuel Okafor <samuel.okafor@district.example>",
            "",
            "Samuel, here are the reserve numbers.",
        ],
        bates="DIST-0001236",
    ),
]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    printed = printout.text_pdf(PAGES, folder / "printed.pdf")
    scanned = printout.scanned_pdf(printed, folder / "scanned.pdf")
    mixed = printout.mixed_pdf(printed, scanned, folder / "mixed.pdf")
    return printed, scanned, mixed


def records(path: Path):
    items = list(read(path))
    return (
        [i for i in items if isinstance(i, MessageRecord)],
        [i for i in items if isinstance(i, PageInfo)],
        [i for i in items if isinstance(i, ReadError)],
    )


def test_text_layer_pdf(pdfs):
    messages, pages, errors = records(pdfs[0])
    assert [p.method for p in pages] == ["pdf-text"] * 3
    assert [p.bates for p in pages] == ["DIST-0001234", "DIST-0001235", "DIST-0001236"]
    assert pages[0].stamps == "RELEASED IN PART B6"
    first, second, third = messages
    assert first.subject == "RE: Charter vote"
    assert first.participants == [
        ("from", Address("Lee, Marcus", "")),
        ("to", Address("Ibáñez, Rosa", "rosa@bsn.example")),
        ("to", Address("Whitfield, Dana", "")),
        ("to", Address("Doyle, Kevin", "")),
        ("cc", Address("Sesay, Amara", "")),
    ]
    assert first.sent_at == datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
    assert first.sent_at_original == "Tuesday, March 4, 2025 9:15 AM"
    assert [p.stage for p in first.problems] == ["date"]  # no zone printed: said so
    assert (first.provenance.pages, first.provenance.bates, first.provenance.method) == (
        "1-2",
        "DIST-0001234 - DIST-0001235",
        "pdf-text",
    )
    assert first.provenance.location == "pages 1-2 (DIST-0001234 - DIST-0001235)"
    # One row per code and page, with the line it was printed on.
    assert [(r.page, r.code, r.kind, r.line) for r in first.redactions] == [
        (1, "(b)(6)", "redaction", "Thanks Rosa. Call the board office line at [REDACTED]"),
        (1, "B6", "stamp", "RELEASED IN PART B6"),
    ]
    # The quoted Outlook block stays in the body: it is history, not a new message.
    assert "-----Original Message-----" in first.body_text
    assert first.body_text.endswith("I will bring the petition signatures.")
    for m in messages:  # no stamp, Bates number or code leaks into what NER will read
        for leak in ("DIST-", "RELEASED", "(b)(", "B6"):
            assert leak not in m.body_text and leak not in m.subject
    assert (second.subject, second.sent_at, second.provenance.pages) == (
        "Next steps",
        datetime(2025, 3, 5, 18, 0, tzinfo=UTC),
        "2",
    )
    assert second.participants == [
        ("from", Address("Rosa Ibáñez", "rosa@bsn.example")),
        ("to", Address("Dana Whitfield", "dana.whitfield@district.example")),
    ]
    assert [(r.page, r.code, r.kind) for r in second.redactions] == [(2, "(b)(7)(C)", "redaction")]
    assert second.problems == []
    # Printed below the first email's last lines with no quote marker, and dated after it.
    assert "dated after the email printed above it" in second.provenance.note
    assert (third.subject, third.provenance.pages, third.provenance.bates) == (
        "Budget workshop",
        "3",
        "DIST-0001236",
    )
    assert third.participants == [
        ("from", Address("Kevin Doyle", "kdoyle@bsn.example")),
        ("to", Address("Samuel Okafor", "samuel.okafor@district.example")),
    ]
    assert third.body_text == "Samuel, here are the reserve numbers."
    assert errors == []


def test_scanned_pdf_is_read_by_ocr(pdfs):
    messages, pages, errors = records(pdfs[1])
    assert [p.method for p in pages] == ["ocr"] * 3
    assert all(p.confidence > 80 for p in pages)
    assert [p.bates for p in pages] == ["DIST-0001234", "DIST-0001235", "DIST-0001236"]
    got = [
        (m.subject, m.sent_at, m.provenance.pages, m.provenance.bates, m.provenance.method)
        for m in messages
    ]
    assert got == [
        (
            "RE: Charter vote",
            datetime(2025, 3, 4, 9, 15, tzinfo=UTC),
            "1-2",
            "DIST-0001234 - DIST-0001235",
            "ocr",
        ),
        ("Next steps", datetime(2025, 3, 5, 18, 0, tzinfo=UTC), "2", "DIST-0001235", "ocr"),
        ("Budget workshop", datetime(2025, 3, 6, 14, 30, tzinfo=UTC), "3", "DIST-0001236", "ocr"),
    ]
    # OCR reads the addresses exactly; an accented name may come back without its accents.
    (rosa,) = messages[1].addresses("from")
    assert rosa.address == "rosa@bsn.example" and rosa.name.startswith("Rosa Ib")
    assert messages[2].addresses("from") == [Address("Kevin Doyle", "kdoyle@bsn.example")]
    assert messages[0].addresses("from") == [Address("Lee, Marcus", "")]
    assert [r.code for m in messages for r in m.redactions] == ["(b)(6)", "B6", "(b)(7)(C)"]
    assert errors == []


def test_mixed_pdf_page_by_page(pdfs):
    messages, pages, errors = records(pdfs[2])
    assert [(p.page, p.method) for p in pages] == [(1, "pdf-text"), (2, "ocr")]
    assert [(m.subject, m.provenance.pages, m.provenance.method) for m in messages] == [
        ("RE: Charter vote", "1-2", "ocr"),  # one of its pages was scanned
        ("Next steps", "2", "ocr"),
    ]


def test_pdfs_that_are_not_readable_email(tmp_path, pdfs):
    from fpdf import FPDF

    memo = FPDF()
    memo.add_page()
    memo.set_font("Helvetica", size=12)
    for line in (
        "MEMORANDUM",
        "To the board: the facilities report is attached.",
        "The bond language is final.",
    ):
        memo.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    memo.output(str(tmp_path / "memo.pdf"))
    locked = FPDF()
    locked.set_encryption(owner_password="agency", user_password="secret")
    locked.add_page()
    locked.set_font("Helvetica", size=12)
    locked.cell(0, 8, "From: a@b.example")
    locked.output(str(tmp_path / "locked.pdf"))
    (tmp_path / "damaged.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    db = tmp_path / "c.db"
    corpus = open_corpus(db)
    s = ingest(corpus, [tmp_path / "memo.pdf", tmp_path / "locked.pdf", tmp_path / "damaged.pdf"])
    corpus.close()
    assert s.messages == 0
    got = dict(rows(db, "select source_path, reason from errors"))
    assert got["memo.pdf"] == "no email headers found: not read as email"
    assert got["locked.pdf"] == "encrypted PDF: a password is needed to read it"
    assert got["damaged.pdf"].startswith("damaged or unreadable PDF")


def test_pdf_into_the_corpus(pdfs, tmp_path):
    db = tmp_path / "c.db"
    corpus = open_corpus(db)
    ingest(corpus, [pdfs[0]])
    corpus.close()
    assert rows(db, "select pages, bates, method, location from message_copies order by pages") == [
        (
            "1-2",
            "DIST-0001234 - DIST-0001235",
            "pdf-text",
            "pages 1-2 (DIST-0001234 - DIST-0001235)",
        ),
        ("2", "DIST-0001235", "pdf-text", "page 2 (DIST-0001235)"),
        ("3", "DIST-0001236", "pdf-text", "page 3 (DIST-0001236)"),
    ]
    assert rows(db, "select page, code, kind from redactions order by page, kind, code") == [
        (1, "(b)(6)", "redaction"),
        (1, "B6", "stamp"),
        (2, "(b)(7)(C)", "redaction"),
    ]
    assert rows(db, "select page, method, bates from pages order by page") == [
        (1, "pdf-text", "DIST-0001234"),
        (2, "pdf-text", "DIST-0001235"),
        (3, "pdf-text", "DIST-0001236"),
    ]
    # Names without addresses are kept as names, for identity resolution to merge later.
    assert rows(db, "select key, name from participants where address is null order by 1") == [
        ("name:doyle, kevin", "Doyle, Kevin"),
        ("name:lee, marcus", "Lee, Marcus"),
        ("name:sesay, amara", "Sesay, Amara"),
        ("name:whitfield, dana", "Whitfield, Dana"),
    ]


# -- the splitter on text, directly ------------------------------------------------------------


def test_ocr_noise_in_labels_and_wrapped_lists():
    text = """Frorn: Grace Liu <grace.liu@district.example>
Sent Wednesday, April 2, 2025 3:05 PM
To: Helen Brandt <helen.brandt@district.example>, Robert Farrow
<robert.farrow@district.example>,
Tomás Castrejón <tomas.castrejon@district.example>
Subjcct: Agenda for the bond hearing that runs long enough to wrap onto a second
printed line
Helen, here is the agenda."""
    (message,), before = split(text.split("\n"))
    assert before == []
    fields = message.header.fields
    assert fields["from"] == "Grace Liu <grace.liu@district.example>"
    assert fields["date"] == "Wednesday, April 2, 2025 3:05 PM"
    assert fields["subject"] == (
        "Agenda for the bond hearing that runs long enough to wrap onto a second printed line"
    )
    found, problem = addresses(fields["to"])
    assert problem is None
    assert [a.address for a in found] == [
        "helen.brandt@district.example",
        "robert.farrow@district.example",
        "tomas.castrejon@district.example",
    ]
    assert message.body_lines == ["Helen, here is the agenda."]


def test_unsure_text_stays_in_one_message():
    # A "From:" with no date under it is not a header block: no message is invented from it.
    text = """From: Lee, Marcus
Sent: Friday, March 7, 2025 8:00 AM
To: Whitfield, Dana
Subject: Notes
From: the notes of the meeting, the vote is set.
To be discussed: the bond."""
    (message,), _ = split(text.split("\n"))
    assert message.body_lines == [
        "From: the notes of the meeting, the vote is set.",
        "To be discussed: the bond.",
    ]
    # Prose that starts with "From:" is not worth a warning...
    assert message.problems == []
    # ...a header block damaged beyond reading (no date under its labels) is.
    damaged = text + "\n\nFrom: Ibáñez, Rosa\nTo: Lee, Marcus\nSubject: Re"
    (message,), _ = split(damaged.split("\n"))
    assert message.problems == [
        "a 'From:' line ('From: Ibáñez, Rosa') has no date or recipients under it: kept in the "
        "body, not read as a new message"
    ]
    found, problem = addresses("Lee, Marcus, Whitfield, Dana")
    assert found == [Address("Lee, Marcus, Whitfield, Dana", "")]
    assert "unsure" in problem
