"""The project's Datasette plugin: what metadata cannot do.

- `/-/email/<db>/<id>`: one email, its authored text and quoted history apart, attachments,
  redaction codes, its thread and every copy with its provenance. Nothing from an email runs or
  loads: its HTML is sanitized (nh3) and the page has a strict Content-Security-Policy.
- `/-/messages/<db>?counted=…&direction=…`: the messages one count counts, each once.
- Every count in the count tables is rendered as a link to that list (`render_cell`).
- `/-/network/<db>` (Cytoscape.js) and `/-/charts/<db>` (Chart.js), both vendored in static/.

Registered through the `datasette` entry point in pyproject.toml.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import datasette as datasette_package
import markupsafe
from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from ..corpus.matching import fold
from . import queries
from .safe_html import sanitize

# Shipped inside the package (an installed backchannel serves without the checkout); the
# repository's root datasette_metadata.json is a link to it.
METADATA = Path(__file__).resolve().parent / "datasette_metadata.json"
PLACEHOLDER = "corpus"  # the database's name in datasette_metadata.json


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

# The columns a table page shows first; the others (internal keys, whole bodies, JSON) are
# hidden until "show all columns" is clicked, and documented in the metadata either way.
DEFAULT_COLUMNS = {
    "office_contacts": [
        "organization", "official", "org_to_office", "office_to_org", "total", "first", "last",
        "busiest_months", "recovered",
    ],
    "messages": [
        "id", "sent_local", "sent_at", "from_name", "from_address", "subject",
        "attachment_count", "recovered", "thread_id", "headers",
    ],
    "message_copies": [
        "id", "message_id", "source_id", "custodian", "location", "folder", "pages", "bates",
        "document", "method", "found_in",
    ],
    "sources": [
        "id", "path", "format", "custodian", "status", "messages_emitted", "messages_new",
        "duplicates", "failed", "warnings", "sha256",
    ],
    "persons": [
        "id", "name", "kind", "roster_group", "organization", "sent", "received",
        "correspondents", "first", "last", "community",
    ],
}  # fmt: skip

# (table, column) -> (direction, column holding the count's id, extra filter column)
COUNT_CELLS = {
    ("office_contacts", "org_to_office"): ("org_to_office", "id", None),
    ("office_contacts", "office_to_org"): ("office_to_org", "id", None),
    ("office_contacts", "total"): (None, "id", None),
    ("office_contact_months", "org_to_office"): ("org_to_office", "office_contact_id", "month"),
    ("office_contact_months", "office_to_org"): ("office_to_org", "office_contact_id", "month"),
    ("office_contact_months", "total"): (None, "office_contact_id", "month"),
    ("contacts", "a_to_b"): ("a_to_b", "id", None),
    ("contacts", "b_to_a"): ("b_to_a", "id", None),
    ("contacts", "total"): (None, "id", None),
    ("offices", "sent"): ("sent", "id", None),
    ("offices", "received"): ("received", "id", None),
    ("organizations", "sent"): ("sent", "id", None),
    ("organizations", "received"): ("received", "id", None),
    ("persons", "sent"): ("sent", "id", None),
    ("persons", "received"): ("received", "id", None),
    ("group_edges", "messages"): ("sent", "id", None),
}


def metadata_for(database: str, db_file: Path | None = None, path: Path = METADATA) -> dict:
    """datasette_metadata.json with its database entry named after the served file. Given the
    file, facets and sorts on columns it lacks are left out (a corpus made by an older
    version): Datasette refuses a table page whose facet names a missing column."""
    text = path.read_text(encoding="utf-8").replace("{database}", database)
    meta = json.loads(text)
    entry = meta["databases"].pop(PLACEHOLDER)
    meta["databases"] = {database: entry}
    if db_file is not None:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            for table, spec in entry["tables"].items():
                have = {r[1] for r in conn.execute(f"pragma table_info([{table}])")}
                if "facets" in spec:
                    spec["facets"] = [f for f in spec["facets"] if f in have]
                for key in ("sort", "sort_desc", "label_column"):
                    if key in spec and spec[key] not in have:
                        del spec[key]
        finally:
            conn.close()
    return meta


def messages_url(
    datasette, database: str, counted: str, direction=None, month=None, recovered=False
) -> str:
    query = {"counted": counted}
    if direction:
        query["direction"] = direction
    if month:
        query["month"] = month
    if recovered:
        query["recovered"] = "1"
    return datasette.urls.path(f"/-/messages/{database}?{urlencode(query)}")


def email_url(datasette, database: str, message_id: str) -> str:
    return datasette.urls.path(f"/-/email/{database}/{message_id}")


@hookimpl
def prepare_connection(conn):
    """`fold(text)` in SQL: case and accents off ("Ibáñez" and "ibanez" are one), as names are
    compared everywhere else; canned queries match the names a reporter types with it."""
    conn.create_function(
        "fold", 1, lambda v: " ".join(fold(v).split()) if v else v, deterministic=True
    )


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    spec = COUNT_CELLS.get((table, column))
    if spec is not None and isinstance(value, int):
        if not value:
            return None
        direction, id_column, extra = spec
        url = messages_url(
            datasette, database, _raw(row[id_column]), direction, row[extra] if extra else None
        )
        return markupsafe.Markup(f'<a class="count" href="{markupsafe.escape(url)}">{value:,}</a>')
    if table is None:
        return _query_cell(row, value, column, database, datasette)
    if (table, column) == ("messages", "headers") and isinstance(value, str):
        return _header_lines(value)
    if (table, column) in (("messages", "subject"), ("counted_messages", "message_id")):
        message_id = row["id"] if table == "messages" else value
        label = value
        if isinstance(value, dict):  # an expanded foreign key: {"value": id, "label": subject}
            message_id, label = value["value"], value["label"]
        url = email_url(datasette, database, message_id)
        return markupsafe.Markup(
            f'<a href="{markupsafe.escape(url)}">{markupsafe.escape(label or "(no subject)")}</a>'
        )
    return None


EMAIL_ID = re.compile(r"[0-9a-f]{16}")


def _header_lines(value: str) -> markupsafe.Markup | None:
    """The headers JSON as `Name: value` lines, the first few shown."""
    try:
        pairs = json.loads(value)
    except ValueError:
        return None
    lines = [
        f'<span class="header-line"><b>{markupsafe.escape(n)}:</b> {markupsafe.escape(v)}</span>'
        for n, v in pairs
        if isinstance(n, str)
    ]
    shown, rest = lines[:HEADER_LINES], lines[HEADER_LINES:]
    html = "<br>".join(shown)
    if rest:
        html += f'<br><span class="muted">… {len(rest)} more</span>'
    return markupsafe.Markup(f'<div class="header-lines">{html}</div>')


HEADER_LINES = 6


def tables_css() -> str:
    """What hides the columns DEFAULT_COLUMNS leaves out, until the page's body has the
    all-columns class (tables.js's button)."""
    rules = []
    for table, columns in DEFAULT_COLUMNS.items():
        shown = ", ".join(f".col-{c}" for c in columns)
        rules.append(
            f"body.table-{table}:not(.all-columns) table.rows-and-columns "
            f":is(th, td):not({shown}) {{ display: none; }}"
        )
    return "\n".join(rules) + "\n"


async def tables_css_route(datasette, request):
    return Response(tables_css(), content_type="text/css; charset=utf-8")


def _query_cell(row, value, column, database, datasette):
    """Cells of the canned queries (and any SQL): an `email` or `found_in` column holding a
    message id opens the email page, and so does the subject beside it; a search snippet
    shows the words found highlighted."""
    if column in ("email", "found_in") and isinstance(value, str) and EMAIL_ID.fullmatch(value):
        url = email_url(datasette, database, value)
        return markupsafe.Markup(f'<a href="{markupsafe.escape(url)}">{value}</a>')
    keys = row.keys() if hasattr(row, "keys") else []
    if column == "subject" and "email" in keys and isinstance(row["email"], str):
        if EMAIL_ID.fullmatch(row["email"]):
            url = email_url(datasette, database, row["email"])
            label = markupsafe.escape(value or "(no subject)")
            return markupsafe.Markup(f'<a href="{markupsafe.escape(url)}">{label}</a>')
    if column == "snippet" and isinstance(value, str) and queries.HIT_OPEN in value:
        return markupsafe.Markup(highlight(value))
    return None


def highlight(snippet: str) -> str:
    """An FTS snippet as HTML: the text escaped, the matched words in <mark>."""
    text = str(markupsafe.escape(snippet))
    return text.replace(queries.HIT_OPEN, "<mark>").replace(queries.HIT_CLOSE, "</mark>")


def local_path(url: str | None) -> str | None:
    """A link back is followed only to a page of this site: a path, never another host."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    return url


def _raw(value):
    """A cell's value: an expanded foreign key arrives as {"value": …, "label": …}."""
    return value["value"] if isinstance(value, dict) else value


def _page(html: str) -> Response:
    response = Response.html(html)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _database(datasette, request):
    name = request.url_vars["database"]
    try:
        return name, datasette.get_database(name)
    except KeyError:
        raise NotFound(f"no database {name}") from None


async def email_page(datasette, request):
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
                    datasette, name, cid, direction, recovered=bool(recovered)
                ),
                "headers": json.loads(message.get("headers") or "[]"),
            },
            request=request,
        )
    )


