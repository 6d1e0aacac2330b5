"""Real agency printouts: the State Department's released emails (shared/fixtures/state-dept-foia,
the text layer of its own PDFs) rendered back to PDF as a records office publishes them, read
into a corpus and analyzed. What each document should give is read here from its text with a
small parser of its own, independent of backchannel's."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, rows

from backchannel.analysis import analyze
from backchannel.corpus import ingest, open_corpus

sys.path.insert(0, str(ROOT / "sample"))
printout = pytest.importorskip("printout", reason="fpdf2 renders the test PDFs")

FOIA = ROOT.parent / "shared" / "fixtures" / "state-dept-foia"
pytestmark = pytest.mark.skipif(not FOIA.is_dir(), reason=f"{FOIA} is not here")

# OCR misreads "Sent" ("Sant"): any short S-word with a colon stands for it.
_LABEL = re.compile(r"^\s*(From|Subject|Date|Sent|S\w{2,3}(?=\s*:))\s*[:;]?(?:\s+(.*?))?\s*$")
_TERSE = re.compile(r"(?<![\w(/.-])(B[1-9](?:\([A-F]\))?|1\.4\([A-H]\))(?![\w(])")


def norm(text: str | None) -> str:
    """Whitespace collapsed, redaction marks and margin codes left out, Latin-1 as rendered."""
    text = printout.latin1(text or "").replace("[REDACTED]", " ")
    return " ".join(_TERSE.sub(" ", text).split())


def header_blocks(text: str) -> list[dict]:
    """Every printed header block: a From line with a Sent/Date line under it (before the next
    From). The first is the email the agency produced; the others are its quoted history."""
    lines = text.replace("\f", "\n").split("\n")
    out = []
    for i, line in enumerate(lines):
        m = _LABEL.match(line)
        if not m or m.group(1) != "From":
            continue
        block = {"from": m.group(2) or ""}
        for below in lines[i + 1 : i + 10]:
            m2 = _LABEL.match(below)
            if m2 and m2.group(1) == "From":
                break
            if m2 and m2.group(1) not in ("From", "Subject") and "date" not in block:
                block["date"] = re.split(r"\s{3,}", m2.group(2) or "")[0]
            if m2 and m2.group(1) == "Subject":
                block["subject"] = re.split(r"\s{3,}", m2.group(2) or "")[0]
                break
        date = block.get("date", "")
        if re.search(r"\d{1,2}\s*[:;.]?\s*\d\d\s*[AP]M", date, re.I):  # a time: not a stamp's date
            out.append(block)
    return out


def pages_of(path: Path) -> list[str]:
    return [p for p in path.read_text().split("\f") if p.strip()]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """All of the shared documents, one PDF each, ingested and analyzed."""
    folder = tmp_path_factory.mktemp("release")
    dump = folder / "dump"
    dump.mkdir()
    texts = {}
    for txt in sorted(FOIA.glob("*.txt")):
        printout.layout_pdf(pages_of(txt), dump / f"{txt.stem}.pdf")
        texts[txt.stem] = txt.read_text()
    db = folder / "release.db"
    corpus = open_corpus(db)
    ingest(corpus, [dump])
    analyze(corpus, workers=1)
    corpus.close()
    return db, texts


def produced(db: Path, stem: str) -> list[tuple]:
    return rows(
        db,
        """select m.id, m.from_name, m.from_address, m.sent_at_original, m.subject, c.pages
           from messages m join message_copies c on c.message_id = m.id
           join sources s on s.id = c.source_id
           where s.path = ? and c.method != 'quoted'""",
        [f"{stem}.pdf"],
    )


def test_one_produced_email_per_released_document(release):
    db, texts = release
    wrong = []
    for stem, text in texts.items():
        blocks = header_blocks(text)
        found = produced(db, stem)
        if not blocks:
            assert found == [], stem  # no header block: no message invented
            errors = rows(db, "select reason from errors where source_path = ?", [f"{stem}.pdf"])
            assert any("no email headers" in e[0] for e in errors), stem
            continue
        assert len(found) == 1, (stem, found)  # the quoted chain never becomes produced emails
        first = blocks[0]
        _, name, address, date, subject, pages = found[0]
        assert pages, stem
        if norm(date) != norm(first["date"]) or not norm(subject).startswith(
            norm(first.get("subject"))
        ):
            wrong.append((stem, first, found[0]))
    # The texts are OCR: a header block damaged past reading may put its neighbour first. A
    # handful at most, each listed.
    assert len(wrong) <= len(texts) // 50, wrong


def test_quoted_history_recovered(release):
    db, texts = release
    expected = found = 0
    for stem, text in texts.items():
        messages = produced(db, stem)
        if not messages:
            continue
        quoted = header_blocks(text)[1:]
        copies = rows(
            db,
            """select m.sent_at_original, m.recovered from message_copies c
               join messages m on m.id = c.message_id where c.found_in = ?""",
            [messages[0][0]],
        )
        expected += len(quoted)
        dates = {norm(d) for d, _ in copies}
        found += sum(1 for q in quoted if norm(q["date"]) in dates)
    # Each quoted email comes back (recovered, or a quoted copy of one produced), with its date.
    assert expected > 400
    assert found >= expected * 0.9, (found, expected)


def test_every_message_has_a_copy_with_its_pages(release):
    db, _ = release
    assert rows(
        db,
        "select count(*) from messages m where not exists "
        "(select 1 from message_copies c where c.message_id = m.id)",
    ) == [(0,)]
    assert (
        rows(
            db,
            "select location from message_copies where method in ('pdf-text', 'ocr') "
            "and (pages is null or bates is null or document is null)",
        )
        == []
    )
    # Several messages from one page are several copies (ids unique per message and place).
    assert rows(db, "select count(*) = count(distinct id) from message_copies") == [(1,)]


def test_every_exemption_code_found_on_its_page(release):
    db, texts = release
    for stem in texts:
        if not produced(db, stem):
            continue  # not read as email (an errors row): no message to hold its codes
        want = {
            (page, code)
            for page, body in enumerate(pages_of(FOIA / f"{stem}.txt"), start=1)
            for code in _TERSE.findall(body)
        }
        got = {
            (page, code.replace(" ", ""))
            for page, code in rows(
                db,
                """select r.page, r.code from redactions r join sources s on s.id = r.source_id
                   where s.path = ?""",
                [f"{stem}.pdf"],
            )
        }
        assert got == want, stem
    # Never in a name, a subject or authored text.
    leaks = rows(
        db,
        """select count(*) from messages where subject glob '*B[1-9]' or from_name glob '*B[1-9]'
           or body_authored like '%RELEASE IN%' or body_authored like '%Doc No. C0%'
           or body_authored like '%STATE-SCB%'""",
    )
    assert leaks == [(0,)]


def test_a_long_production_pdf(tmp_path):
    """Twenty released documents in one PDF: twenty produced emails, each with its pages."""
    stems = sorted(p.stem for p in FOIA.glob("*.txt"))
    chosen = [s for s in stems if header_blocks((FOIA / f"{s}.txt").read_text())][:20]
    pages = [page for s in chosen for page in pages_of(FOIA / f"{s}.txt")]
    printout.layout_pdf(pages, tmp_path / "production.pdf")
    db = tmp_path / "long.db"
    corpus = open_corpus(db)
    ingest(corpus, [tmp_path / "production.pdf"])
    corpus.close()
    found = rows(
        db,
        "select document, pages from message_copies where method = 'pdf-text' order by rowid",
    )
    assert [d for d, _ in found] == chosen
    assert len({p for _, p in found}) == 20


def test_a_scanned_release_read_by_ocr(tmp_path):
    """The same documents rasterized (no text layer): OCR finds each produced email."""
    chosen = ["C05739545", "C05739856", "C05739898"]
    (tmp_path / "scans").mkdir()
    for stem in chosen:
        printout.layout_pdf(pages_of(FOIA / f"{stem}.txt")[:1], tmp_path / f"{stem}.pdf")
        printout.scanned_pdf(tmp_path / f"{stem}.pdf", tmp_path / "scans" / f"{stem}.pdf", dpi=300)
    db = tmp_path / "scans.db"
    corpus = open_corpus(db)
    ingest(corpus, [tmp_path / "scans"])
    corpus.close()
    for stem in chosen:
        found = produced(db, stem)
        first = header_blocks((FOIA / f"{stem}.txt").read_text())[0]
        assert len(found) == 1, (stem, found)
        # OCR of OCR: the date and subject come back, up to a character or two.
        assert _close(found[0][3], first["date"]) and _close(found[0][4], first["subject"])
    assert {m for (m,) in rows(db, "select distinct method from message_copies")} == {"ocr"}


def _close(a: str | None, b: str | None) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio() >= 0.9


# Hand-built pages for what the shared folder lacks: another agency's stamps, no document
# numbers, one email a page, garbled separators, codes in the margin and a doubtful one.
OTHER_AGENCY = [
    """LAKEMONT UNIFIED SCHOOL DISTRICT - PUBLIC RECORDS RESPONSE                 RELEASED IN
                                                                             PART (b)(6), B5

