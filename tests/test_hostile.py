"""Nothing lost, nothing leaked, when the machine or the reporter is hostile: a full disk, a
signal mid-run, a file name that is not UTF-8, the corpus inside the dump, a file that is not a
corpus, read-only media, and a server reading while a run writes. Each ends in one sentence and
an exit status (0 when the run finished; non-zero only when it could not run), never a
traceback, with the corpus at its last commit and a rerun that ends as a run that never
failed. Real processes, real signals, real (small) filesystems."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, make_email, rows, table_rows, write_mbox

from backchannel.cli import cli

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
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def resize(where: Path, size: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(where)], check=True)


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
    subprocess.run(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    expected = snapshot(clean, INGEST_TABLES)
    size = clean.stat().st_size
    env = {**os.environ, "BACKCHANNEL_COMMIT_SECONDS": "0"}  # commit after every file
    with small_disk(tmp_path / "disk", size // 2) as disk:
        db = disk / "corpus.db"
        run = subprocess.run(
            cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True, env=env
        )
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
            "select count(*) from messages where id not in (select message_id from "
            "message_copies)",
        ) == [(0,)]
        resize(disk, size * 4)
        rerun = subprocess.run(
            cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True, env=env
        )
        assert rerun.returncode == 0, rerun.stderr
        assert f"skipped: {len(kept)}" in rerun.stdout
        assert snapshot(db, INGEST_TABLES) == expected


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
def test_a_full_disk_stops_analyze_and_the_rerun_ends_as_a_run_that_never_failed(tmp_path):
    dump = make_dump(tmp_path / "dump", files=6, per_file=100)
    clean = tmp_path / "clean.db"
    subprocess.run(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    with small_disk(tmp_path / "disk", 64 << 20) as disk:
        db = disk / "corpus.db"
        shutil.copy(clean, db)
        subprocess.run(cli_cmd("analyze", "--db", clean), check=True, capture_output=True)
        expected = table_rows(clean)
        filler = fill(disk, 200 << 10)
        run = subprocess.run(cli_cmd("analyze", "--db", db), capture_output=True, text=True)
        assert run.returncode == 1, run.stdout + run.stderr
        line = one_sentence(run.stderr)
        assert "disk is full" in line and str(disk) in line, line
        filler.unlink()
        assert integrity(db) == "ok"
        rerun = subprocess.run(cli_cmd("analyze", "--db", db), capture_output=True, text=True)
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
    "signum, group", [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGTERM, True)]
)
def test_a_signal_stops_ingest_promptly_quietly_and_the_rerun_completes(tmp_path, signum, group):
    dump = make_dump(tmp_path / "dump", files=30, per_file=300)
    clean = tmp_path / "clean.db"
    subprocess.run(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
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
    rerun = subprocess.run(cli_cmd("ingest", dump, "--db", db), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot(db, INGEST_TABLES) == expected


@pytest.mark.slow
@pytest.mark.parametrize("signum, group", [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_a_signal_stops_analyze_during_ner_and_the_rerun_completes(tmp_path, signum, group):
    dump = make_dump(tmp_path / "dump", files=1, per_file=4500, words=60)
    clean = tmp_path / "clean.db"
    subprocess.run(cli_cmd("ingest", dump, "--db", clean), check=True, capture_output=True)
    db = tmp_path / "corpus.db"
    shutil.copy(clean, db)
    subprocess.run(cli_cmd("analyze", "--db", clean), check=True, capture_output=True)
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
    rerun = subprocess.run(cli_cmd("analyze", "--db", db), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert table_rows(db) == expected
