"""Outlook .msg and .pst/.ost: real public files, and .msg files the tests build."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from conftest import make_email, rows, write_mbox

from backchannel.corpus import ingest, open_corpus
from backchannel.ingest import read
from backchannel.ingest.record import Address, MessageRecord, Skipped

amsg = pytest.importorskip("aspose.email_foss.msg", reason="aspose-email-foss writes test .msg")


def run(db: Path, *paths: Path):
    corpus = open_corpus(db)
    try:
        return ingest(corpus, list(paths))
    finally:
        corpus.close()


def write_msg(path: Path, eml: bytes, *, embed: bytes | None = None) -> Path:
    email = BytesParser(policy=policy.default).parsebytes(eml)
    if embed is not None:
        email.add_attachment(BytesParser(policy=policy.default).parsebytes(embed))
    amsg.MapiMessage.from_email_message(email).save(path)
    return path


# -- real files -------------------------------------------------------------------------------


def test_pst_stores(shared_fixtures, tmp_path):
    db = tmp_path / "c.db"
    s = run(db, shared_fixtures / "pstsdk", shared_fixtures / "java-libpst")
    got = rows(
        db,
        "select path, format, status, messages_emitted, items_skipped, skipped_kinds "
        "from sources order by path",
    )
    assert got == [
        (
            "dist-list.pst",
            "pst",
            "done",
            0,
            4,
            json.dumps({"calendar": 1, "contact": 1, "distribution list": 1, "other item": 1}),
        ),
        (
            "passworded.pst",
            "pst",
            "done",
            0,
            3,
            json.dumps({"contact": 1, "distribution list": 1, "other item": 1}),
        ),
        ("sample1.pst", "pst", "done", 1, 0, None),
        ("sample2.pst", "pst", "done", 1, 0, None),
        ("submessage.pst", "pst", "done", 1, 0, None),
        ("test_ansi.pst", "pst", "done", 1, 0, None),
        ("test_unicode.pst", "pst", "done", 2, 0, None),
    ]
    assert sum(s.skipped.values()) == 7
    # sample1 and sample2 hold the same email: one message, two copies, with folder paths.
    copies = rows(
        db,
        """select s.path, c.location, c.folder, c.method, c.custodian
                         from message_copies c join sources s on s.id = c.source_id
                         where s.path like 'sample%' order by 1""",
    )
    assert copies == [
        ("sample1.pst", "Sample1 #1", "Sample1", "pst", "sample1"),
        ("sample2.pst", "Sample2 #1", "Sample2", "pst", "sample2"),
    ]
    msg = rows(
        db,
        """select subject, from_address, from_name, sent_at, message_id, body
                      from messages where subject = 'Here is a sample message'""",
    )
    assert msg == [
        (
            "Here is a sample message",
            "terrymah@microsoft.com",
            "Terry Mahaffey",
            "2010-03-15T17:12:05+00:00",
            "B2FDDB8BE384C94794441DB4A7F3D8B804AE624B@TK5EX14MBXC114.redmond.corp.microsoft.com",
            "With a sample attachment. It’s my daughter and our puppy. Aren’t they cute?",
        )
    ]
    assert rows(
        db,
        """select a.name, a.size from attachments a join messages m
                       on m.id = a.message_id where m.subject = 'Here is a sample message'""",
    ) == [("leah_thumper.jpg", 93142)]
    # Without transport headers, an Exchange sender keeps its X.500 address and display name.
    assert rows(
        db, "select distinct from_address, from_name from messages where subject = 'Post'"
    ) == [
        ("/o=microsoft/ou=first administrative group/cn=recipients/cn=terrymah", "Terry Mahaffey")
    ]
    # pypff cannot open an embedded message in a store: the attachment is listed, and said so.
    assert rows(db, "select source_path, stage, level from errors") == [
        ("submessage.pst", "attachment", "warning")
    ]


def test_msg_files(shared_fixtures, tmp_path):
    db = tmp_path / "c.db"
    s = run(
        db,
        shared_fixtures / "ruby-msg",
        shared_fixtures / "msg-extractor",
        shared_fixtures / "spamscope" / "mail_outlook_1",
    )
    assert dict(s.skipped) == {"contact": 3, "note": 1}
    # The three qwerty files are one message (same Message-ID, no date): three copies.
    assert (s.messages, s.new, s.duplicates) == (7, 5, 2)
    assert rows(db, "select format from sources where path = 'mail_outlook_1'") == [("msg",)]
    got = rows(
        db,
        """select subject, from_address, sent_at, attachment_count from messages
                      order by subject""",
    )
    assert got == [
        ("BlammoBlammo", "triplenickel@mapi32.net", "2007-09-29T11:02:44+00:00", 0),
        ("MSG Test File", None, None, 0),
        (
            "Newsletter Prüfung Personalwesen / Prüfung Eröffnungsbilanz",
            "nueblingv@w-vwa.de",
            "2017-09-18T10:00:18+00:00",
            5,
        ),
        ("Test for TIF files", "brizhou@gmail.com", "2013-11-18T08:26:24+00:00", 2),
        ("qwerty", None, None, 0),
    ]
    assert rows(
        db,
        """select name, content_type, size from attachments a join messages m
                       on m.id = a.message_id where m.subject = 'Test for TIF files'
                       order by position""",
    ) == [
        ("import OleFileIO.tif", "image/tiff", 969674),
        ("raised value error.tif", "image/tiff", 1033142),
    ]
    # strangeDate.msg has no date and no sender: read, with both said.
    assert rows(
        db,
        """select stage, reason from errors where source_path = 'strangeDate.msg'
                       order by stage""",
    ) == [("date", "no date sent"), ("header", "no sender")]
    # Bcc from the recipient table, To and Cc too, on a file with no transport headers.
    assert rows(
        db,
        """select distinct p.role, p.address, p.name from participants p
                       join messages m on m.id = p.message_id where m.subject = 'qwerty'
                       order by 1, 2""",
    ) == [
        ("bcc", "charles.lowe@freehills.com", "Lowe, Charles"),
        ("cc", "johnno@nowhere.com", "Johnathan"),
        ("to", None, "asdf"),
    ]


# -- files the tests build --------------------------------------------------------------------


def test_built_msg_with_embedded_message_and_attachments(tmp_path):
    inner = make_email(
        sender="Marcus Lee <marcus@d.example>",
        subject="Inner",
        message_id="<inner@x>",
        body="inner words\n",
    )
    outer = make_email(
        subject="Outer",
        message_id="<outer@x>",
        bcc="amara@bsn.example",
        attachments=[("budget.csv", "text/csv", b"line,amount\nbooks,1200\n")],
    )
    path = write_msg(tmp_path / "saved.msg", outer, embed=inner)
    records = list(read(path))
    assert [type(r) for r in records] == [MessageRecord, MessageRecord]
    parent, child = records
    assert (parent.message_id, parent.subject, parent.provenance.location) == (
        "outer@x",
        "Outer",
        "whole file",
    )
    assert parent.sent_at == datetime(2025, 3, 4, 17, 15, tzinfo=UTC)
    assert parent.participants == [
        ("from", Address("Rosa Ibáñez", "rosa@bsn.example")),
        ("to", Address("Dana Whitfield", "dana@district.example")),
        ("bcc", Address("", "amara@bsn.example")),
    ]
    assert [(a.name, a.text) for a in parent.attachments][0] == (
        "budget.csv",
        "line,amount\nbooks,1200",
    )
    assert parent.attachments[1].content_type == "application/vnd.ms-outlook"
    assert (child.message_id, child.subject, child.provenance.location) == (
        "inner@x",
        "Inner",
        "attachment 2",
    )
    assert child.provenance.method == "msg"
    assert child.addresses("from") == [Address("Marcus Lee", "marcus@d.example")]


def test_non_email_msg_is_counted_not_ingested(tmp_path):
    note = amsg.MapiMessage.create("Pick up flyers", "before Tuesday")
    note.message_class = "IPM.StickyNote"
    note.save(tmp_path / "note.msg")
    assert [type(r) for r in read(tmp_path / "note.msg")] == [Skipped]


def test_damaged_outlook_files_are_errors_rows(shared_fixtures, tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    store = (shared_fixtures / "pstsdk" / "sample1.pst").read_bytes()
    (dump / "cut.pst").write_bytes(store[:4096])
    msg = write_msg(tmp_path / "x.msg", make_email()).read_bytes()
    (dump / "cut.msg").write_bytes(msg[:1536])
    (dump / "posing.msg").write_text("Dear board, this is a letter saved with the wrong name.\n")
    db = tmp_path / "c.db"
    s = run(db, dump)
    assert s.messages == 0
    got = rows(db, "select source_path, stage, level from errors order by 1")
    assert got == [
        ("cut.msg", "msg", "error"),
        ("cut.pst", "pst", "error"),
        ("posing.msg", "detect", "error"),
    ]


def test_same_email_as_msg_in_a_pst_and_in_an_mbox_is_one_message(shared_fixtures, tmp_path):
    store = shared_fixtures / "pstsdk" / "sample1.pst"
    (from_store,) = [r for r in read(store) if isinstance(r, MessageRecord)]
    # The same email as the sender's mail program would have saved it.
    eml = make_email(
        sender="Terry Mahaffey <terrymah@microsoft.com>",
        to="Terry Mahaffey <terrymah@microsoft.com>",
        subject=from_store.subject,
        date=from_store.sent_at_original,
        message_id=f"<{from_store.message_id}>",
        body=from_store.body_text + "\n",
    )
    write_mbox(tmp_path / "terry.mbox", [eml])
    write_msg(tmp_path / "exported.msg", eml)
    db = tmp_path / "c.db"
    s = run(db, store, tmp_path / "exported.msg", tmp_path / "terry.mbox")
    assert (s.messages, s.new, s.duplicates) == (3, 1, 2)
    assert rows(db, "select method from message_copies order by method") == [
        ("msg",),
        ("pst",),
        ("rfc822",),
    ]
    assert rows(db, "select count(*) from messages") == [(1,)]