From:       Ibáñez, Rosa <rosa@betterschoolsnow.example>
Sent:       Monday, March 3, 2025 4:02 PM
To:         Whitfield, Dana <dana.whitfield@lakemontusd.example>;  [REDACTED]
Subject:    Charter vote

Dana, can we talk before Tuesday? My cell is                                 (b)(6)
The draft motion is attached.                                                B0

   ---- Original Messag --
From:       Lee, Marcus <marcus.lee@lakemontusd.example>
Sent:       Monday, March 3, 2025 9:12 AM
To:         Ibáñez, Rosa
Subject:    Charter vote

Rosa, Dana asked me to set up a call.


                                                                   LUSD-000101""",
    """From:       Whitfield, Dana <dana.whitfield@lakemontusd.example>
Sent:       Tuesday, March 4, 2025 8:30 AM
To:         Ibáñez, Rosa <rosa@betterschoolsnow.example>
Subject:    RE: Charter vote

Yes, call me at noon.

Original Message
From:       Ibáñez, Rosa <rosa@betterschoolsnow.example>
Sent:       Monday, March 3, 2025 4:02 PM
To:         Whitfield, Dana <dana.whitfield@lakemontusd.example>
Subject:    Charter vote

Dana, can we talk before Tuesday? My cell is [REDACTED]
The draft motion is attached.


                                                                   LUSD-000102""",
]


def test_another_agencys_printout(tmp_path):
    printout.layout_pdf(OTHER_AGENCY, tmp_path / "release.pdf")
    db = tmp_path / "other.db"
    corpus = open_corpus(db)
    ingest(corpus, [tmp_path / "release.pdf"])
    analyze(corpus, workers=1)
    corpus.close()
    # Two produced emails (each at the top of a page, no document numbers); the history each
    # quotes is recovered, and Rosa's email, produced on page 1 and quoted on page 2, is one
    # message with both copies, not counted twice.
    assert rows(
        db,
        """select m.subject, m.recovered, group_concat(c.method || ' ' || coalesce(c.pages, ''))
           from messages m join message_copies c on c.message_id = m.id
           group by m.id order by m.sent_at""",
    ) == [
        ("Charter vote", 1, "quoted "),
        ("Charter vote", 0, "pdf-text 1,quoted "),
        ("RE: Charter vote", 0, "pdf-text 2"),
    ]
    codes = "select page, code, kind, doubtful from redactions order by page, kind, code"
    assert rows(db, codes) == [
        (1, "(b)(6)", "redaction", 0),
        (1, "B0", "redaction", 1),  # kept as printed, flagged: OCR's B6? B5?
        (1, "(b)(6)", "stamp", 0),
        (1, "B5", "stamp", 0),
    ]
    assert rows(db, "select bates from pages order by page") == [("LUSD-000101",), ("LUSD-000102",)]
    assert rows(db, "select count(*) from messages where body_authored like '%B0%'") == [(0,)]


def _tables(db: Path) -> dict[str, list[tuple]]:
    return {
        t: rows(db, f"select * from {t} order by 1")
        for t in ("messages", "message_copies", "participants", "redactions", "pages")
    }


def test_a_corpus_read_by_an_older_pdf_reader_is_mended(tmp_path):
    """Corpora made before printouts were read by document lack copies and hold quoted emails
    as produced ones: the next ingest of the dump reads such PDFs anew, and says so."""
    dump = tmp_path / "dump"
    dump.mkdir()
    printout.layout_pdf(OTHER_AGENCY, dump / "release.pdf")
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for db in (fresh, old):
        corpus = open_corpus(db)
        ingest(corpus, [dump])
        corpus.close()
    # What the older reader left: no reader version, a quoted email counted as produced with
    # no copy, a produced email whose copy was lost to a shared copy id.
    corpus = open_corpus(old)
    sid = rows(old, "select id from sources")[0][0]
    with corpus.conn:
        corpus.execute("update sources set reader_version = null")
        corpus.execute(
            "insert into messages (id, dedupe_key, subject, first_source_id, recovered) "
            "values ('stale', 'fp:stale', 'Charter vote', ?, 0)",
            [sid],
        )
        corpus.execute(  # indexed, as the older version's trigger did
            "insert into messages_fts (rowid, subject, body) "
            "select rowid, subject, body from messages where id = 'stale'"
        )
        corpus.execute(
            "insert into participants (message_id, role, key) values ('stale', 'to', 'x')"
        )
        corpus.execute("delete from message_copies where pages = '2'")
    summary = ingest(corpus, [dump])
    corpus.close()
    assert (summary.reread, summary.new) == (1, 2)
    assert _tables(old) == _tables(fresh)
    # Done now: the next run skips it.
    corpus = open_corpus(old)
    assert ingest(corpus, [dump]).already == 1
    corpus.close()


def test_marks_as_agencies_print_them():
    from backchannel.ingest.printed.marks import clean_page

    page = """CONFIDENTIAL - SUBJECT TO PROTECTIVE ORDER
