"""The published corpus in a real browser: Debian's chromium driven by Playwright against a real
`backchannel serve`. Screenshots go to test-artifacts/. Every request the pages make is checked:
none may leave this machine (the route guard aborts and records it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, make_email, rows, run_cli

from backchannel.publish.local import serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):  # scripts/test.sh installs it: missing in CI is a failure
        raise RuntimeError(f"no chromium at {CHROMIUM}: scripts/setup.sh --browser installs it")
    pytest.skip(
        "Debian's chromium is not installed (scripts/setup.sh --browser)", allow_module_level=True
    )

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(sample, tmp_path_factory):
    """The sample corpus, plus one hostile email, served by `backchannel serve`."""
    folder, _ = sample
    work = tmp_path_factory.mktemp("browser")
    db = work / "sample.db"
    hostile = work / "hostile"
    hostile.mkdir()
    (hostile / "attack.eml").write_bytes(
        make_email(
            sender="Mallory Quist <mallory@attacker.example>",
            subject="Hostile email",
            message_id="<hostile@attacker.example>",
            body="Plain text with <script>window.__pwned = 'text'</script> in it.\n",
            html=(
                "<p>Hello</p><script>window.__pwned = 'script'</script>"
                '<img src="http://tracker.invalid/pixel.gif" '
                "onerror=\"window.__pwned = 'onerror'\">"
                "<a id=bad href=\"javascript:window.__pwned = 'link'\">click</a>"
            ),
        )
    )
    # A reply to an email that was not produced: a thread with a missing parent.
    (hostile / "reply.eml").write_bytes(
        b"In-Reply-To: <withheld-7@lakemontusd.example>\n"
        + make_email(message_id="<reply-7@x.example>", subject="Re: The withheld memo")
    )
    run_cli("ingest", str(folder), str(hostile), "--db", str(db))
    run_cli("analyze", "--db", str(db), "--roster", str(ROOT / "sample" / "roster.yaml"))
    with serving(db) as base:
        yield base, db


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    base, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.left_machine = []  # requests to anywhere but the server

    def guard(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            page.left_machine.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.errors = []  # uncaught exceptions and console errors (a CSP refusal is one)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    yield page
    context.close()


def follow_figure(page, link) -> int:
    """Click a figure that links to its emails; the list opened holds as many. Returns it."""
    figure = int(link.inner_text().replace(",", ""))
    link.click()
    page.wait_for_url("**/-/messages/**")
    assert page.locator("tr.message").count() == figure
    return figure


def test_email_page(page, site):
    base, db = site
    mid = rows(db, "select message_id from message_copies where method = 'pdf-text' limit 1")[0][0]
    page.goto(f"{base}/-/email/sample/{mid}")
    assert page.locator("h1").inner_text()
    copies = page.locator("table.copies tr").all_inner_texts()
    assert any("production-1-printed.pdf" in row and "pdf-text" in row for row in copies)
    assert page.locator("pre.authored").inner_text().strip()
    # The headers the messages table keeps behind "Show all columns" are here.
    page.locator("details:has(summary:text('All headers')) summary").click()
    headers = page.locator("details:has(summary:text('All headers')) th").all_inner_texts()
    assert "Subject" in headers
    page.screenshot(path=ARTIFACTS / "email.png", full_page=True)
    assert not page.left_machine and not page.errors


def test_a_count_link_opens_its_messages(page, site):
    base, _ = site
    page.goto(f"{base}/sample/office_contacts")
    figure = follow_figure(page, page.locator("a.count").first)
    assert int(page.locator(".count-total").inner_text().replace(",", "")) == figure
    page.screenshot(path=ARTIFACTS / "count-link.png", full_page=True)
    # And on to one of the emails.
    page.locator("tr.message a").first.click()
    page.wait_for_url("**/-/email/**")
    assert page.locator("table.copies tr").count() >= 2
    assert not page.left_machine and not page.errors


@pytest.mark.parametrize("level", ["groups", "persons"])
def test_network_view_draws_nodes(page, site, level):
    base, db = site
    page.goto(f"{base}/-/network/sample?level={level}")
    # (Selectors, not JS predicates: the page's CSP forbids eval, and that holds for tests too.)
    page.wait_for_selector("#network[data-nodes]", state="attached")
    nodes = int(page.locator("#network").get_attribute("data-nodes"))
    if level == "groups":
        sql = "select (select count(*) from offices) + (select count(*) from organizations)"
    else:
        sql = "select count(*) from persons where correspondents > 0"
    want = rows(db, sql)[0][0]
    assert nodes == want
    edges = int(page.locator("#network").get_attribute("data-edges"))
    assert edges > 0
    # Cytoscape drew on its canvases: some pixels are not blank.
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll('#network canvas')).some(c => {
               const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
               for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
               return false; })"""
    )
    assert drawn
    # The legend names the kinds and every community drawn.
    legend = page.locator("#network-legend").inner_text()
    communities = page.evaluate(
        "() => new Set(window.backchannelNetwork.nodes().map(n => n.data('color'))).size"
    )
    assert legend.count("(") >= communities
    assert ("a watched organization" in legend) == (level == "groups")
    if level == "groups":
        # Organizations stand left of every office.
        xs = page.evaluate(
            """() => { const cy = window.backchannelNetwork; const x = k => cy.nodes()
                 .filter(n => n.data('kind') === k).map(n => n.position('x'));
                 return [Math.max(...x('organization')), Math.min(...x('office'))]; }"""
        )
        assert xs[0] < xs[1]
    # The filter: edges under the minimum are hidden, and the page says how many are left.
    table = "group_edges" if level == "groups" else "contacts"
    if level == "groups":
        counts = [r[0] for r in rows(db, "select messages from group_edges")]
    else:
        counts = [v for r in rows(db, "select a_to_b, b_to_a from contacts") for v in r if v]
    threshold = sorted(counts)[len(counts) // 2] + 1
    page.locator("#network-min").fill(str(threshold))
    visible = int(page.locator("#network").get_attribute("data-visible-edges"))
    assert visible == sum(c >= threshold for c in counts), table
    page.screenshot(path=ARTIFACTS / f"network-{level}.png", full_page=True)
    page.locator("#network-min").fill("1")
    # Click the busiest node: its correspondents are listed, each a link to its messages.
    busiest = page.evaluate(
        """() => { const cy = window.backchannelNetwork;
             const n = cy.nodes().max(n => n.connectedEdges().length).ele;
             const p = n.renderedPosition(); const box = cy.container().getBoundingClientRect();
             return {id: n.id(), x: box.left + p.x, y: box.top + p.y,
                     edges: n.connectedEdges().length}; }"""
    )
    page.mouse.click(busiest["x"], busiest["y"])
    info = page.locator("#network-info")
    info.locator("table.correspondents").wait_for()
    assert info.locator("table.correspondents tr").count() == busiest["edges"]
    page.screenshot(path=ARTIFACTS / f"network-{level}-clicked.png", full_page=True)
    follow_figure(page, info.locator("table.correspondents a").first)
    assert not page.left_machine and not page.errors


def test_charts_draw(page, site):
    base, db = site
    page.goto(f"{base}/-/charts/sample")
    page.wait_for_selector("#charts[data-charts]", state="attached")
    organizations = rows(db, "select count(*) from organizations")[0][0]
    offices = rows(db, "select count(*) from offices")[0][0]
    assert int(page.locator("#charts").get_attribute("data-charts")) == organizations + offices
    # The first chart's stacked bars add up to the table's messages; its axes are titled.
    plotted = page.evaluate(
        "() => window.backchannelCharts[0].data.datasets"
        ".reduce((s, d) => s + d.data.reduce((a, b) => a + b, 0), 0)"
    )
    first = rows(db, "select name from organizations order by rowid limit 1")[0][0]
    total = rows(
        db, "select sum(total) from office_contact_months where organization = ?", [first]
    )[0][0]
    assert plotted == total
    titles = page.evaluate(
        "() => { const s = window.backchannelCharts[0].options.scales;"
        " return [s.x.title.text, s.y.title.text]; }"
    )
    assert titles[0].startswith("month (") and titles[1] == "messages"
    page.screenshot(path=ARTIFACTS / "charts.png", full_page=True)
    # Click the tallest bar: that month's messages with that office, as many as the bar says.
    # (Two frames first: a chart resized as the page grew settles before it is measured.)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    bar = page.evaluate(
        """() => { const c = window.backchannelCharts[0]; let best = null;
             c.data.datasets.forEach((d, i) => d.data.forEach((v, j) => {
               if (!best || v > best.v) best = {i, j, v}; }));
             const el = c.getDatasetMeta(best.i).data[best.j];
             const r = c.canvas.getBoundingClientRect();
             return {v: best.v, x: r.left + el.x, y: r.top + (el.y + el.base) / 2}; }"""
    )
    page.mouse.click(bar["x"], bar["y"])
    page.wait_for_url("**/-/messages/**")
    assert "month=" in page.url
    assert page.locator("tr.message").count() == bar["v"]
    assert not page.left_machine and not page.errors


