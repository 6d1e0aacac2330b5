"""One RFC 822 message into one record: headers, addresses, dates, bodies, attachments."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, make_email

from backchannel.ingest.mail.rfc822 import parse_bytes, parse_raw
from backchannel.ingest.record import Address, Provenance, RawEmail, ReadError

PROV = Provenance(path="x.eml", source_sha256="0" * 64, method="rfc822", location="whole file")


def parse(data: bytes):
    return parse_raw(RawEmail(data, PROV))


def test_headers_addresses_and_dates():
    data = make_email(
        to=["Dana Whitfield <Dana.Whitfield@District.example>", "marcus.lee@district.example"],
        cc="Kevin Doyle <kdoyle@bsn.example>",
        bcc="amara@bsn.example",
    )
    assert b"=?utf-8?" in data  # the generator really encoded the non-ASCII name
    r = parse(data)
    assert r.message_id == "a1@bsn.example"
    assert r.subject == "Charter vote"
    assert r.sent_at == datetime(2025, 3, 4, 17, 15, tzinfo=UTC)
    assert r.sent_at_original == "Tue, 04 Mar 2025 09:15:00 -0800"
    assert r.participants == [
        ("from", Address("Rosa Ibáñez", "rosa@bsn.example")),
        ("to", Address("Dana Whitfield", "dana.whitfield@district.example")),
        ("to", Address("", "marcus.lee@district.example")),
        ("cc", Address("Kevin Doyle", "kdoyle@bsn.example")),
        ("bcc", Address("", "amara@bsn.example")),
    ]
    assert r.body_text == "Can we talk before Tuesday?"
    assert r.problems == []
    assert ("Subject", "Charter vote") in r.headers


def test_an_address_repeated_in_a_header_is_one_participant():
    r = parse(make_email(to=["dana@district.example", "Dana <DANA@district.example>"]))
    assert r.addresses("to") == [Address("", "dana@district.example")]


def test_encoded_subject_and_name_in_other_charsets():
    data = (
        b"From: =?iso-8859-1?q?Tom=E1s_Castrej=F3n?= <tomas@district.example>\n"
        b"To: a@b.example\n"
        b"Subject: =?iso-8859-1?q?Re:_caf=E9?= =?utf-8?b?IGNyw6htZQ==?=\n"
        b"Date: Wed, 5 Mar 2025 10:00:00 +0000\n\nhi\n"
    )
    r = parse(data)
    assert r.addresses("from") == [Address("Tomás Castrejón", "tomas@district.example")]
    assert r.subject == "Re: café crème"


def test_raw_utf8_headers_are_decoded():
    data = "From: Rosa Ibáñez <rosa@bsn.example>\nTo: x@y.example\nSubject: Año\n\nhola\n"
    r = parse(data.encode("utf-8"))
    assert r.addresses("from") == [Address("Rosa Ibáñez", "rosa@bsn.example")]
    assert r.subject == "Año"


def test_header_whitespace_is_unfolded_as_the_regex_did():
    """Header values are unfolded with str.split(), which must split exactly where r"\\s+"
    matched (it did before): every code point, between two letters, both ways."""
    import re
    import sys

    from backchannel.ingest.text import decode_header_value

    ws = re.compile(r"\s+")
    differ = []
    for c in map(chr, range(sys.maxunicode + 1)):
        if "\ud800" <= c <= "\udfff":
            continue  # lone surrogates: the parser's escapes for raw bytes, handled before
        value = f" a{c}{c}b\t{c}"
        if decode_header_value(value)[0] != ws.sub(" ", value).strip():
            differ.append(hex(ord(c)))
    assert differ == []


def test_html_only_body_becomes_readable_text():
    html = "<html><body><p>Hello <b>board</b></p><script>alert(1)</script><ul><li>one</li></ul>"
    r = parse(make_email(body=None, html=html))
    assert "Hello board" in r.body_text
    assert "one" in r.body_text
    assert "alert" not in r.body_text and "<" not in r.body_text
    assert r.body_html.startswith("<html>")


def test_plain_part_preferred_over_html_alternative():
    r = parse(make_email(body="plain words\n", html="<p>html words</p>"))
    assert r.body_text == "plain words"
    assert "html words" in r.body_html


def test_attachments_named_typed_sized_hashed():
    pdf = b"%PDF-1.4 fake but bytes\n"
    r = parse(
        make_email(
            attachments=[
                ("Año fiscal.pdf", "application/pdf", pdf),
                ("notes.txt", "text/plain", b"attached text\n"),
            ]
        )
    )
    assert [(a.name, a.content_type, a.size, a.sha256) for a in r.attachments] == [
        ("Año fiscal.pdf", "application/pdf", len(pdf), hashlib.sha256(pdf).hexdigest()),
        ("notes.txt", "text/plain", 14, hashlib.sha256(b"attached text\n").hexdigest()),
    ]
    # An attached text file is not part of the body.
    assert "attached text" not in r.body_text


def test_attached_message_is_an_attachment_not_the_body():
    inner = make_email(subject="Inner", body="inner body\n", message_id="<inner@x>")
    outer = (
        b"From: a@b.example\nTo: c@d.example\nSubject: Fwd\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\nContent-Type: text/plain\n\n'
        b"see below\n--XX\nContent-Type: message/rfc822\n\n" + inner + b"\n--XX--\n"
    )
    r = parse(outer)
    assert r.body_text.strip() == "see below"
    assert [(a.name, a.content_type) for a in r.attachments] == [("Inner.eml", "message/rfc822")]


def test_unknown_charset_is_guessed_and_reported():
    data = (
        b"From: a@b.example\nTo: c@d.example\nSubject: s\nMIME-Version: 1.0\n"
        b"Date: Wed, 5 Mar 2025 10:00:00 +0000\n"
        b"Content-Type: text/plain; charset=x-nonexistent\n\ncaf\xe9 au lait\n"
    )
    r = parse(data)
    assert "caf" in r.body_text
    assert [p.stage for p in r.problems] == ["charset"]
    assert "x-nonexistent" in r.problems[0].reason


def test_broken_mime_is_read_and_reported():
    data = (
        b"From: a@b.example\nTo: c@d.example\nSubject: s\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\n\n'
        b"--never-closed\nContent-Type: text/plain\n\nthe text survives\n"
    )
    r = parse(data)
    assert "the text survives" in r.body_text
    assert ("mime", "CloseBoundaryNotFoundDefect") in [(p.stage, p.reason) for p in r.problems]


def test_bad_or_missing_dates():
    r = parse(b"From: a@b.example\nTo: c@d.example\nDate: sometime last week\n\nbody\n")
    assert r.sent_at is None and r.sent_at_original == "sometime last week"
    assert [p.stage for p in r.problems] == ["date"]
    r = parse(make_email(date=None))
    assert r.sent_at is None and r.sent_at_original is None
    r = parse(make_email(date="Tue, 04 Mar 2025 09:15:00 -0000"))
    assert r.sent_at == datetime(2025, 3, 4, 9, 15, tzinfo=UTC)


def test_malformed_address_list_keeps_the_good_addresses():
    data = b"From: a@b.example\nTo: good@x.example, <<bad@@>>, other@x.example\nSubject: s\n\nb\n"
    r = parse(data)
    got = [a.address for a in r.addresses("to")]
    assert "good@x.example" in got and "other@x.example" in got


def test_not_email_is_a_read_error():
    r = parse(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert isinstance(r, ReadError)
    assert (r.stage, r.reason) == ("parse", "no email headers found")


def test_threading_headers():
    data = make_email(message_id="<r2@x>").replace(
        b"Message-ID: <r2@x>", b"Message-ID: <r2@x>\nIn-Reply-To: <r1@x>\nReferences: <r0@x> <r1@x>"
    )
    r = parse(data)
    assert r.in_reply_to == "r1@x"
    assert r.references == ["r0@x", "r1@x"]


# -- the quick parse (ingest/mail/quickparse.py) ---------------------------------------------------


def _raw_messages(path: Path):
    """Every raw message under a file or folder, as the readers split them: (label, bytes).
    The ingest's own walk, told to keep each raw message unparsed."""
    from backchannel.ingest import find_sources, walk
    from backchannel.ingest.archive import ArchiveLimits
    from backchannel.ingest.record import RawEmail
    from backchannel.ingest.walk import Visitor

    class Raw(Visitor):
        def items(self, src, depth, items):
            for item in items:
                if isinstance(item, RawEmail):
                    yield f"{src.path} {item.provenance.location}", item.data

        def error(self, src, error, unreadable):
            return []

    for src in find_sources(path):
        yield from walk(src, Raw(), ArchiveLimits())


