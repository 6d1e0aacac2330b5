"""Nothing aborts, nothing is skipped: each awkward input finishes the run (exit 0), the good mail
is read, and the bad thing is an errors row that names its cause; a second run passes too."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, make_email, rows, write_mbox

from backchannel.cli import cli

sys.path.insert(0, str(ROOT / "sample"))
printout = pytest.importorskip("printout", reason="fpdf2 renders the test PDFs")
NOBODY = 65534


def ingest(dump: Path, db: Path, *extra: str):
    result = CliRunner().invoke(cli, ["ingest", str(dump), "--db", str(db), *extra])
    return result


def errors(db: Path) -> list[tuple]:
    return rows(db, "select source_path, location, stage, level, reason from errors order by 1, 2")


PAGE = "From: Rosa <rosa@bsn.example>\nSent: Monday, March 3, 2025 4:02 PM\nTo: dana@d.example\n"


def test_a_pdf_with_a_page_that_will_not_load(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    good = printout.layout_pdf(
        [PAGE + "Subject: One\n\nFirst page.", "Second page, the same email."], tmp_path / "g.pdf"
    )
    # A /Count that lies: the document says three pages, the third is not there.
    data = good.read_bytes().replace(b"/Count 2", b"/Count 3", 1)
    (dump / "lying.pdf").write_bytes(data)
    (dump / "after.eml").write_bytes(make_email(message_id="<after@x>"))
    db = tmp_path / "c.db"
    for _ in range(2):  # the rerun is not held hostage by the same file
        result = ingest(dump, db)
        assert result.exit_code == 0, result.output
    assert rows(db, "select subject from messages order by subject") == [
        ("Charter vote",),
        ("One",),
    ]
    assert [e[1:4] for e in errors(db) if e[0] == "lying.pdf" and e[3] == "error"] == [
        ("page 3", "pdf-text", "error")
    ]


def test_an_mbox_with_a_cover_note_and_from_in_its_text(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    write_mbox(
        dump / "box",
        [
            make_email(
                message_id="<one@x>",
                body="Hi Bob,\n\nFrom what I hear the board meets at 10:30 on Tuesday.\n",
            ),
            make_email(message_id="<two@x>", subject="Second"),
        ],
    )
    raw = (dump / "box").read_bytes()
    (dump / "box").write_bytes(b"Exported by the records office on 2025-07-01.\n\n" + raw)
    db = tmp_path / "c.db"
    assert ingest(dump, db).exit_code == 0
    assert rows(db, "select message_id, body from messages order by message_id") == [
        ("one@x", "Hi Bob,\n\nFrom what I hear the board meets at 10:30 on Tuesday."),
        ("two@x", "Can we talk before Tuesday?"),
    ]
    assert [(e[2], e[3]) for e in errors(db)] == [("split", "warning")]
    assert "cover note" in errors(db)[0][4]


def test_links_fifos_and_broken_links(tmp_path):
    mail = tmp_path / "elsewhere" / "lee"
    mail.mkdir(parents=True)
    (mail / "1.eml").write_bytes(make_email(message_id="<linked@x>"))
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "lee").symlink_to(mail, target_is_directory=True)
    (dump / "loop").symlink_to(dump, target_is_directory=True)  # a link back up: read once
    os.mkfifo(dump / "x.eml")
    (dump / "gone.eml").symlink_to(tmp_path / "nowhere.eml")
    db = tmp_path / "c.db"
    result = ingest(dump, db)
    assert result.exit_code == 0, result.output
    assert rows(db, "select message_id from messages") == [("linked@x",)]
    got = {e[0]: e[4] for e in errors(db)}
    assert got["x.eml"] == "not a regular file (a FIFO): not read"
    assert got["gone.eml"].startswith("cannot be read: No such file")
    assert re.search(r"errors\s+2\s", result.output)


def test_crlf_mbox_bodies_have_no_stray_carriage_returns(tmp_path):
    mails = [
        make_email(message_id=f"<c{n}@x>", body="one\ntwo\n").replace(b"\n", b"\r\n")
        for n in range(2)
    ]
    write_mbox(tmp_path / "crlf.mbox", mails)
    db = tmp_path / "c.db"
    assert ingest(tmp_path / "crlf.mbox", db).exit_code == 0
    assert rows(db, "select count(*) from messages where body like '%' || char(13) || '%'") == [
        (0,)
    ]


def test_bad_arguments_and_unwritable_corpora(tmp_path):
    (tmp_path / "a.eml").write_bytes(make_email())
    result = ingest(tmp_path / "a.eml", tmp_path / "c.db", "--workers", "-3")
    assert result.exit_code == 2 and "--workers" in result.output
    result = ingest(tmp_path / "a.eml", tmp_path / "missing" / "c.db")
    assert result.exit_code == 1 and "does not exist: create it" in result.output


@pytest.fixture
def nobody_path():
    """A folder nobody can reach (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="backchannel-nobody-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_nobody(*args: str) -> tuple[int, str]:
    """`backchannel ARGS` in a forked child that has given up root for nobody (the code is
    already loaded: nobody need not read the interpreter's files). (exit code, output)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        code = 70
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = CliRunner().invoke(cli, list(args))
            code = result.exit_code
            os.write(write, result.output.encode()[-20000:])
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        output = f.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a step as an unprivileged user")
def test_what_an_ordinary_user_cannot_read_or_write(nobody_path):
    """As nobody: a file and a folder it may not read are errors rows, and a corpus it may not
    write is a sentence, not a traceback."""
    tmp_path = nobody_path
    dump = tmp_path / "dump"
    (dump / "private").mkdir(parents=True)
    (dump / "ok.eml").write_bytes(make_email(message_id="<ok@x>"))
    (dump / "secret.eml").write_bytes(make_email(message_id="<secret@x>"))
    (dump / "private" / "p.eml").write_bytes(make_email(message_id="<p@x>"))
    dump.chmod(0o755)
    (dump / "secret.eml").chmod(0o600)
    (dump / "private").chmod(0o700)
    work = tmp_path / "work"
    work.mkdir()
    work.chmod(0o777)
    # Everything the run needs loaded while root: nobody cannot read the interpreter's files.
    CliRunner().invoke(cli, ["ingest", str(dump), "--db", str(tmp_path / "warm.db")])
    CliRunner().invoke(cli, ["analyze", "--db", str(tmp_path / "warm.db")])
    db = work / "c.db"
    for _ in range(2):
        code, output = as_nobody("ingest", str(dump), "--db", str(db))
        assert code == 0, output
    assert rows(db, "select message_id from messages") == [("ok@x",)]
    got = {e[0]: e[4] for e in errors(db)}
    assert got["secret.eml"] == "cannot be read: Permission denied"
    assert got["private"].startswith("folder cannot be read")
    root_owned = tmp_path / "root.db"
    CliRunner().invoke(cli, ["ingest", str(dump / "ok.eml"), "--db", str(root_owned)])
    root_owned.chmod(0o644)
    code, output = as_nobody("analyze", "--db", str(root_owned))
    assert code == 1 and "is read-only" in output and "Traceback" not in output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_stopping_serve_stops_the_server(tmp_path):
    db = tmp_path / "c.db"
    (tmp_path / "a.eml").write_bytes(make_email())
    CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.eml"), "--db", str(db)])
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "backchannel.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        serve.kill()
        pytest.fail("serve did not start")
    serve.send_signal(signal.SIGTERM)
    serve.wait(timeout=30)
    time.sleep(0.5)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0  # nothing listens: the server is gone


def test_an_installed_backchannel_finds_its_metadata(tmp_path):
    """The wheel carries datasette_metadata.json: installed (not from the checkout), serve's
    metadata is found through the package."""
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"

    def pip(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "pip", *args], check=True, capture_output=True, timeout=300
        )

    # Built as setup.sh installs it: in pip's isolated build environment (setuptools from the
    # index, as pyproject.toml asks), not with whatever the venv happens to hold.
    pip("wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT))
    (wheel,) = wheel_dir.glob("backchannel-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert "backchannel/publish/datasette_metadata.json" in zf.namelist()
    pip("install", "--no-deps", "-q", "--target", str(target), str(wheel))
    probe = subprocess.run(
        [sys.executable, "-c", "from backchannel.publish import METADATA, metadata_for; "
         "print(METADATA); print(len(metadata_for('x', None)['databases']['x']['tables']))"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    where, tables = probe.stdout.split()
    assert where.startswith(str(target)) and int(tables) > 20


def test_apple_mail_emlx(tmp_path):
    message = make_email(message_id="<emlx@x>", subject="From Apple Mail")
    (tmp_path / "dump").mkdir()
    plist = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>flags</key>'
        b"<integer>8590195713</integer></dict></plist>\n"
    )
    emlx = f"{len(message)}\n".encode() + message + plist
    (tmp_path / "dump" / "12345.emlx").write_bytes(emlx)
    db = tmp_path / "c.db"
    assert ingest(tmp_path / "dump", db).exit_code == 0
    assert rows(db, "select message_id, subject, body from messages") == [
        ("emlx@x", "From Apple Mail", "Can we talk before Tuesday?")
    ]
    assert rows(db, "select format from sources") == [("emlx",)]


def _tnef(body: bytes, files: list[tuple[bytes, bytes]]) -> bytes:
    """A TNEF stream as Outlook writes it: signature, key, attributes (level, id and type,
    length, data, checksum)."""

    def attribute(level: int, kind: int, name: int, data: bytes) -> bytes:
        head = bytes([level]) + name.to_bytes(2, "little") + kind.to_bytes(2, "little")
        check = (sum(data) & 0xFFFF).to_bytes(2, "little")
        return head + len(data).to_bytes(4, "little") + data + check

    out = (0x223E9F78).to_bytes(4, "little") + (0x0101).to_bytes(2, "little")
    out += attribute(1, 0x0008, 0x9006, (0x00010000).to_bytes(4, "little"))
    out += attribute(1, 0x0006, 0x9007, (1252).to_bytes(4, "little") + bytes(4))  # code page
    out += attribute(1, 0x0001, 0x8008, b"IPM.Microsoft Mail.Note\x00")
    out += attribute(1, 0x0002, 0x800C, body)
    for name, data in files:
        out += attribute(2, 0x0002, 0x9002, bytes(14))
        out += attribute(2, 0x0001, 0x8010, name + b"\x00")
        out += attribute(2, 0x0006, 0x800F, data)
    return out


def test_winmail_dat_gives_its_files_and_body(tmp_path):
    tnef = _tnef(b"The minutes are attached.", [(b"minutes.txt", b"The board voted 4 to 3.")])
    (tmp_path / "w.eml").write_bytes(
        make_email(
            message_id="<tnef@x>",
            body=None,
            attachments=[("winmail.dat", "application/ms-tnef", tnef)],
        )
    )
    db = tmp_path / "c.db"
    assert ingest(tmp_path / "w.eml", db).exit_code == 0
    assert rows(db, "select name, text from attachments") == [
        ("minutes.txt", "The board voted 4 to 3.")
    ]
    assert rows(db, "select body from messages") == [("The minutes are attached.",)]


def test_formats_not_read_yet_are_pending(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    with zipfile.ZipFile(dump / "mac.olm", "w") as zf:
        zf.writestr("Accounts/x/message_00001.xml", "<emails/>")
    (dump / "old.dbx").write_bytes(b"\xcf\xad\x12\xfe" + bytes(100))
    db = tmp_path / "c.db"
    assert ingest(dump, db).exit_code == 0
    assert rows(db, "select path, format, status from sources order by 1") == [
        ("mac.olm", "olm", "pending"),
        ("old.dbx", "dbx", "pending"),
    ]
    assert [e[4] for e in errors(db)] == [
        "Outlook for Mac .olm files are not read yet by this version",
        "Outlook Express .dbx files are not read yet by this version",
    ]


def test_what_a_killed_run_left_in_the_temporary_folder_goes(tmp_path):
    from backchannel.ingest.scratch import PREFIX, scratch, sweep

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs
    left = Path(tempfile.gettempdir()) / f"{PREFIX}zip-{dead.pid}-abc"
    left.mkdir()
    (left / "member-0").write_bytes(b"x" * 1000)
    with scratch("zip") as mine:
        assert sweep() >= 1
        assert not left.exists() and Path(mine).exists()  # a live run's folder stays