async def messages_page(datasette, request):
    name, db = _database(datasette, request)
    counted_id = request.args.get("counted")
    if not counted_id:
        raise NotFound("which count? ?counted=<id>")
    direction = request.args.get("direction") or None
    month = request.args.get("month") or None
    recovered = request.args.get("recovered") == "1"
    found = await queries.counted(db, counted_id, direction, recovered, month)
    raw = {"counted": counted_id, "_sort": "sent_at"}
    if direction:
        raw["direction"] = direction
    if month:
        raw["month"] = month
    if not recovered:
        raw["recovered"] = "0"
    return _page(
        await datasette.render_template(
            "backchannel_messages.html",
            {
                "database": name,
                "found": found,
                "month": month,
                "recovered": recovered,
                "email_url": lambda mid: (
                    email_url(datasette, name, mid) + "?" + urlencode({"back": request.full_path})
                ),
                "raw_url": datasette.urls.table(name, "counted_messages") + "?" + urlencode(raw),
            },
            request=request,
        )
    )


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


async def story_page(datasette, request):
    """The finding, first: per watched organization, its exchanges with each official's office
    as a heat-map table and stacked bars, the sentence to quote, every figure a link."""
    name, db = _database(datasette, request)
    found = await queries.story(db)
    zone = await queries.corpus_zone(db)
    for block in found:
        block["sentence"] = story_sentence(block["organization"], block["offices"])
        block["max"] = max((o["total"] for o in block["offices"]), default=0) or 1
    return _page(
        await datasette.render_template(
            "backchannel_story.html",
            {
                "database": name,
                "found": found,
                "zone": zone,
                "count_url": lambda cid, direction=None: datasette.urls.path(
                    f"/-/messages/{name}?counted={cid}"
                    + (f"&direction={direction}" if direction else "")
                ),
            },
            request=request,
        )
    )


