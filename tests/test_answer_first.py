"""The answer first: analyze saves the counts and prints the canonical table before it reads
entities; the story page and the summary say the entities are still to come; `analyze
--entities later` stops there and the next analyze reads them."""

from __future__ import annotations

import asyncio
import sqlite3

from conftest import ROOT, run_cli
from datasette.app import Datasette

from backchannel.analysis import analyze
from backchannel.corpus import ingest, open_corpus
from backchannel.corpus.roster import load_roster, save_roster
from backchannel.publish import metadata_for

TABLE = "select organization, official, org_to_office, office_to_org, total from office_contacts"


def story(db) -> str:
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for(db.stem))
    page = asyncio.run(ds.client.get(f"/-/story/{db.stem}"))
    assert page.status_code == 200
    return page.text


def test_the_counts_are_saved_and_readable_before_the_entities(sample, tmp_path):
    folder, _ = sample
    db_path = tmp_path / "sample.db"
    db = open_corpus(db_path)
    seen = {}

    def on_counts(counts) -> None:
        # Another connection, as `report` or `serve` would open: the counts are committed.
        other = sqlite3.connect(db_path)
        seen["table"] = sorted(other.execute(TABLE).fetchall())
        seen["mentions"] = other.execute("select count(*) from mentions").fetchone()[0]
        seen["pending"] = other.execute(
            "select value from settings where key = 'entities_pending'"
        ).fetchone()
        seen["authored"] = other.execute(
            "select count(*) from messages where body_authored != ''"
        ).fetchone()[0]
        other.close()
        seen["story"] = story(db_path)
        seen["offices"] = len(counts.groups.officials)

    try:
        ingest(db, [folder])
        roster = load_roster(ROOT / "sample" / "roster.yaml")
        save_roster(db, roster)
        summary = analyze(db, roster=roster, on_counts=on_counts)
    finally:
        db.close()
    conn = sqlite3.connect(db_path)
    assert seen["table"] == sorted(conn.execute(TABLE).fetchall())
    assert len(seen["table"]) == 3 * 7 == 3 * seen["offices"]
    assert seen["mentions"] == 0 < conn.execute("select count(*) from mentions").fetchone()[0]
    assert int(seen["pending"][0]) == seen["authored"] > 0
    assert (
        "entities-pending" in seen["story"]
        and f"{seen['authored']:,} emails to go" in seen["story"]
    )
    assert "Better Schools Now exchanged 78 and 63 messages" in seen["story"]
    # Once read: nothing pending, and the page says nothing of it.
    assert not conn.execute("select * from settings where key = 'entities_pending'").fetchall()
    assert summary.entities_pending == 0 and 0 < summary.counts_at < summary.seconds
    assert "entities-pending" not in story(db_path)


def test_entities_later_prints_the_table_and_leaves_them_for_the_next_run(sample, tmp_path):
    folder, _ = sample
    db = tmp_path / "sample.db"
    run_cli("ingest", str(folder), "--db", str(db))
    first = run_cli(
        "analyze", "--db", str(db), "--roster", str(ROOT / "sample" / "roster.yaml"),
        "--entities", "later",
    )  # fmt: skip
    table = run_cli("report", "--db", str(db))
    # The table is printed first (as report prints it), then the summary.
    assert first.startswith("Counts made and saved; names and organizations in the text are left")
    assert table in first and first.index(table) < first.index(f"Analyzed {db}")
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from mentions").fetchone()[0] == 0
    pending = int(
        conn.execute("select value from settings where key = 'entities_pending'").fetchone()[0]
    )
    assert f"entities to read    {pending:>9,}   messages still to be read" in first
    assert "still being read" in story(db)
    second = run_cli("analyze", "--db", str(db))
    assert second.startswith(
        "Counts made and saved; names and organizations in the text are read next"
    )
    assert "entities to read" not in second
    assert f"entities read in    {pending:>9,}" in second
    assert conn.execute("select count(*) from mentions").fetchone()[0] > 0
    assert "still being read" not in story(db)
