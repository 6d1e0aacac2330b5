"""Dates as the emails show them: the corpus's time zone for every date, month, first and last."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlite_utils
from click.testing import CliRunner
from conftest import ROOT, make_email, rows, run_cli, write_mbox

from backchannel.cli import cli

sys.path.insert(0, str(ROOT / "sample"))
import printout  # noqa: E402

ROSTER = """\
officials:
  - name: Dana Whitfield
    emails: [dana@district.example]
organizations:
  - name: Better Schools Now
    domains: [bsn.example]
"""
PACIFIC = ZoneInfo("America/Los_Angeles")


def dump(tmp_path):
    """Late-night emails around the end of January, Pacific time; one of them also printed
    without its zone by the records office."""
    folder = tmp_path / "dump"
    folder.mkdir()
    times = [
        datetime(2025, 1, 31, 23, 30, tzinfo=PACIFIC),  # 07:30 UTC on February 1
        datetime(2025, 2, 1, 0, 30, tzinfo=PACIFIC),
        datetime(2025, 1, 6, 16, 34, tzinfo=PACIFIC),  # 00:34 UTC on January 7
    ]
    mails = [
        make_email(
            sender="Rosa Ibáñez <rosa@bsn.example>",
            to="Dana Whitfield <dana@district.example>",
            subject=f"Charter vote {n}",
            body=f"Note number {n} about the charter vote.\n",
            date=when.strftime("%a, %d %b %Y %H:%M:%S %z"),
            message_id=f"<tz{n}@bsn.example>",
        )
        for n, when in enumerate(times)
    ]
    write_mbox(folder / "whitfield.mbox", mails)
    printed = times[0]
    page = (
        "From:       Rosa Ibáñez <rosa@bsn.example>\n"
        f"Sent:       {printed.strftime('%A, %B %-d, %Y %-I:%M %p')}\n"
        "To:         Dana Whitfield <dana@district.example>\n"
        "Subject:    Charter vote 0\n\n"
        "Note number 0 about the charter vote.\n"
    )
    office = tmp_path / "office"
    office.mkdir()
    printout.layout_pdf([page], office / "printed.pdf")
    (tmp_path / "roster.yaml").write_text(ROSTER)
    return folder, office


def test_dates_and_months_in_the_corpus_zone(tmp_path):
    folder, office = dump(tmp_path)
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(folder), str(office), "--db", db)
    out = run_cli("analyze", "--db", db, "--roster", str(tmp_path / "roster.yaml"))
    # No zone named: UTC, and the zone the Date headers show is proposed.
    assert "dates in            UTC" in out and "--timezone America/Los_Angeles" in out
    assert rows(db, "select month, count(*) from messages group by 1 order by 1") == [
        ("2025-01", 1),
        ("2025-02", 2),
    ]
    out = run_cli("analyze", "--db", db, "--timezone", "America/Los_Angeles")
    assert "dates in            America/Los_Angeles" in out
    assert rows(
        db, "select subject, sent_at, sent_local, month from messages order by sent_at"
    ) == [
        (
            "Charter vote 2",
            "2025-01-07T00:34:00+00:00",
            "2025-01-06T16:34:00-08:00",
            "2025-01",
        ),
        (
            "Charter vote 0",
            "2025-02-01T07:30:00+00:00",
            "2025-01-31T23:30:00-08:00",
            "2025-01",
        ),
        (
            "Charter vote 1",
            "2025-02-01T08:30:00+00:00",
            "2025-02-01T00:30:00-08:00",
            "2025-02",
        ),
    ]
    # The printout, its time printed without a zone, is one message with its mbox copy.
    assert rows(db, "select count(*) from message_copies") == [(4,)]
    report = json.loads(run_cli("report", "--db", db, "--format", "json"))
    (row,) = [o for o in report["offices"] if o["total"]]
    assert (row["first"], row["last"], row["by_month"]) == (
        "2025-01-06",
        "2025-02-01",
        {"2025-01": 2, "2025-02": 1},
    )
    assert report["timezone"] == "America/Los_Angeles"
    assert rows(db, "select month, total from office_contact_months order by 1") == [
        ("2025-01", 2),
        ("2025-02", 1),
    ]


def test_a_printout_without_zone_is_read_in_the_corpus_zone(tmp_path):
    _, office = dump(tmp_path)
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(office), "--db", db)
    run_cli("analyze", "--db", db, "--timezone", "America/Los_Angeles")
    # 11:30 PM as printed, in the district's zone: 07:30 UTC the next day.
    assert rows(db, "select sent_at, sent_local, zone_read_in from messages") == [
        ("2025-02-01T07:30:00+00:00", "2025-01-31T23:30:00-08:00", "America/Los_Angeles")
    ]
    # Another zone, then back: each change undoes the last exactly.
    run_cli("report", "--db", db, "--timezone", "Europe/Paris")
    assert rows(db, "select sent_at, sent_local from messages") == [
        ("2025-01-31T22:30:00+00:00", "2025-01-31T23:30:00+01:00")
    ]
    for _ in range(2):
        run_cli("analyze", "--db", db, "--timezone", "America/Los_Angeles")
        assert rows(db, "select sent_at, sent_local, month from messages") == [
            ("2025-02-01T07:30:00+00:00", "2025-01-31T23:30:00-08:00", "2025-01")
        ]
    # The next ingest of the mbox copy still meets it.
    folder = tmp_path / "dump"
    run_cli("ingest", str(folder), "--db", db)
    assert rows(db, "select count(*) from messages where subject = 'Charter vote 0'") == [(1,)]


def test_a_bad_zone_is_refused(tmp_path):
    folder, _ = dump(tmp_path)
    db = str(tmp_path / "c.db")
    run_cli("ingest", str(folder), "--db", db)
    result = CliRunner().invoke(cli, ["analyze", "--db", db, "--timezone", "Pacific Standard"])
    assert result.exit_code == 1 and "not an IANA time zone name" in result.output
    # Refused before anything was written: no zone stored.
    assert "settings" not in sqlite_utils.Database(db).table_names() or rows(
        db, "select count(*) from settings"
    ) == [(0,)]
