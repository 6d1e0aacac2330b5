"""Every field as the sender wrote it: who sent it, to whom, when, in which script. Files built
here for each case, and the real files of other projects' suites where they show it."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_email, write_mbox

from backchannel.ingest import read
from backchannel.ingest.record import Address, MessageRecord, ReadError

amsg = pytest.importorskip("aspose.email_foss.msg", reason="aspose-email-foss writes test .msg")
T = amsg.PropertyTypeCode
SPAMSCOPE = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "spamscope"


def records(path: Path) -> list[MessageRecord]:
    return [r for r in read(path) if isinstance(r, MessageRecord)]


def one(path: Path) -> MessageRecord:
    (record,) = records(path)
    return record


def test_msg_with_old_exchange_internet_headers(tmp_path):
    """Stored headers that begin with "Microsoft Mail Internet Headers Version 2.0": read past
    that line; and where headers name nobody, the MAPI properties do."""
    msg = amsg.MapiMessage.create("Budget", "The numbers.")
    msg.set_property(
        0x007D,
        T.PTYP_STRING,
        "Microsoft Mail Internet Headers Version 2.0\r\n"
        "Received: from mail.corp.example by exch.corp.example\r\n"
        "From: Alice Park <alice@corp.example>\r\n"
        "To: Bob Lee <bob@corp.example>\r\n"
        "Subject: Budget\r\n"
        "Date: Tue, 4 Mar 2003 09:15:00 -0800\r\n"
        "Message-ID: <old-exchange@corp.example>\r\n",
    )
    msg.save(tmp_path / "old.msg")
    r = one(tmp_path / "old.msg")
    assert r.participants == [
        ("from", Address("Alice Park", "alice@corp.example")),
        ("to", Address("Bob Lee", "bob@corp.example")),
    ]
    assert (r.message_id, r.sent_at) == (
        "old-exchange@corp.example",
        datetime(2003, 3, 4, 17, 15, tzinfo=UTC),
    )
    # Headers with no sender at all: the item's own properties say who.
    bare = amsg.MapiMessage.create("Budget", "The numbers.")
    bare.set_property(0x007D, T.PTYP_STRING, "Received: from a by b\r\nX-Mailer: Old\r\n")
    bare.set_property(0x0C1A, T.PTYP_STRING, "Alice Park")
    bare.set_property(0x0C1F, T.PTYP_STRING, "alice@corp.example")
    bare.add_recipient("bob@corp.example", display_name="Bob Lee")
    bare.save(tmp_path / "bare.msg")
    r = one(tmp_path / "bare.msg")
    assert r.participants == [
        ("from", Address("Alice Park", "alice@corp.example")),
        ("to", Address("Bob Lee", "bob@corp.example")),
    ]


def test_ansi_msg_in_its_code_page(tmp_path):
    """A non-Unicode .msg naming its code page only by PR_INTERNET_CPID (950, Big5)."""
    msg = amsg.MapiMessage.create(unicode_strings=False)
    msg.set_property(0x0037, T.PTYP_STRING8, "測試郵件".encode("cp950"))
    msg.set_property(0x0C1A, T.PTYP_STRING8, "張小明".encode("cp950"))
    msg.set_property(0x0C1F, T.PTYP_STRING8, b"ming@example.tw")
    msg.set_property(0x1000, T.PTYP_STRING8, "你好，世界".encode("cp950"))
    msg.set_property(0x3FDE, T.PTYP_INTEGER32, 950)
    msg.add_recipient("bob@example.tw", display_name="Bob")
    msg.save(tmp_path / "big5.msg")
    r = one(tmp_path / "big5.msg")
    assert (r.subject, r.body_text) == ("測試郵件", "你好，世界")
    assert r.participants == [
        ("from", Address("張小明", "ming@example.tw")),
        ("to", Address("Bob", "bob@example.tw")),
    ]


def participants_of(tmp_path: Path, **headers: str) -> list:
    """The participants backchannel reads from an email with these From/To/Cc headers."""
    (tmp_path / "h.eml").write_bytes(make_email(**headers))
    return one(tmp_path / "h.eml").participants


def test_a_display_name_that_is_an_address(tmp_path):
    assert participants_of(
        tmp_path,
        sender="alice@example.com <bob@example.com>",
        to='"Charlie Brown" <charlie@example.com>, dave@example.com',
        cc="eve@example.com <frank@example.com>",
    ) == [
        ("from", Address("alice@example.com", "bob@example.com")),
        ("to", Address("Charlie Brown", "charlie@example.com")),
        ("to", Address("", "dave@example.com")),
        ("cc", Address("eve@example.com", "frank@example.com")),
    ]


@pytest.mark.skipif(not SPAMSCOPE.is_dir(), reason=f"{SPAMSCOPE} is not here")
def test_real_spoofed_senders():
    # mail_test_15: "From: purchasing@aquillaindustries.com <do-not-reply@ncs.gov.ng>"
    r = one(SPAMSCOPE / "mail_test_15")
    assert r.addresses("from") == [
        Address("purchasing@aquillaindustries.com", "do-not-reply@ncs.gov.ng")
    ]
    # mail_test_19: the same on From and Cc.
    r = one(SPAMSCOPE / "mail_test_19")
    assert r.addresses("from") == [Address("alice@example.com", "bob@example.com")]
    assert r.addresses("cc") == [Address("eve@example.com", "frank@example.com")]


def test_one_bad_byte_does_not_change_the_script(tmp_path):
    text = "Профиль пользователя. Сообщения и контакты.\n" * 5
    data = text.encode("utf-8")
    data = data[:40] + b"\xff" + data[40:]
    head = (
        b"From: a@b.example\nTo: c@d.example\nSubject: x\nMessage-ID: <bad@x>\n"
        b"Date: Mon, 16 May 2016 09:30:32 +0000\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    )
    (tmp_path / "ru.eml").write_bytes(head + data)
    r = one(tmp_path / "ru.eml")
    assert r.body_text.count("Профиль") == 5 and r.body_text.count("\ufffd") == 1
    assert [p.reason for p in r.problems] == [
        "1 byte(s) not valid in the declared charset 'utf-8'; replaced"
    ]


@pytest.mark.skipif(not SPAMSCOPE.is_dir(), reason=f"{SPAMSCOPE} is not here")
def test_real_russian_newsletter_with_a_bad_byte():
    r = one(SPAMSCOPE / "mail_test_6")
    assert r.subject == "Быстрее вкладывайте в золото!"
    assert r.body_text.startswith("Профиль  Сообщения  Контакты  Сообщества")


@pytest.mark.parametrize(
    "written, utc",
    [
        ("16 May 2016 at 09:30:32 GMT+1", datetime(2016, 5, 16, 8, 30, 32, tzinfo=UTC)),
        ("Mon, 16 May 2016 09:30:32 UTC+05:30", datetime(2016, 5, 16, 4, 0, 32, tzinfo=UTC)),
        ("Mon 16 May 2016 09:30:32 -0400", datetime(2016, 5, 16, 13, 30, 32, tzinfo=UTC)),
        ("16 May 2016 09:30:32 GMT-7", datetime(2016, 5, 16, 16, 30, 32, tzinfo=UTC)),
    ],
)
def test_dates_as_clients_print_them(tmp_path, written, utc):
    (tmp_path / "d.eml").write_bytes(raw_email(written))
    r = one(tmp_path / "d.eml")
    assert (r.sent_at, r.sent_at_original, r.problems) == (utc, written, [])


def raw_email(date: str) -> bytes:
    """Headers written as they are (the stdlib's generator would rewrite the Date)."""
    return (
        "From: Rosa <rosa@bsn.example>\nTo: dana@district.example\nSubject: Dates\n"
        f"Date: {date}\nMessage-ID: <d@x>\n\nWhen?\n"
    ).encode()


def test_an_unreadable_date_stays_a_warning(tmp_path):
    (tmp_path / "d.eml").write_bytes(raw_email("sometime last week"))
    r = one(tmp_path / "d.eml")
    assert r.sent_at is None and [p.stage for p in r.problems] == ["date"]


def test_names_kept_as_written(tmp_path):
    assert participants_of(
        tmp_path,
        sender="Saved by Windows Internet Explorer 7",
        to="Nouvel utilisateur de Outlook Express",
    ) == [
        ("from", Address("Saved by Windows Internet Explorer 7", "")),
        ("to", Address("Nouvel utilisateur de Outlook Express", "")),
    ]


def test_an_mbox_entry_without_a_header_block(tmp_path):
    path = tmp_path / "box.mbox"
    write_mbox(path, [make_email(message_id="<ok@x>")])
    with open(path, "ab") as f:
        f.write(b"From someone@example.com Tue Mar  4 09:15:00 2025\nJust a note, no headers.\n\n")
    items = list(read(path))
    assert not [i for i in items if isinstance(i, ReadError)]
    ok, bare = [i for i in items if isinstance(i, MessageRecord)]
    assert (bare.body_text, bare.participants, bare.sent_at) == (
        "Just a note, no headers.",
        [],
        None,
    )
    assert [p.reason for p in bare.problems] == [
        "no header block: the entry's text is read as its body"
    ]


def test_an_email_attached_base64_encoded(tmp_path):
    """GroupWise sends an attached email as a base64 message/rfc822 part: decoded and read."""
    inner = (
        b"From: x@y.example\nTo: z@w.example\nSubject: Inner note\n"
        b"Date: Mon, 16 May 2016 09:30:32 +0000\n\nThe inner text.\n"
    )
    outer = (
        b"From: a@b.example\nTo: c@d.example\nSubject: fwd\nMessage-ID: <gw@x>\n"
        b"Date: Mon, 16 May 2016 10:30:32 +0000\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        b"see attached\n--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(inner)
        + b"\n--b--\n"
    )
    (tmp_path / "gw.eml").write_bytes(outer)
    (attachment,) = one(tmp_path / "gw.eml").attachments
    assert (attachment.name, attachment.content_type) == ("Inner note.eml", "message/rfc822")
    assert "Subject: Inner note" in attachment.text and "The inner text." in attachment.text


def test_documents_inside_a_zip_attachment(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("minutes/board.txt", "The board voted 4 to 3.")
        zf.writestr("photo.png", b"\x89PNG\r\n\x1a\n")
        zf.writestr("notes.csv", "item,owner\nbudget,Rosa\n")
    (tmp_path / "z.eml").write_bytes(
        make_email(attachments=[("records.zip", "application/zip", buf.getvalue())])
    )
    (attachment,) = one(tmp_path / "z.eml").attachments
    assert attachment.text == (
        "## minutes/board.txt\nThe board voted 4 to 3.\n\n## notes.csv\nitem,owner\nbudget,Rosa"
    )


# Written down from the raw files' headers and MIME parts (not from backchannel's output):
# sender, recipients (To and Cc), subject, date in UTC, attachment names.
SPAMSCOPE_EXPECTED = {
    "mail_test_2": (
        "meteo@regione.vda.it",
        ["echo@tu-berlin.de", "mporcile@server_mail.it"],
        "Bollettino Meteorologico del 29/11/2015",
        "2015-11-29T08:45:18+00:00",
        ["intestazione.jpg", "logometeo.jpg", "Bollettino.pdf"],
    ),
    "mail_test_3": (
        "oneil.844@randtelekom.com.tr",
        ["kalinokyra@thismail.it"],
        "Hi there",
        "2016-08-22T13:56:09+00:00",
        [],  # message.txt is an inline text part: shown, so read, as the body
    ),
    "mail_test_4": (
        "anabelgonzalo@fanox.com",
        [],
        "PI",
        "2016-08-19T14:33:29+00:00",
        ["img1.jpg", "Payment Invoice.zip"],
    ),
    "mail_test_5": (
        "contact@carlance.fr",
        ["rollierjocelyne@fake.com"],
        "Je prépare mon été zéro complexe !",
        "2017-03-08T04:00:31+00:00",
        None,  # five inline images with RFC 2231 names: below
    ),
    "mail_test_10": (
        "nicoletta_bernasconi@it.ibm.com",
        [],
        "*** ATTENZIONE *** - Modelli POWER7+ inclusi nella campagna Move To Eight",
        "2017-03-08T16:45:48+00:00",
        ["", "", "", "Move To Eight ZWEP6227F.pdf"],  # three inline GIFs with no name
    ),
    "mail_test_19": (
        "bob@example.com",
        ["charlie@example.com", "dave@example.com", "frank@example.com"],
        None,
        None,
        None,
    ),
}


@pytest.mark.skipif(not SPAMSCOPE.is_dir(), reason=f"{SPAMSCOPE} is not here")
@pytest.mark.parametrize("name", sorted(SPAMSCOPE_EXPECTED))
def test_spamscope_files_as_written(name):
    sender, recipients, subject, date, attachments = SPAMSCOPE_EXPECTED[name]
    r = one(SPAMSCOPE / name)
    assert [a.address for a in r.addresses("from")] == [sender]
    assert [a.address for role in ("to", "cc") for a in r.addresses(role)] == recipients
    if subject is not None:
        assert r.subject == subject
    if date is not None:
        assert r.sent_at.isoformat() == date
    if attachments is not None:
        assert [a.name for a in r.attachments] == attachments


@pytest.mark.skipif(not SPAMSCOPE.is_dir(), reason=f"{SPAMSCOPE} is not here")
def test_spamscope_inline_parts():
    assert "WatchGuard Firebox" in one(SPAMSCOPE / "mail_test_3").body_text
    names = [a.name for a in one(SPAMSCOPE / "mail_test_5").attachments]
    # filename*0*=utf-8''%6D%61%69%6C... decoded.
    assert names[0] == "mailingassets_d68799cd6301c7f5731a3c42946e528bcb78eb84.jpg"
    assert len(names) == 5 and all(n.startswith("mailingassets_") for n in names)


MSG_FIXTURES = SPAMSCOPE.parent
_ROLE = {1: "to", 2: "cc", 3: "bcc"}


def _ole_read(path: Path) -> dict:
    """What an .msg file says, read straight from its OLE streams with olefile (not with
    backchannel's readers): message class, subject, sender address, recipients and roles."""
    import struct

    import olefile

    ole = olefile.OleFileIO(str(path))

    def string(prefix: str, tag: str) -> str | None:
        for suffix, encoding in (("001F", "utf-16-le"), ("001E", "latin-1")):
            name = f"{prefix}__substg1.0_{tag}{suffix}"
            if ole.exists(name):
                return ole.openstream(name).read().decode(encoding).strip("\x00")
        return None

    recipients = set()
    for entry in ole.listdir(storages=True, streams=False):
        if len(entry) != 1 or not entry[0].startswith("__recip_version1.0_"):
            continue
        prefix = entry[0] + "/"
        props = ole.openstream(prefix + "__properties_version1.0").read()
        kind = 1
        for at in range(8, len(props) - 15, 16):
            tag, _, value = struct.unpack_from("<IIq", props, at)
            if tag == 0x0C150003:
                kind = value & 0xFFFFFFFF
        address = (string(prefix, "39FE") or string(prefix, "3003") or "").lower()
        name = string(prefix, "3001") or ""
        recipients.add((_ROLE.get(kind, "to"), address if "@" in address else name))
    sender = (string("", "5D01") or string("", "0C1F") or "").lower()
    found = {
        "class": string("", "001A"),
        "subject": string("", "0037"),
        "sender": sender if "@" in sender else None,
        "recipients": recipients,
    }
    ole.close()
    return found


@pytest.mark.skipif(not (MSG_FIXTURES / "ruby-msg").is_dir(), reason="shared fixtures absent")
@pytest.mark.parametrize(
    "rel",
    [
        "ruby-msg/Swetlana Novikova.msg",
        "ruby-msg/contact-plain.msg",
        "ruby-msg/contact-unicode.msg",
        "ruby-msg/note.msg",
        "ruby-msg/qwerty_1-orig.msg",
        "ruby-msg/qwerty_2-with_custom_properties.msg",
        "ruby-msg/qwerty_3.msg",
        "ruby-msg/test_Blammo.msg",
        "msg-extractor/strangeDate.msg",
        "msg-extractor/unicode.msg",
    ],
)
def test_msg_files_as_their_streams_say(rel):
    raw = _ole_read(MSG_FIXTURES / rel)
    items = list(read(MSG_FIXTURES / rel))
    if raw["class"].lower().startswith(("ipm.contact", "ipm.stickynote")):
        assert not [i for i in items if isinstance(i, MessageRecord)]  # not email: skipped
        return
    (r,) = [i for i in items if isinstance(i, MessageRecord)]
    assert r.subject == raw["subject"]
    assert [a.address for a in r.addresses("from")] == ([raw["sender"]] if raw["sender"] else [])
    got = {(role, a.address or a.name) for role, a in r.participants if role != "from"}
    assert got == raw["recipients"]


GEM = MSG_FIXTURES / "mail-gem-zip" / "emails.zip"


def _compare_with_modern_parser(files: dict[str, bytes], mine: dict[str, MessageRecord]) -> int:
    """Each email read by backchannel and by the stdlib's other parser (policy.default, which
    backchannel does not use): the same senders and the same subject. Where the modern parser
    gives up on 8-bit bytes (surrogates, U+FFFD) there is nothing to compare; whitespace is
    compared collapsed (backchannel unfolds headers). Returns how many were compared."""
    from email import policy
    from email.parser import BytesParser

    compared = 0
    for name, data in files.items():
        try:
            m = BytesParser(policy=policy.default).parsebytes(data)
            senders = [a.addr_spec.lower().replace('"', "") for a in m["from"].addresses]
            subject = " ".join(str(m["subject"] or "").split())
        except Exception:
            continue  # the modern parser cannot read it: nothing to compare against
        if any(0xDC80 <= ord(c) <= 0xDCFF or c == "\ufffd" for c in subject + "".join(senders)):
            continue
        r = mine[name]  # every one is read as an email
        ours = [a.address for a in r.addresses("from")]
        spoof = re.search(
            rb"^From:[ \t]*[^\s<>\"]+@[^\s<>\"]+[ \t]*<([^<>\s]+)>", data, re.M | re.I
        )
        if spoof:  # "alice@x <bob@y>": the modern parser takes alice@ for the sender, we bob@
            assert ours == [spoof.group(1).decode().lower()], name
        else:
            # Bare addresses separated by a space are a list to backchannel, where the modern
            # parser keeps the first.
            assert ours[:1] == senders[:1] and set(senders) <= set(ours), name
        assert " ".join(r.subject.split()) == subject, name
        compared += 1
    return compared


@pytest.mark.skipif(not GEM.exists(), reason=f"{GEM} is not here")
def test_the_mail_gem_edge_cases_against_the_modern_parser():
    mine = {
        r.provenance.path.split("!/", 1)[1]: r for r in read(GEM) if isinstance(r, MessageRecord)
    }
    with zipfile.ZipFile(GEM) as zf:
        files = {
            i.filename: zf.read(i)
            for i in zf.infolist()
            if not i.is_dir() and i.filename.endswith(".eml")
        }
    assert _compare_with_modern_parser(files, mine) >= 90


@pytest.mark.skipif(not SPAMSCOPE.is_dir(), reason=f"{SPAMSCOPE} is not here")
def test_every_spamscope_email_against_the_modern_parser():
    files = {
        p.name: p.read_bytes() for p in sorted(SPAMSCOPE.iterdir()) if p.name != "mail_outlook_1"
    }
    mine = {}
    for name in files:
        found = records(SPAMSCOPE / name)
        if found:
            mine[name] = found[0]
    files = {n: d for n, d in files.items() if n in mine or not n.startswith("mail_malformed")}
    assert _compare_with_modern_parser(files, mine) >= 18


PSTSDK = MSG_FIXTURES / "pstsdk"
# Written down from the stores (folder, subject, sender, attachments), read with libpff on its
# own (not through backchannel): one row per email item.
TERRY = "terrymah@microsoft.com"
PST_EXPECTED = {
    "sample1.pst": [("Sample1 #1", "Here is a sample message", TERRY, ["leah_thumper.jpg"])],
    "sample2.pst": [("Sample2 #1", "Here is a sample message", TERRY, ["leah_thumper.jpg"])],
    "submessage.pst": [
        ("submessage #1", "This is a message which has an embedded message attached",
         TERRY, ["This is an embedded message"]),
        # The message it holds (libpff_attachment_get_item), read as one of its own.
        ("submessage #1 > attachment 1", "This is an embedded message", TERRY, []),
    ],
    "test_ansi.pst": [("Folder #1", "Post", "terrymah", [])],
    "test_unicode.pst": [("/ #1", "Test", "terrymah", []), ("Folder #1", "Post", "terrymah", [])],
}  # fmt: skip


@pytest.mark.skipif(not PSTSDK.is_dir(), reason=f"{PSTSDK} is not here")
@pytest.mark.parametrize("name", sorted(PST_EXPECTED))
def test_pst_items_as_the_store_holds_them(name):
    got = [
        (
            r.provenance.location,
            r.subject,
            # An Exchange sender without SMTP address: its X.500 address, its alias the CN.
            next(a.address if "@" in a.address else a.alias for a in r.addresses("from")),
            [a.name for a in r.attachments],
        )
        for r in records(PSTSDK / name)
    ]
    assert got == PST_EXPECTED[name]
