"""A real `backchannel ingest` killed with SIGKILL mid-run, then run again, ends with exactly the
database an uninterrupted run gives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import make_email, rows, table_rows, write_mbox

# Columns that record when, not what: they differ between any two runs.
# When, and in which run: a resumed ingest is two runs where the clean one is one.
TABLES = ["sources", "messages", "message_copies", "participants", "attachments", "errors"]


def make_dump(folder: Path) -> None:
    folder.mkdir()
    mails = [
        make_email(
            message_id=f"<m{n}@x>",
            subject=f"item {n}",
            body=f"text {n}\n" * 40,
            date=f"Tue, 04 Mar 2025 {n % 24:02d}:{n % 60:02d}:00 -0800",
        )
        for n in range(700)
    ]
    for box in range(10):  # mailboxes overlap: every message is in two of them
        write_mbox(folder / f"box{box}.mbox", mails[box * 70 : box * 70 + 140])
    with zipfile.ZipFile(folder / "loose.zip", "w") as zf:
        for n in range(0, 700, 7):
            zf.writestr(f"loose/{n}.eml", mails[n])
    (folder / "junk.bin").write_bytes(os.urandom(512))


def ingest_cmd(dump: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "backchannel.cli", "ingest", str(dump), "--db", str(db)]


def snapshot(db: Path) -> dict[str, list[tuple]]:
    out = table_rows(db, TABLES)
    out["fts"] = rows(db, "select rowid, subject from messages_fts order by rowid")
    return out


def committed_sources(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return conn.execute("select count(*) from sources").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_and_rerun_equals_uninterrupted(tmp_path):
    dump = tmp_path / "dump"
    make_dump(dump)
    clean = tmp_path / "clean.db"
    subprocess.run(ingest_cmd(dump, clean), check=True, capture_output=True)
    expected = snapshot(clean)
    total_sources = len(expected["sources"])

    killed_midway = 0
    for attempt in range(3):  # a kill must land after some but not all sources committed
        db = tmp_path / f"killed{attempt}.db"
        proc = subprocess.Popen(
            ingest_cmd(dump, db),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "BACKCHANNEL_COMMIT_SECONDS": "0.2"},
        )
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if committed_sources(db) > 0:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        proc.wait()
        done = committed_sources(db)
        if proc.returncode == -signal.SIGKILL and 0 < done < total_sources:
            killed_midway += 1
            # The killed run left only whole sources behind.
            partial = snapshot(db)
            kept = {row[0] for row in partial["sources"]}
            assert all(row[2] in kept for row in partial["message_copies"])
            rerun = subprocess.run(ingest_cmd(dump, db), check=True, capture_output=True, text=True)
            assert "already in the corpus, skipped: " in rerun.stdout
            assert snapshot(db) == expected
            break
    assert killed_midway, "could not kill the run midway; the dump may be too small"
