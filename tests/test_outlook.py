"""Outlook .msg and .pst/.ost: real public files, and .msg files the tests build."""

from __future__ import annotations

import io
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
        ("submessage.pst", "pst", "done", 2, 0, None),  # a message, and the one it holds
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
    # A message attached to a message in a store is listed as its attachment and read as a
    # message of its own, located inside its parent.
    assert rows(
        db,
        """select a.name, a.content_type from attachments a join messages m
           on m.id = a.message_id where m.subject like 'This is a message which%'""",
    ) == [("This is an embedded message", "application/vnd.ms-outlook")]
    assert rows(
        db,
        """select m.subject, m.body, m.from_address, c.location, c.folder, c.method
           from messages m join message_copies c on c.message_id = m.id
           where m.subject = 'This is an embedded message'""",
    ) == [
        (
            "This is an embedded message",
            "This is the body of an embedded message",
            "terrymah@microsoft.com",
            "submessage #1 > attachment 1",
            "submessage",
            "pst",
        )
    ]
    assert rows(db, "select source_path, stage, level from errors") == []


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


def test_built_msg_whose_sender_is_only_an_exchange_dn(tmp_path):
    """Saved inside an Exchange organization: no transport headers, no SMTP address for the
    sender, only its X.500 DN, and a display name with an "@" in it (the shape of Apache
    Tika's testMSG_chinese.msg). The DN is the address; nothing is made up from the name."""
    dn = "/O=NW GROUP/OU=NW/CN=RECIPIENTS/CN=KIMSUN"
    msg = amsg.MapiMessage.create("Quarterly figures", "See the figures.")
    text = amsg.PropertyTypeCode.PTYP_STRING
    for tag, value in ((0x0C1A, "Tests Kim@NW (Kim Sun)"), (0x0C1F, dn), (0x0C1E, "EX")):
        msg.set_property(tag, text, value)
    msg.add_recipient("tests.kim@northwind.example", display_name="Tests Kim")
    msg.save(tmp_path / "dn.msg")
    (record,) = read(tmp_path / "dn.msg")
    assert record.participants == [
        ("from", Address("Tests Kim@NW (Kim Sun)", dn.lower())),
        ("to", Address("Tests Kim", "tests.kim@northwind.example")),
    ]
    assert record.addresses("from")[0].alias == "kimsun"  # for identities' roster alias rule
    # Sent for someone else: their DN when the sender's own is not there.
    msg = amsg.MapiMessage.create("For the director", "Signed for her.")
    for tag, value in ((0x0042, "Director NW"), (0x0065, dn), (0x0064, "EX")):
        msg.set_property(tag, text, value)
    msg.save(tmp_path / "for.msg")
    (record,) = read(tmp_path / "for.msg")
    assert record.addresses("from") == [Address("Director NW", dn.lower())]


def test_recipients_the_headers_name_without_a_name_keep_the_tables(tmp_path):
    """A received item whose transport headers give bare addresses ("To: minh@…") while its
    recipient table gives display names, one known only by its Exchange DN (the shape of the
    Couchbase message in Apache Tika's testPST.pst, "Hong-Thai Nguyen"): the names are kept with
    the addresses. Built as a .msg: the same MAPI properties an item in a .pst carries, read by
    the same code (mapi.to_record)."""
    msg = amsg.MapiMessage.create("Conference", "See you there!")
    headers = (
        "Received: from mx.conference.example by mail.northwind.example; "
        "Tue, 4 Mar 2025 09:15:00 -0800\r\n"
        "From: Events <events@conference.example>\r\n"
        "To: minh.hoang@northwind.example\r\n"
        "Cc: ops@northwind.example, lee@northwind.example\r\n"
        "Subject: Conference\r\nDate: Tue, 4 Mar 2025 09:15:00 -0800\r\n"
        "Message-ID: <conf1@conference.example>\r\n"
    )
    msg.set_property(0x007D, amsg.PropertyTypeCode.PTYP_STRING, headers)
    dn = "/O=NORTHWIND/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=MHOANG"
    msg.add_recipient(dn, display_name="Minh Hoang")
    msg.add_recipient("ops@northwind.example", display_name="Operations desk", recipient_type=2)
    msg.add_recipient(
        "/O=NORTHWIND/CN=RECIPIENTS/CN=LEE", display_name="Lee Park", recipient_type=2
    )
    msg.save(tmp_path / "received.msg")
    (record,) = read(tmp_path / "received.msg")
    assert record.participants == [
        ("from", Address("Events", "events@conference.example")),
        ("to", Address("Minh Hoang", "minh.hoang@northwind.example")),
        ("cc", Address("Operations desk", "ops@northwind.example")),
        # Two Cc in each, one known only by its DN: which is which is not said, so no name.
        ("cc", Address("", "lee@northwind.example")),
    ]
    assert record.addresses("to")[0].alias == "mhoang"


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


