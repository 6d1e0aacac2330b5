"""What the agency didn't give: conversations through missing parents, Bates gaps, silent
stretches in a mailbox."""

from __future__ import annotations

import mailbox
import sys
from datetime import date, datetime, timedelta

from conftest import ROOT, make_email, rows, run_cli, write_mbox

sys.path.insert(0, str(ROOT / "sample"))
import printout  # noqa: E402


def reply(n: int, subject: str, refs: list[str], who: str, when: datetime) -> bytes:
    msg = make_email(
        sender=f"{who} <{who.lower()}@list.example>",
        to="board@list.example",
        subject=subject,
        body=f"Reply {n} from {who}.\n",
        date=when.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        message_id=f"<r{n}@list.example>",
    )
    head = f"In-Reply-To: {refs[-1]}\nReferences: {' '.join(refs)}\n".encode()
    return head + msg


def test_threads_through_missing_parents(tmp_path):
    box = mailbox.Maildir(tmp_path / "lee", create=True)
    t0 = datetime(2025, 3, 3, 9, 0)
    withheld = "<withheld-1@district.example>"
    # Three replies to an email the agency withheld: one conversation, one placeholder.
    for n, who in enumerate(["Ann", "Bob", "Cy"]):
        box.add(reply(n, "Re: Budget", [withheld], who, t0 + timedelta(hours=n)))
    # A ticket system's notices all name the ticket's id, never itself an email.
    for n in range(3, 5):
        box.add(reply(n, f"[RT #33575] status {n}", ["<RT-Ticket-33575@rt.example>"], "RT", t0))
    # "<yes>" typed at a prompt, by two unrelated series a year apart: never joined.
    box.add(reply(5, "[PATCH] fix a", ["<yes>"], "Dee", t0))
    box.add(reply(6, "[PATCH] fix b", ["<yes>"], "Eve", t0 + timedelta(days=365)))
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(tmp_path / "lee"), "--db", db)
    run_cli("analyze", "--db", db)
    got = rows(
        db,
        """select t.message_count, t.missing,
                  (select group_concat(message_id, ' ') from (select message_id from messages
                   where thread_id = t.id order by message_id)) as ids
           from threads t order by t.message_count desc, ids""",
    )
    assert got == [
        (3, 1, "r0@list.example r1@list.example r2@list.example"),
        (2, 1, "r3@list.example r4@list.example"),
        (1, 0, "r5@list.example"),
        (1, 0, "r6@list.example"),
    ]
    assert rows(
        db,
        "select count(*) from missing_parents where missing = ?",
        ["withheld-1@district.example"],
    ) == [(6,)]  # each reply names it twice: In-Reply-To and References


def test_bates_gaps(tmp_path):
    pages = []
    for n in (101, 102, 103, 108, 109, 120):  # 104-107 and 110-119 withheld
        pages.append(
            f"From: Rosa <rosa@bsn.example>\nSent: Monday, March {n % 28 + 1}, 2025 4:02 PM\n"
            f"To: dana@district.example\nSubject: Page {n}\n\nText of page {n}.\n\n\n"
            f"                                                      LUSD-{n:06d}"
        )
    printout.layout_pdf(pages, tmp_path / "production.pdf")
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(tmp_path / "production.pdf"), "--db", db)
    out = run_cli("analyze", "--db", db)
    assert "Bates gaps                  2" in out
    assert rows(db, "select series, first_missing, last_missing, pages, after from bates_gaps "
                "order by first_missing") == [
        ("LUSD", "LUSD-000104", "LUSD-000107", 4, "LUSD-000103 (production.pdf, page 3)"),
        ("LUSD", "LUSD-000110", "LUSD-000119", 10, "LUSD-000109 (production.pdf, page 5)"),
    ]  # fmt: skip


