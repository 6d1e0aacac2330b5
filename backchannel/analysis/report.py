"""`backchannel report`: the canonical finding on one screen. For each watched organization, a
row per official's office with messages each way, first and last date and the busiest months;
then the officials ranked by their messages with the watched organizations. Text, Markdown, CSV,
HTML (with a chart of messages per month per office) or JSON. In Markdown and HTML every figure
links to the list of the messages it counts, in Datasette."""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

import sqlite_utils

from ..corpus.timezone import month_range, stored_zone
from ..corpus.topic import describe, topic
from ..links import messages_path
from ..spreadsheet import safe_row
from .counts import Counts, busiest, compute, group_rows, office_contact_id, office_rows

FORMATS = ("text", "markdown", "csv", "html", "json")
DEFAULT_DATASETTE = "http://127.0.0.1:8001"


def build(
    db: sqlite_utils.Database,
    include_recovered: bool = False,
    query: str | None = None,
    counts: Counts | None = None,
) -> dict:
    """The report as data: what the JSON format prints, and what every format renders. With a
    `query` (the search box's syntax, corpus/topic.py), every figure counts only the emails it
    matches, by the same rules. `counts`: already computed (by analyze), not computed again."""
    chosen = topic(query) if query else None
    counts = counts or compute(db, chosen)
    offices = office_rows(counts, include_recovered)
    officials = _officials(counts, offices, include_recovered)
    organizations = [o["name"] for o in counts.groups.organizations]
    return {
        "include_recovered": include_recovered,
        "timezone": stored_zone(db) or "UTC",  # every date below is in it
        "query": chosen.text if chosen else None,
        "query_read_as": describe(chosen.node) if chosen else None,
        "organizations": organizations,
        # Each organization's messages with any of the offices, each once.
        "organization_totals": {
            org: len({m for o in offices if o["organization"] == org for m in o["message_ids"]})
            for org in organizations
        },
        "offices": offices,
        "officials": officials,
    }


def _officials(counts: Counts, offices: list[dict], recovered: bool) -> list[dict]:
    """Per official's office: sent and received with anyone outside it; and with the watched
    organizations, each message once. Ranked by the latter, most first."""
    rows = []
    titles = {o["id"]: o.get("title") for o in counts.groups.officials}
    by_official: dict[str, list[dict]] = {}
    for o in offices:
        by_official.setdefault(o["official"], []).append(o)
    for row in group_rows(counts, "office", recovered):
        mine = by_official.get(row["name"], [])
        with_orgs = {m for o in mine for m in o["message_ids"]}
        rows.append(
            {
                "official": row["name"],
                "title": titles.get(row["id"]),
                "office_id": row["id"],
                "sent": row["sent"],
                "received": row["received"],
                "first": row["first"],
                "last": row["last"],
                "with_organizations": len(with_orgs),
            }
        )
    rows.sort(key=lambda r: -r["with_organizations"])  # stable: roster order breaks ties
    for rank, r in enumerate(rows, start=1):
        r["rank"] = rank
    return rows


def render(report: dict, fmt: str, datasette: str = DEFAULT_DATASETTE, database: str = "") -> str:
    links = _Links(datasette, database, report["include_recovered"], report.get("query"))
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
    if fmt == "csv":
        return _csv(report)
    if fmt == "markdown":
        return _markdown(report, links)
    if fmt == "html":
        return _html(report, links)
    if fmt == "text":
        return _text(report)
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")


def render_topics(
    reports: list[dict],
    everything: dict,
    fmt: str,
    datasette: str = DEFAULT_DATASETTE,
    database: str = "",
) -> str:
    """One report per query (`reports`), then the lines comparing their totals with all the
    emails' (`everything`, the report without a query). JSON: the reports as a list (one
    report alone as itself); CSV: their rows, each with its query."""
    if fmt == "json":
        return (
            render(reports[0], fmt)
            if len(reports) == 1
            else json.dumps(reports, indent=2, ensure_ascii=False)
        )
    if fmt == "csv":
        return "".join(
            _csv(r) if i == 0 else _csv(r).split("\n", 1)[1] for i, r in enumerate(reports)
        )
    lines = compare(reports, everything)
    if fmt == "html":  # one page: each search's tables, then the comparison
        bodies = [
            _html_body(r, _Links(datasette, database, r["include_recovered"], r["query"]))
            for r in reports
        ]
        listed = "".join(f"<li>{html.escape(line)}</li>" for line in lines[1:])
        return _html_page(
            "\n".join([*bodies, f"<h2>{html.escape(lines[0])}</h2><ul>{listed}</ul>"])
        )
    parts = [render(r, fmt, datasette, database) for r in reports]
    if fmt == "markdown":
        parts.append("\n".join([f"### {lines[0]}", "", *[f"- {line}" for line in lines[1:]]]))
    else:
        parts.append(comparison_text(reports, everything))
    return "\n\n".join(parts)


