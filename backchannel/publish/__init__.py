"""The project's Datasette plugin: what metadata cannot do.

- `pages.py`: the plugin's own pages (the story, search, an email with its provenance, a
  count's messages, the network, the charts, what's missing, who works for whom) and their
  routes.
- `tables.py`: Datasette's table and query pages fitted for an editor (counts as links to their
  emails, readable headers, marked search snippets, the columns shown first).
- `queries.py`: what the pages read; `safe_html.py`: an email's HTML made harmless.
- Here: the hooks that plug those into Datasette, and the metadata fitted to a served file.

Registered through the `datasette` entry point in pyproject.toml.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasette import hookimpl

from ..corpus.health import connect_readonly
from ..corpus.matching import fold_words
from ..errors import BackchannelError
from ..links import database_route, page_path
from . import queries
from .csv_safe import csv_guard
from .pages import ROUTES
from .tables import DEFAULT_COLUMNS, render

if TYPE_CHECKING:
    import jinja2
    import markupsafe
    from datasette.app import Datasette
    from datasette.utils.asgi import Request

__all__ = ["DEFAULT_COLUMNS", "METADATA", "metadata_for"]

# Shipped inside the package (an installed backchannel serves without the checkout); the
# repository's root datasette_metadata.json is a link to it.
METADATA = Path(__file__).resolve().parent / "datasette_metadata.json"
PLACEHOLDER = "corpus"  # the database's name in datasette_metadata.json


def metadata_for(database: str, db_file: Path | None = None, path: Path = METADATA) -> dict:
    """datasette_metadata.json with its database entry named after the served file. Given the
    file, facets and sorts on columns it lacks are left out (a corpus made by an older
    version): Datasette refuses a table page whose facet names a missing column."""
    meta = _named(json.loads(path.read_text(encoding="utf-8")), database)
    entry = meta["databases"].pop(PLACEHOLDER)
    meta["databases"] = {database: entry}
    if db_file is not None:
        conn = connect_readonly(db_file)  # a read-only folder too
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


FOLD_MAX = 10_000  # characters fold() takes: names and subjects, not whole bodies


class FoldTooLong(BackchannelError, ValueError):
    pass


def sql_fold(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    """fold() for SQL: text folded (fold_words); other values as they are. Longer texts are
    refused: a Python function runs to its end whatever Datasette's time limit, and
    fold(group_concat(body)) ran for seconds and took gigabytes."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) > FOLD_MAX:
        raise FoldTooLong(f"fold() takes at most {FOLD_MAX:,} characters")
    return fold_words(value)


def _named(value: Any, database: str) -> Any:
    """The metadata with "{database}" in its texts (every one a path: /-/story/{database})
    replaced by the served name as a path segment (links.database_route), in the parsed
    values: never in the JSON text, which a name with a double quote would break."""
    if isinstance(value, str):
        return value.replace("{database}", database_route(database))
    if isinstance(value, list):
        return [_named(v, database) for v in value]
    if isinstance(value, dict):
        return {k: _named(v, database) for k, v in value.items()}
    return value


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """`fold(text)` in SQL: case and accents off ("Ibáñez" and "ibanez" are one), as names are
    compared everywhere else; canned queries match the names a reporter types with it."""
    conn.create_function("fold", 1, sql_fold, deterministic=True)


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Callable:
    """Every CSV Datasette serves, made safe for spreadsheets (csv_safe.py)."""
    return csv_guard


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Datasette
) -> markupsafe.Markup | None:
    return render(row, value, column, table, database, datasette)


@hookimpl
def register_routes() -> list:
    return ROUTES


@hookimpl
def extra_template_vars(
    template: str, database: str | None, datasette: Datasette
) -> Callable[[], Awaitable[dict]]:
    """The canned queries' pickers (the names their parameters take, from the corpus), and on
    every page of a public build, what it is (base.html's banner)."""

    async def inner() -> dict:
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


@hookimpl
def prepare_jinja2_environment(env: jinja2.Environment, datasette: Datasette) -> None:
    env.filters["backchannel_reading_order"] = reading_order


def reading_order(tables: list[dict]) -> list[dict]:
    """Tables as datasette_metadata.json lists them (what an editor opens first), then the
    rest by name; hidden ones stay last, as Datasette has them."""
    rank = {name: i for i, name in enumerate(_metadata_tables())}
    return sorted(
        tables, key=lambda t: (t.get("hidden", False), rank.get(t["name"], len(rank)), t["name"])
    )


@functools.cache
def _metadata_tables() -> list[str]:
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    return list(meta["databases"][PLACEHOLDER]["tables"])


@hookimpl
def extra_css_urls(datasette: Datasette) -> list[str]:
    """The project's stylesheet on Datasette's own pages too: dates that do not wrap, the
    canonical table's id column out of the way, search marks."""
    return [
        datasette.urls.static_plugins("backchannel", "backchannel.css"),
        datasette.urls.path("/-/backchannel/tables.css"),
    ]


@hookimpl
def extra_js_urls(template: str, datasette: Datasette) -> list[str]:
    if template == "table.html":
        return [datasette.urls.static_plugins("backchannel", "tables.js")]
    return []


@hookimpl
def menu_links(datasette: Datasette, actor: dict | None, request: Request) -> list[dict]:
    names = [n for n in datasette.databases if not n.startswith("_")]
    if not names:
        return []
    return [
        {"href": datasette.urls.path(page_path("story", names[0])), "label": "The story"},
        {"href": datasette.urls.path(page_path("search", names[0])), "label": "Search"},
        {"href": datasette.urls.path(page_path("charts", names[0])), "label": "Charts"},
        {"href": datasette.urls.path(page_path("network", names[0])), "label": "Network"},
        {"href": datasette.urls.path(page_path("missing", names[0])), "label": "What's missing"},
        {"href": datasette.urls.path(page_path("roster", names[0])), "label": "Who works for whom"},
    ]
