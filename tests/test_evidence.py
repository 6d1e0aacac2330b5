"""Evidence packets against the truth corpus (tests/truth_corpus.py): a packet has exactly its
figure's emails (the truth says which, by construction), every row a file and a place in it,
and the place really holds the email (the bytes at the offset, the text of the page); the
figure, its message list in Datasette and its packet never disagree, with or without a
search; the HTML and PDF packets render."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import re
import sqlite3
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlparse

import pypdfium2
import pytest
import truth_corpus
from click.testing import CliRunner
from conftest import run_cli
from datasette.app import Datasette
from truth_corpus import CBC, HFA

from backchannel.cli import cli
from backchannel.publish import metadata_for


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evidence")
    emails = truth_corpus.build(folder)
    db = folder / "t.db"
    run_cli("ingest", str(folder / "dump"), "--db", str(db))
    run_cli("analyze", "--db", str(db), "--roster", str(folder / "roster.yaml"))
    return folder, emails, db


def people(name: str) -> list:
    return [p for p in truth_corpus.EVERYONE if p.name == name]


def truth_sets(emails, *, include_recovered: bool = False) -> dict:
    """Which emails (by number) each figure counts, from the construction alone."""
    sets: dict[tuple, set[int]] = {}

    def add(key: tuple, n: int) -> None:
        sets.setdefault(key, set()).add(n)

    for e in emails:
        if e.recovered and not include_recovered:
            continue
        s = e.sender
        for r in e.recipients():
            add(("person", s.name, "sent"), e.n)
            add(("person", r.name, "received"), e.n)
            add(("pair", s.name, r.name), e.n)
            gs, gr = truth_corpus.groups_of(s), truth_corpus.groups_of(r)
            for g in gs - gr:
                add(("group", g, "sent"), e.n)
            for g in gr - gs:
                add(("group", g, "received"), e.n)
            if s.org and r.office:
                add(("office_contact", s.org, r.office, "org_to_office"), e.n)
            if s.office and r.org:
                add(("office_contact", r.org, s.office, "office_to_org"), e.n)
    return sets


def packet(db, tmp_path, *args: str, fmt: str = "csv"):
    out = tmp_path / f"packet.{fmt}"
    said = run_cli("evidence", "--db", str(db), *args, "--format", fmt, "--out", str(out))
    assert said.startswith(f"Wrote {out}: ")
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    return out


def numbers(rows: list[dict]) -> set[int]:
    """The truth's email numbers, read from each row's subject ("Zoning #12")."""
    return {int(re.search(r"#(\d+)$", r["subject"]).group(1)) for r in rows}


# (how the packet is asked for, which truth set it is)
FIGURES = [
    (
        ["--organization", HFA, "--official", "Nadia Quill"],
        [
            ("office_contact", HFA, "Nadia Quill", "org_to_office"),
            ("office_contact", HFA, "Nadia Quill", "office_to_org"),
        ],
    ),
    (
        ["--organization", HFA, "--official", "Nadia Quill", "--direction", "office_to_org"],
        [("office_contact", HFA, "Nadia Quill", "office_to_org")],
    ),
    (
        ["--organization", CBC, "--official", "Oren Blackwood", "--direction", "org_to_office"],
        [("office_contact", CBC, "Oren Blackwood", "org_to_office")],
    ),
    (
        ["--official", "Oren Blackwood", "--direction", "sent"],
        [("group", "office:Oren Blackwood", "sent")],
    ),
    (
        ["--official", "petra lindqvist"],  # case does not matter
        [
            ("group", "office:Petra Lindqvist", "sent"),
            ("group", "office:Petra Lindqvist", "received"),
        ],
    ),
    (["--organization", HFA, "--direction", "received"], [("group", f"org:{HFA}", "received")]),
    (
        ["--person", "Wren Castellano", "--direction", "sent"],
        [("person", "Wren Castellano", "sent")],
    ),
    (
        ["--person", "Ines Ortuzar"],
        [("person", "Inés Ortúzar", "sent"), ("person", "Inés Ortúzar", "received")],
    ),
    (
        ["--person", "Nadia Quill", "--person", "Wren Castellano", "--direction", "sent"],
        [("pair", "Nadia Quill", "Wren Castellano")],
    ),
    (
        ["--person", "Wren Castellano", "--person", "Nadia Quill"],
        [("pair", "Nadia Quill", "Wren Castellano"), ("pair", "Wren Castellano", "Nadia Quill")],
    ),
]


@pytest.mark.parametrize(
    "args, keys", FIGURES, ids=lambda v: " ".join(v) if v and isinstance(v[0], str) else ""
)
def test_a_packet_has_exactly_its_figures_emails(truth, tmp_path, args, keys):
    _, emails, db = truth
    sets = truth_sets(emails)
    want = set().union(*(sets.get(k, set()) for k in keys))
    rows = packet(db, tmp_path, *args)
    assert want, "a figure of the truth with no emails tests nothing"
    assert len(rows) == len({r["message_id"] for r in rows})  # each email once
    assert numbers(rows) == want
    # In date order, as the figure's message list.
    order = [r["message_id"] for r in rows]
    conn = sqlite3.connect(db)
    sent = dict(conn.execute("select id, sent_at from messages"))
    assert order == sorted(order, key=lambda m: (sent[m] or "", m))
    assert {r["status"] for r in rows} == {"counted"}


def test_every_row_names_files_and_places_that_hold_the_email(truth, tmp_path):
    folder, emails, db = truth
    rows = packet(db, tmp_path, "--organization", HFA)
    assert len(rows) > 50
    dump = folder / "dump"
    pages: dict[int, str] = {}
    pdf = pypdfium2.PdfDocument(dump / "production.pdf")
    for i in range(len(pdf)):
        pages[i + 1] = pdf[i].get_textpage().get_text_range()
    methods = set()
    for r in rows:
        subject = r["subject"]
        files, places = r["file"].split("\n"), r["place"].split("\n")
        shas, kinds = r["sha256"].split("\n"), r["method"].split("\n")
        assert int(r["copies"]) == len(files) == len(places) == len(shas) >= 1
        assert r["from"] and (r["to"] or r["cc"] or r["bcc"]), r
        for file, place, sha, method in zip(files, places, shas, kinds, strict=True):
            methods.add(method)
            data = (dump / file).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha, file
            offset = re.match(r"offset (\d+), (\d+) bytes", place)
            page = re.match(r"page (\d+) \((CTY-\d+)\)", place)
            quoted = re.match(r"quoted in message ([0-9a-f]{16}), part \d+", place)
            if offset:
                start, length = int(offset.group(1)), int(offset.group(2))
                held = data[start : start + length].decode("utf-8", "replace")
                assert f"Subject: {subject}" in held, (place, subject)
            elif page:
                text = pages[int(page.group(1))]
                assert subject in text and page.group(2) in text, (place, subject)
            else:
                assert quoted, place
                assert f"Subject: {subject}".encode() in data
    assert methods >= {"rfc822", "pdf-text", "quoted"}


def test_recovered_emails_are_marked_when_asked_for(truth, tmp_path):
    _, emails, db = truth
    args = ["--organization", HFA, "--official", "Nadia Quill"]
    counted = packet(db, tmp_path, *args)
    every = packet(db, tmp_path, *args, "--include-recovered")
    recovered = [r for r in every if r["status"] != "counted"]
    assert recovered and len(every) == len(counted) + len(recovered)
    sets = truth_sets(emails, include_recovered=True)
    keys = [("office_contact", HFA, "Nadia Quill", d) for d in ("org_to_office", "office_to_org")]
    assert numbers(every) == set().union(*(sets.get(k, set()) for k in keys))
    hidden = {e.n for e in emails if e.recovered}
    assert numbers(recovered) <= hidden
    assert all("quoted in message" in r["place"] for r in recovered)


def test_a_searched_packet_is_the_searched_figure(truth, tmp_path):
    _, _, db = truth
    report = json.loads(run_cli("report", "--db", str(db), "--format", "json", "--query", "zoning"))
    for o in report["offices"]:
        rows = packet(
            db,
            tmp_path,
            "--organization",
            o["organization"],
            "--official",
            o["official"],
            "--query",
            "zoning",
        )
        assert sorted(r["message_id"] for r in rows) == sorted(o["message_ids"])
        assert all("zoning" in (r["subject"] + r["first_lines"]).lower() for r in rows)


def test_a_name_the_corpus_lacks_is_refused(truth, tmp_path):
    _, _, db = truth
    for args, said in (
        (["--official", "Nobody Here"], "no official 'Nobody Here'"),
        (["--person", "Gil Ferreira", "--person", "Petra Lindqvist"], "never wrote to each other"),
        (["--official", "Nadia Quill", "--direction", "a_to_b"], "has no direction"),
        ([], "name a figure"),
        (["--official", "Nadia Quill", "--person", "Gil Ferreira"], "name one figure"),
    ):
        result = CliRunner().invoke(
            cli, ["evidence", "--db", str(db), *args, "--out", str(tmp_path / "x.csv")]
        )
        assert result.exit_code == 1 and said in result.output, result.output
        assert not (tmp_path / "x.csv").exists()


class Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.emails, self.h1, self._in_h1 = 0, "", False

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and ("class", "email") in attrs:
            self.emails += 1
        self._in_h1 = tag == "h1"

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def test_html_and_pdf_packets_render(truth, tmp_path):
    _, emails, db = truth
    args = ["--organization", HFA, "--official", "Nadia Quill", "--query", "zoning OR permits"]
    rows = packet(db, tmp_path, *args)
    html = packet(db, tmp_path, *args, fmt="html").read_text(encoding="utf-8")
    parsed = Rows()
    parsed.feed(html)
    assert parsed.emails == len(rows) > 3
    assert parsed.h1.startswith(
        f"{len(rows)} emails between {HFA} and the office of Nadia Quill, either way, "
        "matching the search zoning OR permits: an office is the official"
    )
    assert "Corpus as of its last ingest, 20" in html and "Dates in Etc/GMT+5." in html
    assert "<script" not in html and "@media print" in html
    pdf = pypdfium2.PdfDocument(packet(db, tmp_path, *args, fmt="pdf"))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    flat = " ".join(text.split())
    assert flat.startswith(f"{len(rows)} emails between {HFA} and the office of Nadia Quill")
    assert "Corpus as of its last ingest" in flat and "Checked by" in flat
    for r in rows:  # every email's subject, and its first file's sha256 (split on two lines)
        assert r["subject"] in flat
        sha = r["sha256"].split("\n")[0]
        assert sha[:32] in flat and sha[32:] in flat
    assert f"page 1 of {len(pdf)}" in flat
    assert "Inés Ortúzar" in flat or "Ortúzar" not in html  # accents kept (a Unicode font)


# -- the same numbers everywhere -----------------------------------------------------------------


def get(ds: Datasette, path: str):
    return asyncio.run(ds.client.get(path))


def listed(ds, url: str) -> tuple[int, list[str]]:
    """A count page's figure (its heading) and the emails it lists."""
    page = get(ds, url)
    assert page.status_code == 200, url
    figure = int(
        re.search(r'<span class="count-total">([\d,]+)</span>', page.text).group(1).replace(",", "")
    )
    ids = re.findall(r'<tr class="message">.*?href="/-/email/t/([0-9a-f]{16})', page.text)
    return figure, ids


