"""`backchannel report` and `backchannel export` on the shipped sample: the canonical table
against the generator's truth, links that recount, and graph files that Gephi can read."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import defaultdict
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import networkx as nx
import pytest
import yaml
from conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def sample_db(analyzed_sample):
    return analyzed_sample


def sample_truth(truth: dict) -> dict[tuple[str, str], tuple]:
    """(organization, official) -> (org to office, office to org, first, last), from the
    generator; the dates as the emails show them, in the district's zone (the roster's)."""
    roster = yaml.safe_load((ROOT / "sample" / "roster.yaml").read_text())
    office = {}
    for o in roster["officials"]:
        for p in [o, *o.get("staff", [])]:
            office[p["emails"][0]] = o["name"]
    domain = {d: o["name"] for o in roster["organizations"] for d in o["domains"]}
    seen = defaultdict(lambda: (set(), set()))
    zone = ZoneInfo(roster["timezone"])
    day = {e.message_id: e.sent.astimezone(zone).date().isoformat() for e in truth["emails"]}
    for e in truth["emails"]:
        s_org, s_office = domain.get(e.sender.email.split("@")[1]), office.get(e.sender.email)
        for r in e.to + e.cc:
            r_org, r_office = domain.get(r.email.split("@")[1]), office.get(r.email)
            if s_org and r_office:
                seen[(s_org, r_office)][0].add(e.message_id)
            if s_office and r_org:
                seen[(r_org, s_office)][1].add(e.message_id)
    return {
        k: (len(a), len(b), min(day[m] for m in a | b), max(day[m] for m in a | b))
        for k, (a, b) in seen.items()
    }


def test_canonical_table_on_the_sample(sample_db):
    db, truth = sample_db
    want = sample_truth(truth)
    report = json.loads(run_cli("report", "--db", str(db), "--format", "json"))
    assert len(report["offices"]) == 3 * 7
    for o in report["offices"]:
        assert (o["org_to_office"], o["office_to_org"], o["first"], o["last"]) == want.get(
            (o["organization"], o["official"]), (0, 0, None, None)
        )
    bsn = {
        o["official"]: o["org_to_office"] + o["office_to_org"]
        for o in report["offices"]
        if o["organization"] == "Better Schools Now"
    }
    # The story: two offices often, four barely, one never.
    often = sorted(bsn, key=bsn.get, reverse=True)[:2]
    assert set(often) == {"Dana Whitfield", "Samuel Okafor"}
    assert min(bsn[o] for o in often) > 10 * max(v for k, v in bsn.items() if k not in often)
    assert bsn["Angela Moreno"] == 0
    text = run_cli("report", "--db", str(db))
    assert "Better Schools Now and the officials' offices" in text
    assert "Officials ranked" in text


def test_markdown_links_recount(sample_db):
    db, _ = sample_db
    md = run_cli("report", "--db", str(db), "--format", "markdown", "--datasette-url", "http://x:1")
    links = re.findall(r"\[(\d+)\]\((http://x:1/-/messages/sample\?[^)]+)\)", md)
    assert len(links) > 3 * 7 * 3
    conn = sqlite3.connect(db)
    for figure, url in links:
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        assert "recovered" not in query  # recovered emails left out, as in the figure
        where = " and ".join(f"{k} = ?" for k in query)
        n = conn.execute(
            f"select count(distinct message_id) from counted_messages where {where} "
            "and recovered = 0",
            list(query.values()),
        ).fetchone()[0]
        assert n == int(figure), url


def test_csv_and_html(sample_db):
    db, _ = sample_db
    rows = list(csv.DictReader(io.StringIO(run_cli("report", "--db", str(db), "--format", "csv"))))
    assert len(rows) == 21
    assert rows[0]["organization"] == "Better Schools Now"
    assert rows[0]["official"] == "Dana Whitfield"
    page = run_cli("report", "--db", str(db), "--format", "html")
    assert page.count("<svg") == 3  # one chart per organization
    assert "<polyline" in page and "<script" not in page
    assert "default-src 'none'" in page


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_for_gephi(sample_db, tmp_path, fmt):
    db, _ = sample_db
    out = tmp_path / f"net.{fmt}"
    run_cli("export", "--db", str(db), "--format", fmt, str(out))
    g = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(out)
    conn = sqlite3.connect(db)
    weight = conn.execute("select sum(a_to_b) + sum(b_to_a) from contacts").fetchone()[0]
    assert sum(w for _, _, w in g.edges(data="weight")) == weight
    people = conn.execute("select count(*) from persons where correspondents > 0").fetchone()[0]
    assert g.number_of_nodes() == people
    assert {d["label"] for _, d in g.nodes(data=True)} >= {"Dana Whitfield", "Rosa Ibáñez"}


def test_export_groups_csv(sample_db, tmp_path):
    db, _ = sample_db
    run_cli("export", "--db", str(db), "--format", "csv", "--level", "groups", str(tmp_path / "g"))
    nodes = list(csv.DictReader(open(tmp_path / "g" / "nodes.csv", encoding="utf-8")))
    edges = list(csv.DictReader(open(tmp_path / "g" / "edges.csv", encoding="utf-8")))
    kinds = {n["label"]: n["kind"] for n in nodes}
    assert kinds["Better Schools Now"] == "organization"
    assert kinds["Dana Whitfield"] == "office"
    bsn_to_whitfield = [
        e
        for e in edges
        if e["source_label"] == "Better Schools Now" and e["target_label"] == "Dana Whitfield"
    ]
    conn = sqlite3.connect(db)
    want = conn.execute(
        "select org_to_office from office_contacts "
        "where organization = 'Better Schools Now' and official = 'Dana Whitfield'"
    ).fetchone()[0]
    assert int(bsn_to_whitfield[0]["messages"]) == want