def test_search_page(page, site):
    base, db = site
    page.goto(f"{base}/-/search/sample")
    page.locator("input[name=q]").fill("budget")
    page.locator("form.search button").click()
    page.wait_for_url("**q=budget**")
    marks = page.locator("td.snippet mark")
    assert marks.count() > 0 and marks.first.inner_text().lower() == "budget"
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)
    result = page.locator("tr.result a").first
    subject = result.inner_text()
    result.click()
    page.wait_for_url("**/-/email/**")
    assert page.locator("h1").inner_text() == subject
    page.locator("p.back a").click()  # back to the results
    page.wait_for_url("**/-/search/**")
    assert page.locator("td.snippet mark").count() == marks.count()
    assert not page.left_machine and not page.errors


# Ways to write "another site" that a browser reads where a server may not: a tab or line
# break inside (dropped by the browser), a backslash (read as a slash), a leading space, a
# scheme, an encoded slash. Each as the raw query string of ?back=.
OFF_SITE_BACKS = [
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D%0A/evil.example",
    "%09//evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "//evil.example",
    "%20//evil.example",
    "/%2F/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%00/evil.example",
    "/%C2%85/evil.example",
]


def test_a_back_link_never_leaves_the_site(page, site):
    """The email page's link back (?back=) in a real browser: for each trick, there is no link,
    or the link the browser resolves stays on this server; a path of this site is kept."""
    base, db = site
    mid = rows(db, "select id from messages limit 1")[0][0]
    for back in OFF_SITE_BACKS:
        page.goto(f"{base}/-/email/sample/{mid}?back={back}")
        links = page.locator("p.back a")
        for n in range(links.count()):
            href = links.nth(n).evaluate("a => a.href")
            assert href.startswith(base + "/"), (back, href)
    page.goto(f"{base}/-/email/sample/{mid}?back=%2F-%2Fsearch%2Fsample%3Fq%3Dbudget")
    page.locator("p.back a").click()
    page.wait_for_url(f"{base}/-/search/sample?q=budget")
    assert not page.left_machine and not page.errors and not page.dialogs


