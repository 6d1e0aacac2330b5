"""Bad input never stops a run and is never dropped silently: each is an errors row."""

from __future__ import annotations

import io
import re
import zipfile

from click.testing import CliRunner
from conftest import make_email, rows, write_mbox

from backchannel.cli import cli


def test_each_bad_input_is_an_errors_row_and_the_run_goes_on(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "empty.eml").write_bytes(b"")
    (dump / "photo.eml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (dump / "memo.txt").write_text("MEMORANDUM\n\nThe board met on Tuesday.\n")
    (dump / "broken-mime.eml").write_bytes(
        b"From: a@b.example\nTo: c@d.example\nSubject: broken\nMessage-ID: <broken@x>\n"
        b"Date: Wed, 5 Mar 2025 10:00:00 +0000\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="zz"\n\n--zz\nContent-Type: text/plain\n\n'
        b"text before the cut\n"
    )
    (dump / "charset.eml").write_bytes(
        b"From: a@b.example\nTo: c@d.example\nSubject: charset\nMessage-ID: <cs@x>\n"
        b"Date: Wed, 5 Mar 2025 10:00:00 +0000\n"
        b"Content-Type: text/plain; charset=x-klingon\n\nQapla\xe9\n"
    )
    # Distinct bodies: the same email under new Message-IDs would be one message.
    mails = [make_email(message_id=f"<cut{n}@x>", body=f"Part {n}\n") for n in range(3)]
    write_mbox(dump / "cut.mbox", mails)
    data = (dump / "cut.mbox").read_bytes()
    (dump / "cut.mbox").write_bytes(data[:-10])  # ends mid-line
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("../escape.eml", make_email(message_id="<esc@x>"))
        zf.writestr("bomb.eml", b"\0" * (40 << 20))
        zf.writestr("fine.eml", make_email(message_id="<fine@x>", body="Fine.\n"))
    (dump / "hostile.zip").write_bytes(buf.getvalue())
    (dump / "good.eml").write_bytes(make_email(message_id="<good@x>", body="Good.\n"))

    db = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["ingest", str(dump), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    got = rows(db, "select source_path, stage, level from errors order by 1, 2")
    assert got == [
        ("broken-mime.eml", "mime", "warning"),
        ("charset.eml", "charset", "warning"),
        ("cut.mbox", "split", "warning"),
        ("empty.eml", "detect", "error"),
        ("hostile.zip", "archive", "error"),
        ("hostile.zip", "archive", "error"),
        ("memo.txt", "detect", "error"),
        ("photo.eml", "detect", "error"),
    ]
    reasons = dict(rows(db, "select source_path, reason from errors where stage = 'detect'"))
    assert reasons["empty.eml"] == "empty file (0 bytes)"
    assert reasons["memo.txt"].startswith("not an email file")
    # Everything readable is in: 3 from the cut mbox, the broken one, charset, fine, good.
    assert rows(db, "select count(*) from messages") == [(7,)]
    assert rows(db, "select body from messages where message_id = 'broken@x'") == [
        ("text before the cut",)
    ]
    assert re.search(r"errors\s+5\s+\(3 files not email or unreadable\)", result.output)
    assert re.search(r"warnings\s+3\s", result.output)


def test_bad_arguments_fail(tmp_path):
    result = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "missing"), "--db", str(tmp_path / "c.db")]
    )
    assert result.exit_code == 2 and "does not exist" in result.output
    result = CliRunner().invoke(cli, ["ingest"])
    assert result.exit_code == 2


def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite" * 100)
    (tmp_path / "a.eml").write_bytes(make_email())
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.eml"), "--db", str(bogus)])
    assert result.exit_code == 1
    assert "is not a SQLite database" in result.output and "Traceback" not in result.output


def test_the_library_reader_and_the_loader_take_one_walk(tmp_path):
    """`ingest.read` and `backchannel ingest` walk a dump the same way: the same messages, and
    each unreadable thing the same error (an archive that will not open, a member and a file
    that are not email, a format not read yet)."""
    from backchannel.ingest import MessageRecord, ReadError, read

    dump = tmp_path / "dump"
    dump.mkdir()
    write_mbox(dump / "box.mbox", [make_email(message_id=f"<w{i}@x>") for i in range(3)])
    (dump / "memo.txt").write_text("MEMORANDUM\n\nThe board met on Tuesday.\n")
    (dump / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (dump / "mac.olm").write_bytes(zip_of({"a.xml": b"<email/>"}))
    (dump / "export.zip").write_bytes(
        zip_of({"in/one.eml": make_email(message_id="<z1@x>"), "in/notes.txt": b"just notes\n"})
    )
    found = list(read(dump))
    records = [r for r in found if isinstance(r, MessageRecord)]
    errors = sorted(
        (e.path, e.location, e.stage, e.reason) for e in found if isinstance(e, ReadError)
    )
    db = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["ingest", str(dump), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert rows(db, "select count(*) from message_copies") == [(len(records),)] == [(4,)]
    assert sorted(rows(db, "select source_path, location, stage, reason from errors")) == errors
    assert {e[2] for e in errors} == {"archive", "detect"} and len(errors) == 4


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()
