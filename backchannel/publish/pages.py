"""The plugin's own pages: the story, search, an email, a count's messages, the network, the
charts, what's missing, who works for whom. Each is a function of (datasette, request) that
renders a template of templates/ with what queries.py reads; ROUTES maps their paths. Every
page sends a strict Content-Security-Policy: nothing from an email runs or loads.

To add a page: a function here, its query in queries.py, a template, a line in ROUTES (and a
menu link in __init__.py's menu_links).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode

import datasette as datasette_package
import markupsafe
from datasette.utils import tilde_decode
from datasette.utils.asgi import BadRequest, NotFound, Response

from .. import evidence
from ..corpus.topic import QueryError, topic
from ..corpus.topic import describe as describe_query
from ..links import evidence_path, messages_list, page_path
from ..vocabulary import ROLES
from . import queries
from .safe_html import sanitize
from .tables import email_url, highlight, messages_url, tables_css

if TYPE_CHECKING:
    from datasette.app import Datasette
    from datasette.utils.asgi import Request


def _datasette_script_hashes() -> str:
    """CSP hashes of the inline scripts Datasette's own base template includes (the menu's
    close-on-click): allowed by their exact text, so the menu works and nothing else inline
    runs. Read from the installed Datasette, so an upgrade that changes them stays allowed."""
    templates = Path(datasette_package.__file__).resolve().parent / "templates"
    hashes = []
    for name in ("_close_open_menus.html",):
        text = (templates / name).read_text(encoding="utf-8")
        for body in re.findall(r"<script>(.*?)</script>", text, flags=re.S):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return " ".join(hashes)


CSP = (
    f"default-src 'none'; script-src 'self' {_datasette_script_hashes()}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


NETWORK_LIMIT = 300  # persons drawn at most: the ones with most correspondents


async def tables_css_route(datasette: Datasette, request: Request) -> Response:
    return Response(tables_css(), content_type="text/css; charset=utf-8")


def local_path(url: str | None) -> str | None:
    """A link back is followed only to a page of this site: a path, never another host. A
    browser drops tabs and line breaks from a URL and reads a backslash as a slash, so
    `/\t/evil.example` and `/\\evil.example` are `//evil.example`, another site: any control
    character, space or backslash, and any start but one slash and a path, refuse it."""
    if not url or not url.startswith("/") or url[1:2] in ("/", "\\"):
        return None
    if "\\" in url or any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    return url


def _email_url_back_here(datasette: Any, database: str, request: Any) -> Any:
    """Email links whose page links back to this one (the list or search they came from)."""
    back = urlencode({"back": request.full_path})
    return lambda message_id: f"{email_url(datasette, database, message_id)}?{back}"


def _page(html: str) -> Response:
    response = Response.html(html)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _database(datasette: Any, request: Any) -> Any:
    """The database a plugin path names: as Datasette encodes names in its URLs
    (links.database_route), or as typed (a dot, a space written %20)."""
    raw = request.url_vars["database"]
    for name in dict.fromkeys([tilde_decode(raw), unquote(raw), raw]):
        try:
            return name, datasette.get_database(name)
        except KeyError:
            continue
    raise NotFound("no such database")


async def email_page(datasette: Datasette, request: Request) -> Response:
    name, db = _database(datasette, request)
    message = await queries.email(db, request.url_vars["id"])
    if message is None:
        raise NotFound("no such email")
    html = sanitize(message["body_html"]) if message.get("body_html") else None
    return _page(
        await datasette.render_template(
            "backchannel_email.html",
            {
                "database": name,
                "m": message,
                "safe_html": markupsafe.Markup(html) if html else None,
                "back": local_path(request.args.get("back")),
                "email_url": lambda mid: email_url(datasette, name, mid),
                "count_url": lambda cid, direction, recovered: messages_url(
                    datasette, name, cid, direction=direction, recovered=bool(recovered)
                ),
                "headers": json.loads(message.get("headers") or "[]"),
                "roles": ROLES,
            },
            request=request,
        )
    )


def _count_options(request: Request) -> dict:
    """Which figure a count page or a packet is for, from its query string."""
    return {
        "direction": request.args.get("direction") or None,
        "month": request.args.get("month") or None,
        "recovered": request.args.get("recovered") == "1",
        "query": (request.args.get("q") or "").strip() or None,
    }


async def messages_page(datasette: Datasette, request: Request) -> Response:
    name, db = _database(datasette, request)
    counted_id = request.args.get("counted")
    if not counted_id:
        raise NotFound("which count? ?counted=<id>")
    options = _count_options(request)
    try:
        found = await queries.counted(
            db,
            counted_id,
            options["direction"],
            options["recovered"],
            options["month"],
            options["query"],
        )
    except QueryError as exc:
        raise BadRequest(str(exc)) from None
    raw = {"counted": counted_id, "_sort": "sent_at"}
    for key in ("direction", "month"):
        if options[key]:
            raw[key] = options[key]
    if not options["recovered"]:
        raw["recovered"] = "0"
    return _page(
        await datasette.render_template(
            "backchannel_messages.html",
            {
                "database": name,
                "found": found,
                "month": options["month"],
                "recovered": options["recovered"],
                "query": options["query"],
                "email_url": _email_url_back_here(datasette, name, request),
                # The SQL table has no search: with a query, the list is the only view of it.
                "raw_url": None
                if options["query"]
                else datasette.urls.table(name, "counted_messages") + "?" + urlencode(raw),
                "packets": [
                    (
                        fmt.upper(),
                        datasette.urls.path(evidence_path(name, fmt, counted_id, **options)),
                    )
                    for fmt in evidence.FORMATS
                ],
            },
            request=request,
        )
    )


async def evidence_download(datasette: Datasette, request: Request) -> Response:
    """The evidence packet of a count page's figure (evidence/): the same emails as the page
    lists, with their provenance, as CSV, HTML or PDF, downloaded."""
    name, db = _database(datasette, request)
    fmt = request.url_vars["format"]
    counted_id = request.args.get("counted")
    if not counted_id or fmt not in evidence.FORMATS:
        raise NotFound("which count? /-/evidence/<db>.csv?counted=<id>")
    figure = evidence.Figure(counted_id, **_count_options(request))
    try:
        packet = await db.execute_fn(lambda conn: evidence.read(conn, figure))
    except evidence.FigureNotFound as exc:
        raise NotFound(str(exc)) from None
    except QueryError as exc:
        raise BadRequest(str(exc)) from None
    # A packet of thousands of rows takes seconds to lay out: not on the server's event loop.
    body = await asyncio.get_running_loop().run_in_executor(None, evidence.write, packet, fmt)
    parts = [name, counted_id, figure.direction, figure.month]
    filename = "evidence-" + "-".join(p for p in parts if p) + f".{fmt}"
    filename = "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "_" for c in filename)
    response = Response(body, content_type=evidence.CONTENT_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def story_sentence(organization: str, offices: list[dict]) -> str:
    """The sentence a reporter could quote, from the numbers: the offices the organization
    exchanged most with (a third of the most or more), then the range for the others."""
    if not offices or not offices[0]["total"]:
        return f"{organization} exchanged no messages with the officials' offices."
    top = offices[0]["total"]
    lead = [o for o in offices if o["total"] and o["total"] * 3 >= top]
    rest = offices[len(lead) :]

    def listed(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    figures = listed([f"{o['total']:,}" for o in lead])
    names = listed([o["official"] for o in lead])
    office = "office" if len(lead) == 1 else "offices"
    text = f"{organization} exchanged {figures} messages with the {office} of {names}"
    if rest:
        lo, hi = min(o["total"] for o in rest), max(o["total"] for o in rest)
        span = f"{lo:,}" if lo == hi else f"{lo:,} to {hi:,}"
        others = "the other office" if len(rest) == 1 else f"each of the other {len(rest)}"
        text += f", and {span} with {others}"
    return text + "."


async def story_page(datasette: Datasette, request: Request) -> Response:
    """The finding, first: per watched organization, its exchanges with each official's office
    as a heat-map table and stacked bars, the sentence to quote, every figure a link. With
    ?q=, all of it counts the emails that search matches, and every figure opens only them."""
    name, db = _database(datasette, request)
    q = (request.args.get("q") or "").strip()
    problem = None
    try:
        found = await queries.story(db, q or None)
    except QueryError as exc:
        found, problem = await queries.story(db), str(exc)
        q = ""
    read_as = describe_query(topic(q).node) if q else None
    zone = await queries.corpus_zone(db)
    for block in found:
        block["sentence"] = story_sentence(block["organization"], block["offices"])
        if read_as:
            block["sentence"] = f"In the emails matching {read_as}: {block['sentence']}"
        block["max"] = max((o["total"] for o in block["offices"]), default=0) or 1
    return _page(
        await datasette.render_template(
            "backchannel_story.html",
            {
                "database": name,
                "found": found,
                "zone": zone,
                "q": q,
                "read_as": read_as,
                "problem": problem,
                "entities_pending": await queries.entities_pending(db),
                "count_url": lambda cid, direction=None: messages_url(
                    datasette, name, cid, direction=direction, query=q or None
                ),
            },
            request=request,
        )
    )


async def search_page(datasette: Datasette, request: Request) -> Response:
    """Search bodies and attachments (corpus/topic.py's syntax): how many emails match, best
    matches first, the words found highlighted, each result opening its email page; and a
    link to the story counted on those emails."""
    name, db = _database(datasette, request)
    q = (request.args.get("q") or "").strip()
    found, problem = None, None
    if q:
        try:
            found = await queries.search(db, q)
        except QueryError:
            problem = 'Nothing to search for: type a word, a name or "a phrase".'
    return _page(
        await datasette.render_template(
            "backchannel_search.html",
            {
                "database": name,
                "q": q,
                "found": found,
                "problem": problem,
                "story_url": datasette.urls.path(
                    page_path("story", name) + "?" + urlencode({"q": q})
                ),
                "highlight": lambda text: markupsafe.Markup(highlight(text or "")),
                "email_url": _email_url_back_here(datasette, name, request),
            },
            request=request,
        )
    )


async def missing_page(datasette: Datasette, request: Request) -> Response:
    """What the records lack: threads through absent parents, Bates gaps, silent weeks, emails
    released twice with other redactions; every row a link to its emails."""
    name, db = _database(datasette, request)
    found = await queries.missing(db)
    return _page(
        await datasette.render_template(
            "backchannel_missing.html",
            {
                "database": name,
                "found": found,
                "email_url": lambda mid: email_url(datasette, name, mid),
                "table_url": lambda table: datasette.urls.table(name, table),
            },
            request=request,
        )
    )


async def roster_page(datasette: Datasette, request: Request) -> Response:
    """Who works for whom: the stored roster next to what the corpus suggests (staff for each
    official, people for each organization), each proposal with its evidence emails."""
    name, db = _database(datasette, request)
    found = await queries.roster(db)
    for group in found:
        for row in group["rows"]:
            row["emails"] = json.loads(row["emails"] or "[]")
        group["emails"] = json.loads(group["emails"] or "[]")
    return _page(
        await datasette.render_template(
            "backchannel_roster.html",
            {
                "database": name,
                "found": found,
                "email_url": lambda mid: email_url(datasette, name, mid),
                "evidence_url": lambda pid: (
                    datasette.urls.table(name, "roster_evidence")
                    + "?"
                    + urlencode({"proposal_id": pid})
                ),
            },
            request=request,
        )
    )


async def network_page(datasette: Datasette, request: Request) -> Response:
    name, _ = _database(datasette, request)
    level = "persons" if request.args.get("level") == "persons" else "groups"
    return _page(
        await datasette.render_template(
            "backchannel_network.html",
            {
                "database": name,
                "level": level,
                "data_url": datasette.urls.path(
                    page_path("network", name) + f".json?level={level}"
                ),
                "limit": NETWORK_LIMIT,
            },
            request=request,
        )
    )


async def network_data(datasette: Datasette, request: Request) -> Response:
    name, db = _database(datasette, request)
    level = "persons" if request.args.get("level") == "persons" else "groups"
    data = await queries.network(db, level, NETWORK_LIMIT)
    # Links are made in the page from this base and each edge's stored count id and direction
    # (and a node's id): 3,000 whole URLs would be most of the response. Ids are read, never
    # rebuilt: a public build's are keyed otherwise.
    data["messages_url"] = datasette.urls.path(messages_list(name))
    return Response.json(data)


async def charts_page(datasette: Datasette, request: Request) -> Response:
    name, _ = _database(datasette, request)
    return _page(
        await datasette.render_template(
            "backchannel_charts.html",
            {
                "database": name,
                "data_url": datasette.urls.path(page_path("charts", name) + ".json"),
            },
            request=request,
        )
    )


async def charts_data(datasette: Datasette, request: Request) -> Response:
    name, db = _database(datasette, request)
    data = await queries.charts(db)
    data["messages_url"] = datasette.urls.path(messages_list(name))  # a bar's list: ?counted=…
    return Response.json(data)


ROUTES = [
    (r"^/-/email/(?P<database>[^/]+)/(?P<id>[^/]+)$", email_page),
    (r"^/-/messages/(?P<database>[^/]+)$", messages_page),
    (r"^/-/evidence/(?P<database>[^/]+)\.(?P<format>csv|html|pdf)$", evidence_download),
    (r"^/-/network/(?P<database>[^/]+)\.json$", network_data),
    (r"^/-/network/(?P<database>[^/]+)$", network_page),
    (r"^/-/charts/(?P<database>[^/]+)\.json$", charts_data),
    (r"^/-/charts/(?P<database>[^/]+)$", charts_page),
    (r"^/-/missing/(?P<database>[^/]+)$", missing_page),
    (r"^/-/story/(?P<database>[^/]+)$", story_page),
    (r"^/-/search/(?P<database>[^/]+)$", search_page),
    (r"^/-/roster/(?P<database>[^/]+)$", roster_page),
    (r"^/-/backchannel/tables\.css$", tables_css_route),
]
