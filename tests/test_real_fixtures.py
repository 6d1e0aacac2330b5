"""Real public mail from other projects' test suites (../shared/fixtures), read in place."""

from __future__ import annotations

import zipfile

from conftest import rows

from backchannel.corpus import ingest, open_corpus
from backchannel.ingest.mail.rfc822 import parse_raw
from backchannel.ingest.record import Provenance, RawEmail


def run(db, path):
    corpus = open_corpus(db)
    try:
        return ingest(corpus, [path])
    finally:
        corpus.close()


def test_spamscope_mails_without_extensions(shared_fixtures, tmp_path):
    db = tmp_path / "c.db"
    s = run(db, shared_fixtures / "spamscope")
    # 22 RFC 822 files and an Outlook .msg, all without extensions, found by content;
    # mail_test_1 and mail_test_11 are the same spam (no Message-ID, same sender, subject and
    # body): one message, two copies.
    assert (s.files, s.messages, s.new, s.duplicates, s.failed) == (23, 23, 22, 1, 0)
    assert rows(db, "select path from sources where format != 'eml'") == [("mail_outlook_1",)]
    assert rows(db, "select count(*) from errors where level = 'error'") == [(0,)]
    got = rows(
        db,
        """select s.path, m.subject, m.from_address, m.sent_at from messages m
                      join sources s on s.id = m.first_source_id
                      where s.path in ('mail_test_3', 'mail_test_6') order by 1""",
    )
    assert got == [
        ("mail_test_3", "Hi there", "oneil.844@randtelekom.com.tr", "2016-08-22T13:56:09+00:00"),
        (
            "mail_test_6",
            "Быстрее вкладывайте в золото!",
            "noreply@ggg.com",
            "2017-07-15T09:18:41+00:00",
        ),
    ]
    # The three malformed ones are read, with their MIME defects on record.
    for name in ("mail_malformed_1", "mail_malformed_2", "mail_malformed_3"):
        assert (
            rows(
                db, "select count(*) from errors where source_path = ? and stage = 'mime'", [name]
            )[0][0]
            >= 1
        )
    # An empty group is not a malformed address.
    assert rows(db, "select count(*) from errors where stage = 'address'") == [(0,)]


def test_mail_gem_zip_of_edge_cases(shared_fixtures, tmp_path):
    db = tmp_path / "c.db"
    s = run(db, shared_fixtures / "mail-gem-zip" / "emails.zip")
    # 100 .eml files in the zip, plus a .gitattributes and an empty file.
    assert (s.files, s.messages, s.failed) == (103, 100, 0)
    assert rows(db, "select source_path, reason from errors where level = 'error' order by 1") == [
        (
            "emails.zip!/emails/.gitattributes",
            "not an email file: no mail headers, mbox separator or known container found",
        ),
        ("emails.zip!/emails/sample_output_multipart", "empty file (0 bytes)"),
    ]
    # The fixtures reuse Message-IDs; copies with the same id and minute are one message.
    assert s.new + s.duplicates == 100
    assert rows(db, "select count(*) from messages")[0][0] == s.new


def test_raw_8bit_attachment_name(shared_fixtures):
    with zipfile.ZipFile(shared_fixtures / "mail-gem-zip" / "emails.zip") as zf:
        data = zf.read("emails/attachment_emails/attachment_nonascii_filename.eml")
    prov = Provenance("x", "0" * 64, "rfc822", "whole file")
    record = parse_raw(RawEmail(data, prov))
    assert [a.name for a in record.attachments] == ["ciële.txt"]