TRICKY = [
    # nested multiparts, a preamble and an epilogue, CRLF line ends
    b"From: a@x.example\r\nTo: b@x.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="OUT"\r\n\r\npreamble\r\n--OUT\r\n'
    b'Content-Type: multipart/alternative; boundary="IN"\r\n\r\n--IN\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nplain\r\n--IN\r\n"
    b"Content-Type: text/html\r\n\r\n<p>html</p>\r\n--IN--\r\n\r\n--OUT\r\n"
    b'Content-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    b"JVBERi0xLjQK\r\n--OUT--\r\nepilogue\r\n",
    # boundary lines one after another, a part with no headers, trailing spaces on a boundary
    b"From: a@x.example\nSubject: empty parts\nContent-Type: multipart/mixed; boundary=B\n\n"
    b"--B\n--B  \n\nno headers here\n--B\nContent-Type: text/plain\n\nsecond\n--B--\n",
    # base64 with bad padding: the defect is found while decoding, both ways
    b"From: a@x.example\nSubject: bad base64\nContent-Type: multipart/mixed; boundary=B\n\n"
    b"--B\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ\n--B--\n",
]
# Shapes the quick parse must leave to the stdlib: each one a defect or a structure it does not
# vouch for.
LEFT_TO_THE_STDLIB = [
    b"From: a@x.example\nSubject: no close\nContent-Type: multipart/mixed; boundary=B\n\n"
    b"--B\nContent-Type: text/plain\n\ntext\n",
    b"From: a@x.example\nSubject: digest\nContent-Type: multipart/digest; boundary=B\n\n"
    b"--B\n\nFrom: c@x.example\n\ninner\n--B--\n",
    b"From: a@x.example\nSubject: forwarded\nContent-Type: message/rfc822\n\n"
    b"From: c@x.example\n\ninner\n",
    b"From: a@x.example\nSubject: inside a line\nContent-Type: multipart/mixed; boundary=B\n\n"
    b"--B\nContent-Type: text/plain\n\nsee --B here\n--B--\n",
    b"From: a@x.example\nSubject: longer\nContent-Type: multipart/mixed; boundary=B\n\n"
    b"--B\nContent-Type: text/plain\n\n--Bx\n--B--\n",
    b"From: a@x.example\nSubject: mixed ends\r\nTo: b@x.example\n\nbody\n",
    b"From: a@x.example\nSubject: no separator\nthis is body text\n",
    b"From: a@x.example\nSubject: encoded multipart\nContent-Transfer-Encoding: base64\n"
    b"Content-Type: multipart/mixed; boundary=B\n\n--B\n\nx\n--B--\n",
]


