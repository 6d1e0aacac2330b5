"""Formats told by content; custodians and folders from the layout of the dump."""

from __future__ import annotations

import mailbox
import zipfile

from conftest import make_email, write_mbox

from backchannel.ingest.files import find_sources
from backchannel.ingest.formats import sniff


def test_sniff_by_content_not_name():
    eml = make_email()
    assert sniff(eml, "whatever.txt") == "eml"
    assert sniff(b"From x@y Tue Mar  4 09:15:00 2025\n" + eml, "inbox") == "mbox"
    assert sniff(b"From x@y Tue Mar  4 09:15:00 2025\n" + eml, "saved.eml") == "eml"
    assert sniff(b"PK\x03\x04rest", "mail.mbox") == "zip"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x") == "msg"
    assert sniff(b"!BDNrest", "x") == "pst"
    assert sniff(b"%PDF-1.7\n", "x.eml") == "pdf"
    assert sniff(b"", "x.eml") == "empty"
    assert sniff(b"Name: Bob\nAge: 3\n\nnot mail", "x.eml") == "unknown"
    assert sniff(b"\x89PNG\r\n\x1a\n", "x.eml") == "unknown"
    # Obsolete syntax and one broken header line still read as a header block.
    assert sniff(b"From  : a@b\nSubject : hi\nbroken line\nTo: c@d\n\nbody", "x") == "eml"


def test_custodians_and_relative_paths(tmp_path):
    dump = tmp_path / "dump"
    (dump / "okafor").mkdir(parents=True)
    (dump / "okafor" / "1.eml").write_bytes(make_email())
    write_mbox(dump / "whitfield.mbox", [make_email(message_id="<w@x>")])
    box = mailbox.Maildir(dump / "lee", create=True)
    box.add(make_email(message_id="<l@x>"))
    (dump / "lee" / "dovecot-uidlist").write_text("3 V1 N2\n")  # bookkeeping, not mail
    with zipfile.ZipFile(dump / "prod.zip", "w") as zf:
        zf.writestr("a.eml", make_email())
    found = {s.path: (s.format, s.custodian, s.folder) for s in find_sources(dump)}
    assert found == {
        "lee/new/" + next((dump / "lee" / "new").iterdir()).name: ("eml", "lee", "INBOX/new"),
        "okafor/1.eml": ("eml", "okafor", None),
        "prod.zip": ("zip", "dump", None),
        "whitfield.mbox": ("mbox", "whitfield", None),
    }
    named = {s.custodian for s in find_sources(dump, custodian="Records office")}
    assert named == {"Records office"}


def test_a_single_file_path(tmp_path):
    path = tmp_path / "inbox"
    write_mbox(path, [make_email()])
    (src,) = list(find_sources(path))
    assert (src.path, src.format, src.custodian) == ("inbox", "mbox", "inbox")
