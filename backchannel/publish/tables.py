"""Datasette's own table and query pages, fitted for an editor: every count a link to the
emails it counts, email ids and subjects links to the email page, headers as `Name: value`
lines, search snippets with the words found marked; the columns a table shows first.

To make a table's figures links: an entry in COUNT_CELLS. To change what a table shows first:
DEFAULT_COLUMNS (the stylesheet hiding the rest is made from it).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import markupsafe

from ..links import messages_path, page_path
from . import queries

if TYPE_CHECKING:
    from datasette.app import Datasette

# The columns a table page shows first; the others (internal keys, whole bodies, JSON) are
# hidden until "show all columns" is clicked, and documented in the metadata either way.
DEFAULT_COLUMNS = {
    "office_contacts": [
        "organization", "official", "org_to_office", "office_to_org", "total", "first", "last",
        "busiest_months", "recovered",
    ],
    "messages": [
        "id", "sent_local", "sent_at", "from_name", "from_address", "subject",
        "attachment_count", "recovered", "thread_id",
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


def messages_url(datasette: Datasette, database: str, counted: str, **options: Any) -> str:
    """links.messages_path on this Datasette (its base URL); `options` as that takes them."""
    return datasette.urls.path(messages_path(database, counted, **options))


def email_link(
    datasette: Datasette, database: str, message_id: str, label: str
) -> markupsafe.Markup:
    url = email_url(datasette, database, message_id)
    return markupsafe.Markup(f'<a href="{markupsafe.escape(url)}">{markupsafe.escape(label)}</a>')


def email_url(datasette: Datasette, database: str, message_id: str) -> str:
    return datasette.urls.path(page_path("email", database, message_id))


def render(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Datasette
) -> markupsafe.Markup | None:
    """A cell of a table page or a query, as HTML; None leaves it to Datasette."""
    spec = COUNT_CELLS.get((table or "", column))  # table: None on a query's page
    if spec is not None and isinstance(value, int):
        if not value:
            return None
        direction, id_column, extra = spec
        month = row[extra] if extra else None
        url = messages_url(
            datasette, database, _raw(row[id_column]), direction=direction, month=month
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
        return email_link(datasette, database, message_id, label or "(no subject)")
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


def _query_cell(row: Any, value: Any, column: Any, database: Any, datasette: Any) -> Any:
    """Cells of the canned queries (and any SQL): an `email` or `found_in` column holding a
    message id opens the email page, and so does the subject beside it; a search snippet
    shows the words found highlighted."""
    if column in ("email", "found_in") and isinstance(value, str) and EMAIL_ID.fullmatch(value):
        return email_link(datasette, database, value, value)
    keys = row.keys() if hasattr(row, "keys") else []
    if column == "subject" and "email" in keys and isinstance(row["email"], str):
        if EMAIL_ID.fullmatch(row["email"]):
            return email_link(datasette, database, row["email"], value or "(no subject)")
    if column == "snippet" and isinstance(value, str) and queries.HIT_OPEN in value:
        return markupsafe.Markup(highlight(value))
    return None


def highlight(snippet: str) -> str:
    """An FTS snippet as HTML: the text escaped, the matched words in <mark>."""
    text = str(markupsafe.escape(snippet))
    return text.replace(queries.HIT_OPEN, "<mark>").replace(queries.HIT_CLOSE, "</mark>")


def _raw(value: Any) -> Any:
    """A cell's value: an expanded foreign key arrives as {"value": …, "label": …}."""
    return value["value"] if isinstance(value, dict) else value
