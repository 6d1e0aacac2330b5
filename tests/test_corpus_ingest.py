"""Ingest into the corpus, checked against dumps whose true contents are known."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_email, rows, write_mbox

from backchannel.cli import cli
from backchannel.corpus import ingest, open_corpus


def run(db: Path, *paths: Path, custodian: str | None = None):
    corpus = open_corpus(db)
    try:
        return ingest(corpus, list(paths), custodian=custodian)
    finally:
        corpus.close()


@pytest.fixture(scope="module")
def sample_db(sample, tmp_path_factory):
    folder, truth = sample
    db = tmp_path_factory.mktemp("db") / "sample.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(folder), "--db", str(db)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return db, truth, result.output


def test_sample_counts_match_the_truth(sample_db):
    db, truth, output = sample_db
    assert rows(db, "select count(*) from messages") == [(truth["unique"],)]
    assert rows(db, "select count(*) from message_copies") == [(truth["copies"],)]
    expected = Counter(c for held in truth["copies_by_message"].values() for c in held)
    expected["records-office"] += len(truth["printed"]) + 2  # the PDF, and a scan of 2 pages
    assert dict(rows(db, "select custodian, count(*) from message_copies group by 1")) == expected
    # Every email produced as a file is one message whose copies are the custodians holding it.
    got = {}
    for mid, custodians in rows(
        db,
        """select m.message_id, group_concat(c.custodian) from messages m
           join message_copies c on c.message_id = m.id
           where m.message_id is not null group by m.id""",
    ):
        got[mid] = sorted(custodians.split(","))
    assert got == truth["copies_by_message"]
    dupes = truth["copies"] - truth["unique"]
    assert re.search(rf"messages\s+{truth['copies']}\s+from 4 custodian", output)
    assert re.search(rf"new\s+{truth['unique']}\n", output)
    assert re.search(rf"duplicates\s+{dupes}\s", output)
    assert re.search(r"errors\s+1\s+\(1 files not email or unreadable\)", output)


def test_sample_participants_per_role_match_the_truth(sample_db):
    db, truth, _ = sample_db
    stored: dict[str, set] = {}
    for mid, role, address in rows(
        db,
        """select m.message_id, p.role, p.address
           from participants p join messages m on m.id = p.message_id""",
    ):
        stored.setdefault(mid, set()).add((role, address))
    printed: dict[tuple, set] = {}
    for subject, sent_at, role, address in rows(
        db,
        """select m.subject, m.sent_at, p.role, p.address from participants p
           join messages m on m.id = p.message_id where m.message_id is null""",
    ):
        printed.setdefault((subject, sent_at), set()).add((role, address))
    for e in truth["emails"]:
        want = {("from", e.sender.email)} | {("to", p.email) for p in e.to}
        want |= {("cc", p.email) for p in e.cc}
        if e in truth["printed"]:  # read back off the printed (and scanned) page
            assert printed[(e.subject, e.sent.astimezone(UTC).isoformat())] == want
        else:
            assert stored[e.message_id.strip("<>")] == want
    by_role = dict(rows(db, "select role, count(*) from participants group by role"))
    assert by_role == {
        "from": truth["unique"],
        "to": sum(len(e.to) for e in truth["emails"]),
        "cc": sum(len(e.cc) for e in truth["emails"]),
    }


def test_sample_decodes_names_and_has_the_one_corrupted_file(sample_db):
    db, truth, _ = sample_db
    assert rows(
        db,
        "select distinct name from participants where address = ?",
        ["rosa@betterschoolsnow.example"],
    ) == [("Rosa Ibáñez",)]
    assert rows(db, "select source_path, stage, level from errors where level = 'error'") == [
        ("production-2-partial.zip", "archive", "error")
    ]
    # The agency-style release prints its times without a zone: read as UTC, and said so.
    assert rows(db, "select source_path, stage, count(*) from errors where level = 'warning'") == [
        ("records-office/production-3-agency-release.pdf", "date", len(truth["agency"]))
    ]
    assert rows(db, "select status from sources where path = 'production-2-partial.zip'") == [
        ("error",)
    ]
    attached = rows(db, "select count(*) from attachments where name = 'notes.csv'")[0][0]
    assert attached == sum(1 for e in truth["emails"] if e.attachment)


def test_sources_reconcile(sample_db):
    db, truth, _ = sample_db
    for path, expected, emitted, failed in rows(
        db,
        "select path, messages_expected, messages_emitted, failed from sources "
        "where format in ('mbox', 'eml')",
    ):
        assert expected == emitted + failed, path
    total = rows(
        db, "select sum(messages_new), sum(duplicates), sum(messages_emitted) from sources"
    )
    assert total == [(truth["unique"], truth["copies"] - truth["unique"], truth["copies"])]
    # Archive members point at their archive.
    assert (
        rows(
            db,
            """select count(*) from sources s join sources p on p.id = s.parent_id
                       where s.path like 'okafor-export.zip!/%'""",
        )[0][0]
        > 0
    )


def test_full_text_search_folds_diacritics(sample_db):
    db, _, _ = sample_db
    hits = rows(db, "select count(*) from messages_fts where messages_fts match 'Ibanez'")[0][0]
    assert hits == rows(db, "select count(*) from messages where body like '%Ibáñez%'")[0][0] > 0


def test_rerun_adds_nothing(sample, sample_db, tmp_path):
    folder, _ = sample
    db, _, _ = sample_db
    tables = ["sources", "messages", "message_copies", "participants", "attachments", "errors"]
    before = {t: rows(db, f"select * from [{t}] order by 1") for t in tables}
    summary = run(db, folder)
    assert (summary.new, summary.duplicates, summary.messages) == (0, 0, 0)
    assert summary.already == rows(db, "select count(*) from sources where parent_id is null")[0][0]
    after = {t: rows(db, f"select * from [{t}] order by 1") for t in tables}
    assert after == before


def test_ids_do_not_depend_on_order(sample, sample_db, tmp_path):
    folder, _ = sample
    db, _, _ = sample_db
    other = tmp_path / "reversed.db"
    for part in sorted(folder.iterdir(), reverse=True):  # another order, in separate runs
        run(other, part)
    q = "select m.id, m.message_id from messages m order by 1"
    assert rows(other, q) == rows(db, q)
    q = "select message_id, custodian, location from message_copies order by 1, 2, 3"
    assert rows(other, q) == rows(db, q)


def test_bcc_seen_in_one_copy_is_kept_and_pairs_count_once(tmp_path):
    sent = make_email(to=["dana@d.example", "dana@d.example"], bcc="marcus@d.example")
    received = make_email(to=["dana@d.example", "Dana <DANA@d.example>"])
    write_mbox(tmp_path / "rosa.mbox", [sent])
    write_mbox(tmp_path / "dana.mbox", [received])
    db = tmp_path / "c.db"
    summary = run(db, tmp_path / "rosa.mbox", tmp_path / "dana.mbox")
    assert (summary.messages, summary.new, summary.duplicates) == (2, 1, 1)
    assert rows(db, "select role, address from participants order by 1, 2") == [
        ("bcc", "marcus@d.example"),
        ("from", "rosa@bsn.example"),
        ("to", "dana@d.example"),
    ]
    assert rows(db, "select custodian from message_copies order by 1") == [("dana",), ("rosa",)]


def test_no_message_id_dedupes_by_fingerprint(tmp_path):
    a = make_email(message_id=None, body="Same words.\n")
    b = make_email(message_id=None, body="Same  words.\n\n")  # whitespace differs in transit
    c = make_email(message_id=None, body="Other words.\n")
    write_mbox(tmp_path / "one.mbox", [a, c])
    write_mbox(tmp_path / "two.mbox", [b])
    db = tmp_path / "c.db"
    summary = run(db, tmp_path / "one.mbox", tmp_path / "two.mbox")
    assert (summary.new, summary.duplicates) == (2, 1)


def test_no_message_id_same_letter_from_two_senders_is_two_messages(tmp_path):
    """A form letter two parents sent at the same minute, without Message-IDs: the sender is
    part of the fingerprint, so they stay two messages."""
    letter = "Please keep the Lakemont bus route through Larkspur.\n"
    a = make_email(sender="Ann Parent <ann@mail.example>", message_id=None, body=letter)
    b = make_email(sender="Bo Parent <bo@mail.example>", message_id=None, body=letter)
    write_mbox(tmp_path / "dana.mbox", [a, b])
    db = tmp_path / "c.db"
    summary = run(db, tmp_path / "dana.mbox")
    assert (summary.new, summary.duplicates) == (2, 0)
    assert rows(db, "select from_address from messages order by 1") == [
        ("ann@mail.example",),
        ("bo@mail.example",),
    ]


def test_fingerprint_collapses_whitespace_and_keeps_the_sender():
    """The key of an email without a Message-ID, as two printed copies give it (a sender
    named without an address, a date that could not be read, spacing that differs with the
    layout and OCR): whitespace collapsed, the copies meet; another sender, another key."""
    from backchannel.corpus.keys import dedupe_key
    from backchannel.ingest.record import Address, MessageRecord, Provenance

    def printed(sender: str, subject: str, date: str) -> MessageRecord:
        return MessageRecord(
            message_id=None,
            subject=subject,
            sent_at=None,
            sent_at_original=date,
            participants=[("from", Address(sender, None)), ("to", Address("Dana", None))],
            body_text="Can we talk before the vote?",
            body_html=None,
            in_reply_to=None,
            references=[],
            headers=[],
            attachments=[],
            provenance=Provenance("p.pdf", "0" * 64, "ocr", "pages 1-1"),
        )

    one = printed("Lee, Marcus", "Charter vote Tuesday", "Tuesdav, Marcb 4 9:15")
    two = printed("Lee,  Marcus", "Charter  vote\tTuesday", "Tuesdav,  Marcb 4\n9:15")
    other = printed("Ortiz, Marcus", "Charter vote Tuesday", "Tuesdav, Marcb 4 9:15")
    assert dedupe_key(one) == dedupe_key(two)
    assert dedupe_key(one) != dedupe_key(other)


def test_reused_message_id_is_two_messages_and_a_warning(tmp_path):
    a = make_email(message_id="<xxxx@xxxx.com>", date="Tue, 04 Mar 2025 09:15:00 -0800")
    b = make_email(
        message_id="<xxxx@xxxx.com>",
        date="Fri, 07 Mar 2025 11:00:00 -0800",
        body="A different email.\n",
    )
    write_mbox(tmp_path / "box.mbox", [a, b])
    db = tmp_path / "c.db"
    summary = run(db, tmp_path / "box.mbox")
    assert (summary.new, summary.duplicates) == (2, 0)
    warned = rows(db, "select distinct message_id from errors where stage = 'dedupe'")
    assert sorted(warned) == rows(db, "select id from messages order by id")


def test_custodian_option(tmp_path):
    write_mbox(tmp_path / "export.mbox", [make_email()])
    db = tmp_path / "c.db"
    run(db, tmp_path / "export.mbox", custodian="Dana Whitfield")
    assert rows(db, "select custodian from message_copies") == [("Dana Whitfield",)]


def test_full_text_index_follows_the_rows(tmp_path):
    """New rows are indexed in bulk by the writer, deletes and edits of the indexed columns by
    triggers: after ingest, an edit and a delete, the index holds exactly the rows (FTS5's own
    integrity check), a search finds what LIKE finds, and a corpus with the older trigger per
    row is brought up to date."""
    import sqlite_utils

    from backchannel.corpus.schema import ensure_schema

    old = tmp_path / "old.db"
    legacy = sqlite_utils.Database(old)
    legacy["messages"].create({"id": str, "subject": str, "body": str}, pk="id")
    legacy["messages"].enable_fts(["subject", "body"], create_triggers=True)
    legacy["messages"].insert({"id": "x", "subject": "Budget", "body": "An older row."})
    ensure_schema(legacy)
    triggers = dict(
        legacy.execute(
            "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'messages'"
        ).fetchall()
    )
    assert set(triggers) == {"messages_ad", "messages_au"}
    assert "after update of [subject], [body]" in triggers["messages_au"]
    legacy.close()
    mbox = tmp_path / "box.mbox"
    write_mbox(
        mbox,
        [
            make_email(
                message_id=f"<m{n}@x>",
                subject=f"Budget {n}",
                body=f"Reserve fund {n} for Ibáñez.\n",
            )
            for n in range(40)
        ],
    )
    for db_path in (old, tmp_path / "new.db"):
        db = open_corpus(db_path)
        ingest(db, [mbox])
        db.execute("update messages set subject = 'Budget revised' where subject = 'Budget 3'")
        db.execute("delete from messages where subject = 'Budget 4'")
        db.conn.commit()
        db.execute("insert into messages_fts(messages_fts) values ('integrity-check')")
        for word in ("budget", "ibanez", "revised", "reserve"):
            found = db.execute(
                "select count(*) from messages_fts where messages_fts match ?", [word]
            ).fetchone()[0]
            like = db.execute(
                "select count(*) from messages where subject like ? or body like ?",
                [f"%{word}%", f"%{word if word != 'ibanez' else 'ibáñez'}%"],
            ).fetchone()[0]
            assert found == like, (db_path.name, word)
        db.close()


def test_the_schema_is_checked_once_per_open_corpus(tmp_path):
    """Opening a corpus checks its schema; its writer, on the same connection, asks SQLite
    nothing more. Another connection to the file is checked again."""
    import sqlite_utils

    from backchannel.corpus import CorpusWriter, open_corpus
    from backchannel.corpus.schema import ensure_schema

    db = open_corpus(tmp_path / "c.db")
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    CorpusWriter(db)
    assert statements == []
    other = sqlite_utils.Database(tmp_path / "c.db")
    other.conn.set_trace_callback(statements.append)
    ensure_schema(other)
    assert any("sqlite_master" in s for s in statements)