def test_silent_stretches(tmp_path):
    start = date(2025, 1, 6)  # a Monday
    mails = []
    n = 0
    for week in range(20):
        if week in (7, 8, 9, 15):  # three silent weeks in a row, and one alone
            continue
        for k in range(3):
            n += 1
            when = datetime.combine(start + timedelta(weeks=week, days=k), datetime.min.time())
            mails.append(
                make_email(
                    message_id=f"<w{n}@x>",
                    body=f"Week {week}, note {k}.\n",
                    date=(when + timedelta(hours=10)).strftime("%a, %d %b %Y %H:%M:%S +0000"),
                )
            )
    write_mbox(tmp_path / "whitfield.mbox", mails)
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(tmp_path / "whitfield.mbox"), "--db", db)
    run_cli("analyze", "--db", db)
    assert rows(
        db, "select custodian, first_week, last_week, weeks, median_per_week from silent_stretches"
    ) == [("whitfield", "2025-02-24", "2025-03-10", 3, 3.0)]


FOIA = ROOT.parent / "shared" / "fixtures" / "state-dept-foia"


def test_one_email_released_twice_with_other_redactions(tmp_path):
    """C05739545 rendered twice, each release redacting another phrase: one message, two
    copies, and what each showed that the other hid, with the codes each printed."""
    import pytest

    source = FOIA / "C05739545.txt"
    if not source.exists():
        pytest.skip(f"{FOIA} is not here")
    text = source.read_text()
    first = text.replace("Sen. McCain", "(b)(6)")  # the first release hides the senator
    second = text.replace("your boss", "(b)(5)")  # the second hides whose statement it was
    for name, version in (("release-1", first), ("release-2", second)):
        (tmp_path / name).mkdir()
        pages = [p for p in version.split("\f") if p.strip()]
        printout.layout_pdf(pages, tmp_path / name / "C05739545.pdf")
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(tmp_path / "release-1"), str(tmp_path / "release-2"), "--db", db)
    run_cli("analyze", "--db", db)
    assert rows(db, "select count(*) from messages where recovered = 0") == [(1,)]
    assert rows(
        db,
        "select release_a, release_b, codes_a, codes_b, shown_only_in_a, shown_only_in_b, other "
        "from redaction_diffs",
    ) == [
        (
            "C05739545.pdf, page 1",
            "C05739545.pdf, page 1",
            "(b)(6)",
            "(b)(5)",
            "your boss.",
            "Sen. McCain",
            None,
        )
    ]


def test_copies_that_disagree_are_flagged(tmp_path):
    """One Message-ID in two mailboxes, with another attachment in each: one message, and the
    second copy says how they differ."""
    common = dict(message_id="<same@x>", body="The draft.\n")
    write_mbox(
        tmp_path / "whitfield.mbox",
        [make_email(**common, attachments=[("draft.txt", "text/plain", b"Version one.")])],
    )
    write_mbox(
        tmp_path / "lee.mbox",
        [make_email(**common, attachments=[("draft.txt", "text/plain", b"Version two, edited.")])],
    )
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(tmp_path / "lee.mbox"), str(tmp_path / "whitfield.mbox"), "--db", db)
    assert rows(db, "select count(*) from messages") == [(1,)]
    assert rows(db, "select stage, level from errors") == [("dedupe", "warning")]
    (note,) = rows(db, "select note from message_copies where note is not null")[0]
    assert note.startswith("copies disagree: this copy's attachments differ")


def test_copies_in_one_mailbox_compare_with_each_other(tmp_path):
    """A second copy in the same batch as the first (one mailbox, one read): an identical copy is
    no disagreement; a copy with another attachment is one, said once."""
    same = make_email(
        message_id="<same@x>",
        body="The draft.\n",
        attachments=[("draft.txt", "text/plain", b"Version one.")],
    )
    other = make_email(
        message_id="<other@x>",
        body="The plan.\n",
        attachments=[("plan.txt", "text/plain", b"Plan A.")],
    )
    edited = make_email(
        message_id="<other@x>",
        body="The plan.\n",
        attachments=[("plan.txt", "text/plain", b"Plan B, edited.")],
    )
    write_mbox(tmp_path / "box.mbox", [same, other, same, edited])
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(tmp_path / "box.mbox"), "--db", db)
    assert rows(db, "select count(*) from messages") == [(2,)]
    assert rows(db, "select count(*) from message_copies") == [(4,)]
    assert rows(db, "select stage, level, location from errors") == [
        ("dedupe", "warning", rows(db, "select location from message_copies order by offset")[3][0])
    ]
    notes = rows(db, "select note from message_copies where note is not null")
    assert len(notes) == 1 and "only in this copy: ['plan.txt']" in notes[0][0]