def comparison_text(reports: list[dict], everything: dict) -> str:
    """compare's lines as text: the title, the organizations' lines under it."""
    title, *lines = compare(reports, everything)
    return "\n".join([title, *[f"  {line}" for line in lines]])


def compare(reports: list[dict], everything: dict) -> list[str]:
    """A title, then a line per watched organization: each query's messages with the offices
    beside all of them (each message once)."""
    lines = ["Topics compared: each organization's messages with the officials' offices"]
    for org in everything["organizations"]:
        whole = everything["organization_totals"][org]
        figures = [
            f"{r['query_read_as']} {r['organization_totals'][org]:,}"
            + (f" ({r['organization_totals'][org] / whole:.0%})" if whole else "")
            for r in reports
        ]
        lines.append(f"{org}: " + ", ".join(figures) + f"; {whole:,} in all")
    return lines


class _Links:
    """URLs of the message lists behind each figure: the plugin's page of the messages one count
    counts (`/-/messages/<db>?counted=…`), the same rows as `counted_messages`; with the
    report's query, only the emails it matches."""

    def __init__(self, base: str, database: str, recovered: bool, query: str | None = None):
        self.base, self.database, self.recovered = base.rstrip("/"), database, recovered
        self.query = query

    def __call__(self, counted: str, direction: str | None = None) -> str:
        return self.base + messages_path(
            self.database, counted, direction, recovered=self.recovered, query=self.query
        )


def _title(org: str, report: dict) -> str:
    """The table's title: which organization, and which emails when a query chose them."""
    title = f"{org} and the officials' offices"
    return title + (f", emails matching {report['query_read_as']}" if report.get("query") else "")


def _by_org(report: dict) -> list[tuple[str, list[dict]]]:
    return [
        (org, [o for o in report["offices"] if o["organization"] == org])
        for org in report["organizations"]
    ]


def _matching(report: dict) -> str:
    return f", emails matching {report['query_read_as']}" if report.get("query") else ""


def _note(report: dict) -> str:
    return (
        "messages; a message to several people of an office counts once; emails recovered from "
        + ("quoted history included" if report["include_recovered"] else "quotes left out")
        + f"; dates in {report.get('timezone', 'UTC')}"
    )


def _text(report: dict) -> str:
    if not report["organizations"] and not report["officials"]:
        return "No roster yet: run  backchannel analyze --roster roster.yaml  first."
    out = []
    for org, rows in _by_org(report):
        out.append(f"{_title(org, report)}  ({_note(report)})")
        out.append("")
        out.append(
            f"  {'office of':<22} {'org→office':>10} {'office→org':>10} {'total':>6}   "
            f"{'first':<10}   {'last':<10}   busiest months"
        )
        for r in rows:
            out.append(
                f"  {r['official']:<22} {r['org_to_office']:>10,} {r['office_to_org']:>10,} "
                f"{r['total']:>6,}   {r['first'] or '–':<10}   {r['last'] or '–':<10}   "
                f"{busiest(r['by_month'])}"
            )
        out.append("")
    out.append("Officials ranked by messages with the watched organizations" + _matching(report))
    out.append("")
    for r in report["officials"]:
        out.append(
            f"  {r['rank']:>2}. {r['official']:<22} {r['with_organizations']:>6,} with "
            f"organizations   sent {r['sent']:,}, received {r['received']:,} in all   "
            f"{r['first'] or '–'} – {r['last'] or '–'}"
        )
    return "\n".join(out)


def _markdown(report: dict, link: Any) -> str:
    out = []
    for org, rows in _by_org(report):
        out += [
            f"### {_title(org, report)}",
            "",
            f"_{_note(report)}_",
            "",
            "| office of | org → office | office → org | total | first | last | busiest months |",
            "|---|---:|---:|---:|---|---|---|",
        ]
        for r in rows:
            out.append(
                f"| {r['official']} "
                f"| [{r['org_to_office']}]({link(r['id'], 'org_to_office')}) "
                f"| [{r['office_to_org']}]({link(r['id'], 'office_to_org')}) "
                f"| [{r['total']}]({link(r['id'])}) "
                f"| {r['first'] or ''} | {r['last'] or ''} | {busiest(r['by_month'])} |"
            )
        out.append("")
    out += [
        "### Officials ranked by messages with the watched organizations" + _matching(report),
        "",
        "| rank | official | with organizations | sent | received | first | last |",
        "|---:|---|---:|---:|---:|---|---|",
    ]
    for r in report["officials"]:
        out.append(
            f"| {r['rank']} | {r['official']} | {r['with_organizations']} "
            f"| [{r['sent']}]({link(r['office_id'], 'sent')}) "
            f"| [{r['received']}]({link(r['office_id'], 'received')}) "
            f"| {r['first'] or ''} | {r['last'] or ''} |"
        )
    return "\n".join(out)


