"""Datasette's CSV made safe for spreadsheets (the plugin's `asgi_wrapper`): every CSV it serves
— tables, canned queries, any SQL, streamed or not — goes through `spreadsheet.CsvRewriter`,
so a cell a spreadsheet would run as a formula (an email's subject `=cmd|…`) is written with a
leading `'`. Datasette 0.65 has no hook into its CSV writer (render_cell is for HTML only), so
the response is rewritten as it streams; JSON and pages are untouched."""

from __future__ import annotations

import codecs
from collections.abc import Awaitable, Callable
from typing import Any

from ..spreadsheet import CsvRewriter

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]


def is_csv_request(scope: dict[str, Any]) -> bool:
    """Datasette serves CSV at paths ending .csv (a table's, a query's, any SQL's)."""
    return scope.get("type") == "http" and scope.get("path", "").endswith(".csv")


def csv_guard(app: ASGIApp) -> ASGIApp:
    async def guarded(scope: dict, receive: Callable, send: Callable) -> None:
        if not is_csv_request(scope):
            await app(scope, receive, send)
            return
        rewriter: CsvRewriter | None = None
        decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")

        async def safe_send(message: dict) -> None:
            nonlocal rewriter
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                kind = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
                if kind.startswith((b"text/plain", b"text/csv")):  # not _trace's HTML
                    rewriter = CsvRewriter()
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and rewriter is not None:
                last = not message.get("more_body", False)
                text = rewriter.feed(decoder.decode(message.get("body", b""), final=last))
                if last:
                    text += rewriter.finish()
                message = {**message, "body": text.encode("utf-8", "surrogateescape")}
            await send(message)

        await app(scope, receive, safe_send)

    return guarded
