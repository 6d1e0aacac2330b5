"""The communication graph with networkx: persons, and the collapsed graph of offices and
organizations. Directed, weighted by messages; measured (correspondents, betweenness, PageRank,
Louvain communities) and exported for Gephi (GEXF, GraphML) and spreadsheets (CSV)."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import sqlite_utils

from ..spreadsheet import safe_row
from .counts import Counts, edge_id, edge_pairs, node_kind

# Betweenness costs about nodes × edges; above this it is estimated from a sample of sources
# (about 5 s on a 2-core machine here), with at least MIN_SAMPLE of them.
BETWEENNESS_BUDGET = 10_000_000
MIN_SAMPLE = 16
SEED = 0  # fixed: the same corpus gives the same communities and estimates


def person_graph(counts: Counts) -> nx.DiGraph:
    g = nx.DiGraph()
    names = counts.groups.names
    for (a, b), cid in counts.contacts.items():
        for source, target, direction in ((a, b, "a_to_b"), (b, a, "b_to_a")):
            n = counts.count("contact", cid, direction)
            if n:
                for node in (source, target):
                    g.add_node(node, label=names.get(node, node), kind="person")
                g.add_edge(source, target, weight=n)
    return g


def group_graph(counts: Counts) -> nx.DiGraph:
    g = nx.DiGraph()
    names = counts.groups.names
    for source, target in edge_pairs(counts):
        n = counts.count("group_edge", edge_id(source, target), "sent")
        if n:
            for node in (source, target):
                g.add_node(node, label=names.get(node, node), kind=node_kind(node))
            g.add_edge(source, target, weight=n)
    return g


def measure(g: nx.DiGraph) -> dict[str, dict]:
    """Per node: correspondents (distinct neighbours), betweenness, PageRank, community."""
    if not g:
        return {}
    undirected = nx.Graph()
    undirected.add_nodes_from(g)
    for a, b, w in g.edges(data="weight"):
        prev = undirected.get_edge_data(a, b, {"weight": 0})["weight"]
        undirected.add_edge(a, b, weight=prev + w)
    n, m = g.number_of_nodes(), g.number_of_edges()
    k = None if n * m <= BETWEENNESS_BUDGET else min(n, max(MIN_SAMPLE, BETWEENNESS_BUDGET // m))
    betweenness = nx.betweenness_centrality(g, k=k, seed=SEED)
    pagerank = nx.pagerank(g, weight="weight")
    communities = nx.community.louvain_communities(undirected, weight="weight", seed=SEED)
    community = {}
    # Numbered by size, largest first, ties by their first member: stable across runs.
    for n, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c))), start=1):
        for node in members:
            community[node] = n
    return {
        node: {
            "correspondents": undirected.degree(node),
            "betweenness": round(betweenness[node], 6),
            "pagerank": round(pagerank[node], 6),
            "community": community[node],
        }
        for node in g
    }


def stored_graph(db: sqlite_utils.Database, level: str = "persons") -> nx.DiGraph:
    """The graph as the count tables hold it, with each node's measures as attributes."""
    g = nx.DiGraph()
    if level == "persons":
        for row in db.query(
            "select id, name, kind, organization, roster_group, sent, received, correspondents,"
            " betweenness, pagerank, community from persons where correspondents > 0"
        ):
            g.add_node(row.pop("id"), label=row.pop("name"), **_clean(row))
        for a, b, ab, ba in db.execute("select person_a, person_b, a_to_b, b_to_a from contacts"):
            if ab:
                g.add_edge(a, b, weight=ab)
            if ba:
                g.add_edge(b, a, weight=ba)
        return g
    if level != "groups":
        raise ValueError(f"unknown level {level!r}: persons or groups")
    for row in db.query(
        "select id, official as name, 'office' as kind, sent, received, correspondents,"
        " betweenness, pagerank, community from offices union all "
        "select id, name, 'organization', sent, received, correspondents, betweenness, pagerank,"
        " community from organizations"
    ):
        g.add_node(row.pop("id"), label=row.pop("name"), **_clean(row))
    for s, t, n in db.execute("select source, target, messages from group_edges"):
        g.add_edge(s, t, weight=n)
    return g


def _clean(row: dict) -> dict:
    # GEXF and GraphML take no None values.
    return {k: v for k, v in row.items() if v is not None}


def export(db: sqlite_utils.Database, fmt: str, out: Path, level: str = "persons") -> int:
    """Write the graph; returns the number of edges. csv writes OUT as a folder holding
    nodes.csv and edges.csv."""
    g = stored_graph(db, level)
    out = Path(out)
    if fmt == "gexf":
        nx.write_gexf(g, out)
    elif fmt == "graphml":
        nx.write_graphml(g, out)
    elif fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        columns = sorted({k for _, data in g.nodes(data=True) for k in data} - {"label"})
        with open(out / "nodes.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id", "label", *columns])
            for node, data in g.nodes(data=True):
                w.writerow(safe_row([node, data.get("label"), *(data.get(c) for c in columns)]))
        with open(out / "edges.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["source", "target", "source_label", "target_label", "messages"])
            for s, t, n in g.edges(data="weight"):
                w.writerow(safe_row([s, t, g.nodes[s].get("label"), g.nodes[t].get("label"), n]))
    else:
        raise ValueError(f"unknown format {fmt!r}: gexf, graphml or csv")
    return g.number_of_edges()
