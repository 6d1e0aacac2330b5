"""The path of a count's message list, `/-/messages/<db>?counted=…`, and of its evidence
packet, `/-/evidence/<db>.csv?counted=…`: one definition for the Datasette plugin's links and
for the report's (`report --datasette-url`)."""

from __future__ import annotations

from urllib.parse import urlencode


def messages_list(database: str) -> str:
    """The message-list page itself; messages_path adds which count."""
    return f"/-/messages/{database}"


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
    return f"/-/evidence/{database}.{fmt}?{options}"
