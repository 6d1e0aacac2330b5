"""The roster: read from YAML or CSV; a mistake refuses it whole, with file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, make_email, rows, write_mbox

from backchannel.cli import cli
from backchannel.corpus import open_corpus
from backchannel.corpus.roster import RosterError, load_roster, stored_roster

GOOD_CSV = """\
group,kind,name,emails,aliases,nicknames
Dana Whitfield,official,Dana Whitfield,dana.whitfield@district.example,"D. W;Whitfield, Dana",
Dana Whitfield,staff,Marcus Lee,marcus.lee@district.example,,
Better Schools Now,domain,betterschoolsnow.example,,BSN,
Better Schools Now,member,Rosa Ibáñez,rosa@betterschoolsnow.example,Rosa Ibanez,Rosie
"""


def test_the_sample_roster():
    roster = load_roster(ROOT / "sample" / "roster.yaml")
    assert [p.name for p in roster.officials] == [
        "Dana Whitfield",
        "Samuel Okafor",
        "Helen Brandt",
        "Tomás Castrejón",
        "Grace Liu",
        "Robert Farrow",
        "Angela Moreno",
    ]
    assert [p.name for p in roster.office("Dana Whitfield")] == ["Dana Whitfield", "Marcus Lee"]
    bsn = next(o for o in roster.organizations if o.name == "Better Schools Now")
    assert (bsn.aliases, bsn.domains) == (["BSN"], ["betterschoolsnow.example"])
    rosa = next(p for p in roster.people if p.name == "Rosa Ibáñez")
    assert (rosa.kind, rosa.group, rosa.aliases, rosa.nicknames) == (
        "member",
        "Better Schools Now",
        ["Rosa Ibanez"],
        ["Rosie"],
    )


def test_csv_roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    roster = load_roster(path)
    assert [(p.name, p.kind, p.group) for p in roster.people] == [
        ("Dana Whitfield", "official", "Dana Whitfield"),
        ("Marcus Lee", "staff", "Dana Whitfield"),
        ("Rosa Ibáñez", "member", "Better Schools Now"),
    ]
    assert roster.people[0].aliases == ["D. W", "Whitfield, Dana"]
    assert [(o.name, o.domains, o.aliases) for o in roster.organizations] == [
        ("Better Schools Now", ["betterschoolsnow.example"], ["BSN"])
    ]


YAML_MISTAKES = [
    (
        "officials:\n  - title: Board member\n    emails: [a@x.example]\n",
        2,
        "an official needs a name",
    ),
    (
        "officials:\n  - name: Dana Whitfield\n  - name: Grace Liu\n  - name: dana whitfield\n",
        4,
        "official 'dana whitfield' is listed twice (first on line 2)",
    ),
    (
        "officials:\n  - name: Dana Whitfield\n    emails: [dana.whitfield@]\n",
        2,
        "'dana.whitfield@' is not an email address",
    ),
    (
        "officials:\n  - name: Dana Whitfield\n    email: [d@x.example]\n",
        3,
        "unknown key 'email' in an official (known: aliases, emails, name, nicknames, staff, "
        "title)",
    ),
    (
        "organizations:\n  - name: BSN\n    domains: [not a domain]\n",
        2,
        "'not a domain' is not a domain name",
    ),
    (
        "officials:\n  - name: A One\n    emails: [same@x.example]\n  - name: B Two\n"
        "    emails: [same@x.example]\n",
        4,
        "same@x.example is given to both 'A One' and 'B Two'",
    ),
    ("officials: [\n", None, None),
    # Written by hand, wrong in ways a parser lets through or chokes on:
    ("officials: " + "[" * 5000 + "\n", 1, "nested more than 16 lists or mappings deep"),
    (
        "timezone: " + "X" * 5000 + "\n",
        1,
        f"'{'X' * 57}...' is not an IANA time zone name (like America/Los_Angeles or Europe/Paris)",
    ),
    (
        "officials:\n  - name: A One\norganizations: []\nofficials: []\n",
        4,
        "key 'officials' is given twice in the roster (first on line 1)",
    ),
    (
        "officials:\n  - name: A One\n    name: B Two\n",
        3,
        "key 'name' is given twice in an official (first on line 2)",
    ),
    ("officials:\n  - name: A One\n    title: [x]\n", 3, "a title is a line of text"),
    (
        "officials:\n  - &a {name: A One}\n  - *a\n",
        2,
        "anchors and aliases (& and *) are not used in this file: write it out",
    ),
    ("? [a, b]\n: c\n", 1, "a key in the roster should be a word"),
    ("officials:\n  - name: A\x00One\n", 2, "a NUL byte: not a text file"),
]


@pytest.mark.parametrize("text,line,reason", YAML_MISTAKES)
def test_yaml_mistakes(tmp_path, text, line, reason):
    path = tmp_path / "roster.yaml"
    path.write_text(text)
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    if reason is None:  # malformed YAML: the parser's own words, with a line
        assert "not valid YAML" in caught.value.reason and caught.value.line is not None
    else:
        assert (caught.value.line, caught.value.reason) == (line, reason)
        assert str(caught.value) == f"{path}, line {line}: {reason}"


def test_csv_mistakes(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD_CSV.replace("Dana Whitfield,staff", "Dana Whitfeld,staff"))
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    assert (caught.value.line, caught.value.reason) == (
        3,
        "staff of 'Dana Whitfeld', who is not listed as an official",
    )
    path.write_text(GOOD_CSV.replace(",member,", ",memebr,"))
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    assert caught.value.line == 5 and "memebr" in caught.value.reason


CSV_HEAD = "group,kind,name,emails,aliases\n"
CSV_MISTAKES = [
    (CSV_HEAD + "Dana,official,Dana," + "x" * 50_000 + ",\n", 2, "a cell of over 10,000"),
    (CSV_HEAD + 'Dana,official,"Dana,d@x.example\n', 2, "not valid CSV: unexpected end of data"),
    ("group,kind,name,emails,aliases,group\nDana,official,Dana,,,\n", 1, "'group' is named twice"),
    (CSV_HEAD + "Dana,official,Dana,d@x.example,,extra\n", 2, "6 cells where the header names 5"),
    (CSV_HEAD + 'Dana,official,"Dana\nW",,\nDana,staf,M,,\n', 4, "kind 'staf' should be"),
]  # fmt: skip


@pytest.mark.parametrize("text,line,reason", CSV_MISTAKES)
def test_csv_written_by_hand(tmp_path, text, line, reason):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    assert caught.value.line == line and reason in caught.value.reason, caught.value


@pytest.mark.parametrize("command", ["analyze", "report"])
def test_a_time_zone_written_wrong_on_the_command_line(tmp_path, command):
    write_mbox(tmp_path / "box.mbox", [make_email()])
    db = tmp_path / "c.db"
    CliRunner().invoke(cli, ["ingest", str(tmp_path / "box.mbox"), "--db", str(db)])
    result = CliRunner().invoke(cli, [command, "--db", str(db), "--timezone", "Y" * 5000])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "is not an IANA time zone name" in result.output


def test_a_refused_roster_changes_nothing(tmp_path):
    write_mbox(tmp_path / "box.mbox", [make_email()])
    db = tmp_path / "c.db"
    runner = CliRunner()
    runner.invoke(
        cli, ["ingest", str(tmp_path / "box.mbox"), "--db", str(db)], catch_exceptions=False
    )
    ok = runner.invoke(
        cli, ["analyze", "--db", str(db), "--roster", str(ROOT / "sample" / "roster.yaml")]
    )
    assert ok.exit_code == 0, ok.output
    before = rows(db, "select * from roster_people order by id")
    assert len(before) == 13
    bad = Path(tmp_path / "bad.yaml")
    bad.write_text("officials:\n  - name: Solo\n  - name: Solo\n")
    refused = runner.invoke(cli, ["analyze", "--db", str(db), "--roster", str(bad)])
    assert refused.exit_code == 1
    assert "roster refused" in refused.output and "line 3" in refused.output
    assert rows(db, "select * from roster_people order by id") == before
    # A later run without --roster keeps using the stored one.
    corpus = open_corpus(db)
    stored, loaded = stored_roster(corpus), load_roster(ROOT / "sample" / "roster.yaml")

    def summary(r):
        return (
            [(p.name, p.kind, p.group, p.emails, p.aliases, p.nicknames) for p in r.people],
            [(o.name, o.aliases, o.domains) for o in r.organizations],
        )

    assert summary(stored) == summary(loaded)
    corpus.close()
