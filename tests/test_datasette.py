"""Publishing through Datasette's own test client: metadata applied, canned queries right on the
sample, count links leading to exactly the counted messages, the email page safe."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from html import escape, unescape
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import make_email, run_cli
from datasette.app import Datasette

from backchannel.publish import metadata_for


@pytest.fixture(scope="module")
def published(analyzed_sample):
    db, _ = analyzed_sample
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for("sample"))
    return ds, db


def get(ds: Datasette, path: str):
    return asyncio.run(ds.client.get(path))


def test_metadata_is_applied(published):
    ds, _ = published
    assert get(ds, "/-/metadata.json").json()["title"] == "backchannel"
    page = get(ds, "/sample/office_contacts")
    assert page.status_code == 200
    assert "The canonical table" in page.text
    data = get(ds, "/sample/office_contacts.json?_shape=objects").json()
    # No facets there: their figures would count rows, and read as messages.
    assert not data["facet_results"]
    assert "sorted by total descending" in data["human_description_en"]
    totals = [r["total"] for r in data["rows"]]
    assert totals == sorted(totals, reverse=True)
    # Label columns: foreign keys read as names.
    contacts = get(ds, "/sample/contacts.json?_shape=objects&_labels=on").json()["rows"]
    assert isinstance(contacts[0]["person_a"], dict) and contacts[0]["person_a"]["label"]
    # The database page links the charts and the network.
    assert "/-/charts/sample" in get(ds, "/").text


def canned(ds, name: str, **params) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = get(ds, f"/sample/{name}.json?_shape=objects&{query}")
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_canned_queries_on_the_sample(published):
    ds, db = published
    conn = sqlite3.connect(db)
    a, b = conn.execute(
        "select org_to_office, office_to_org from office_contacts "
        "where official = 'Dana Whitfield' and organization = 'Better Schools Now'"
    ).fetchone()
    rows = canned(
        ds,
        "office_and_organization",
        official="Dana Whitfield",
        organization="Better Schools Now",
    )
    assert sum(r["direction"] == "org_to_office" for r in rows) == a
    assert sum(r["direction"] == "office_to_org" for r in rows) == b
    sent, received = conn.execute(
        "select sent, received from offices where official = 'Samuel Okafor'"
    ).fetchone()
    months = canned(ds, "official_by_month", official="Samuel Okafor")
    assert sum(r["sent"] for r in months) == sent
    assert sum(r["received"] for r in months) == received
    rosa = canned(ds, "sent_by_person", person="Rosa Ibáñez")
    assert (
        len(rosa)
        == conn.execute("select sent from persons where name = 'Rosa Ibáñez'").fetchone()[0]
    )
    assert canned(ds, "sent_by_person", person="rosa@betterschoolsnow.example") == rosa
    # Names as a reporter types them: any case, no accents.
    assert canned(ds, "sent_by_person", person="rosa ibanez") == rosa
    assert (
        canned(
            ds,
            "office_and_organization",
            official="dana whitfield",
            organization="better schools now",
        )
        == rows
    )
    redacted = canned(ds, "redacted_emails")
    assert (
        len(redacted)
        == conn.execute("select count(distinct message_id) from redactions").fetchone()[0]
    )
    assert redacted and all("B6" in r["codes"] or "(b)(6)" in r["codes"] for r in redacted)
    recovered = canned(ds, "recovered_emails")
    assert (
        len(recovered)
        == conn.execute("select count(*) from messages where recovered = 1").fetchone()[0]
    )
    found = canned(ds, "search", q="Ibanez")
    assert any(r["found"] == "message" and "Ibáñez" in r["snippet"] for r in found)
    attachments = canned(ds, "search", q="owner")
    assert any(r["found"].startswith("attachment: ") for r in attachments)


def test_canned_queries_link_their_emails_and_offer_names(published):
    ds, db = published
    conn = sqlite3.connect(db)
    page = get(ds, "/sample/sent_by_person?person=rosa+ibanez")
    html = page.text
    # A short title for the tab, not the SQL.
    assert re.search(r"<title>Everything a person sent: sample</title>", html)
    ids = [
        r[0]
        for r in conn.execute(
            "select m.id from messages m join participants p on p.message_id = m.id "
            "join persons pe on pe.id = p.person_id "
            "where p.role = 'from' and pe.name = 'Rosa Ibáñez'"
        )
    ]
    linked = set(re.findall(r'href="/-/email/sample/([0-9a-f]{16})"', html))
    assert ids and linked == set(ids)
    # Subjects open the email too.
    subject = conn.execute("select subject from messages where id = ?", [ids[0]]).fetchone()[0]
    assert f'href="/-/email/sample/{ids[0]}">{escape(subject)}</a>' in html
    # The pickers: every official, organization and named person of the corpus.
    for name, sql in [
        ("official", "select official from offices"),
        ("organization", "select name from organizations"),
    ]:
        listed = re.search(rf'<datalist id="choices-{name}">(.*?)</datalist>', html, re.S)
        options = {unescape(v) for v in re.findall(r'<option value="([^"]*)">', listed.group(1))}
        assert options == {r[0] for r in conn.execute(sql)}
    assert 'value="Rosa Ibáñez"' in unescape(html)
    assert "pickers.js" in html
    # Searching in the canned query: words found marked, the email a link, markup escaped.
    found = get(ds, "/sample/search?q=Ibanez").text
    assert re.search(r"<mark>Ib\u00e1\u00f1ez</mark>|<mark>Ibáñez</mark>", found)
    assert re.search(r'href="/-/email/sample/[0-9a-f]{16}"', found)


def test_search_page_ranks_marks_and_opens_emails(published, hostile):
    ds, db = published
    conn = sqlite3.connect(db)
    page = get(ds, "/-/search/sample?q=owner")
    assert page.status_code == 200
    html = page.text
    # Every email with the word in its subject or body is listed, and each link opens it.
    want = {
        r[0]
        for r in conn.execute(
            "select m.id from messages_fts f join messages m on m.rowid = f.rowid "
            "where messages_fts match 'owner'"
        )
    }
    rows = html[html.index("subject or body</h3>") : html.index("attachments with the words</h3>")]
    assert set(re.findall(r'href="/-/email/sample/([0-9a-f]{16})\?', rows)) == want
    assert "<mark>owner</mark>" in html.lower()
    # Attachments found by their text, each with its email.
    with_owner = {
        r[0]
        for r in conn.execute(
            "select a.message_id from attachments_fts f join attachments a on a.rowid = f.rowid "
            "where attachments_fts match 'owner'"
        )
    }
    part = html[html.index("attachments with the words</h3>") :]
    assert with_owner and set(re.findall(r"/-/email/sample/([0-9a-f]{16})\?", part)) == with_owner
    # The total is every email either way, each once: what report --query counts.
    total = re.search(r'<h2 class="search-total">([\d,]+) emails match</h2>', html)
    assert int(total.group(1).replace(",", "")) == len(want | with_owner)
    # Punctuation is no syntax error; nothing found is said.
    odd = get(ds, "/-/search/sample?q=%22budget+(AND")
    assert odd.status_code == 200 and "0 emails" in odd.text
    # An email's markup in a snippet is text.
    hostile_db, _ = hostile
    other = Datasette([str(hostile_db)], immutables=[], metadata=metadata_for("hostile"))
    html = get(other, "/-/search/hostile?q=script").text
    assert "&lt;<mark>script</mark>&gt;window.__pwned" in html
    assert "<script>window" not in html


def count_links(html: str) -> list[tuple[int, str]]:
    return [
        (int(n.replace(",", "")), unescape(href))
        for href, n in re.findall(r'<a class="count" href="([^"]+)">([\d,]+)</a>', html)
    ]


def listed_ids(html: str) -> list[str]:
    return re.findall(r'<tr class="message">.*?href="/-/email/sample/([^"?]+)[?"]', html)


@pytest.mark.parametrize(
    "table", ["office_contacts", "office_contact_months", "offices", "organizations", "contacts"]
)
def test_count_links_open_exactly_the_counted_messages(published, table):
    ds, db = published
    conn = sqlite3.connect(db)
    links = count_links(get(ds, f"/sample/{table}?_size=max").text)
    assert links, table
    for figure, href in links:
        page = get(ds, href)
        assert page.status_code == 200
        ids = listed_ids(page.text)
        assert len(ids) == len(set(ids)) == figure, href
        query = {k: v[0] for k, v in parse_qs(urlparse(href).query).items()}
        where = " and ".join(f"{k} = ?" for k in query) + " and recovered = 0"
        want = {
            r[0]
            for r in conn.execute(
                f"select message_id from counted_messages where {where}", list(query.values())
            )
        }
        assert set(ids) == want, href


def test_email_page_shows_provenance(published):
    ds, db = published
    conn = sqlite3.connect(db)
    printed = conn.execute(
        "select message_id from message_copies where method = 'pdf-text' and message_id in "
        "(select message_id from redactions) limit 1"
    ).fetchone()[0]
    page = get(ds, f"/-/email/sample/{printed}")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    html = page.text
    assert "production-1-printed.pdf" in html and "LUSD-" in html
    assert "(b)(6)" in html and "pdf-text" in html
    reply = conn.execute(
        "select id from messages where body_quoted is not null and thread_id is not null limit 1"
    ).fetchone()[0]
    html = get(ds, f"/-/email/sample/{reply}").text
    assert "Quoted history" in html and "Thread (" in html
    assert get(ds, "/-/email/sample/nope").status_code == 404


def test_email_page_bates_hash_counts_and_way_back(published):
    ds, db = published
    conn = sqlite3.connect(db)
    mid, bates, sha = conn.execute(
        "select c.message_id, c.bates, s.sha256 from message_copies c join sources s "
        "on s.id = c.source_id where c.bates is not null limit 1"
    ).fetchone()
    html = get(ds, f"/-/email/sample/{mid}").text
    assert f'<td class="bates">{bates}</td>' in html
    assert sha in html  # the whole hash, to compare with sha256sum
    # Counted in: every count whose list holds this email, each link opening a list with it.
    counted = conn.execute(
        "select distinct counted, direction from counted_messages where message_id = ?", [mid]
    ).fetchall()
    section = html[html.index("<h2>Counted in</h2>") :]
    section = section[: section.index("</ul>")]
    links = [unescape(h) for h in re.findall(r'href="([^"]+)"', section)]
    assert len(links) == len(counted) > 0
    for link in links:
        query = {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
        assert (query["counted"], query["direction"]) in counted
        assert mid in listed_ids(get(ds, link).text)
    # From a count's list, the email page links back to that list, and only within the site.
    listing = links[0]
    email_link = next(
        unescape(h) for h in re.findall(r'href="([^"]+)"', get(ds, listing).text) if mid in h
    )
    back = get(ds, email_link).text
    assert f'href="{listing.replace("&", "&amp;")}">← back' in back
    evil = get(ds, f"/-/email/sample/{mid}?back=//evil.example/x").text
    assert "evil.example" not in evil and "← back" not in evil


def test_thread_tree_hangs_replies_and_shows_what_is_missing():
    from backchannel.publish.queries import thread_tree

    def m(id, mid, reply=None, refs="", sent="2025-01-0"):
        return {
            "id": id,
            "message_id": mid,
            "in_reply_to": reply,
            "reference_ids": refs,
            "sent_at": sent,
        }

    thread = [
        m("a", "<a>", sent="1"),
        m("b", "<b>", "<a>", "<a>", "2"),
        m("c", "<c>", "<gone>", "<a> <gone>", "3"),  # its parent was never produced
        m("d", "<d>", None, "<a> <b>", "4"),  # References only: under the last known one
        m("e", None, sent="5"),  # joined by subject: at the top
        m("f", "<f>", "<c>", "", "6"),
        m("x", "<x>", "<y>", "", "7"),  # a loop: x and y name each other
        m("y", "<y>", "<x>", "", "8"),
    ]
    tree = [(t["id"], t["depth"]) for t in thread_tree(thread)]
    assert tree == [
        ("a", 0),
        ("b", 1),
        ("d", 2),
        ("missing:<gone>", 1),
        ("c", 2),
        ("f", 3),
        ("e", 0),
        ("x", 0),
        ("y", 1),
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A corpus with one email built to attack whoever reads it."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "dump").mkdir()
    (folder / "dump" / "attack.eml").write_bytes(
        make_email(
            subject="<script>window.__pwned = 'subject'</script>",
            body="Plain text with <script>window.__pwned = 'text'</script> in it.\n",
            html=(
                "<p>Hello</p><script>window.__pwned = 'script'</script>"
                '<img src="http://tracker.invalid/pixel.gif" '
                "onerror=\"window.__pwned = 'onerror'\">"
                "<a href=\"javascript:window.__pwned = 'link'\">click</a>"
                '<div style="background:url(http://tracker.invalid/bg.png)">styled</div>'
            ),
        )
    )
    db = folder / "hostile.db"
    run_cli("ingest", str(folder / "dump"), "--db", str(db))
    run_cli("analyze", "--db", str(db))
    mid = sqlite3.connect(db).execute("select id from messages").fetchone()[0]
    return db, mid


def test_hostile_email_is_shown_as_text(hostile):
    db, mid = hostile
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for("hostile"))
    page = get(ds, f"/-/email/hostile/{mid}")
    html = page.text
    assert "window.__pwned" in html  # shown, as text
    assert "<script>window.__pwned" not in html
    assert "onerror" not in html and "tracker.invalid" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_whats_missing_page(tmp_path):
    """The page lists each finding with links; built on a corpus with a gap of each kind."""
    import sys

    from conftest import ROOT, write_mbox

    sys.path.insert(0, str(ROOT / "sample"))
    import printout

    pages = [
        f"From: Rosa <rosa@bsn.example>\nSent: Monday, March {n}, 2025 4:02 PM\n"
        f"To: dana@district.example\nSubject: Page {n}\n\nText {n}.\n\n\n"
        f"                                              LUSD-{n:06d}"
        for n in (1, 2, 5)
    ]
    printout.layout_pdf(pages, tmp_path / "released.pdf")
    # A page blacked out whole, between two released ones.
    import pypdfium2 as pdfium
    from fpdf import FPDF

    black = FPDF(format="letter")
    black.add_page()
    black.set_fill_color(0, 0, 0)
    black.rect(0, 0, black.w, black.h, style="F")
    black.output(str(tmp_path / "black.pdf"))
    doc = pdfium.PdfDocument(str(tmp_path / "released.pdf"))
    doc.import_pages(pdfium.PdfDocument(str(tmp_path / "black.pdf")), index=2)
    doc.save(str(tmp_path / "production.pdf"))
    doc.close()
    reply = b"In-Reply-To: <withheld@district.example>\n" + make_email(
        message_id="<r1@x>", subject="Re: Budget"
    )
    write_mbox(tmp_path / "box.mbox", [reply])
    db = tmp_path / "m.db"
    run_cli("ingest", str(tmp_path / "production.pdf"), str(tmp_path / "box.mbox"), "--db", db)
    run_cli("analyze", "--db", db)
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for("m"))
    page = get(ds, "/-/missing/m")
    assert page.status_code == 200
    html = unescape(page.text)
    assert "LUSD-000003 to LUSD-000004" in html
    assert 'Pages withheld whole <span class="muted">(1)</span>' in html
    assert "<td>production.pdf</td><td>3</td>" in html
    assert "Re: Budget" in html and "/-/email/m/" in html
    assert "What's missing" in unescape(get(ds, "/").text)  # in the menu


def test_story_page_says_what_the_report_says(published):
    """The story page's figures are the report's, and its sentence is computed from them."""
    ds, db = published
    report = json.loads(run_cli("report", "--db", str(db), "--format", "json"))
    html = unescape(get(ds, "/-/story/sample").text)
    for o in report["offices"]:
        row = re.search(
            rf'data-official="{re.escape(o["official"])}" data-total="(\d+)">(.*?)</tr>',
            html.split(f"<h2>{o['organization']}</h2>")[1].split("</section>")[0],
            re.S,
        )
        assert int(row.group(1)) == o["total"], o["official"]
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', row.group(2), re.S)
        ][:3]
        # A zero is plain text; any other figure is a link to its emails.
        assert all(
            ("<a " in c) == (c.strip() != "0")
            for c in re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', row.group(2), re.S)[:3]
        )
        assert [int(c.replace(",", "")) for c in cells] == [
            o["org_to_office"],
            o["office_to_org"],
            o["total"],
        ]
    assert (
        "Better Schools Now exchanged 78 and 63 messages with the offices of Dana Whitfield and "
        "Samuel Okafor, and 0 to 2 with each of the other 5." in html
    )
    assert "dates in America/Los_Angeles" in html
    # The organization's share: its mail with any office, each message once, of all its mail.
    conn = sqlite3.connect(db)
    mail = conn.execute(
        "select count(distinct message_id) from counted_messages c join organizations o "
        "on o.id = c.counted where o.name = 'Better Schools Now' and c.recovered = 0"
    ).fetchone()[0]
    with_offices = conn.execute(
        "select count(distinct message_id) from counted_messages where recovered = 0 and "
        "counted in (select id from office_contacts where organization = 'Better Schools Now')"
    ).fetchone()[0]
    assert (
        f"Better Schools Now sent and received {mail:,} messages with anyone outside it; "
        f"{with_offices:,} of them" in re.sub(r"\s+", " ", html)
    )


def test_every_table_and_column_is_described():
    """An editor reads what each column means on its table page: a column added to the schema
    without a description in datasette_metadata.json fails here."""
    from backchannel.corpus.schema import TABLES
    from backchannel.publish import DEFAULT_COLUMNS, METADATA

    described = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["corpus"]["tables"]
    missing = [
        f"{table}.{column}"
        for table, spec in TABLES.items()
        for column in spec["columns"]
        if not described.get(table, {}).get("columns", {}).get(column)
    ]
    assert not missing, missing
    assert not [t for t in TABLES if not described.get(t, {}).get("description")]
    # The columns shown first exist (a typo would hide a table's every column).
    for table, columns in DEFAULT_COLUMNS.items():
        assert set(columns) <= set(TABLES[table]["columns"]), table


def test_tables_read_in_order_with_headers_as_lines(published):
    ds, db = published
    page = get(ds, "/sample").text
    listed = re.findall(r'<h3><a href="/sample/([^"]+)"', page)
    assert listed[:3] == ["office_contacts", "office_contact_months", "messages"]
    assert listed.index("counted_messages") > listed.index("errors")
    # The messages table: headers as Name: value lines; internal columns hidden by the
    # project's stylesheet, documented in the column descriptions all the same.
    messages = get(ds, "/sample/messages?_size=5").text
    assert '<span class="header-line"><b>From:</b>' in messages
    assert 'data-column-description="Internal: what makes two copies one email' in messages
    css = get(ds, "/-/backchannel/tables.css")
    assert css.headers["content-type"].startswith("text/css")
    assert "body.table-messages:not(.all-columns)" in css.text and ".col-subject" in css.text
    assert "tables.js" in messages
