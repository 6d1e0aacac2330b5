"""The path of a count's message list, `/-/messages/<db>?counted=…`: one definition for the
Datasette plugin's links and for the report's (`report --datasette-url`)."""

from __future__ import annotations

from urllib.parse import urlencode


def messages_list(database: str) -> str:
    """The message-list page itself; messages_path adds which count."""
    return f"/-/messages/{database}"


def messages_path(
    database: str,
    counted: str,
    direction: str | None = None,
    month: str | None = None,
    recovered: bool = False,
) -> str:
    """The messages one count counts: `counted` is its id, `direction` one of its directions
    (sent, received, a_to_b, …), `month` YYYY-MM; `recovered` lists the emails recovered from
    quoted history too."""
    query = {"counted": counted}
    if direction:
        query["direction"] = direction
    if month:
        query["month"] = month
    if recovered:
        query["recovered"] = "1"
    return f"{messages_list(database)}?{urlencode(query)}"