# -- a .pst's shapes below the file ----------------------------------------------------------
# libpff cannot write a .pst, and none of the public stores at hand holds an attachment inside an
# embedded message (the shape of Apache Tika's testPST.pst, message 8). So that shape is built
# one layer down: stand-ins with pypff's item interface (record sets of typed MAPI properties,
# a recipient table, attachments), walked by the reader's own code (pst._message). Opening a
# real embedded message through libpff is tested on pstsdk's submessage.pst above.


class Entry:
    """A pypff record entry: a MAPI property tag, its type and its value."""

    def __init__(self, tag: int, kind: int, value):
        self.entry_type, self.value_type = tag, kind
        self.data_as_string = self.data_as_integer = self.data_as_datetime = self.data = value


class Properties:
    def __init__(self, *entries: Entry):
        self.entries = list(entries)


class Table:
    def __init__(self, *rows: Properties):
        self.rows = rows
        self.number_of_record_sets = len(rows)

    def get_record_set(self, n: int) -> Properties:
        return self.rows[n]


class StandInAttachment:
    def __init__(self, props: Properties, data: bytes = b"", message=None):
        self.props, self.data, self.message = props, data, message
        self.size = len(data)

    def get_record_set(self, n: int) -> Properties:
        return self.props

    def read_buffer(self, size: int) -> bytes:
        return self.data[:size]


class StandInMessage:
    def __init__(self, props: Properties, recipients: Table, body: str, attachments=()):
        self.props, self.recipients, self.attachments = props, recipients, list(attachments)
        self.subject = next(e.data for e in props.entries if e.entry_type == 0x0037)
        self.plain_text_body, self.html_body, self.rtf_body = body.encode(), None, None
        self.number_of_attachments = len(self.attachments)

    def get_record_set(self, n: int) -> Properties:
        return self.props

    def get_attachment(self, n: int) -> StandInAttachment:
        return self.attachments[n]


TEXT, INT, TIME = 0x1F, 0x03, 0x40
REFERENCE = Entry(0x3701, 0x0D, b"D\x00 \x00\x88\x1e\x00\x00")  # as in submessage.pst


def stand_in_message(subject: str, sender: str, to: tuple[str, str], attachments=()):
    props = Properties(
        Entry(0x001A, TEXT, "IPM.Note"),
        Entry(0x0037, TEXT, subject),
        Entry(0x0C1A, TEXT, sender.split("@")[0].title()),
        Entry(0x5D01, TEXT, sender),
        Entry(0x0039, TIME, datetime(2025, 3, 4, 17, 15, tzinfo=UTC)),
        Entry(0x1035, TEXT, f"<{subject.replace(' ', '.')}@corp.example>"),
    )
    name, address = to
    table = Table(
        Properties(Entry(0x0C15, INT, 1), Entry(0x5FF6, TEXT, name), Entry(0x39FE, TEXT, address))
    )
    return StandInMessage(props, table, f"{subject}.", attachments)