def test_canned_query_with_a_picked_name(page, site):
    base, db = site
    page.goto(f"{base}/sample/office_and_organization")
    official = page.locator("input[name=official]")
    assert official.get_attribute("list") == "choices-official"
    options = page.locator("#choices-official option")
    assert options.count() == rows(db, "select count(*) from offices")[0][0]
    official.fill("dana whitfield")  # typed as a reporter types it
    page.locator("input[name=organization]").fill("Better Schools Now")
    page.locator("form.sql input[type=submit], form.sql button[type=submit]").first.click()
    page.wait_for_url("**official=**")
    want = rows(
        db,
        "select total from office_contacts where official = 'Dana Whitfield' "
        "and organization = 'Better Schools Now'",
    )[0][0]
    assert page.locator("table.rows-and-columns tbody tr").count() == want
    assert page.title().startswith("An office's emails with an organization")
    page.screenshot(path=ARTIFACTS / "canned-query.png", full_page=True)
    page.locator("table.rows-and-columns tbody td.col-subject a").first.click()
    page.wait_for_url("**/-/email/**")
    assert not page.left_machine and not page.errors


def test_hostile_email_triggers_nothing(page, site):
    base, db = site
    mid = rows(db, "select id from messages where message_id = 'hostile@attacker.example'")[0][0]
    page.goto(f"{base}/-/email/sample/{mid}")
    page.locator("details.html summary").click()
    assert "Hello" in page.locator(".html-body").inner_text()
    assert page.locator(".html-body img").count() == 0
    assert page.locator("#bad").count() == 0 or page.locator("#bad").get_attribute("href") is None
    page.locator(".html-body a").first.click()
    assert "<script>" in page.locator("pre.authored").inner_text()  # shown as text
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__pwned") is None
    assert not page.dialogs
    assert not page.left_machine  # nothing tried to load the tracker
    page.screenshot(path=ARTIFACTS / "hostile-email.png", full_page=True)