def test_quick_parse_gives_the_stdlib_records_on_every_fixture(tmp_path, shared_fixtures, sample):
    """The same MessageRecord, field by field (problems included), whichever way the Message
    was made: the owners' real messages, the sample dump, a generated benchmark mailbox and
    hand-made tricky shapes. The quick parse takes most of them, and leaves the shapes it
    cannot vouch for to the stdlib."""
    import sys

    from backchannel.ingest.mail.quickparse import quick_message
    from backchannel.ingest.record import Provenance

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ingest_bench import generate

    generate(tmp_path / "bench.mbox", 1500, seed=11)
    folder, _ = sample
    corpora = {
        "shared": [shared_fixtures / "spamscope", shared_fixtures / "mail-gem-zip"],
        "sample": [folder],
        "bench": [tmp_path / "bench.mbox"],
    }
    tricky = [(f"tricky {n}", data) for n, data in enumerate(TRICKY)]
    taken: dict[str, list[int]] = {}
    for name, paths in corpora.items():
        raws = [r for p in paths for r in _raw_messages(p)] + (tricky if name == "shared" else [])
        assert raws, name
        taken[name] = [0, len(raws)]
        for label, data in raws:
            prov = Provenance(path=label, source_sha256="", location="", method="rfc822")
            try:
                want = parse_bytes(data, prov, quick=False)
            except Exception as exc:  # the record either way is the same failure
                with pytest.raises(type(exc)):
                    parse_bytes(data, prov, quick=True)
                continue
            got = parse_bytes(data, prov, quick=True)
            assert got == want, label
            taken[name][0] += quick_message(data) is not None
    assert taken["bench"][0] == taken["bench"][1]  # well-formed mail: every one
    assert taken["sample"][0] >= taken["sample"][1] * 0.9
    for data in LEFT_TO_THE_STDLIB:
        assert quick_message(data) is None, data[:60]
        prov = Provenance(path="left", source_sha256="", location="", method="rfc822")
        assert parse_bytes(data, prov, quick=True) == parse_bytes(data, prov, quick=False)
