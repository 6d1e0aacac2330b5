"""A body split into what its sender wrote and the history it quotes; signatures and legal
disclaimers taken off the sender's part (and kept).

How: on structure first. A body that came as HTML only is read from its HTML, where the
clients mark the quote (quote_html.py): blockquotes, Gmail's and Yahoo's quote blocks,
Outlook's rule above its header block. A text body is read line by line (quote_text.py): ">"
runs with their attribution line, and the history that begins at a separator, a header block or
a dated attribution line, in every language of ingest/languages.py. Every line that is not
quoted is the sender's, above, below or between the quotes. Then the signature comes off the
end (signatures.py). Printouts are split at their printed header blocks (split_printed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..ingest.printed.printed import header_at, is_quote_marker
from . import quote_text
from .quote_html import marked_text
from .signatures import strip_signature

__all__ = ["BodySplit", "Fragment", "split_body", "split_printed", "strip_signature", "unquote"]


@dataclass
class Fragment:
    """A quoted email inside a body: its header as written, its text with the quote marks off."""

    header: str
    body: str


@dataclass
class BodySplit:
    authored: str
    quoted: str
    signature: str = ""
    disclaimer: str = ""
    fragments: list[Fragment] = field(default_factory=list)
    method: str = "text"  # how it was split: html, text, printed


def unquote(text: str) -> str:
    """The ">" quoting off every line, all levels: the parser has already cut deeper quoted
    emails into fragments of their own."""
    return "\n".join(quote_text.unquote_all(line) for line in text.split("\n"))


def split_body(text: str, sender_name: str | None = None, html: str | None = None) -> BodySplit:
    """Authored text, quoted history, signature, disclaimer and the quoted emails of a body.
    `html`: the body's HTML, when the text was made from it (no text part came with it)."""
    method = "text"
    if html:
        marked = marked_text(html)
        if marked is not None:
            text, method = marked, "html"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return BodySplit("", "", method=method)
    found = quote_text.scan(text)
    authored = _runs(found.lines, [not q for q in found.quoted])
    quoted = _runs(found.lines, found.quoted)
    own, signature, disclaimer = strip_signature(authored, sender_name)
    return BodySplit(own, quoted, signature, disclaimer, _fragments(found), method)


def _runs(lines: list[str], keep: list[bool]) -> str:
    """The kept lines, each run of them a paragraph: runs apart in the body are apart here."""
    runs: list[str] = []
    current: list[str] = []
    for line, k in zip(lines, keep, strict=True):
        if k:
            current.append(line)
        elif current:
            runs.append("\n".join(current).strip("\n"))
            current = []
    if current:
        runs.append("\n".join(current).strip("\n"))
    return "\n\n".join(r for r in runs if r.strip())


def _fragments(found: quote_text.Scan) -> list[Fragment]:
    """Each quoted email: its attribution line or header block, and its quoted lines (the
    sender's lines between them left out) up to the next one."""
    lines, quoted = found.lines, found.quoted
    stops = sorted({s for s, _ in found.headers} | found.separators | {len(lines)})
    fragments = []
    for start, end in found.headers:
        stop = next(s for s in stops if s >= end) if end < len(lines) else len(lines)
        header = "\n".join(quote_text.unquote_all(x).strip() for x in lines[start:end])
        body = "\n".join(lines[k] for k in range(end, stop) if quoted[k])
        fragments.append(Fragment(header.strip(), unquote(body).strip()))
    return fragments


def split_printed(text: str, sender_name: str | None = None) -> BodySplit:
    """The body of a printed email (a PDF page's text): the header blocks printed below the
    sender's text are its quoted history, whatever the separator above them has become after
    OCR ("---- Original Message ---", "Original Message", none at all). The same header blocks
    the PDF reader found are found here, so both agree on where the history begins."""
    lines = text.split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        header = header_at(lines, i)
        if header is None:
            i += 1
            continue
        blocks.append(header)
        i = header.end
    if not blocks:
        return replace(split_body(text, sender_name), method="printed")
    cuts = [_above_marker(lines, b.start) for b in blocks]
    fragments = []
    for n, block in enumerate(blocks):
        stop = cuts[n + 1] if n + 1 < len(blocks) else len(lines)
        fragments.append(
            Fragment(
                "\n".join(line.strip() for line in lines[block.start : block.end]),
                "\n".join(lines[block.end : stop]).strip("\n"),
            )
        )
    own = "\n".join(lines[: cuts[0]])
    authored, signature, disclaimer = strip_signature(own, sender_name)
    quoted = "\n".join(lines[cuts[0] :]).strip("\n")
    return BodySplit(authored, quoted, signature, disclaimer, fragments, "printed")


def _above_marker(lines: list[str], start: int) -> int:
    """Where a quoted header block's history begins: at the quote marker above it, if any."""
    j = start - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j if j >= 0 and is_quote_marker(lines[j]) else start