def test_whats_missing_page(page, site):
    base, db = site
    page.goto(f"{base}/")
    link = page.locator("a[href$='/-/missing/sample']")  # in the menu
    assert link.first.text_content().strip() == "What's missing"  # hidden until opened
    page.goto(base + link.first.get_attribute("href"))
    headings = page.locator("h2").all_inner_texts()
    assert [h.split(" (")[0] for h in headings] == [
        "Conversations whose parents were not produced",
        "Bates numbers not released",
        "Pages withheld whole",
        "Silent weeks in busy mailboxes",
        "Released twice, redacted otherwise",
    ]
    threads = rows(db, "select count(*) from threads where missing > 0")[0][0]
    assert threads >= 1
    assert page.locator("table.missing-threads tr").count() == threads + 1  # and a header row
    assert "Re: The withheld memo" in page.locator("table.missing-threads").inner_text()
    page.screenshot(path=ARTIFACTS / "missing.png", full_page=True)
    page.locator("table.missing-threads a", has_text="withheld memo").click()
    page.wait_for_url("**/-/email/**")
    assert not page.left_machine and not page.errors


def test_story_page(page, site):
    base, db = site
    page.goto(f"{base}/-/story/sample")
    assert "Better Schools Now exchanged" in page.locator("p.sentence").first.inner_text()
    rows_shown = page.locator("table.story-table").first.locator("tr.office").count()
    assert rows_shown == rows(db, "select count(distinct official) from office_contacts")[0][0]
    page.screenshot(path=ARTIFACTS / "story.png", full_page=True)
    follow_figure(page, page.locator("table.story-table a.count").first)
    assert not page.left_machine and not page.errors


