"""The plugin's pages against what a visitor or a file name can throw at them: a search box
given a lone quote, three, a NUL, thousands of words; a corpus file named with dots, spaces or
quotes; the SQL function fold() given a whole corpus. Each is a normal page (a result, an empty
one, or a sentence), never a 500 and never a server that does not start. The back link's tricks
are in test_browser.py (a real browser decides where a link goes)."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
import urllib.request
from html import unescape
from urllib.parse import quote, urljoin, urlparse

import pytest
from conftest import make_email, run_cli
from datasette.app import Datasette
from datasette.utils import tilde_encode

from backchannel.links import database_route
from backchannel.publish import metadata_for
from backchannel.publish.local import serving


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Thirty emails with long bodies (a search for their commonest word reads them all)."""
    work = tmp_path_factory.mktemp("pages")
    (work / "dump").mkdir()
    for n in range(30):
        (work / "dump" / f"{n}.eml").write_bytes(
            make_email(
                message_id=f"<p{n}@bsn.example>",
                subject=f"Budget vote {n}",
                body=("The budget vote is on Tuesday. " * 400) + f"\nItem {n}.\n",
                date=f"Tue, 04 Mar 2025 09:{n:02d}:00 -0800",
            )
        )
    db = work / "corpus.db"
    run_cli("ingest", work / "dump", "--db", db)
    run_cli("analyze", "--db", db)
    return work, db


def get(ds: Datasette, path: str):
    return asyncio.run(ds.client.get(path))


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"""',
        "\x00",
        "vote\x00budget",
        " ".join(["vote"] * 8000),
        " ".join(f"word{n}" for n in range(2000)),
        'a"b',
        "*",
        "NEAR(",
        "budget OR",
        "-budget",
        "^x",
        "\u202e\u200b",
        "AND OR NOT",
        "budget:vote",
    ],
)
def test_anything_in_the_search_box_is_a_page(corpus, q):
    _, db = corpus
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for("corpus"))
    page = get(ds, "/-/search/corpus?q=" + quote(q))
    assert page.status_code == 200, page.text[:300]
    html = page.text
    assert "<h1>Search the emails</h1>" in html
    said = re.search(r'<p class="flag">([^<]*)</p>', html)
    assert said or re.search(r'<h2 class="search-total">[\d,]+ emails? match', html), html[-2000:]
    if q.count("word") > 32:
        assert "Only the first 32 words and phrases were searched." in html


def test_the_search_box_still_finds_words_and_phrases(corpus):
    _, db = corpus
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for("corpus"))

    def total(q: str) -> str:
        html = get(ds, "/-/search/corpus?q=" + quote(q)).text
        return re.search(r'<h2 class="search-total">([^<]*)</h2>', html).group(1)

    assert total('"budget vote"') == "30 emails match"
    assert total("item 7") == "1 email matches"
    assert total('"vote budget"') == "0 emails match"
    assert total(" ".join(["budget"] * 40 + ["nowhere"])) == "30 emails match"  # cut at 32
    nothing = get(ds, "/-/search/corpus?q=" + quote('""'))
    assert "Nothing to search for" in nothing.text


@pytest.mark.parametrize("name", ["foia.2025", "city hall", 'say "hi"', "o'brien <b>"])
def test_a_corpus_file_named_oddly_serves_every_page(corpus, tmp_path, name):
    """`backchannel serve` starts on it; every link of the menu, the story, search, charts,
    network and the table pages opens (not 404, not 500); the menu's own links are Datasette's
    encoding of the name."""
    _, db = corpus
    odd = tmp_path / f"{name}.db"
    shutil.copy(db, odd)
    assert database_route(name) == tilde_encode(name)
    route = database_route(name)
    with serving(odd) as base:
        story = _get(base, f"/-/story/{route}")
        menu = re.findall(r'<li><a href="([^"]+)">', story)
        assert len(menu) >= 5 and all(f"/{route}" in unescape(href) for href in menu), menu
        pages = [unescape(h) for h in menu] + [
            f"/-/search/{route}?q=budget",
            f"/-/network/{route}.json",
            f"/-/charts/{route}.json",
            f"/{route}",
            f"/{route}/messages",
            f"/-/story/{quote(name)}",  # typed as is
        ]
        for path in pages:
            _get(base, path)
        # An email opened from search, and the way back.
        found = _get(base, f"/-/search/{route}?q=budget")
        email = unescape(re.search(r'href="(/-/email/[^"]+)"', found).group(1))
        assert "back to the list" in _get(base, email)


def _get(base: str, path: str) -> str:
    url = urljoin(base, path)
    assert urlparse(url).netloc == urlparse(base).netloc
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.status == 200, path
        return r.read().decode("utf-8")


@pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)  # its traceback, logged
def test_fold_is_bounded_and_keeps_to_the_time_limit(corpus):
    """fold() folds names; a whole corpus in one value is refused at once (it ran for seconds
    and took gigabytes), and a query calling it on every row stops at Datasette's time limit."""
    _, db = corpus
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for("corpus"))
    rows = get(ds, "/corpus.json?_shape=array&sql=" + quote("select fold('Tomás CASTREJÓN') as f"))
    assert rows.json() == [{"f": "tomas castrejon"}]
    started = time.monotonic()
    whole = get(ds, "/corpus.json?sql=" + quote("select fold(group_concat(body)) from messages"))
    assert whole.status_code == 400 and time.monotonic() - started < 2
    started = time.monotonic()
    long = get(
        ds,
        "/corpus.json?sql="
        + quote(
            # 30^5 calls: minutes of work on any machine, stopped at the 1 s limit
            "select count(*) from messages a, messages b, messages c, messages d, messages e "
            "where fold(a.subject || b.subject || c.subject || d.subject || e.subject) "
            "like '%x%'"
        ),
    )
    assert long.status_code == 400 and "interrupted" in long.text.lower()
    assert time.monotonic() - started < 5