Doc ID: AGY-2291                                                     RELEASED IN
                                                                     B1,1.4(B),1.4(D),B5,B6

From:      Rudman, Mara                                              B6
Sent:      Tuesday, May 3, 2011 9:12 AM
To:        Lee, Marcus
Subject:   Vitamin B6 study

The study on vitamin B6 is attached.
                                                                     B7(C)
Classified by: A. Person, Reason: 1.4(D)
Call me at (b)(6) tomorrow.
                                                                     AGY-0000412"""
    text, marks = clean_page(page)
    assert marks.document == "AGY-2291" and marks.bates == "AGY-0000412"
    assert marks.release == "RELEASED IN B1,1.4(B),1.4(D),B5,B6"
    assert marks.stamp_codes == ["B1", "1.4(B)", "1.4(D)", "B5", "B6", "1.4(D)"]
    assert [(c.code, c.printed_on) for c in marks.codes] == [
        ("B6", "From:      Rudman, Mara [REDACTED]"),
        ("B7(C)", "[REDACTED]"),
        ("(b)(6)", "Call me at [REDACTED] tomorrow."),
    ]
    # A code in prose is prose: "vitamin B6" stays in the subject and the text.
    assert "Subject:   Vitamin B6 study" in text and "vitamin B6 is attached" in text
    for mark in ("RELEASED", "AGY-", "B1,", "1.4(D)", "B7(C)", "(b)(6)"):
        assert mark not in text
