"""The PDF reader against the truth read by eye from the page images (tests/printout_truth):
every printed email found as a produced copy with its pages, sender and minute; no quoted
email produced; withheld pages marked. The shared PDFs are read once for the whole module
(their OCR is the slow part). Figures per family are printed (pytest -s shows them)."""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from dataclasses import dataclass, field

import pytest
from conftest import ROOT, SHARED_FIXTURES
from dateutil import parser as dateparser

from backchannel.analysis.quotes import split_printed
from backchannel.analysis.recovered import record_from_fragment
from backchannel.ingest import read
from backchannel.ingest.printed.ocr import available
from backchannel.ingest.printed.printed import english_date
from backchannel.ingest.record import MessageRecord, PageInfo

TRUTH = ROOT / "tests" / "printout_truth"
FOUND_AT_LEAST = 0.95


@dataclass
class Read:
    truth: dict
    records: list[MessageRecord]
    withheld: list[int]
    pages: int


@dataclass
class Family:
    name: str
    files: list[Read] = field(default_factory=list)


def _families() -> list[Family]:
    out = []
    for folder in sorted(p for p in TRUTH.iterdir() if p.is_dir()):
        pdfs = SHARED_FIXTURES / folder.name
        if pdfs.is_dir():
            out.append(Family(folder.name))
    return out


@pytest.fixture(scope="session")
def families() -> list[Family]:
    if not SHARED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is absent")
    if not available():
        pytest.skip("tesseract is not installed (the shared PDFs are scans)")
    found = _families()
    if not found:
        pytest.skip("no truth family has its PDFs in ../shared/fixtures")
    for family in found:
        for path in sorted((TRUTH / family.name).glob("*.json")):
            truth = json.loads(path.read_text(encoding="utf-8"))
            items = list(read(SHARED_FIXTURES / family.name / truth["file"]))
            family.files.append(
                Read(
                    truth,
                    [i for i in items if isinstance(i, MessageRecord)],
                    [i.page for i in items if isinstance(i, PageInfo) and i.withheld],
                    sum(isinstance(i, PageInfo) for i in items),
                )
            )
    return found


def _words(text: str | None) -> set[str]:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return set(re.findall(r"[^\W\d_]{2,}", text))


def _minute(printed: str | None) -> str | None:
    """The wall-clock minute a printed date says, no zone conversion (as the truth has it)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dateparser.parse(english_date(printed or ""), fuzzy=True).strftime(
                "%Y-%m-%d %H:%M"
            )
    except (ValueError, OverflowError):
        return None


def _sender_is(record: MessageRecord, truth: str | None) -> bool:
    froms = record.addresses("from")
    if truth in (None, "[REDACTED]"):
        return not froms  # a redacted sender is an unknown sender
    want = _words(truth)
    return bool(froms) and bool(want) and want <= _words(froms[0].name) | _words(froms[0].address)


def _pages(record: MessageRecord) -> list[int]:
    first, _, last = record.provenance.pages.partition("-")
    return [int(first), int(last or first)]


def _matches(record: MessageRecord, entry: dict) -> bool:
    return (
        _pages(record) == entry["pages"]
        and _sender_is(record, entry["from"])
        and _minute(record.sent_at_original) == entry["sent"]
    )


def _tally(family: Family) -> tuple[int, int, list[str], int, int]:
    """(printed, found, produced that are no printed email, quoted, quoted recovered)."""
    printed = found = quoted = recovered = 0
    extra: list[str] = []
    for f in family.files:
        left = list(f.records)
        for entry in f.truth["printed"]:
            printed += 1
            hit = next((r for r in left if _matches(r, entry)), None)
            if hit is not None:
                found += 1
                left.remove(hit)
        extra += [
            f"{f.truth['file']} pages {r.provenance.pages}: {r.sent_at_original!r}" for r in left
        ]
        fragments = []
        for n, r in enumerate(f.records):
            parent = {"subject": r.subject, "id": str(n), "source_path": f.truth["file"]}
            for part, fragment in enumerate(split_printed(r.body_text).fragments):
                got = record_from_fragment(fragment, parent, part)
                if got is not None:
                    fragments.append(got)
        for entry in f.truth["quoted"]:
            if entry.get("in_printed") is None or not entry.get("sent"):
                continue
            quoted += 1
            recovered += any(
                _minute(q.sent_at_original) == entry["sent"] and _sender_is(q, entry["from"])
                for q in fragments
            )
    return printed, found, extra, quoted, recovered


def test_every_printed_email_found_and_no_quoted_one_produced(families):
    failures = []
    for family in families:
        printed, found, extra, quoted, recovered = _tally(family)
        pages = sum(f.pages for f in family.files)
        print(
            f"\n{family.name}: {len(family.files)} files, {pages} pages, printed emails found "
            f"{found}/{printed}, produced that are not printed emails {len(extra)}, quoted "
            f"emails (dated, in a produced printout) recovered {recovered}/{quoted}"
        )
        if found < printed * FOUND_AT_LEAST:
            failures.append(f"{family.name}: {found} of {printed} printed emails found")
        failures += [f"{family.name}: produced but not a printed email: {e}" for e in extra]
    assert failures == []


def test_withheld_pages_marked(families):
    for family in families:
        for f in family.files:
            assert f.withheld == f.truth.get("withheld_pages", []), f.truth["file"]
