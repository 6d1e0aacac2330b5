"""A corpus made by an older backchannel is brought up to date when opened; one made by a newer
backchannel is refused with a message naming both versions, and left as it was."""

import hashlib
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from backchannel import __version__
from backchannel.cli import cli
from backchannel.corpus import SCHEMA_VERSION, TABLES, open_corpus, schema_version

ROOT = Path(__file__).resolve().parent.parent
OLD_DUMP = ROOT / "tests" / "data" / "corpus-0.1.0.sql"
OLD_ROOT = "/tmp/oldc/"  # where 0.1.0 read the lee Maildir from, as its sources rows say
OFFICE_COUNTS = (
    "select organization, official, org_to_office, office_to_org, total from office_contacts "
    "order by organization, official"
)


def restore(dump: Path, path: Path, root: Path | None = None) -> Path:
    sql = dump.read_text(encoding="utf-8")
    if root is not None:
        sql = sql.replace(OLD_ROOT, f"{root}/")
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path


def test_a_corpus_of_backchannel_0_1_0_is_upgraded_in_place(tmp_path):
    db_path = restore(OLD_DUMP, tmp_path / "old.db")
    before = sqlite3.connect(db_path)
    assert before.execute("pragma user_version").fetchone()[0] == 0
    subjects = before.execute("select id, subject from messages order by id").fetchall()
    counts = before.execute(OFFICE_COUNTS).fetchall()
    before.close()
    # 8 files of the lee Maildir: 8 emails, and one more recovered from their quoted history.
    assert len(subjects) == 9
    assert ("Better Schools Now", "Dana Whitfield", 3, 4, 7) in counts

    db = open_corpus(db_path)
    assert schema_version(db) == SCHEMA_VERSION
    for name, spec in TABLES.items():
        assert set(spec["columns"]) <= set(db[name].columns_dict), name
    # Nothing of the old corpus lost, and its search index rebuilt from the rows.
    assert db.execute("select id, subject from messages order by id").fetchall() == subjects
    word = subjects[0][1].split()[-1]
    hits = db.execute("select rowid from messages_fts where messages_fts match ?", [f'"{word}"'])
    assert hits.fetchall()
    db.close()

    # The commands run on it as on a corpus of this version.
    runner = CliRunner()
    roster = str(ROOT / "sample" / "roster.yaml")
    analyzed = runner.invoke(cli, ["analyze", "--db", str(db_path), "--roster", roster])
    assert analyzed.exit_code == 0, analyzed.output
    report = runner.invoke(cli, ["report", "--db", str(db_path), "--roster", roster])
    assert report.exit_code == 0, report.output
    assert "Dana Whitfield" in report.output
    # Analyzed again by this version, the same emails give the same counts.
    after = sqlite3.connect(db_path)
    assert after.execute(OFFICE_COUNTS).fetchall() == counts
    after.close()


def test_a_corpus_of_a_newer_backchannel_is_refused_and_left_alone(tmp_path):
    db_path = restore(OLD_DUMP, tmp_path / "new.db")
    conn = sqlite3.connect(db_path)
    conn.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()

    runner = CliRunner()
    for args in (
        ["report", "--db", str(db_path)],
        ["ingest", str(ROOT / "sample" / "dump" / "whitfield.mbox"), "--db", str(db_path)],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code != 0, result.output
        assert f"corpus schema {SCHEMA_VERSION + 1}" in result.output
        assert f"backchannel {__version__}" in result.output
        assert f"reads schema {SCHEMA_VERSION} and older" in result.output
        assert "Traceback" not in result.output
    assert db_path.read_bytes() == before


def test_files_0_1_0_read_are_not_read_again_after_the_upgrade(tmp_path):
    """A rerun adds nothing twice, across the upgrade: the same bytes at the same place are
    skipped (their reader, eml, is at the version 0.1.0 had)."""
    db_path = restore(OLD_DUMP, tmp_path / "old.db", root=tmp_path)
    conn = sqlite3.connect(db_path)
    sources = conn.execute("select path, sha256 from sources").fetchall()
    tables = ("sources", "messages", "message_copies", "participants", "errors")
    before = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    conn.close()
    # The sample's files as 0.1.0 read them: some have been edited since, and those are other
    # files (new sources) to any version, so only the unchanged ones are put back.
    same = 0
    for path, sha256 in sources:
        sample = ROOT / "sample" / "dump" / "lee" / path
        if hashlib.sha256(sample.read_bytes()).hexdigest() == sha256:
            (tmp_path / "lee" / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(sample, tmp_path / "lee" / path)
            same += 1
    assert same >= 4

    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "lee"), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert f"already in the corpus, skipped: {same}" in result.output
    conn = sqlite3.connect(db_path)
    after = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    conn.close()
    assert after == before
