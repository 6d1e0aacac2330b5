"""`backchannel analyze`: recovered emails counted once, threads, gaps; re-runnable."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, make_email, rows, write_mbox

from backchannel.analysis import analyze
from backchannel.cli import cli
from backchannel.corpus import ingest, open_corpus

sys.path.insert(0, str(ROOT / "sample"))
printout = pytest.importorskip("printout", reason="fpdf2 renders the test PDFs")

ORIGINAL = make_email(
    sender="Rosa Ibáñez <rosa@bsn.example>",
    to="Marcus Lee <marcus.lee@district.example>",
    subject="Charter vote",
    date="Mon, 03 Mar 2025 16:02:00 -0800",
    message_id="<original@bsn.example>",
    body="Can we talk before Tuesday? The petition has 400 names.\n\nRosa\n",
)


def run(db, *paths):
    corpus = open_corpus(db)
    try:
        ingest(corpus, list(paths))
        return analyze(corpus)
    finally:
        corpus.close()


def test_produced_recovered_twice_and_printed_is_one_message_with_four_copies(tmp_path):
    gmail_reply = make_email(
        sender="Marcus Lee <marcus.lee@district.example>",
        to="Rosa Ibáñez <rosa@bsn.example>",
        subject="Re: Charter vote",
        date="Tue, 04 Mar 2025 08:00:00 -0800",
        message_id="<reply1@district.example>",
        body="Yes, Tuesday at 10.\n\nOn Mon, Mar 3, 2025 at 4:02 PM Rosa Ibáñez "
        "<rosa@bsn.example> wrote:\n> Can we talk before Tuesday? The petition has 400 "
        "names.\n>\n> Rosa\n",
    )
    outlook_reply = make_email(
        sender="Dana Whitfield <dana.whitfield@district.example>",
        to="Rosa Ibáñez <rosa@bsn.example>",
        subject="RE: Charter vote",
        date="Tue, 04 Mar 2025 09:30:00 -0800",
        message_id="<reply2@district.example>",
        body="Marcus will call you.\n\n-----Original Message-----\nFrom: Rosa Ibáñez\n"
        "Sent: Monday, March 3, 2025 4:02 PM\nTo: Lee, Marcus\nSubject: Charter vote\n\n"
        "Can we talk before Tuesday? The petition has 400 names.\n\nRosa\n",
    )
    write_mbox(tmp_path / "lee.mbox", [ORIGINAL, gmail_reply])
    write_mbox(tmp_path / "whitfield.mbox", [outlook_reply])
    printout.text_pdf(
        [
            printout.Page(
                lines=[
                    "**Ibáñez, Rosa",
                    "From: Ibáñez, Rosa",
                    "Sent: Monday, March 3, 2025 4:02 PM",
                    "To: Lee, Marcus",
                    "Subject: Charter vote",
                    "",
                    "Can we talk before Tuesday? The petition has 400 names.",
                    "",
                    "Rosa",
                ],
                bates="DIST-0000001",
            )
        ],
        tmp_path / "production.pdf",
    )
    db = tmp_path / "c.db"
    summary = run(
        db, tmp_path / "lee.mbox", tmp_path / "whitfield.mbox", tmp_path / "production.pdf"
    )
    assert (summary.recovered_new, summary.recovered_matched) == (0, 2)
    assert rows(db, "select count(*) from messages") == [(3,)]
    copies = rows(
        db,
        """select c.method, c.found_in is not null from message_copies c
                         join messages m on m.id = c.message_id
                         where m.message_id = 'original@bsn.example' order by 1""",
    )
    assert copies == [("pdf-text", 0), ("quoted", 1), ("quoted", 1), ("rfc822", 0)]
    assert rows(db, "select recovered from messages where message_id = 'original@bsn.example'") == [
        (0,)
    ]
    # The original's participants come from its produced copy, once each.
    assert rows(
        db,
        """select role, address from participants p join messages m
                       on m.id = p.message_id where m.message_id = 'original@bsn.example'
                       order by 1""",
    ) == [("from", "rosa@bsn.example"), ("to", "marcus.lee@district.example")]
    # One conversation; nothing missing.
    assert rows(db, "select count(distinct thread_id) from messages") == [(1,)]
    assert rows(db, "select count(*) from missing_parents") == [(0,)]
    assert rows(
        db, "select body_authored from messages where message_id = 'reply2@district.example'"
    ) == [("Marcus will call you.",)]


def test_an_email_known_only_from_a_quote_is_recovered_and_listed_as_missing(tmp_path):
    reply = make_email(
        sender="Kevin Doyle <kdoyle@bsn.example>",
        to="Amara Sesay <asesay@bsn.example>",
        subject="Re: Turnout",
        date="Fri, 07 Mar 2025 10:00:00 -0800",
        message_id="<r@bsn.example>",
        body="Good.\n\nOn Thu, Mar 6, 2025 at 9:00 AM Amara Sesay <asesay@bsn.example> wrote:\n"
        "> We have 40 volunteers for Tuesday.\n",
    )
    write_mbox(tmp_path / "doyle.mbox", [reply])
    db = tmp_path / "c.db"
    first = run(db, tmp_path / "doyle.mbox")
    assert (first.recovered_new, first.recovered_matched) == (1, 0)
    got = rows(
        db,
        "select subject, from_address, sent_at, recovered, body from messages where recovered = 1",
    )
    assert got == [
        (
            "Re: Turnout",
            "asesay@bsn.example",
            "2025-03-06T09:00:00+00:00",
            1,
            "We have 40 volunteers for Tuesday.",
        )
    ]
    assert rows(db, "select via from missing_parents") == [("quoted",)]
    tables = ["messages", "message_copies", "participants", "threads", "missing_parents"]
    before = {t: rows(db, f"select * from [{t}] order by 1") for t in tables}
    corpus = open_corpus(db)
    again = analyze(corpus)
    corpus.close()
    assert (again.split, again.recovered_new, again.recovered_matched) == (0, 0, 0)
    assert {t: rows(db, f"select * from [{t}] order by 1") for t in tables} == before


def _thread(n: int, subject: str, people: list[str], day: int, refs: bool) -> list[bytes]:
    mails, ids = [], []
    for k in range(n):
        mid = f"<{subject.replace(' ', '')}{day}.{k}@x>"
        extra = b""
        if ids:
            extra = b"In-Reply-To: " + ids[-1].encode() + b"\n"
            if refs:
                extra += b"References: " + " ".join(ids).encode() + b"\n"
        mail = make_email(
            sender=people[k % 2],
            to=people[(k + 1) % 2],
            subject=("Re: " if k else "") + subject,
            date=f"Mon, {day + k:02d} Mar 2025 10:00:00 +0000",
            message_id=mid,
            body=f"Point {k} about {subject}.\n",
        )
        mails.append(mail.replace(b"Message-ID:", extra + b"Message-ID:", 1))
        ids.append(mid)
    return mails


@pytest.mark.parametrize("refs", [True, False])
def test_a_thread_of_ten_with_a_missing_middle_is_one_thread(tmp_path, refs):
    mails = _thread(10, "Bond timeline", ["a@x.example", "b@x.example"], 1, refs)
    del mails[5]  # the agency did not produce this one
    write_mbox(tmp_path / "box.mbox", mails)
    db = tmp_path / "c.db"
    run(db, tmp_path / "box.mbox")
    assert rows(db, "select count(distinct thread_id), count(*) from messages") == [(1, 9)]
    assert rows(db, "select message_count from threads") == [(9,)]
    missing = rows(db, "select missing, via from missing_parents order by via")
    # The sixth message is named by the seventh's In-Reply-To (and by every later References).
    assert ("Bondtimeline1.5@x", "in-reply-to") in missing


def test_two_meeting_threads_among_different_people_stay_apart(tmp_path):
    first = _thread(3, "Meeting", ["a@x.example", "b@x.example"], 1, refs=False)
    second = _thread(3, "Meeting", ["c@y.example", "d@y.example"], 2, refs=False)
    # Drop the threading headers: only subject and participants are left to go on.
    strip = [
        m.replace(m[m.find(b"In-Reply-To") : m.find(b"Message-ID")], b"")
        if b"In-Reply-To" in m
        else m
        for m in first + second
    ]
    write_mbox(tmp_path / "box.mbox", strip)
    db = tmp_path / "c.db"
    run(db, tmp_path / "box.mbox")
    got = rows(db, "select message_count, participant_count from threads order by 1")
    assert got == [(3, 2), (3, 2)]


def test_sample_threads_and_recovery_match_the_truth(sample, tmp_path):
    folder, truth = sample
    db = tmp_path / "s.db"
    CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db)], catch_exceptions=False)
    result = CliRunner().invoke(cli, ["analyze", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # Every quoted email in the sample was also produced: none is recovered as new.
    assert rows(db, "select count(*) from messages where recovered = 1") == [(0,)]
    # A reply quotes its whole chain: one quoted copy of every email above it (the paper
    # production printed the senders' own text only).
    quoted = sum(len(e.references) for e in truth["emails"] if e not in truth["printed"])
    assert rows(db, "select count(*) from message_copies where method = 'quoted'") == [(quoted,)]
    conversations = sum(1 for e in truth["emails"] if not e.in_reply_to)
    assert rows(db, "select count(*) from threads") == [(conversations,)]
    assert rows(db, "select count(*) from messages where body_authored is null") == [(0,)]
