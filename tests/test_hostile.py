"""Nothing lost, nothing leaked, when the machine or the reporter is hostile: a full disk, a
signal mid-run, a file name that is not UTF-8, the corpus inside the dump, a file that is not a
corpus, read-only media, and a server reading while a run writes. Each ends in one sentence and
an exit status (0 when the run finished; non-zero only when it could not run), never a
traceback, with the corpus at its last commit and a rerun that ends as a run that never
failed. Real processes, real signals, real (small) filesystems."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_email, rows, table_rows, write_mbox

from backchannel.cli import cli
from backchannel.publish.local import serving

# What an ingest writes, compared between a run that failed and was run again, and one that
# never failed (the run's own columns aside: conftest.RUN_COLUMNS).
INGEST_TABLES = ["sources", "messages", "message_copies", "participants", "attachments", "errors"]
PEOPLE = [
    ("Rosa Ibanez", "rosa@bsn.example"),
    ("Dana Whitfield", "dana.whitfield@district.example"),
    ("Marcus Lee", "marcus.lee@district.example"),
    ("Samuel Okafor", "samuel.okafor@district.example"),
    ("Helen Brandt", "helen.brandt@district.example"),
    ("Priya Raman", "priya@bsn.example"),
    ("Tom Castle", "tom@lakemont-press.example"),
]
WORDS = (
    "the board met on Tuesday to discuss the charter vote and Better Schools Now asked "
    "for a meeting with the superintendent about the budget in Lakemont before the hearing"
).split()


def mail(n: int, words: int = 40) -> bytes:
    """A fictional email, different for each `n`, with names for NER to find."""
    name, address = PEOPLE[n % len(PEOPLE)]
    to_name, to_address = PEOPLE[(n * 3 + 1) % len(PEOPLE)]
    text = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(words))
    body = f"Hi {to_name.split()[0]},\n\n{text} (item {n}).\n\n{name}\n"
    return make_email(
        sender=f"{name} <{address}>",
        to=f"{to_name} <{to_address}>",
        subject=f"Charter item {n}",
        body=body,
        date=f"Tue, {1 + n % 28:02d} Apr 2025 {n % 24:02d}:{n % 60:02d}:00 -0700",
        message_id=f"<item{n}@bsn.example>",
    )


def make_dump(folder: Path, files: int, per_file: int, words: int = 40) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        write_mbox(
            folder / f"box{f:02d}.mbox",
            [mail(f * per_file + i, words) for i in range(per_file)],
        )
    return folder


def bounded(cmd: list, **options):
    """subprocess.run with a time limit: a command that hangs fails its test, not the suite."""
    options.setdefault("timeout", 900)
    return subprocess.run(cmd, **options)


def cli_cmd(*args: object) -> list[str]:
    return [sys.executable, "-m", "backchannel.cli", *(str(a) for a in args)]


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_sentence(output: str) -> str:
    """The command's output is one line of text, no traceback: that line."""
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


def snapshot(db: Path, tables: list[str] | None = None) -> dict[str, list[tuple]]:
    out = table_rows(db, tables)
    out["fts"] = rows(db, "select rowid, subject from messages_fts order by rowid")
    return out


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("pragma integrity_check").fetchone()[0]
    finally:
        conn.close()


# -- small disks ---------------------------------------------------------------------------


