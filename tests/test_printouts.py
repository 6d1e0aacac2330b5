"""Print layouts of other agencies, built here with fpdf2 (and rasterized for the OCR path): an
Outlook print (the mailbox owner's name in bold over a heavy rule, a memo table), black boxes
over header values and a page blacked out whole, a web-mail print, an e-discovery print (tinted
metadata boxes that open and close a record, Exchange X.500 addresses, HTML entities), a
bilingual chain, a court exhibit whose file starts in the middle of an email. Fictional people
only."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT

from backchannel.analysis.quotes import split_printed
from backchannel.analysis.recovered import record_from_fragment
from backchannel.ingest import read
from backchannel.ingest.printed.ocr import available, other_scripts
from backchannel.ingest.record import MessageRecord, PageInfo, ReadError

sys.path.insert(0, str(ROOT / "sample"))
printout = pytest.importorskip("printout", reason="fpdf2 renders the test PDFs")
from fpdf import FPDF  # noqa: E402

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
Line = tuple[str, str]  # (style, text): "" plain, "B" bold, "T" title (bold, large), "R" rule


def _pdf() -> FPDF:
    pdf = FPDF(format="letter")
    pdf.set_creation_date(printout.FIXED_DATE)
    pdf.set_auto_page_break(False)
    if CJK_FONT.exists():
        pdf.add_font("cjk", "", str(CJK_FONT))
    return pdf


def _write(pdf: FPDF, y: float, text: str, bold: bool = False, size: float = 10) -> None:
    cjk = any(ord(c) > 0x2E80 for c in text)
    pdf.set_font("cjk" if cjk else "Helvetica", "" if cjk else ("B" if bold else ""), size)
    pdf.set_xy(20, y)
    pdf.cell(175, 5, text)


def _black(pdf: FPDF, x: float, y: float, w: float, h: float = 5.0) -> None:
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(x, y, w, h, style="F")


def outlook_page(pdf: FPDF, owner: str, table: list[tuple[str, str]], body: list[str]) -> None:
    """A page of Outlook's own print: the owner in bold over a heavy rule, the memo table with
    its labels in a column, then the body. A value of "#" is blacked out."""
    pdf.add_page()
    _write(pdf, 18, owner, bold=True, size=12)
    pdf.set_line_width(1.2)
    pdf.line(20, 25, 195, 25)
    y = 29.0
    for label, value in table:
        _write(pdf, y, f"{label}:", bold=True)
        if value == "#":
            _black(pdf, 60, y, 70)
        else:
            pdf.set_xy(60, y)
            pdf.set_font("Helvetica", "", 10)
            pdf.cell(130, 5, value)
        y += 5.5
    _body(pdf, y + 6, body)


def _body(pdf: FPDF, y: float, body: list[str]) -> None:
    for line in body:
        if line == "---":
            pdf.set_line_width(0.3)
            pdf.line(20, y + 2, 195, y + 2)
        elif line.startswith("**"):
            _write(pdf, y, line[2:], bold=True)
        else:
            _write(pdf, y, line)
        y += 5.5


OUTLOOK_ONE = [
    ("From", "Okafor, Samuel"),
    ("Sent", "Tuesday, March 4, 2025 9:15 AM"),
    ("To", "Whitfield, Dana"),
    ("Subject", "RE: Bus routes"),
]
OUTLOOK_TWO = [
    ("From", "#"),
    ("Sent", "Thursday, March 6, 2025 2:40 PM"),
    ("To", "Lee, Marcus"),
    ("Subject", "#"),
]


def outlook_pdf(path: Path) -> Path:
    pdf = _pdf()
    outlook_page(
        pdf,
        "Whitfield, Dana",
        OUTLOOK_ONE,
        ["Dana, the new routes start Monday.", "", "Samuel", "", "---"],
    )
    # The quoted block at the top of the next page: history, not a printout of its own.
    pdf.add_page()
    _body(
        pdf,
        20,
        [
            "**From: Whitfield, Dana",
            "**Sent: Monday, March 3, 2025 4:02 PM",
            "**To: Okafor, Samuel",
            "**Subject: Bus routes",
            "",
            "When do the new routes start? Asked at 6:36:54 AM CDT by the depot.",
        ],
    )
    pdf.add_page()  # blacked out whole
    _black(pdf, 0, 0, pdf.w, pdf.h)
    outlook_page(pdf, "Whitfield, Dana", OUTLOOK_TWO, ["The depot called again.", ""])
    pdf.output(str(path))
    return path


def items(path: Path) -> tuple[list[MessageRecord], list[PageInfo], list[ReadError]]:
    found = list(read(path))
    return (
        [i for i in found if isinstance(i, MessageRecord)],
        [i for i in found if isinstance(i, PageInfo)],
        [i for i in found if isinstance(i, ReadError)],
    )


@pytest.fixture(scope="module")
def outlook(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("outlook")
    text = outlook_pdf(folder / "outlook.pdf")
    return text, printout.scanned_pdf(text, folder / "outlook-scanned.pdf", dpi=200)


def check_outlook(messages: list[MessageRecord], pages: list[PageInfo]) -> None:
    assert [p.withheld for p in pages] == [False, False, True, False]
    first, second = messages
    assert (first.subject, first.provenance.pages) == ("RE: Bus routes", "1-2")
    assert [(a.name, a.address) for a in first.addresses("from")] == [("Okafor, Samuel", "")]
    assert "printout start: a title in bold over a rule" in (first.provenance.note or "")
    assert first.provenance.custodian == "Whitfield, Dana"  # the mailbox the print is of
    # The block at the top of page 2 is quoted history, kept in the body.
    assert "From: Whitfield, Dana" in first.body_text
    # A time printed with no zone is read in the zone the printout prints elsewhere.
    assert first.sent_at == datetime(2025, 3, 4, 14, 15, tzinfo=UTC)
    assert first.zone_known and "read in CDT" in " ".join(p.reason for p in first.problems)
    # The withheld page neither ends the first printout nor starts one; the second printout's
    # redacted sender is an unknown sender, its redacted subject stays redacted.
    assert second.provenance.pages == "4"
    assert second.addresses("from") == []
    assert second.subject == "[REDACTED]"
    assert [(a.name, a.address) for a in second.addresses("to")] == [("Lee, Marcus", "")]
    assert second.sent_at_original == "Thursday, March 6, 2025 2:40 PM"


def test_outlook_print_with_black_boxes_and_a_withheld_page(outlook):
    messages, pages, errors = items(outlook[0])
    check_outlook(messages, pages)
    assert errors == []


@pytest.mark.skipif(not available(), reason="tesseract is not installed")
def test_outlook_print_scanned(outlook):
    messages, pages, _ = items(outlook[1])
    assert [p.method for p in pages] == ["ocr"] * 4
    check_outlook(messages, pages)


def test_withheld_pages_in_the_corpus_and_whats_missing(outlook, tmp_path):
    from conftest import rows

    from backchannel.corpus import ingest, open_corpus

    db_path = tmp_path / "c.db"
    db = open_corpus(db_path)
    ingest(db, [outlook[0]])
    db.close()
    assert rows(db_path, "select page, withheld from pages order by page") == [
        (1, 0),
        (2, 0),
        (3, 1),
        (4, 0),
    ]


def webmail_pdf(path: Path) -> Path:
    """Outlook on the web's "Print": the subject as a large bold title, the sender's name and
    address on a line with no label and the date beside it, "To:" below."""
    pdf = _pdf()
    pdf.add_page()
    _write(pdf, 18, "Field trip buses", bold=True, size=16)
    pdf.set_line_width(0.3)
    pdf.line(20, 27, 195, 27)
    _write(pdf, 31, "Amara Sesay <amara.sesay@lakemont.example>")
    pdf.set_xy(140, 31)
    pdf.cell(55, 5, "Mon 3/10/2025 8:05 AM", align="R")
    _body(
        pdf,
        37,
        [
            "To: Dana Whitfield <dana.whitfield@district.example>",
            "Cc: Marcus Lee <marcus.lee@district.example>",
            "",
            "Dana, can the district lend two buses for the trip? Costs &amp; times attached.",
        ],
    )
    pdf.output(str(path))
    return path


def test_web_mail_print(tmp_path):
    (message,), _, errors = items(webmail_pdf(tmp_path / "owa.pdf"))
    assert message.subject == "Field trip buses"
    assert [(r, a.name, a.address) for r, a in message.participants] == [
        ("from", "Amara Sesay", "amara.sesay@lakemont.example"),
        ("to", "Dana Whitfield", "dana.whitfield@district.example"),
        ("cc", "Marcus Lee", "marcus.lee@district.example"),
    ]
    assert message.sent_at_original == "Mon 3/10/2025 8:05 AM"
    assert message.body_text.endswith("Costs & times attached.")  # the entity decoded
    assert errors == []


YELLOW = (255, 255, 204)
GUID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
X500 = "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN="


def _box(pdf: FPDF, y: float, rows: list[tuple[str, list[str]]]) -> float:
    """A tinted metadata box: labels right-aligned in a column, each at the middle of its
    cell, values (over one line or more) beside them."""
    height = sum(max(1, len(v)) * 4.2 + 1.5 for _, v in rows)
    pdf.set_fill_color(*YELLOW)
    pdf.rect(20, y, 175, height, style="F")
    for label, values in rows:
        cell = max(1, len(values)) * 4.2 + 1.5
        pdf.set_font("Helvetica", "B", 8)
        pdf.set_xy(20, y + cell / 2 - 2)
        pdf.cell(28, 4, f"{label}:", align="R")
        pdf.set_font("Helvetica", "", 8)
        for n, value in enumerate(values):
            pdf.set_xy(50, y + 0.75 + n * 4.2)
            pdf.cell(140, 4, value)
        y += cell
    return y


def ediscovery_pdf(path: Path) -> Path:
    """Two records of an e-discovery print. The file starts in the middle of the first: its
    opening box is not in the file, its closing box is. The second opens with its metadata box
    (an X.500 sender, recipients one after another), quotes an Outlook block, and closes."""
    pdf = _pdf()
    pdf.add_page()
    _body(pdf, 20, ["the figures you asked for are in the shared folder.", "", "Rosa", ""])
    _box(
        pdf,
        45,
        [
            ("Sender", ["Ibanez, Rosa <rosa@bsn.example>"]),
            ("Recipient", ["Whitfield Dana " + X500.lower() + "a1b2-Whitfield D"]),
            ("Sent Date", ["2025/03/11 09:30:12"]),
            ("Delivered Date", ["2025/03/11 09:30:14"]),
        ],
    )
    pdf.add_page()
    end = _box(
        pdf,
        20,
        [
            (
                "From",
                [
                    "Whitfield, Dana </O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP",
                    "(FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=" + GUID.upper() + "-WHITFIELD D>",
                ],
            ),
            (
                "To",
                [
                    "Lee Marcus /o=ExchangeLabs/ou=Exchange Administrative Group",
                    f"(FYDIBOHF23SPDLT)/cn=Recipients/cn={'00aa11bb' * 4}-Lee Marcus",
                    "Sesay Amara /o=ExchangeLabs/ou=Exchange Administrative Group",
                    f"(FYDIBOHF23SPDLT)/cn=Recipients/cn={'99aa88bb' * 4}-Sesay Amara",
                ],
            ),
            ("Subject", ["RE: Budget &amp; buses"]),
            ("Date", ["2025/03/12 16:05:00"]),
            ("Priority", ["Normal"]),
            ("Type", ["Note"]),
        ],
    )
    _body(
        pdf,
        end + 6,
        [
            "Thanks, both of you.",
            "",
            "---",
            "**From: Ibanez, Rosa &lt;rosa@bsn.example&gt;",
            "**Sent: Wednesday, March 12, 2025 3:58 PM",
            "**To: Whitfield, Dana",
            "**Subject: Budget & buses",
            "",
            "Dana, the board&#8217;s numbers are in.",
            "",
        ],
    )
    _box(
        pdf,
        end + 75,
        [
            (
                "Sender",
                ["Whitfield, Dana <" + X500 + "0F1E2D3C4B5A69788796A5B4C3D2E1F0-WHITFIELD D>"],
            ),
            ("Recipient", ["Lee Marcus; Sesay Amara"]),
            ("Sent Date", ["2025/03/12 16:05:01"]),
            ("Delivered Date", ["2025/03/12 16:05:00"]),
        ],
    )
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def ediscovery(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("ediscovery")
    text = ediscovery_pdf(folder / "record.pdf")
    return text, printout.scanned_pdf(text, folder / "record-scanned.pdf", dpi=200)


def check_ediscovery(messages: list[MessageRecord], errors: list[ReadError]) -> None:
    first, second = messages
    # Known by its closing box alone: the file starts in the middle of it.
    assert first.provenance.pages == "1"
    assert "closing metadata box" in (first.provenance.note or "")
    assert first.addresses("from")[0].address == "rosa@bsn.example"
    assert first.sent_at_original == "2025/03/11 09:30:12"
    assert second.provenance.pages == "2"
    assert "tinted metadata box" in (second.provenance.note or "")
    (sender,) = second.addresses("from")
    assert sender.name == "Whitfield, Dana"
    assert sender.address.startswith("/o=exchangelabs/ou=exchange administrative group")
    assert sender.alias == "0f1e2d3c4b5a69788796a5b4c3d2e1f0-whitfield d"
    assert [a.name for a in second.addresses("to")] == ["Lee Marcus", "Sesay Amara"]
    assert second.subject == "RE: Budget & buses"
    assert second.sent_at_original == "2025/03/12 16:05:00"
    # The Outlook block under the box is quoted history; the closing box is not body text.
    assert "From: Ibanez, Rosa <rosa@bsn.example>" in second.body_text
    assert "the board’s numbers" in second.body_text
    assert "Delivered Date" not in second.body_text
    assert not any("not a message" in e.reason for e in errors)


def test_ediscovery_print(ediscovery):
    messages, _, errors = items(ediscovery[0])
    check_ediscovery(messages, errors)


@pytest.mark.skipif(not available(), reason="tesseract is not installed")
def test_ediscovery_print_scanned(ediscovery):
    messages, pages, errors = items(ediscovery[1])
    assert [p.method for p in pages] == ["ocr", "ocr"]
    first, second = messages
    assert first.sent_at_original == "2025/03/11 09:30:12"
    assert second.addresses("from")[0].name == "Whitfield, Dana"
    assert second.sent_at_original == "2025/03/12 16:05:00"
    assert second.provenance.pages == "2" and first.provenance.pages == "1"


CHAIN = [
    ("From", "Okafor, Samuel"),
    ("Sent", "Friday, April 8, 2022 9:02 AM"),
    ("To", "Chen Wei"),
    ("Subject", "RE: Exchange visit"),
]


def bilingual_pdf(path: Path) -> Path:
    pdf = _pdf()
    outlook_page(
        pdf,
        "Okafor, Samuel",
        CHAIN,
        [
            "Wei, Tuesday works for us.",
            "",
            "---",
            "发件人: 陈伟 <chen.wei@school.example>",
            "发送时间: 2022年4月7日 14:25",
            "收件人: Okafor, Samuel",
            "主题: Exchange visit",
            "",
            "Dear Samuel, could your team visit next week?",
        ],
    )
    pdf.output(str(path))
    return path


@pytest.mark.skipif(not CJK_FONT.exists(), reason="fonts-wqy-microhei renders the Chinese labels")
def test_bilingual_chain(tmp_path):
    path = bilingual_pdf(tmp_path / "chain.pdf")
    (message,), _, _ = items(path)
    assert message.subject == "RE: Exchange visit"
    split = split_printed(message.body_text)
    (fragment,) = split.fragments
    parent = {"subject": message.subject, "id": "m1", "source_path": "chain.pdf"}
    quoted = record_from_fragment(fragment, parent, 0)
    assert quoted is not None
    assert quoted.addresses("from")[0].address == "chen.wei@school.example"
    assert quoted.sent_at == datetime(2022, 4, 7, 14, 25, tzinfo=UTC)
    assert quoted.subject == "Exchange visit"
    if available() and other_scripts():
        scanned = printout.scanned_pdf(path, tmp_path / "chain-scanned.pdf", dpi=200)
        (ocr_message,), _, _ = items(scanned)
        (ocr_fragment,) = split_printed(ocr_message.body_text).fragments
        again = record_from_fragment(ocr_fragment, parent, 0)
        assert again is not None and again.sent_at == quoted.sent_at


def exhibit_pdf(path: Path) -> Path:
    """A court exhibit: a cover page, the court's filing stamp across the top of every page,
    and a file that starts in the middle of an email."""
    pdf = _pdf()
    stamp = "Case 1:25-cv-00417-JDW   Document 31-4   Filed 06/02/25   Page {} of 3"
    pages = [
        ["", "", "", "EXHIBIT D"],
        [
            "buses to the depot by Friday, as the contract says.",
            "",
            "Kevin",
            "",
            "From: Doyle, Kevin <kdoyle@bsn.example>",
            "Sent: Wednesday, May 14, 2025 10:12 AM",
            "To: Okafor, Samuel <samuel.okafor@district.example>",
            "Subject: Depot contract",
            "",
            "Samuel, the signed contract is attached.",
        ],
        ["Kevin Doyle", "Better Schools Now"],
    ]
    for n, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.set_xy(20, 8)
        pdf.cell(175, 4, stamp.format(n))
        _body(pdf, 20, lines)
    pdf.output(str(path))
    return path


def test_court_exhibit_starting_mid_email(tmp_path):
    (message,), _, errors = items(exhibit_pdf(tmp_path / "exhibit.pdf"))
    assert message.subject == "Depot contract"
    assert message.provenance.pages == "2-3"
    assert message.addresses("from")[0].address == "kdoyle@bsn.example"
    for leak in ("Case 1:25", "Filed 06/02/25", "Document 31-4"):
        assert leak not in message.body_text
    # The cover page is a stamp ("EXHIBIT D"); the end of an email begun in another file is
    # said, not made a message.
    (warning,) = errors
    assert warning.level == "warning" and warning.location == "page 2"