def _csv(report: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            "organization",
            "official",
            "org_to_office",
            "office_to_org",
            "total",
            "first",
            "last",
            "busiest_months",
            "timezone",
            *(["query"] if report.get("query") else []),
        ]
    )
    for r in report["offices"]:
        w.writerow(
            safe_row(
                [
                    r["organization"],
                    r["official"],
                    r["org_to_office"],
                    r["office_to_org"],
                    r["total"],
                    r["first"] or "",
                    r["last"] or "",
                    busiest(r["by_month"]),
                    report["timezone"],
                    *([report["query"]] if report.get("query") else []),
                ]
            )
        )
    return buf.getvalue()


PALETTE = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#555"]


def _chart(rows: list[dict]) -> str:
    """An SVG line chart: messages per month (both ways) for each office with any. Drawn here
    so the report is one file that opens anywhere, with nothing loaded from elsewhere."""
    rows = [r for r in rows if r["total"]]
    months = sorted({m for r in rows for m in r["by_month"]})
    if not months:
        return "<p>No messages to chart.</p>"
    months = month_range(months[0], months[-1])
    top = max(c for r in rows for c in r["by_month"].values())
    w, h, left, bottom, right = 720, 240, 40, 30, 170
    step = (w - left - right) / max(len(months) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: int) -> float:
        return 10 + (h - bottom - 10) * (1 - v / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="messages per month per office">',
        f'<line x1="{left}" y1="{y(0)}" x2="{w - right}" y2="{y(0)}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{y(top) + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{left - 6}" y="{y(0) + 4}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, m in enumerate(months):
        if len(months) <= 12 or i % max(1, len(months) // 12) == 0:
            parts.append(
                f'<text x="{x(i)}" y="{h - 10}" text-anchor="middle" font-size="11">{m}</text>'
            )
    for n, r in enumerate(rows):
        color = PALETTE[n % len(PALETTE)]
        points = " ".join(
            f"{x(i):.1f},{y(r['by_month'].get(m, 0)):.1f}" for i, m in enumerate(months)
        )
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        ly = 20 + n * 16
        parts.append(
            f'<rect x="{w - right + 10}" y="{ly - 9}" width="10" height="10" fill="{color}"/>'
            f'<text x="{w - right + 26}" y="{ly}" font-size="12">'
            f"{html.escape(r['official'])}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _html(report: dict, link: Any) -> str:
    return _html_page(_html_body(report, link))


def _html_body(report: dict, link: Any) -> str:
    e = html.escape

    def a(n: int, url: str) -> str:
        return f'<a href="{e(url)}">{n:,}</a>'

    body = []
    for org, rows in _by_org(report):
        body.append(f"<h2>{e(_title(org, report))}</h2>")
        body.append(f"<p class=note>{e(_note(report))}</p>")
        body.append(
            "<table><tr><th>office of</th><th>org → office</th><th>office → org</th>"
            "<th>total</th><th>first</th><th>last</th><th>busiest months</th></tr>"
        )
        for r in rows:
            body.append(
                f"<tr><td>{e(r['official'])}</td>"
                f"<td class=n>{a(r['org_to_office'], link(r['id'], 'org_to_office'))}</td>"
                f"<td class=n>{a(r['office_to_org'], link(r['id'], 'office_to_org'))}</td>"
                f"<td class=n>{a(r['total'], link(r['id']))}</td>"
                f"<td>{e(r['first'] or '')}</td><td>{e(r['last'] or '')}</td>"
                f"<td>{e(busiest(r['by_month']))}</td></tr>"
            )
        body.append("</table>")
        body.append(f"<h3>Messages per month, {e(org)} with each office</h3>")
        body.append(_chart(rows))
    body.append(
        "<h2>Officials ranked by messages with the watched organizations"
        f"{e(_matching(report))}</h2>"
    )
    body.append(
        "<table><tr><th>rank</th><th>official</th><th>with organizations</th><th>sent</th>"
        "<th>received</th><th>first</th><th>last</th></tr>"
    )
    for r in report["officials"]:
        body.append(
            f"<tr><td class=n>{r['rank']}</td><td>{e(r['official'])}</td>"
            f"<td class=n>{r['with_organizations']:,}</td>"
            f"<td class=n>{a(r['sent'], link(r['office_id'], 'sent'))}</td>"
            f"<td class=n>{a(r['received'], link(r['office_id'], 'received'))}</td>"
            f"<td>{e(r['first'] or '')}</td><td>{e(r['last'] or '')}</td></tr>"
        )
    body.append("</table>")
    return "\n".join(body)


def _html_page(body: str) -> str:
    """One HTML document around the reports' bodies: nothing loaded from elsewhere."""
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        "<title>backchannel report</title><style>"
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}"
        "table{border-collapse:collapse;margin:1em 0}td,th{padding:4px 10px;"
        "border-bottom:1px solid #ddd;text-align:left}.n{text-align:right}"
        ".note{color:#555}</style></head><body><h1>Who wrote to whom</h1>" + body + "</body></html>"
    )


__all__ = ["FORMATS", "build", "office_contact_id", "render"]
