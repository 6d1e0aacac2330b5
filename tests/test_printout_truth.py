"""The shape of the printout truth (tests/printout_truth/<family>/<pdf stem>.json).

The truth was read by eye from the page images of the real PDFs in ../shared/fixtures; the PDF
reader's tests score it against these files. Here only their shape is checked: every file parses,
its page ranges and indexes hold together, and the PDF it describes exists with that many pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import ROOT, SHARED_FIXTURES

TRUTH = ROOT / "tests" / "printout_truth"
FILES = sorted(TRUTH.glob("*/*.json"))
MINUTE = re.compile(r"\d{4}-\d\d-\d\d [0-2]\d:[0-5]\d")
PRINTED_KEYS = {"pages", "from", "from_address", "sent", "zone", "subject", "to", "cc", "note"}
QUOTED_KEYS = {
    "page",
    "in_printed",
    "from",
    "from_address",
    "sent",
    "zone",
    "subject",
    "label_style",
}
TOP_KEYS = {"file", "family", "pages", "read_from", "printed", "quoted", "withheld_pages", "notes"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def check_range(pages: list, count: int, where: str) -> None:
    assert len(pages) == 2 and all(isinstance(p, int) for p in pages), where
    assert 1 <= pages[0] <= pages[1] <= count, f"{where}: {pages} outside 1..{count}"


def check_sent(value: object, where: str) -> None:
    assert value is None or (isinstance(value, str) and MINUTE.fullmatch(value)), where


def check_printed(truth: dict) -> None:
    firsts = []
    for i, p in enumerate(truth["printed"]):
        where = f"printed[{i}]"
        assert PRINTED_KEYS <= p.keys(), f"{where} lacks {PRINTED_KEYS - p.keys()}"
        check_range(p["pages"], truth["pages"], where)
        check_sent(p["sent"], where)
        assert isinstance(p["from"], str) and p["from"], f"{where}: a printout has a sender"
        assert isinstance(p["to"], list) and isinstance(p["cc"], list), where
        firsts.append(p["pages"][0])
    assert firsts == sorted(firsts), "printouts are listed in page order"


def check_quoted(truth: dict) -> None:
    printed = truth["printed"]
    for i, q in enumerate(truth["quoted"]):
        where = f"quoted[{i}]"
        assert QUOTED_KEYS <= q.keys(), f"{where} lacks {QUOTED_KEYS - q.keys()}"
        assert 1 <= q["page"] <= truth["pages"], where
        check_sent(q["sent"], where)
        owner = q["in_printed"]
        if owner is None:
            # a quote with no printout of its own sits in a fragment
            spans = [f["pages"] for f in truth.get("fragments", [])]
        else:
            assert 0 <= owner < len(printed), f"{where}: in_printed {owner}"
            spans = [printed[owner]["pages"]]
        assert any(a <= q["page"] <= b for a, b in spans), f"{where}: page {q['page']}"


def check_others(truth: dict) -> None:
    count = truth["pages"]
    assert all(1 <= p <= count for p in truth["withheld_pages"]), "withheld_pages"
    for i, fragment in enumerate(truth.get("fragments", [])):
        check_range(fragment["pages"], count, f"fragments[{i}]")
        a, b = fragment["pages"]
        for p in truth["printed"]:
            first, last = p["pages"]
            assert b < first or a > last, f"fragments[{i}] overlaps printout {p['pages']}"


def test_there_is_truth_for_each_family_read():
    assert {path.parent.name for path in FILES} >= {"ntsb-foia"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_truth_file_shape(path):
    truth = load(path)
    assert TOP_KEYS <= truth.keys(), f"lacks {TOP_KEYS - truth.keys()}"
    assert truth["family"] == path.parent.name
    assert Path(truth["file"]).stem == path.stem and truth["file"].endswith(".pdf")
    assert isinstance(truth["pages"], int) and truth["pages"] > 0
    check_printed(truth)
    check_quoted(truth)
    check_others(truth)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_truth_describes_a_real_pdf(path, shared_fixtures):
    truth = load(path)
    pdf = shared_fixtures / truth["family"] / truth["file"]
    assert pdf.is_file(), f"{pdf} is not in the shared fixtures"
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == truth["pages"]
    finally:
        document.close()


@pytest.mark.parametrize("family", sorted({p.parent.name for p in FILES}))
def test_every_pdf_of_a_family_has_its_truth(family, shared_fixtures):
    folder = shared_fixtures / family
    if not folder.is_dir():
        pytest.skip(f"{family} is not in {SHARED_FIXTURES}")
    pdfs = {p.stem for p in folder.glob("*.pdf")}
    assert pdfs == {p.stem for p in (TRUTH / family).glob("*.json")}