def test_a_word_file_in_a_message_in_a_message_in_a_store(tmp_path, monkeypatch):
    import docx

    from backchannel.corpus.rows import SourceTally
    from backchannel.corpus.writer import CorpusWriter
    from backchannel.ingest.outlook import pst
    from backchannel.ingest.record import SourceFile

    document = docx.Document()
    document.add_paragraph("Bond refinancing schedule for the north campus")
    buffer = io.BytesIO()
    document.save(buffer)
    word = StandInAttachment(
        Properties(
            Entry(0x3705, INT, 1),  # by value
            Entry(0x3707, TEXT, "attachment.docx"),
            Entry(0x370E, TEXT, "application/octet-stream"),
        ),
        buffer.getvalue(),
    )
    inner = stand_in_message(
        "First email", "ana@corp.example", ("Ben Ortiz", "ben@corp.example"), [word]
    )
    outer = stand_in_message(
        "Fwd: First email",
        "ben@corp.example",
        ("Hong-Thai Nguyen", "hong@corp.example"),
        [StandInAttachment(Properties(Entry(0x3705, INT, 5), REFERENCE), message=inner)],
    )
    # What pst_embedded gives for a real attachment: the message it holds.
    monkeypatch.setattr(pst, "embedded", lambda attachment: attachment.message)
    source = SourceFile("hong.pst", tmp_path / "hong.pst", "0" * 64, 1, "pst", "hong")
    records = list(pst._message(outer, "Inbox #8", "Inbox", source))
    assert [(r.subject, r.provenance.location) for r in records] == [
        ("Fwd: First email", "Inbox #8"),
        ("First email", "Inbox #8 > attachment 1"),
    ]
    # The recipient table's display name (here in PR_RECIPIENT_DISPLAY_NAME) is kept.
    assert records[0].addresses("to") == [Address("Hong-Thai Nguyen", "hong@corp.example")]
    (attached,) = records[1].attachments
    assert attached.name == "attachment.docx"
    assert attached.text == "Bond refinancing schedule for the north campus"
    # In the corpus it is searchable like any attachment, and opens the inner message.
    db = open_corpus(tmp_path / "c.db")
    writer = CorpusWriter(db)
    writer.add(SourceTally(source, "s1"), records)
    writer.close()
    assert db.execute(
        """select a.name, m.subject from attachments_fts f join attachments a
           on a.rowid = f.rowid join messages m on m.id = a.message_id
           where attachments_fts match 'refinancing'"""
    ).fetchall() == [("attachment.docx", "First email")]


def test_an_embedded_message_this_pypff_cannot_open_is_said(shared_fixtures, monkeypatch):
    """Where the checks on the pypff binding fail (another build than the pinned one), the
    embedded message is listed as an attachment and a warning says it was not read."""
    from backchannel.ingest.outlook import pst_embedded

    monkeypatch.setattr(pst_embedded, "_binding", lambda: None)
    (record,) = read(shared_fixtures / "pstsdk" / "submessage.pst")
    assert [a.name for a in record.attachments] == ["This is an embedded message"]
    assert [p.reason for p in record.problems] == [
        "attachment 1 is an embedded message; this libpff binding cannot open it as a message"
    ]


def test_the_binding_checks_refuse_a_pypff_of_another_shape(monkeypatch):
    """The C call is made only on the binding it was checked against: a message type object
    that is not the one the extension exports, or an attachment object of another size, and
    `embedded` gives None (the reader says so) instead of reading memory it does not know."""
    import pypff

    from backchannel.ingest.outlook import pst_embedded

    check = pst_embedded._binding.__wrapped__
    assert check() is not None  # the pinned build passes

    class Other:
        pass

    monkeypatch.setattr(pypff, "message", Other)
    assert check() is None
    monkeypatch.undo()
    wider = type("Wider", (), {"__slots__": ("item", "record_set", "parent", "more")})
    monkeypatch.setattr(pypff, "attachment", wider)
    assert check() is None
    monkeypatch.undo()
    assert pst_embedded.embedded(object()) is None  # not an attachment: never touched


