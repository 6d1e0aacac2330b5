"""Identity resolution: who is who across addresses, names, the roster and overrides."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, rows

from backchannel.analysis.identities import resolve
from backchannel.analysis.overrides import read_overrides
from backchannel.corpus import open_corpus
from backchannel.corpus.matching import name_key
from backchannel.corpus.roster import load_roster
from backchannel.corpus.rows import SourceTally
from backchannel.corpus.writer import CorpusWriter
from backchannel.ingest.record import Address, MessageRecord, Provenance, SourceFile

ROSTER = """\
officials:
  - name: Dana Whitfield
    emails: [dana.whitfield@district.example]
    staff:
      - name: Marcus Lee
        emails: [marcus.lee@district.example]
organizations:
  - name: Better Schools Now
    domains: [bsn.example]
    people:
      - name: Rosa Ibáñez
        emails: [rosa@bsn.example]
        aliases: [Rosa Ibanez]
        nicknames: [Rosie]
"""


def test_name_keys():
    assert name_key("Rosa Ibáñez") == name_key("IBANEZ, Rosa") == "rosa ibanez"
    assert name_key("Dr. Dana R. Whitfield") == "dana whitfield"
    assert name_key("Lee, Marcus") == "marcus lee"
    assert name_key("J. Smith") == "j smith" != name_key("John Smith")


def corpus(tmp_path: Path, people: list[tuple[str, str]]):
    """A corpus with one message per (name, address) sender; address "" for a name only."""
    db = open_corpus(tmp_path / "c.db")
    writer = CorpusWriter(db)
    source = SourceFile("x.pdf", Path("."), "", 0, "pdf", "records")
    records = [
        MessageRecord(
            None,
            f"Subject {n}",
            datetime(2025, 3, n + 1, tzinfo=UTC),
            None,
            [
                ("from", Address(name, address)),
                ("to", Address("Dana Whitfield", "dana.whitfield@district.example")),
            ],
            f"Body number {n}.",
            None,
            None,
            [],
            [],
            [],
            Provenance("x.pdf", "", "pdf-text", f"page {n + 1}"),
        )
        for n, (name, address) in enumerate(people)
    ]
    writer.add(SourceTally(source, "s1"), records)
    writer.close()
    return db


def person_of(db, key: str) -> str:
    return db.execute(
        "select p.name from persons p join person_keys k on k.person_id = p.id where k.key = ?",
        [key],
    ).fetchone()[0]


def test_merges_by_roster_and_by_display_name(tmp_path):
    roster_file = tmp_path / "roster.yaml"
    roster_file.write_text(ROSTER)
    db = corpus(
        tmp_path,
        [
            ("Rosa Ibáñez", "rosa@bsn.example"),
            ("Ibanez, Rosa", ""),
            ("Rosie Ibanez", ""),
            ("Dr. Dana R. Whitfield", ""),
            ("Lee, Marcus", ""),
            ("Carl Vance", "carl@vendor.example"),
            ("Vance, Carl", ""),
            ("Kevin Doyle", "kdoyle@bsn.example"),
        ],
    )
    summary = resolve(db, load_roster(roster_file))
    assert person_of(db, "rosa@bsn.example") == "Rosa Ibáñez"
    for key in ("name:ibanez, rosa", "name:rosie ibanez"):
        assert person_of(db, key) == "Rosa Ibáñez"
    assert person_of(db, "name:dr. dana r. whitfield") == "Dana Whitfield"
    assert person_of(db, "name:lee, marcus") == "Marcus Lee"
    assert person_of(db, "name:vance, carl") == "Carl Vance"
    got = dict(db.execute("select key, rule from person_keys").fetchall())
    assert got["name:vance, carl"] == "display name"
    assert got["name:rosie ibanez"] == "roster name"
    assert got["dana.whitfield@district.example"] == "roster email"
    kinds = dict(db.execute("select name, kind from persons").fetchall())
    assert kinds["Marcus Lee"] == "staff" and kinds["Carl Vance"] == "other"
    # A domain the roster lists puts an unlisted person in the organization.
    assert db.execute("select organization from persons where name = 'Kevin Doyle'").fetchone() == (
        "Better Schools Now",
    )
    # participants carry their person.
    assert db.execute("select count(*) from participants where person_id is null").fetchone() == (
        0,
    )
    assert summary.suggestions == 0


def test_two_j_smiths_are_not_merged(tmp_path):
    db = corpus(
        tmp_path,
        [
            ("J. Smith", "jsmith@agency.example"),
            ("J. Smith", "j.smith@parents.example"),
            ("J. Smith", ""),
        ],
    )
    summary = resolve(db)
    smiths = [
        r[0]
        for r in db.execute(
            "select person_id from person_keys where key in "
            "('jsmith@agency.example', 'j.smith@parents.example', "
            "'name:j. smith')"
        )
    ]
    assert len(set(smiths)) == 3  # two addresses and the bare name: three persons
    assert summary.suggestions == 2
    reasons = [r[0] for r in db.execute("select reason from identity_suggestions")]
    assert all("more than one person has this name" in r for r in reasons)


def test_overrides_apply_and_survive_a_rerun(tmp_path):
    db = corpus(
        tmp_path,
        [
            ("J. Smith", "jsmith@agency.example"),
            ("J. Smith", "j.smith@parents.example"),
            ("J. Smith", ""),
            ("Carl Vance", "carl@vendor.example"),
            ("Vance, Carl", ""),
        ],
    )
    decisions = tmp_path / "identities.yaml"
    decisions.write_text(
        "same:\n  - [jsmith@agency.example, 'name:j. smith']\n"
        "different:\n  - [carl@vendor.example, 'name:vance, carl']\n"
    )
    # Given twice, then a run without the file: the stored decisions still stand.
    for path in (decisions, decisions, None):
        summary = resolve(db, None, read_overrides(path) if path else None)
        assert summary.overrides == 2
        assert person_of(db, "name:j. smith") == person_of(db, "jsmith@agency.example")
        smith = db.execute("select person_id from person_keys where key = 'name:j. smith'")
        agency = db.execute("select person_id from person_keys where key = 'jsmith@agency.example'")
        assert smith.fetchone() == agency.fetchone()
        carl = dict(
            db.execute(
                "select key, person_id from person_keys "
                "where key in ('carl@vendor.example', 'name:vance, carl')"
            )
        )
        assert carl["carl@vendor.example"] != carl["name:vance, carl"]
        rule = db.execute("select rule from person_keys where key = 'name:vance, carl'")
        assert rule.fetchone() == ("override: not the same person",)


def test_sample_persons(sample, tmp_path):
    from click.testing import CliRunner

    from backchannel.cli import cli

    folder, _ = sample
    db = tmp_path / "s.db"
    CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db)], catch_exceptions=False)
    result = CliRunner().invoke(
        cli,
        ["analyze", "--db", str(db), "--roster", str(ROOT / "sample" / "roster.yaml")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    # 13 roster people and 5 others write in the sample; every participant has its person.
    assert rows(db, "select kind, count(*) from persons group by 1 order by 1") == [
        ("member", 3),
        ("official", 7),
        ("other", 5),
        ("staff", 3),
    ]
    assert rows(db, "select count(*) from participants where person_id is null") == [(0,)]
    assert rows(db, "select organization from persons where name = 'Jenna Park'") == [
        ("Lakemont Ledger",)
    ]


def test_an_address_showing_a_roster_name(tmp_path):
    """A roster person listed without an address is joined by the name an address shows; one
    listed with addresses is only suggested for another address (an official's private
    account is the reporter's call)."""
    roster_file = tmp_path / "roster.yaml"
    roster_file.write_text(
        ROSTER + "      - name: Kevin Doyle\n"  # a member of Better Schools Now, no address listed
    )
    db = corpus(
        tmp_path,
        [
            ("Kevin Doyle", "kd@bsn.example"),
            ("Dana Whitfield", "dana.w@private.example"),
        ],
    )
    resolve(db, load_roster(roster_file))
    kevin = db.execute(
        "select p.kind, p.organization, k.rule from persons p join person_keys k "
        "on k.person_id = p.id where k.key = 'kd@bsn.example'"
    ).fetchone()
    assert kevin == ("member", "Better Schools Now", "roster name")
    assert person_of(db, "dana.w@private.example") == "Dana Whitfield"
    official = db.execute("select id from persons where kind = 'official'").fetchone()[0]
    private = db.execute(
        "select person_id from person_keys where key = 'dana.w@private.example'"
    ).fetchone()[0]
    assert private != official
    reason = db.execute(
        "select reason from identity_suggestions where key = 'dana.w@private.example'"
    ).fetchone()[0]
    assert "listed with other addresses" in reason


def test_addresses_misread_on_paper(tmp_path):
    """An address read off paper that is a near-miss of one in the corpus joins it only when
    both show the same name; otherwise it is a suggestion, never a merge."""
    db = corpus(
        tmp_path,
        [
            ("Whitfield, Dana", "dana.whitfield@district.example"),
            ("Dana Whitfield", "dana.whitfield@district.exarnple"),  # OCR: rn for m
            ("Smith, Jane", "jsmith@district.example"),
            ("Smith, John", "jsmith@district.exampie"),  # spelled like Jane's: another person?
        ],
    )
    # The printed form is kept: these came off paper.
    db.execute("update participants set printed = address where address like '%.exa%'")
    db.execute("update participants set printed = null where address like '%.example'")
    db.conn.commit()
    resolve(db)
    assert person_of(db, "dana.whitfield@district.exarnple") == person_of(
        db, "dana.whitfield@district.example"
    )
    assert db.execute(
        "select rule from person_keys where key = 'dana.whitfield@district.exarnple'"
    ).fetchall() == [("printed address",)]
    assert person_of(db, "jsmith@district.exampie") == "Smith, John"
    assert db.execute(
        "select key, reason like '%no name shown with both%' from identity_suggestions "
        "where key = 'jsmith@district.exampie'"
    ).fetchall() == [("jsmith@district.exampie", 1)]


GOOD_OVERRIDES = "same:\n  - [jsmith@agency.example, 'name:j. smith']\n"
# (file, line, reason): each refused whole, with the file, the line and the reason.
BAD_OVERRIDES = [
    ("sam:\n  - [jsmith@agency.example, 'name:j. smith']\n", 1, "unknown key 'sam'"),
    ("- [jsmith@agency.example, 'name:j. smith']\n", 1, "should be a mapping of keys"),
    ("same: jsmith@agency.example\n", 1, "same should be a list"),
    ("same:\n  - [jsmith@agency.example]\n", 2, "is a pair of keys"),
    ("same:\n  - [a@x.example, b@x.example, c@x.example]\n", 2, "is a pair of keys"),
    ("same:\n  - {a: jsmith@agency.example}\n", 2, "is a pair of keys"),
    ("different:\n  - [carl@vendor.example, vance carl]\n", 2, "neither an email address"),
    ("same:\n  - [jsmith@agency.example, 'name:']\n", 2, "name: needs the name"),
    ("same:\n  - [jsmith@agency.example, [nested]]\n", 2, "a key is an address or name:"),
    (GOOD_OVERRIDES + "same:\n  - [a@x.example, b@x.example]\n", 3, "key 'same' is given twice"),
    (GOOD_OVERRIDES + "different:\n  - ['name:J. Smith', JSmith@agency.example]\n", 4,
     "are both 'same' (line 2) and 'different'"),
    ("same:\n  - [jsmith@agency.example, JSMITH@agency.example]\n", 2, "with itself"),
    ("same:\n  - [jsmith@agency.example, 'name:j. smith'\n", None, "not valid YAML"),
    ("same: " + "[" * 50 + "]" * 50 + "\n", 1, "nested more than 16"),
    ("a: &x [jsmith@agency.example, b@x.example]\nsame:\n  - *x\n", 1, "anchors and aliases"),
    ("same:\n\t- [a@x.example, b@x.example]\n", None, "not valid YAML"),
]  # fmt: skip


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    """A small analyzed corpus, overrides already applied: what a refused file must leave."""
    from conftest import make_email, run_cli

    work = tmp_path_factory.mktemp("overrides")
    (work / "dump").mkdir()
    for n, sender in enumerate(
        ["J. Smith <jsmith@agency.example>", "Carl Vance <carl@vendor.example>"]
    ):
        (work / "dump" / f"{n}.eml").write_bytes(
            make_email(sender=sender, message_id=f"<o{n}@x.example>")
        )
    db = work / "c.db"
    run_cli("ingest", work / "dump", "--db", db)
    good = work / "good.yaml"
    good.write_text("different:\n  - [carl@vendor.example, jsmith@agency.example]\n")
    run_cli("analyze", "--db", db, "--overrides", good)
    return work, db


@pytest.mark.parametrize("text,line,reason", BAD_OVERRIDES)
def test_a_malformed_overrides_file_is_refused_whole(analyzed, text, line, reason):
    from click.testing import CliRunner
    from conftest import table_rows

    from backchannel.cli import cli

    work, db = analyzed
    before = table_rows(db)
    bad = work / "bad.yaml"
    bad.write_text(text)
    # With a good roster beside it: the roster is not stored either.
    result = CliRunner().invoke(
        cli,
        ["analyze", "--db", str(db), "--overrides", str(bad), "--roster",
         str(ROOT / "sample" / "roster.yaml")],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"overrides refused: {bad}" in result.output
    if line is not None:
        assert f"{bad}, line {line}: " in result.output, result.output
    assert reason in result.output, result.output
    assert table_rows(db) == before  # nothing changed


def test_an_empty_overrides_file_clears_the_decisions(tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text("# nothing decided yet\n")
    assert read_overrides(path) == []
    path.write_text(GOOD_OVERRIDES)
    assert read_overrides(path) == [("same", "jsmith@agency.example", "name:j. smith")]
