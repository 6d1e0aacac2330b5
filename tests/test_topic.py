"""Counts by topic: `report --query` against the truth. The truth is a corpus built only from
the emails a search matches, the raw mailboxes filtered here by a matcher of the test's own
(words folded by the stdlib, never the search index); its report must be, figure for figure,
`report --query` on the whole corpus. And the search syntax as read."""

from __future__ import annotations

import json
import mailbox
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from email import message_from_bytes, policy

import pytest
import truth_corpus
from conftest import run_cli

from backchannel.corpus.topic import QueryError, describe, parse, topic


def words(text: str) -> list[str]:
    """Lower case, accents off, runs of letters and digits: how a reader finds a word."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text)


def has(text: str, phrase: str) -> bool:
    want, found = words(phrase), words(text)
    return any(found[i : i + len(want)] == want for i in range(len(found)))


# Each search, with what it means, said in Python.
SEARCHES: dict[str, Callable[[str], bool]] = {
    "zoning": lambda t: has(t, "zoning"),
    '"ferry schedule" OR permits': lambda t: has(t, "ferry schedule") or has(t, "permits"),
    "budget -zoning": lambda t: has(t, "budget") and not has(t, "zoning"),
    "LIBRARY Hours": lambda t: has(t, "library") and has(t, "hours"),
}


def raw_text(msg) -> str:
    """What the search reads of a raw message: the subject and every text part."""
    parts = [str(msg["subject"] or "")]
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            parts.append(part.get_content())
        if part.get_filename():
            parts.append(part.get_filename())
    return "\n".join(parts)


def filtered_dump(folder, emails, keep: Callable[[str], bool]) -> None:
    """The truth corpus's dump with only the matching emails: each mbox rewritten from the raw
    messages the matcher keeps, the printout printed again with only its matching emails."""
    source, target = folder / "dump", folder / "only"
    target.mkdir()
    for path in sorted(source.glob("*.mbox")):
        box = mailbox.mbox(target / path.name)
        for message in mailbox.mbox(path, create=False):
            msg = message_from_bytes(message.as_bytes(), policy=policy.default)
            if keep(raw_text(msg)):
                box.add(message)
        box.close()
    printed = [e for e in emails if (e.where == "pdf" or e.also_printed)]
    truth_corpus._print(
        [e for e in printed if keep(f"{e.subject}\n{e.body}")], target / "production.pdf"
    )


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    folder = tmp_path_factory.mktemp("topic")
    emails = truth_corpus.build(folder)
    db = folder / "t.db"
    run_cli("ingest", str(folder / "dump"), "--db", str(db))
    run_cli("analyze", "--db", str(db), "--roster", str(folder / "roster.yaml"))
    return folder, emails, db


def figures(report: dict) -> dict:
    """Every figure of a report, with the emails it counts."""
    return {
        "offices": {
            (o["organization"], o["official"]): {
                k: o[k]
                for k in ("org_to_office", "office_to_org", "total", "first", "last", "by_month")
            }
            | {"message_ids": sorted(o["message_ids"])}
            for o in report["offices"]
        },
        "officials": {
            o["official"]: {
                k: o[k] for k in ("sent", "received", "first", "last", "with_organizations")
            }
            for o in report["officials"]
        },
        "ranking": [o["official"] for o in report["officials"]],
        "organization_totals": report["organization_totals"],
    }


@pytest.mark.parametrize("search", list(SEARCHES))
def test_report_query_is_the_report_of_the_matching_emails_alone(whole, tmp_path, search):
    folder, emails, db = whole
    keep = SEARCHES[search]
    work = tmp_path / "w"
    work.mkdir()
    (work / "dump").symlink_to(folder / "dump")
    filtered_dump(work, emails, keep)
    only = work / "only.db"
    run_cli("ingest", str(work / "only"), "--db", str(only))
    run_cli("analyze", "--db", str(only), "--roster", str(folder / "roster.yaml"))
    alone = json.loads(run_cli("report", "--db", str(only), "--format", "json"))
    topical = json.loads(run_cli("report", "--db", str(db), "--format", "json", "--query", search))
    assert topical["query"] == search
    want, got = figures(alone), figures(topical)
    # The search finds something, and not everything: a real restriction.
    total = sum(o["total"] for o in want["offices"].values())
    everything = json.loads(run_cli("report", "--db", str(db), "--format", "json"))
    assert 0 < total < sum(o["total"] for o in everything["offices"])
    assert got == want


def test_several_queries_give_a_table_each_and_a_line_comparing_them(whole):
    _, _, db = whole
    text = run_cli("report", "--db", str(db), "--query", "zoning", "--query", "budget")
    assert text.count("emails matching zoning") == 3  # two organizations' tables, the ranking
    assert text.count("emails matching budget") == 3
    each = {
        q: json.loads(run_cli("report", "--db", str(db), "--format", "json", "--query", q))
        for q in ("zoning", "budget")
    }
    whole_report = json.loads(run_cli("report", "--db", str(db), "--format", "json"))
    for org in (truth_corpus.HFA, truth_corpus.CBC):
        z, b = (each[q]["organization_totals"][org] for q in ("zoning", "budget"))
        n = whole_report["organization_totals"][org]
        line = f"{org}: zoning {z:,} ({z / n:.0%}), budget {b:,} ({b / n:.0%}); {n:,} in all"
        assert line in text
    totals = run_cli(
        "report", "--db", str(db), "--query", "zoning", "--query", "budget", "--totals"
    )
    assert totals.splitlines()[0].startswith("Topics compared")
    assert len(totals.splitlines()) == 3
    both = json.loads(
        run_cli(
            "report", "--db", str(db), "--format", "json", "--query", "zoning", "--query", "budget"
        )
    )
    assert [r["query"] for r in both] == ["zoning", "budget"]
    page = run_cli(
        "report", "--db", str(db), "--format", "html", "--query", "zoning", "--query", "budget"
    )
    assert page.count("<!doctype html>") == 1 and page.count("<svg") == 2 * 2
    assert "q=zoning" in page and "q=budget" in page and "<h2>Topics compared" in page


def test_a_query_with_nothing_to_search_is_refused(whole):
    from click.testing import CliRunner

    from backchannel.cli import cli

    _, _, db = whole
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--query", "OR -"])
    assert result.exit_code == 1
    assert "nothing to search for" in result.output


@pytest.mark.parametrize(
    "text, read_as",
    [
        ("charter", "charter"),
        ('"charter  expansion"', '"charter expansion"'),
        ("charter vote OR ballot", "charter (vote OR ballot)"),
        ("(charter OR bond) -budget", "(charter OR bond) NOT budget"),
        ("NOT budget", "NOT budget"),
        ("char*", "char*"),
        ("charter ) vote", "charter vote"),
        ('"unclosed phrase', '"unclosed phrase"'),
        ("a AND b", "a b"),
        ("Measure-R or", "Measure-R or"),  # lowercase or is a word
        ("OR charter OR", "charter"),
        ("- & charter", "charter"),
    ],
)
def test_the_syntax_as_read(text, read_as):
    assert describe(parse(text)) == read_as


@pytest.mark.parametrize("text", ["", "   ", "OR", "- &", '""', "()", "NOT"])
def test_nothing_to_search_for(text):
    with pytest.raises(QueryError):
        topic(text)


def test_accents_case_phrases_and_exclusions_on_the_sample(analyzed_sample):
    db, truth = analyzed_sample
    conn = sqlite3.connect(db)

    def found(q: str) -> set[str]:
        t = topic(q)
        only, params = t.where("m.id")
        return {r[0] for r in conn.execute(f"select m.id from messages m where {only}", params)}

    every = {r[0] for r in conn.execute("select id from messages")}
    assert found("Ibanez") == found("IBÁÑEZ") == found("ibáñez") and found("Ibanez")
    assert found('"charter expansion"') <= found("charter") & found("expansion")
    assert found("charter OR bond") == found("charter") | found("bond")
    assert found("charter -bond") == found("charter") - found("bond")
    assert found("NOT charter") == every - found("charter")
    # An attachment's text makes its email match; the subject and body index alone misses it.
    in_attachments = {
        r[0]
        for r in conn.execute(
            "select a.message_id from attachments_fts f join attachments a "
            "on a.rowid = f.rowid where attachments_fts match 'owner'"
        )
    }
    in_bodies = {
        r[0]
        for r in conn.execute(
            "select m.id from messages_fts f join messages m on m.rowid = f.rowid "
            "where messages_fts match 'owner'"
        )
    }
    assert in_attachments - in_bodies
    assert found("owner") == in_attachments | in_bodies
