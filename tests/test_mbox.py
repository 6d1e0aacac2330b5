"""Splitting mbox files: every message, its exact byte offset and length, damage reported."""

from __future__ import annotations

from pathlib import Path

from conftest import make_email, write_mbox

from backchannel.ingest.files import make_source
from backchannel.ingest.mail import mbox
from backchannel.ingest.record import RawEmail, ReadError


def split(path: Path):
    src = make_source(path, path.name, None)
    items = list(mbox.messages(src))
    return src, items


def test_offsets_and_lengths_point_at_each_message(tmp_path):
    mails = [make_email(message_id=f"<m{n}@x>", body=f"body {n}\n") for n in range(5)]
    path = tmp_path / "box.mbox"
    offsets = write_mbox(path, mails)
    src, items = split(path)
    assert src.expected == 5
    assert [i.provenance.offset for i in items] == offsets
    raw = path.read_bytes()
    for item, mail, start in zip(items, mails, offsets, strict=True):
        # The span starts at the separator line and runs to the next one.
        span = raw[start : start + item.provenance.length]
        assert span.startswith(b"From sender")
        assert item.data == mail
        assert item.provenance.location == f"offset {start}, {len(span)} bytes"


def test_body_line_starting_with_from_is_not_a_separator(tmp_path):
    tricky = make_email(body="Dear board,\n\nFrom what I hear, the vote moves to April.\n")
    path = tmp_path / "box"
    write_mbox(path, [tricky, make_email(message_id="<b@x>")])
    src, items = split(path)
    assert src.expected == 2 and len(items) == 2
    assert b"From what I hear" in items[0].data


def test_blocks_boundaries_do_not_lose_messages(tmp_path, monkeypatch):
    monkeypatch.setattr(mbox, "BLOCK", 64)  # separators straddle reads
    mails = [make_email(message_id=f"<m{n}@x>", body="x" * (n * 37) + "\n") for n in range(30)]
    path = tmp_path / "box.mbox"
    offsets = write_mbox(path, mails)
    src, items = split(path)
    assert [i.provenance.offset for i in items] == offsets
    assert [i.data for i in items] == mails


def test_crlf_mbox(tmp_path):
    mails = [make_email(message_id=f"<m{n}@x>").replace(b"\n", b"\r\n") for n in range(3)]
    path = tmp_path / "crlf.mbox"
    with open(path, "wb") as f:
        for m in mails:
            f.write(b"From x@y Tue Mar  4 09:15:00 2025\r\n" + m + b"\r\n")
    src, items = split(path)
    assert [i.data for i in items] == mails


def test_truncated_mbox_keeps_the_good_messages_and_says_so(tmp_path):
    path = tmp_path / "cut.mbox"
    write_mbox(path, [make_email(message_id=f"<m{n}@x>") for n in range(3)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # cut inside the last message
    src, items = split(path)
    raws = [i for i in items if isinstance(i, RawEmail)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(raws) == 3
    assert [(e.stage, e.level) for e in errors] == [("split", "warning")]
    assert "truncated" in errors[0].reason


def test_text_before_the_first_separator_is_an_error(tmp_path):
    path = tmp_path / "junk.mbox"
    write_mbox(path, [make_email()])
    path.write_bytes(b"From x@y Tue Mar  4 09:15:00 2025\nnot a header\n\n" + path.read_bytes())
    src, items = split(path)
    assert sum(isinstance(i, RawEmail) for i in items) == 2
