"""The paths of the plugin's pages: a count's message list, `/-/messages/<db>?counted=…`, and
its evidence packet, `/-/evidence/<db>.csv?counted=…`, one definition for the plugin's links and
for the report's (`report --datasette-url`); and the database's part of every plugin path,
written as Datasette writes it in its own URLs."""

from __future__ import annotations

from urllib.parse import urlencode

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def database_route(name: str) -> str:
    """A database's name as a path segment, tilde-encoded as Datasette's own URLs write it
    (`foia.2025` is `foia~2E2025`, `city hall` is `city+hall`): a name with dots, spaces or
    quotes opens the plugin's pages like any other (datasette.utils.tilde_encode, which the
    report cannot import without Datasette)."""
    out = []
    for char in name:
        if char in _SAFE:
            out.append(char)
        elif char == " ":
            out.append("+")
        else:
            out.append("".join(f"~{b:02X}" for b in char.encode("utf-8")))
    return "".join(out)


def page_path(page: str, database: str, *rest: str) -> str:
    """`/-/<page>/<database>[/<rest>…]`, the database's name encoded."""
    return "/".join([f"/-/{page}", database_route(database), *rest])


def messages_list(database: str) -> str:
    """The message-list page itself; messages_path adds which count."""
    return page_path("messages", database)


def _count_query(
    counted: str,
    direction: str | None,
    month: str | None,
    recovered: bool,
    query: str | None,
) -> str:
    params = {"counted": counted}
    if direction:
        params["direction"] = direction
    if month:
        params["month"] = month
    if recovered:
        params["recovered"] = "1"
    if query:
        params["q"] = query
    return urlencode(params)


def messages_path(
    database: str,
    counted: str,
    direction: str | None = None,
    month: str | None = None,
    recovered: bool = False,
    query: str | None = None,
) -> str:
    """The messages one count counts: `counted` is its id, `direction` one of its directions
    (sent, received, a_to_b, …), `month` YYYY-MM; `recovered` lists the emails recovered from
    quoted history too; `query`, only the emails that search matches (corpus/topic.py)."""
    return f"{messages_list(database)}?{_count_query(counted, direction, month, recovered, query)}"


def evidence_path(
    database: str,
    fmt: str,
    counted: str,
    direction: str | None = None,
    month: str | None = None,
    recovered: bool = False,
    query: str | None = None,
) -> str:
    """The evidence packet (csv, html or pdf) of the same messages as messages_path's list."""
    options = _count_query(counted, direction, month, recovered, query)
    return f"/-/evidence/{database_route(database)}.{fmt}?{options}"