def test_story_page_follows_a_search(page, site):
    """The story's box: the lede, the heat-map and the bars count the matching emails only
    (report --query's figures), the URL keeps the search, every figure opens only them, and
    their packet downloads."""
    import json

    base, db = site
    search = '"charter expansion"'
    report = json.loads(run_cli("report", "--db", db, "--format", "json", "--query", search))
    want = {
        o["official"]: o for o in report["offices"] if o["organization"] == "Better Schools Now"
    }
    page.goto(f"{base}/-/story/sample")
    before = page.locator("p.sentence").first.inner_text()
    page.locator("form.topic input[name=q]").fill(search)
    page.locator("form.topic button").click()
    page.wait_for_url("**q=%22charter+expansion%22**")
    sentence = page.locator("p.sentence").first.inner_text()
    assert sentence != before and sentence.startswith('In the emails matching "charter expansion"')
    table = page.locator("table.story-table").first
    shown = {
        r.get_attribute("data-official"): int(r.get_attribute("data-total"))
        for r in table.locator("tr.office").all()
    }
    assert shown == {official: o["total"] for official, o in want.items()}
    assert sum(shown.values()) > 0
    top = max(want.values(), key=lambda o: o["total"])
    assert str(top["total"]) in sentence and top["official"] in sentence
    # The heat-map and the bars are drawn to the new figures: the busiest office's bar is the
    # widest, and an office with no matching email has none.
    widths = {
        r.get_attribute("data-official"): r.locator("span.bar.to").evaluate(
            "b => b.getBoundingClientRect().width"
        )
        + r.locator("span.bar.from").evaluate("b => b.getBoundingClientRect().width")
        for r in table.locator("tr.office").all()
    }
    assert max(widths, key=widths.get) == top["official"]
    assert all(widths[o] == 0 for o, n in shown.items() if n == 0)
    assert page.locator("form.topic input[name=q]").input_value() == search
    page.screenshot(path=ARTIFACTS / "story-search.png", full_page=True)
    figure = follow_figure(page, table.locator("td.heat a.count").first)
    assert figure == top["total"] and "q=" in page.url
    assert "charter expansion" in page.locator("h1").inner_text()
    links = page.locator("a.packet")
    assert links.all_inner_texts() == ["CSV", "HTML", "PDF"]
    with page.expect_download() as download:
        links.first.click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").count("\n")
    assert lines >= figure + 1  # a header and a row per email (a row may have several lines)
    page.screenshot(path=ARTIFACTS / "story-search-figure.png", full_page=True)
    assert not page.left_machine and not page.errors


def test_messages_table_shows_its_usual_columns_first(page, site):
    from backchannel.publish import DEFAULT_COLUMNS

    base, db = site
    page.goto(f"{base}/sample/messages")
    visible = page.locator("table.rows-and-columns thead th:visible")
    shown = visible.evaluate_all("ths => ths.map(t => t.dataset.column)")
    assert sorted(shown) == sorted(DEFAULT_COLUMNS["messages"])
    # The raw headers (tall rows) are behind "Show all columns", with the internal columns.
    assert "headers" not in shown
    assert page.locator("td.col-headers").first.is_hidden()
    # A date never wraps: its cell is one line high whatever the width.
    cell = page.locator("td.col-sent_at").first
    assert cell.evaluate("td => getComputedStyle(td).whiteSpace") == "nowrap"
    assert page.locator("details.column-descriptions dt").count() == len(
        rows(db, "pragma table_info(messages)")
    )
    page.screenshot(path=ARTIFACTS / "messages-table.png")
    button = page.locator("button.backchannel-columns")
    button.click()
    columns = len(rows(db, "pragma table_info(messages)"))
    assert visible.count() == columns
    assert page.locator("td.col-headers").first.is_visible()
    button.click()
    assert visible.count() == len(DEFAULT_COLUMNS["messages"])
    assert not page.left_machine and not page.errors


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sample",
        "/sample/office_contacts",
        "/-/story/sample",
        "/-/missing/sample",
        "/-/search/sample?q=budget",
    ],
)
def test_no_console_errors_and_the_menu_works(page, site, path):
    """Datasette's own menu script runs on the plugin's pages (the CSP allows it by hash):
    no console error anywhere, and a click outside an open menu closes it."""
    base, _ = site
    page.goto(base + path)
    menu = page.locator("details.nav-menu")
    menu.locator("summary").click()
    assert menu.evaluate("d => d.open")
    page.locator("h1").first.click()
    assert not menu.evaluate("d => d.open")  # closed by Datasette's inline script
    assert not page.left_machine and not page.errors