def downloaded(ds, url: str) -> list[str]:
    """The message ids of a count page's CSV packet, from the page's own download link."""
    page = get(ds, url)
    link = re.search(r'<a class="packet" href="([^"]+\.csv\?[^"]+)"', page.text).group(1)
    response = get(ds, link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return [r["message_id"] for r in csv.DictReader(io.StringIO(response.text))]


@pytest.fixture(scope="module")
def served(truth):
    _, _, db = truth
    return Datasette([str(db)], immutables=[], metadata=metadata_for("t")), db


def test_every_figure_its_list_and_its_packet_agree(served):
    ds, db = served
    conn = sqlite3.connect(db)
    figures = []
    for table, columns in (
        (
            "office_contacts",
            {"org_to_office": "org_to_office", "office_to_org": "office_to_org", "total": None},
        ),
        ("offices", {"sent": "sent", "received": "received"}),
        ("organizations", {"sent": "sent", "received": "received"}),
        ("persons", {"sent": "sent", "received": "received"}),
        ("contacts", {"a_to_b": "a_to_b", "b_to_a": "b_to_a", "total": None}),
    ):
        for row in conn.execute(f"select id, {', '.join(columns)} from {table}"):
            for direction, n in zip(columns.values(), row[1:], strict=True):
                if n:
                    figures.append((row[0], direction, n))
    assert len(figures) > 100
    for counted, direction, n in figures:
        url = "/-/messages/t?" + urlencode(
            {"counted": counted, **({"direction": direction} if direction else {})}
        )
        figure, ids = listed(ds, url)
        assert figure == len(ids) == n, url
        assert downloaded(ds, url) == ids, url


def test_the_story_page_follows_a_search(served):
    """The story's figures with ?q= are report --query's; each opens as many emails, and its
    packet has them."""
    ds, db = served
    report = json.loads(run_cli("report", "--db", str(db), "--format", "json", "--query", "zoning"))
    want = {(o["organization"], o["official"]): o for o in report["offices"]}
    page = get(ds, "/-/story/t?q=zoning")
    assert page.status_code == 200
    assert 'value="zoning"' in page.text and "emails matching zoning" in page.text
    rows = re.findall(
        r'<tr class="office" data-official="([^"]+)" data-total="(\d+)">(.*?)</tr>', page.text, re.S
    )
    seen = set()
    for block in page.text.split('<section class="story">')[1:]:
        org = re.search(r"<h2>(.*?)</h2>", block).group(1)
        for official, total, cells in re.findall(
            r'<tr class="office" data-official="([^"]+)" data-total="(\d+)">(.*?)</tr>', block, re.S
        ):
            o = want[(org, official)]
            assert int(total) == o["total"]
            dates = re.findall(r'<td class="date">([^<]*)</td>', cells)
            assert dates == [o["first"] or "–", o["last"] or "–"], (org, official)
            links = re.findall(r'<a class="count" href="([^"]+)">([\d,]+)</a>', cells)
            figures = [int(n) for _, n in links]
            assert figures == [n for n in (o["org_to_office"], o["office_to_org"], o["total"]) if n]
            for href, n in links:
                href = href.replace("&amp;", "&")
                assert parse_qs(urlparse(href).query)["q"] == ["zoning"]
                figure, ids = listed(ds, href)
                assert figure == len(ids) == int(n)
                assert downloaded(ds, href) == ids
                if "direction" not in href:
                    assert sorted(ids) == sorted(o["message_ids"])
            seen.add((org, official))
    assert seen == set(want) and len(rows) == len(want)
    # Without the search, the stored figures.
    plain = get(ds, "/-/story/t").text
    conn = sqlite3.connect(db)
    for official, total in conn.execute(
        "select official, total from office_contacts where organization = ?", [HFA]
    ):
        assert f'data-official="{official}" data-total="{total}"' in plain
    assert (
        sum(o["total"] for o in report["offices"])
        < conn.execute("select sum(total) from office_contacts").fetchone()[0]
    )


def test_a_search_with_nothing_to_look_for_is_said(served):
    ds, _ = served
    page = get(ds, "/-/story/t?q=OR")
    assert page.status_code == 200 and "nothing to search for" in page.text
    assert get(ds, "/-/messages/t?counted=x&q=OR").status_code == 400
    assert get(ds, "/-/evidence/t.csv?counted=nothing-here").status_code == 404
    pdf = get(
        ds,
        "/-/evidence/t.pdf?"
        + urlencode(
            {
                "counted": sqlite3.connect(served[1])
                .execute("select id from offices limit 1")
                .fetchone()[0]
            }
        ),
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_row_taller_than_a_page_goes_on_to_the_next(tmp_path):
    """An email with sixty copies: its row continues over pages, the heading on each, every
    copy's hash in the text; and a character outside Latin-1 is kept (a Unicode font)."""
    from backchannel.evidence.figure import Figure
    from backchannel.evidence.packet import Copy, Packet, Row
    from backchannel.evidence.pdf import to_pdf

    shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(60)]
    row = Row(
        id="0" * 16,
        sent="2025-01-02T03:04:00+00:00",
        sender="Zofia Kowalczyk <zofia@hfa.example>",
        to=["Łukasz Żółw <l@x.example>"],
        cc=[],
        bcc=[],
        subject="Permits #1",
        direction="sent",
        recovered=False,
        first_lines=["A line."],
        copies=[
            Copy(f"box{i}.mbox", f"offset {i}, 10 bytes", "c", sha, "rfc822")
            for i, sha in enumerate(shas)
        ],
    )
    packet = Packet(
        Figure("x", kind="person", description="sent by Zofia Kowalczyk"), [row], "UTC", None
    )
    out = tmp_path / "tall.pdf"
    out.write_bytes(to_pdf(packet))
    pdf = pypdfium2.PdfDocument(out)
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(pdf) >= 3
    assert all("copies: file, place in it" in t for t in texts)  # the heading on every page
    flat = " ".join(" ".join(texts).split())
    assert all(sha[:32] in flat and sha[32:] in flat for sha in shas)
    assert "Łukasz Żółw" in flat