@contextmanager
def small_disk(where: Path, size: int):
    """A real filesystem of `size` bytes at `where` (tmpfs; skips when mounting is refused)."""
    where.mkdir(parents=True, exist_ok=True)
    done = bounded(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        bounded(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path, leave: int) -> Path:
    """A file that takes all of `disk` but `leave` bytes."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with open(filler, "wb") as f:
        f.truncate(0)
        chunk = b"\0" * (1 << 20)
        left = free - leave
        while left > 0:
            f.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return filler


@pytest.mark.slow
@pytest.mark.parametrize("big", [0, 18_000], ids=["20 files", "a big mbox among them"])
def test_a_full_disk_stops_ingest_and_the_rerun_ends_as_a_run_that_never_failed(tmp_path, big):
    """A dump onto a disk that fills midway: exit 1 and one sentence that says the disk is full
    and where, no errors row for any file, nothing marked done that is not in; with space, the
    same command reads the rest and ends with the corpus a run with space gives. With 20 small
    files the disk fills as a file is committed; with a big mbox, as SQLite writes out the
    pages of a file still being read (more than its 32 MiB cache), where a reader's error
    used to catch it: the file was marked read "with an error", its messages lost, exit 0."""
    dump = make_dump(tmp_path / "dump", files=19, per_file=40, words=120)
    if big:
        write_mbox(dump / "box09-big.mbox", [mail(10_000 + i, 120) for i in range(big)])
    clean = tmp_path / "clean.db"
    bounded(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    expected = snapshot(clean, INGEST_TABLES)
    size = clean.stat().st_size
    env = {**os.environ, "BACKCHANNEL_COMMIT_SECONDS": "0"}  # commit after every file
    with small_disk(tmp_path / "disk", size * 4) as disk:
        db = disk / "corpus.db"
        (tmp_path / "nothing").mkdir()
        bounded(cli_cmd("ingest", tmp_path / "nothing", "--db", db), check=True)
        # Room for a third of what the dump adds: the first files fit, the rest does not.
        filler = fill(disk, (size - db.stat().st_size) // 3)
        run = bounded(cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True, env=env)
        assert run.returncode == 1, run.stdout + run.stderr
        line = one_sentence(run.stderr)
        assert "disk is full" in line and str(disk) in line, line
        assert run.stdout == ""  # no summary of a run that did not finish
        assert integrity(db) == "ok"
        kept = rows(db, "select path, status from sources")
        assert kept and len(kept) < len(expected["sources"])  # stopped midway
        assert {status for _, status in kept} == {"done"}
        assert "box09-big.mbox" not in dict(kept)
        assert rows(db, "select count(*) from errors") == [(0,)]
        assert rows(
            db,
            "select count(*) from messages where id not in (select message_id from message_copies)",
        ) == [(0,)]
        filler.unlink()
        rerun = bounded(
            cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True, env=env
        )
        assert rerun.returncode == 0, rerun.stderr
        assert f"skipped: {len(kept)}" in rerun.stdout
        assert snapshot(db, INGEST_TABLES) == expected


def test_a_full_temporary_folder_stops_ingest_too(tmp_path):
    """A zip's members are inflated into the temporary folder: that disk full is no fault of
    the member (it used to be the member's errors row, and the zip marked read)."""
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.eml").write_bytes(make_email(message_id="<a@x>"))
    big = make_email(message_id="<big@x>", body="the minutes of the meeting\n" * 200_000)
    with zipfile.ZipFile(dump / "b.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.eml", big)
    db = tmp_path / "corpus.db"
    with small_disk(tmp_path / "tmp", 1 << 20) as tmp:
        env = {**os.environ, "TMPDIR": str(tmp), "BACKCHANNEL_COMMIT_SECONDS": "0"}
        run = bounded(cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True, env=env)
        assert run.returncode == 1, run.stdout + run.stderr
        line = one_sentence(run.stderr)
        assert f"the disk is full at {tmp}" in line, line
    assert rows(db, "select path from sources") == [("a.eml",)]
    assert rows(db, "select count(*) from errors") == [(0,)]
    rerun = bounded(cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert rows(db, "select message_id from messages order by 1") == [("a@x",), ("big@x",)]


@pytest.mark.slow
def test_a_full_disk_stops_analyze_and_the_rerun_ends_as_a_run_that_never_failed(tmp_path):
    dump = make_dump(tmp_path / "dump", files=6, per_file=100)
    clean = tmp_path / "clean.db"
    bounded(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    with small_disk(tmp_path / "disk", 64 << 20) as disk:
        db = disk / "corpus.db"
        shutil.copy(clean, db)
        bounded(cli_cmd("analyze", "--db", clean), check=True, capture_output=True)
        expected = table_rows(clean)
        filler = fill(disk, 200 << 10)
        run = bounded(cli_cmd("analyze", "--db", db), capture_output=True, text=True)
        assert run.returncode == 1, run.stdout + run.stderr
        line = one_sentence(run.stderr)
        assert "disk is full" in line and str(disk) in line, line
        filler.unlink()
        assert integrity(db) == "ok"
        rerun = bounded(cli_cmd("analyze", "--db", db), capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr
        assert table_rows(db) == expected


# -- signals -------------------------------------------------------------------------------


def group_alive(pgid: int) -> list[int]:
    """The processes still in process group `pgid` (the command and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def committed(db: Path, sql: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def stop_midway(cmd: list[str], db: Path, progress: str, signum: int, group: bool) -> tuple:
    """Run `cmd`, and once `progress` (a count on the corpus) is above 0, send `signum` to the
    whole process group (a terminal's Ctrl-C) or to the command alone (kill PID). Returns
    (exit status, stderr, seconds it took to stop), or None when the run ended first."""
    env = {**os.environ, "BACKCHANNEL_COMMIT_SECONDS": "0.2"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env
    )
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        if committed(db, progress) > 0:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        proc.communicate()
        return None
    sent = time.monotonic()
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"the run did not stop within 30 s of signal {signum}")
    took = time.monotonic() - sent
    time.sleep(0.5)
    assert group_alive(proc.pid) == [], "worker processes outlived the command"
    return proc.returncode, err.decode(), took


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum, group",
    [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGTERM, True)],
    ids=["Ctrl-C", "kill PID", "kill the group"],
)
def test_a_signal_stops_ingest_promptly_quietly_and_the_rerun_completes(tmp_path, signum, group):
    dump = make_dump(tmp_path / "dump", files=30, per_file=300)
    clean = tmp_path / "clean.db"
    bounded(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    expected = snapshot(clean, INGEST_TABLES)
    db = tmp_path / "corpus.db"
    got = stop_midway(
        cli_cmd("ingest", dump, "--db", db), db, "select count(*) from sources", signum, group
    )
    assert got is not None, "the run ended before it could be stopped: a bigger dump is needed"
    code, err, took = got
    assert code == 128 + signum, err
    line = one_sentence(err)
    assert line.startswith("Stopped by ") and str(db) in line, line
    assert took < 10
    assert integrity(db) == "ok"
    kept = rows(db, "select count(*) from sources")[0][0]
    assert 0 < kept < len(expected["sources"])
    rerun = bounded(cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot(db, INGEST_TABLES) == expected


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat and int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_ctrl_c_is_the_commands_not_its_workers(tmp_path):
    """A terminal's Ctrl-C reaches every process of the group; the command stops the run (the
    test above). A worker that gets it alone carries on: no traceback, nothing lost."""
    dump = make_dump(tmp_path / "dump", files=30, per_file=300)
    clean = tmp_path / "clean.db"
    bounded(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    db = tmp_path / "corpus.db"
    proc = subprocess.Popen(
        cli_cmd("ingest", dump, "--db", db), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    hit = 0
    while proc.poll() is None and hit < 3:
        # Forked with the signals blocked, a worker takes this one once its handler is set.
        workers = children(proc.pid)
        for pid in workers:
            os.kill(pid, signal.SIGINT)
        hit += bool(workers)
        time.sleep(0.3)
    out, err = proc.communicate(timeout=600)
    assert hit, "the run ended before its workers could be reached"
    assert proc.returncode == 0 and err == b"", err.decode()
    assert snapshot(db, INGEST_TABLES) == snapshot(clean, INGEST_TABLES)


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum, group", [(signal.SIGINT, True), (signal.SIGTERM, False)], ids=["Ctrl-C", "kill PID"]
)
def test_a_signal_stops_analyze_during_ner_and_the_rerun_completes(tmp_path, signum, group):
    dump = make_dump(tmp_path / "dump", files=1, per_file=4500, words=60)
    clean = tmp_path / "clean.db"
    bounded(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    db = tmp_path / "corpus.db"
    shutil.copy(clean, db)
    bounded(cli_cmd("analyze", "--db", clean), check=True, capture_output=True)
    expected = table_rows(clean)
    got = stop_midway(
        cli_cmd("analyze", "--db", db),
        db,
        "select count(*) from messages where ner_hash is not null",
        signum,
        group,
    )
    assert got is not None, "analyze ended before it could be stopped: a bigger dump is needed"
    code, err, took = got
    assert code == 128 + signum, err
    assert one_sentence(err).startswith("Stopped by ")
    assert took < 10
    assert integrity(db) == "ok"
    rerun = bounded(cli_cmd("analyze", "--db", db), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert table_rows(db) == expected


# -- publish-build stopped ---------------------------------------------------------------


def copy_corpus(source: Path, dest: Path) -> Path:
    """A whole copy of a corpus (SQLite's backup: its write-ahead log included)."""
    src, out = sqlite3.connect(source), sqlite3.connect(dest)
    try:
        src.backup(out)
    finally:
        src.close()
        out.close()
    return dest


def building(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_stopped_publish_build_leaves_nothing_unscrubbed(analyzed_sample, tmp_path, signum):
    db = copy_corpus(analyzed_sample[0], tmp_path / "working.db")
    out = tmp_path / "out"
    out.mkdir()
    for _attempt in range(5):  # the signal must land while the unscrubbed copy is there
        proc = subprocess.Popen(
            cli_cmd("publish-build", "--db", db, "--out", out / "public.db"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        while proc.poll() is None and not building(out):
            time.sleep(0.005)
        if proc.poll() is None:
            os.killpg(proc.pid, signum)
            _, err = proc.communicate(timeout=30)
            break
        proc.communicate()
        (out / "public.db").unlink()
    else:
        pytest.fail("publish-build ended before it could be stopped")
    assert proc.returncode == 128 + signum, err
    assert one_sentence(err.decode()).startswith("Stopped by ")
    assert list(out.iterdir()) == []  # no copy, no journal, no half-made public file


@pytest.mark.slow
def test_a_killed_publish_build_is_cleaned_up_by_the_next(analyzed_sample, tmp_path):
    db = copy_corpus(analyzed_sample[0], tmp_path / "working.db")
    out = tmp_path / "out"
    out.mkdir()
    # A build running now (a live process stands for it) keeps its files.
    other = subprocess.Popen(["sleep", "600"])
    running = out / f".public.db.building-{other.pid}"
    running.write_bytes(b"in use")
    proc = subprocess.Popen(
        cli_cmd("publish-build", "--db", db, "--out", out / "public.db"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while proc.poll() is None and len(building(out)) < 2:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    left = [n for n in building(out) if n != running.name]
    assert left, "the build ended before it could be killed"
    result = invoke("publish-build", "--db", db, "--out", out / "public.db")
    assert result.exit_code == 0, result.output
    assert building(out) == [running.name]
    assert (out / "public.db").exists()
    other.kill()
    other.wait()


# -- file names that are not UTF-8 -------------------------------------------------------


def odd(folder: Path, name: bytes) -> Path:
    """`folder`/`name`, `name` the raw bytes of a file name (not UTF-8)."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + name))


def cp437_zip(path: Path, name: bytes, data: bytes) -> None:
    """A zip as Windows tools write them: the member's name in the old DOS code page, without
    the UTF-8 flag (zipfile would write UTF-8: a stand-in name is swapped for the bytes)."""
    stand_in = b"x" * len(name)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(stand_in.decode(), data)
    path.write_bytes(path.read_bytes().replace(stand_in, name))


def test_file_names_that_are_not_utf8_are_read_like_any_other(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    odd(dump, b"r\xe9union-\xe9t\xe9.eml").write_bytes(
        make_email(message_id="<reunion@x>", subject="Réunion")
    )
    folder = odd(dump, b"proc\xe8s")
    folder.mkdir()
    (folder / "a.eml").write_bytes(make_email(message_id="<in-folder@x>", subject="Folder"))
    cp437_zip(odd(dump, b"archiv\xe9.zip"), b"d\x82j\x85.eml", make_email(message_id="<z@x>"))
    db = tmp_path / "c.db"
    result = invoke("ingest", dump, "--db", db)
    assert result.exit_code == 0, result.output
    assert rows(db, "select path from sources order by path") == [
        ("archiv\\xe9.zip",),
        ("archiv\\xe9.zip!/déjà.eml",),
        ("proc\\xe8s/a.eml",),
        ("r\\xe9union-\\xe9t\\xe9.eml",),
    ]
    assert rows(db, "select message_id from messages order by 1") == [
        ("in-folder@x",),
        ("reunion@x",),
        ("z@x",),
    ]
    assert rows(db, "select count(*) from errors") == [(0,)]
    assert ("proc\\xe8s",) in rows(db, "select name from custodians")
    again = invoke("ingest", dump, "--db", db)
    assert again.exit_code == 0 and "skipped: 3" in again.output, again.output
    one = invoke("ingest", odd(dump, b"r\xe9union-\xe9t\xe9.eml"), "--db", tmp_path / "one.db")
    assert one.exit_code == 0, one.output
    assert rows(tmp_path / "one.db", "select path from sources") == [
        ("r\\xe9union-\\xe9t\\xe9.eml",)
    ]


# -- the corpus inside the dump ------------------------------------------------------------


def test_the_corpus_inside_the_dump_is_not_read_as_a_source(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.eml").write_bytes(make_email(message_id="<a@x>"))
    write_mbox(dump / "b.mbox", [make_email(message_id="<b@x>", subject="B")])
    other = tmp_path / "other.db"
    assert invoke("ingest", dump / "a.eml", "--db", other).exit_code == 0
    shutil.copy(other, dump / "old-corpus.db")  # another corpus, and what a crash left of it
    (dump / "old-corpus.db-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 504)
    book = sqlite3.connect(dump / "addressbook.sqlite")  # another program's: an input
    book.execute("create table contacts (name text)")
    book.commit()
    book.close()
    db = dump / "corpus.db"
    for run in range(2):
        result = invoke("ingest", dump, "--db", db)
        assert result.exit_code == 0, result.output
        line = next(x for x in result.output.splitlines() if "corpus files" in x)
        assert "not read: corpus.db" in line and "(the corpus being written)" in line, line
        if run == 0:
            assert "files read              3" in result.output, result.output
    assert "old-corpus.db (a backchannel corpus)" in line
    assert "old-corpus.db-journal (the journal or log of a backchannel corpus)" in line
    assert rows(db, "select path from sources order by 1") == [
        ("a.eml",),
        ("addressbook.sqlite",),
        ("b.mbox",),
    ]
    assert [r[0] for r in rows(db, "select source_path from errors")] == ["addressbook.sqlite"]
    assert invoke("ingest", db, "--db", db).exit_code == 0  # the corpus given as the input
    assert rows(db, "select count(*) from sources") == [(3,)]


# -- a corpus that is not one --------------------------------------------------------------


def garble(db: Path) -> None:
    """Junk over the first page of every table and index (the schema page left whole): what
    a bad disk or a bad copy does to a corpus."""
    conn = sqlite3.connect(db)
    try:
        size = conn.execute("pragma page_size").fetchone()[0]
        roots = [r[0] for r in conn.execute("select rootpage from sqlite_master") if r[0]]
    finally:
        conn.close()
    with open(db, "r+b") as f:
        for page in roots:
            if page > 1:
                f.seek((page - 1) * size)
                f.write(bytes([0xA5]) * size)


@pytest.fixture(scope="module")
def bad_corpora(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    good = folder / "good.db"
    (folder / "a.eml").write_bytes(make_email())
    assert invoke("ingest", folder / "a.eml", "--db", good).exit_code == 0
    data = good.read_bytes()
    made = {
        "not sqlite": (b"Subject: these are notes, not a database\n" * 50, "not a SQLite database"),
        "truncated": (data[: len(data) // 2], "is truncated"),
        "another program's": (None, "not a backchannel corpus"),
        "garbled": (None, "is damaged"),
    }
    out = {}
    for name, (content, _) in made.items():
        path = folder / f"{name.replace(' ', '-').replace(chr(39), '')}.db"
        if name == "another program's":
            conn = sqlite3.connect(path)
            conn.execute("create table contacts (name text)")
            conn.commit()
            conn.close()
        elif name == "garbled":
            path.write_bytes(data)
            garble(path)
        else:
            path.write_bytes(content)
        out[name] = (path, made[name][1])
    return out


COMMANDS = {
    "ingest": lambda db, tmp: ["ingest", tmp / "new.eml", "--db", db],
    "analyze": lambda db, tmp: ["analyze", "--db", db],
    "report": lambda db, tmp: ["report", "--db", db],
    "identities": lambda db, tmp: ["identities", "--db", db],
    "export": lambda db, tmp: ["export", "--db", db, "--format", "gexf", tmp / "n.gexf"],
    "publish-build": lambda db, tmp: ["publish-build", "--db", db, "--out", tmp / "p.db"],
    "serve": lambda db, tmp: ["serve", "--db", db, "--port", "1"],
    "roster draft": lambda db, tmp: ["roster", "draft", "--db", db, "--out", tmp / "d.yaml"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", ["not sqlite", "truncated", "another program's", "garbled"])
def test_a_file_that_is_not_a_corpus_is_refused_in_one_sentence(
    bad_corpora, tmp_path, command, kind
):
    original, why = bad_corpora[kind]
    db = tmp_path / original.name
    shutil.copy(original, db)
    before = db.read_bytes()
    (tmp_path / "new.eml").write_bytes(make_email(message_id="<new@x>"))
    # A real process, in case a command would start a server on it: it must not.
    run = bounded(
        cli_cmd(*COMMANDS[command](db, tmp_path)), capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1, run.stdout + run.stderr
    line = one_sentence(run.stderr)
    assert str(db) in line and why in line, line
    assert db.read_bytes() == before  # not written into
    assert not any((tmp_path / name).exists() for name in ("p.db", "n.gexf", "d.yaml"))


def test_an_empty_file_is_a_new_corpus_for_ingest_only(tmp_path):
    (tmp_path / "a.eml").write_bytes(make_email())
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    result = invoke("report", "--db", db)
    assert result.exit_code == 1 and "is empty" in one_sentence(result.output)
    assert invoke("ingest", tmp_path / "a.eml", "--db", db).exit_code == 0
    assert invoke("report", "--db", db).exit_code == 0


# -- read-only -----------------------------------------------------------------------------


@contextmanager
def read_only_disk(tmp_path: Path, corpus: Path):
    """A real read-only filesystem holding a copy of `corpus` (a tmpfs remounted read-only):
    the folder and the file cannot be written, not even by root."""
    with small_disk(tmp_path / "ro", 64 << 20) as disk:
        copy_corpus(corpus, disk / corpus.name)
        bounded(["mount", "-o", "remount,ro", str(disk)], check=True)
        yield disk


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("analyzed")
    dump = make_dump(folder / "dump", files=2, per_file=30)
    db = folder / "corpus.db"
    assert invoke("ingest", dump, "--db", db).exit_code == 0
    assert invoke("analyze", "--db", db).exit_code == 0
    return db


def test_report_export_identities_and_serve_read_a_corpus_on_read_only_media(analyzed, tmp_path):
    expected_report = invoke("report", "--db", analyzed).output
    with read_only_disk(tmp_path, analyzed) as disk:
        db = disk / "corpus.db"
        before = db.read_bytes()
        report = invoke("report", "--db", db)
        assert report.exit_code == 0, report.output
        assert report.output == expected_report
        out = tmp_path / "net.gexf"
        export = invoke("export", "--db", db, "--format", "gexf", out)
        assert export.exit_code == 0, export.output
        assert out.stat().st_size > 0
        who = invoke("identities", "--db", db)
        assert who.exit_code == 0, who.output
        with serving(db, timeout=120) as base:
            for page in ("/corpus/messages", "/-/story/corpus", "/corpus"):
                assert status_of(base + page) == 200, page
        assert sorted(p.name for p in disk.iterdir()) == ["corpus.db"]  # no journal, no log
        assert db.read_bytes() == before
        # What cannot be done there says what and why, in one sentence.
        into = invoke("export", "--db", analyzed, "--format", "gexf", disk / "net.gexf")
        assert into.exit_code == 1
        line = one_sentence(into.output)
        assert str(disk / "net.gexf") in line and "Read-only file system" in line, line
        build = invoke("publish-build", "--db", db, "--out", tmp_path / "public.db")
        assert build.exit_code == 1
        line = one_sentence(build.output)
        assert str(db) in line and "read-only" in line and "public.db" not in line, line
        for command in (["analyze"], ["ingest", tmp_path / "net.gexf"]):
            result = invoke(*command, "--db", db)
            assert result.exit_code == 1 and "read-only" in one_sentence(result.output)


def as_nobody(*args: object) -> tuple[int, str]:
    """`backchannel ARGS` in a forked child that has given up root for nobody (the code is
    already loaded). (exit status, output)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        code = 70
        try:
            os.setgid(65534)
            os.setuid(65534)
            result = invoke(*args)
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
def test_a_read_only_corpus_file_is_read_by_report_and_export(analyzed, tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="backchannel-ro-"))  # pytest's own: root's alone
    try:
        folder.chmod(0o777)
        db = copy_corpus(analyzed, folder / "corpus.db")
        db.chmod(0o444)
        expected = invoke("report", "--db", analyzed).output  # and everything it needs loaded
        invoke("export", "--db", analyzed, "--format", "csv", tmp_path / "warm")
        code, output = as_nobody("report", "--db", db)
        assert code == 0, output
        assert output == expected
        code, output = as_nobody("export", "--db", db, "--format", "csv", folder / "csv")
        assert code == 0, output
        assert (folder / "csv" / "edges.csv").exists()
        code, output = as_nobody("analyze", "--db", db)
        assert code == 1 and "is read-only" in one_sentence(output)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- serve while a run writes --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_serve_during_an_ingest_shows_the_last_commit_never_an_error(tmp_path):
    first = make_dump(tmp_path / "first", files=1, per_file=20)
    db = tmp_path / "corpus.db"
    assert invoke("ingest", first, "--db", db).exit_code == 0
    port = free_port()
    serve = subprocess.Popen(
        cli_cmd("serve", "--db", db, "--port", port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while status_of_or_none(base + "/") != 200:
            assert time.monotonic() < deadline and serve.poll() is None, "serve did not start"
            time.sleep(0.3)
        dump = make_dump(tmp_path / "dump", files=40, per_file=200)
        ingest = subprocess.Popen(
            cli_cmd("ingest", dump, "--db", db),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "BACKCHANNEL_COMMIT_SECONDS": "0.1"},
        )
        pages = [
            "/corpus/messages?_size=5",
            "/corpus/sources.json?_size=3",
            "/corpus.json?sql=select+count(*)+from+messages",
            "/-/story/corpus",
            "/-/search/corpus?q=charter",
            "/corpus",
        ]
        seen: dict[int, int] = {}
        counts = []
        while ingest.poll() is None:
            for page in pages:
                code = status_of(base + page)
                seen[code] = seen.get(code, 0) + 1
                assert code == 200, f"{page} answered {code} during the ingest"
            counts.append(message_count(base))
        assert ingest.wait() == 0, ingest.stderr.read()
        assert sum(seen.values()) >= 2 * len(pages), "the ingest ended before pages were read"
        assert counts == sorted(counts)  # each read sees a later commit, never an earlier one
        assert message_count(base) == rows(db, "select count(*) from messages")[0][0]
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)


def status_of_or_none(url: str) -> int | None:
    try:
        return status_of(url)
    except OSError:
        return None


def message_count(base: str) -> int:
    url = base + "/corpus.json?sql=select+count(*)+as+n+from+messages&_shape=array"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())[0]["n"]