async def search_page(datasette, request):
    """Search bodies and attachments: best matches first, the words found highlighted, each
    result opening its email page."""
    name, db = _database(datasette, request)
    q = (request.args.get("q") or "").strip()
    found = await queries.search(db, q) if q else None
    return _page(
        await datasette.render_template(
            "backchannel_search.html",
            {
                "database": name,
                "q": q,
                "found": found,
                "highlight": lambda text: markupsafe.Markup(highlight(text or "")),
                "email_url": lambda mid: (
                    email_url(datasette, name, mid) + "?" + urlencode({"back": request.full_path})
                ),
            },
            request=request,
        )
    )


@hookimpl
def extra_template_vars(template, database, datasette):
    """The canned queries' pickers (the names their parameters take, from the corpus), and on
    every page of a public build, what it is (base.html's banner)."""

    async def inner():
        found = {}
        names = [database] if database else [n for n in datasette.databases if n[:1] != "_"]
        for name in names:
            try:
                db = datasette.get_database(name)
            except KeyError:
                continue
            public = await queries.public_build(db)
            if public:
                found["backchannel_public"] = {**public, "database": name}
                break
        if template == "query.html" and database in datasette.databases:
            found["backchannel_choices"] = await queries.choices(datasette.get_database(database))
        return found

    return inner