def test_a_damaged_store_whose_message_holds_itself(tmp_path, monkeypatch):
    """Two attachments of a message naming that same message (a damaged store's references):
    read 100 times at most, then said; never the 2,047 records of ten levels of two."""
    from backchannel.ingest.outlook import pst
    from backchannel.ingest.record import MessageRecord, ReadError, SourceFile

    loop = stand_in_message("Loop", "ana@corp.example", ("Ben Ortiz", "ben@corp.example"))
    embedded = Properties(Entry(0x3705, INT, 5), REFERENCE)
    loop.attachments = [StandInAttachment(embedded, message=loop) for _ in range(2)]
    loop.number_of_attachments = 2
    monkeypatch.setattr(pst, "embedded", lambda attachment: attachment.message)
    source = SourceFile("loop.pst", tmp_path / "loop.pst", "0" * 64, 1, "pst", "loop")
    items = list(pst._message(loop, "Inbox #1", "Inbox", source))
    records = [i for i in items if isinstance(i, MessageRecord)]
    assert len(records) == 1 + pst.MAX_EMBEDDED
    assert [r.provenance.location for r in records[:3]] == [
        "Inbox #1",
        "Inbox #1 > attachment 1",
        "Inbox #1 > attachment 1 > attachment 1",
    ]
    reasons = {i.reason for i in items if isinstance(i, ReadError)}
    assert reasons == {
        "embedded messages nested too deep: not read",
        "embedded messages more than 100: not read",
    }


def test_two_bare_addresses_and_one_name_known_only_by_its_dn(tmp_path):
    """Two To in the transport headers, one in the recipient table known only by its DN: which
    of the two it is cannot be told, so neither takes its name."""
    msg = amsg.MapiMessage.create("Agenda", "See the agenda.")
    headers = (
        "From: Events <events@conference.example>\r\n"
        "To: minh.hoang@northwind.example, lee@northwind.example\r\n"
        "Subject: Agenda\r\nDate: Tue, 4 Mar 2025 09:15:00 -0800\r\n"
        "Message-ID: <agenda@conference.example>\r\n"
    )
    msg.set_property(0x007D, amsg.PropertyTypeCode.PTYP_STRING, headers)
    msg.add_recipient("/O=NORTHWIND/CN=RECIPIENTS/CN=MHOANG", display_name="Minh Hoang")
    msg.save(tmp_path / "two.msg")
    (record,) = read(tmp_path / "two.msg")
    assert [(a.name, a.address) for a in record.addresses("to")] == [
        ("", "minh.hoang@northwind.example"),
        ("", "lee@northwind.example"),
    ]


def test_an_embedded_message_whose_reference_is_cut(tmp_path, monkeypatch):
    """A damaged store: the attachment's reference to its message is 2 bytes, where libpff
    reads 4 without looking. Never handed to libpff; the attachment is listed and said."""
    from backchannel.ingest.outlook import pst
    from backchannel.ingest.record import SourceFile

    def never(attachment):
        raise AssertionError("libpff was asked")

    monkeypatch.setattr(pst, "embedded", never)
    cut = StandInAttachment(Properties(Entry(0x3705, INT, 5), Entry(0x3701, 0x0D, b"D\x00")))
    outer = stand_in_message(
        "Fwd: First", "ben@corp.example", ("Hong-Thai Nguyen", "hong@corp.example"), [cut]
    )
    source = SourceFile("hong.pst", tmp_path / "hong.pst", "0" * 64, 1, "pst", "hong")
    (record,) = pst._message(outer, "Inbox #8", "Inbox", source)
    assert [a.name for a in record.attachments] == ["attached message 1"]
    assert [p.reason for p in record.problems] == [
        "attachment 1 unreadable: its embedded message's reference is missing or cut"
    ]