async def missing_page(datasette, request):
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


async def network_page(datasette, request):
    name, _ = _database(datasette, request)
    level = "persons" if request.args.get("level") == "persons" else "groups"
    return _page(
        await datasette.render_template(
            "backchannel_network.html",
            {
                "database": name,
                "level": level,
                "data_url": datasette.urls.path(f"/-/network/{name}.json?level={level}"),
                "limit": NETWORK_LIMIT,
            },
            request=request,
        )
    )


async def network_data(datasette, request):
    name, db = _database(datasette, request)
    level = "persons" if request.args.get("level") == "persons" else "groups"
    data = await queries.network(db, level, NETWORK_LIMIT)
    # Links are made in the page from this base and each edge's stored count id and direction
    # (and a node's id): 3,000 whole URLs would be most of the response. Ids are read, never
    # rebuilt: a public build's are keyed otherwise.
    data["messages_url"] = datasette.urls.path(f"/-/messages/{name}")
    return Response.json(data)


async def charts_page(datasette, request):
    name, _ = _database(datasette, request)
    return _page(
        await datasette.render_template(
            "backchannel_charts.html",
            {"database": name, "data_url": datasette.urls.path(f"/-/charts/{name}.json")},
            request=request,
        )
    )


async def charts_data(datasette, request):
    name, db = _database(datasette, request)
    data = await queries.charts(db)
    data["messages_url"] = datasette.urls.path(f"/-/messages/{name}")  # a bar's list: ?counted=…
    return Response.json(data)


@hookimpl
def register_routes():
    return [
        (r"^/-/email/(?P<database>[^/]+)/(?P<id>[^/]+)$", email_page),
        (r"^/-/messages/(?P<database>[^/]+)$", messages_page),
        (r"^/-/network/(?P<database>[^/.]+)\.json$", network_data),
        (r"^/-/network/(?P<database>[^/.]+)$", network_page),
        (r"^/-/charts/(?P<database>[^/.]+)\.json$", charts_data),
        (r"^/-/charts/(?P<database>[^/.]+)$", charts_page),
        (r"^/-/missing/(?P<database>[^/.]+)$", missing_page),
        (r"^/-/story/(?P<database>[^/.]+)$", story_page),
        (r"^/-/search/(?P<database>[^/.]+)$", search_page),
        (r"^/-/backchannel/tables\.css$", tables_css_route),
    ]


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["backchannel_reading_order"] = reading_order


def reading_order(tables: list[dict]) -> list[dict]:
    """Tables as datasette_metadata.json lists them (what an editor opens first), then the
    rest by name; hidden ones stay last, as Datasette has them."""
    rank = {name: i for i, name in enumerate(_metadata_tables())}
    return sorted(
        tables, key=lambda t: (t.get("hidden", False), rank.get(t["name"], len(rank)), t["name"])
    )


def _metadata_tables() -> list[str]:
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    return list(meta["databases"][PLACEHOLDER]["tables"])


@hookimpl
def extra_css_urls(datasette):
    """The project's stylesheet on Datasette's own pages too: dates that do not wrap, the
    canonical table's id column out of the way, search marks."""
    return [
        datasette.urls.static_plugins("backchannel", "backchannel.css"),
        datasette.urls.path("/-/backchannel/tables.css"),
    ]


@hookimpl
def extra_js_urls(template, datasette):
    if template == "table.html":
        return [datasette.urls.static_plugins("backchannel", "tables.js")]
    return []


@hookimpl
def menu_links(datasette, actor, request):
    names = [n for n in datasette.databases if not n.startswith("_")]
    if not names:
        return []
    return [
        {"href": datasette.urls.path(f"/-/story/{names[0]}"), "label": "The story"},
        {"href": datasette.urls.path(f"/-/search/{names[0]}"), "label": "Search"},
        {"href": datasette.urls.path(f"/-/charts/{names[0]}"), "label": "Charts"},
        {"href": datasette.urls.path(f"/-/network/{names[0]}"), "label": "Network"},
        {"href": datasette.urls.path(f"/-/missing/{names[0]}"), "label": "What's missing"},
    ]
