"""The quoted parts of an HTML body, found in its structure before it becomes text.

Converted to text first, an HTML reply loses what says where its quote is. The clients mark it:
a `blockquote type="cite"` (Apple Mail, Thunderbird, with `.moz-cite-prefix` above it), Gmail's
`.gmail_quote`, Yahoo's `.yahoo_quoted`, Outlook for Mac's `#OLK_SRC_BODY_SECTION`; Outlook on
the web's `#divRplyFwdMsg` and `#appendonsend`, Outlook's and Windows Mail's `border-top` rule
above a "From:" block, a `<hr>` above one (Outlook 2003, Hotmail): from there on, all is quoted.
Any other `blockquote` (mail.ru's, Yandex's, Gmail's) and a Gmail or Yahoo block is quoted when
an attribution, a separator or a header block opens it or stands right above it; else it is the
sender's own (a passage they quote, a signature Gmail wrapped).

The text returned is the body's text with each quoted part's lines marked with ">", as a plain
text reply would have them, for quote_text.py to read like any other.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from ..ingest.text import element_text
from . import quote_patterns as qp

_HINT = re.compile(
    r"blockquote|gmail_quote|divRplyFwdMsg|appendonsend|moz-cite-prefix|yahoo_quoted"
    r"|OLK_SRC_BODY_SECTION|border-top|<hr|__DIVIDER__",
    re.IGNORECASE,
)
_GMAIL = re.compile(r"(?:^|\s|_)gmail_quote(?:_container)?(?:\s|$)")
_YAHOO = re.compile(r"(?:^|\s|_)yahoo_quoted(?:\s|$)")
_CITE_PREFIX = re.compile(r"(?:^|\s|_)moz-cite-prefix(?:\s|$)")
_REST_IDS = re.compile(r"(?:^|_)(?:divRplyFwdMsg|appendonsend)$")
_BORDER_TOP = re.compile(r"border-top\s*:\s*[^;]*solid|border-top-style\s*:\s*solid", re.I)
_XML_DECLARATION = re.compile(r"^<\?xml [^>]+?\?>")
STRONG, WEAK = "strong", "weak"
LOOK = 300  # characters of text read after a rule to see whether a header block follows


def marked_text(html: str) -> str | None:
    """The text of an HTML body with its quoted parts' lines marked ">", or None when its HTML
    shows no quote structure (the plain text is then read as it is)."""
    if not _HINT.search(html):
        return None
    try:
        # lxml refuses a str that declares its encoding: the declaration goes, as inscriptis's.
        tree = document_fromstring(_XML_DECLARATION.sub("", html.strip(), count=1))
        body = tree.find("body")
        return _marked(body if body is not None else tree)
    except (etree.ParserError, ValueError):
        # Unparsable, or text lxml parsed but will not take back (control characters): the
        # text as ingest made it is read instead.
        return None


def _marked(root: HtmlElement) -> str | None:
    for hr in list(root.iter("hr")):
        _rule_to_break(hr)
    rest = _rest_marker(root)
    if rest is not None:
        wrapper = _cut_from(rest, root)
        wrapper.set("data-backchannel-quote", STRONG)
        root.append(wrapper)
    found = _containers(root)
    if not found:
        return None
    # Each container's text is told by tokens around it: the body is rendered once.
    for n, (element, _) in enumerate(found):
        start, end = root.makeelement("div", {}), root.makeelement("div", {})
        start.text, end.text = f"{_TOKEN}{n}S", f"{_TOKEN}{n}E"
        start.tail, element.text = element.text, None
        element.insert(0, start)
        element.append(end)
    text = _mark(element_text(root), [kind for _, kind in found])
    return text if text.strip() else None


_TOKEN = "BCKQUOTEPART"
_TOKENS = re.compile(rf"{_TOKEN}(\d+)([SE])")


def _mark(text: str, kinds: list[str]) -> str:
    """The rendered text with each quoted container's lines marked ">" (once per level): a
    weak container only when an attribution, a separator or a header block opens it or stands
    right above it."""
    lines: list[tuple[str, tuple[int, ...]]] = []
    inside: list[int] = []
    for line in text.split("\n"):
        at = 0
        for m in _TOKENS.finditer(line):
            if line[at : m.start()].strip():
                lines.append((line[at : m.start()], tuple(inside)))
            n = int(m.group(1))
            if m.group(2) == "S":
                inside.append(n)
            elif n in inside:
                inside.remove(n)
            at = m.end()
        if at == 0 or line[at:].strip():
            lines.append((line[at:], tuple(inside)))
    quoted = {n for n, kind in enumerate(kinds) if kind == STRONG}
    for n, kind in enumerate(kinds):
        if kind == WEAK and _weak_is_quote(lines, n):
            quoted.add(n)
    out = []
    for line, where in lines:
        level = sum(1 for n in where if n in quoted)
        out.append(("> " * level + line.strip()).rstrip() if level else line)
    return "\n".join(out)


def _weak_is_quote(lines: list[tuple[str, tuple[int, ...]]], n: int) -> bool:
    first = next((i for i, (_, where) in enumerate(lines) if n in where), None)
    if first is None:
        return False
    inner = "\n".join(line for line, where in lines[first : first + 12] if n in where)
    above = [line for line, where in lines[max(0, first - 3) : first] if n not in where]
    return _opens_quote(inner) or _attribution_above(above)


def _containers(root: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Every quote container under root, nested ones too, in document order, with how sure
    each is."""
    found: list[tuple[HtmlElement, str]] = []
    for element in root.iter():
        if isinstance(element.tag, str) and element is not root:
            kind = _kind(element)
            if kind is not None:
                found.append((element, kind))
    return found


def _kind(element: HtmlElement) -> str | None:
    marked = element.get("data-backchannel-quote")
    if marked:
        return marked
    classes = element.get("class") or ""
    if element.tag == "blockquote":
        # A citation, as the client says; any other blockquote (Gmail's too) is quoted when an
        # attribution is above it (Gmail's is, in its .gmail_attr) or opens it.
        return STRONG if (element.get("type") or "").lower() == "cite" else WEAK
    if _CITE_PREFIX.search(classes) or (element.get("id") or "").endswith("OLK_SRC_BODY_SECTION"):
        return STRONG
    if _GMAIL.search(classes) or _YAHOO.search(classes):
        return WEAK
    return None


def _opens_quote(text: str) -> bool:
    """Whether a block's first lines are an attribution, a separator or a header block."""
    lines = [x.strip() for x in text.split("\n") if x.strip()][:6]
    for n, line in enumerate(lines):
        if qp.separator(line) or qp.label_of(line) in ("from", "date"):
            return True
        if qp.attribution(line) or (n and qp.attribution(f"{lines[n - 1]} {line}")):
            return True
    return False


def _attribution_above(out: list[str]) -> bool:
    """Whether the last text line before a block is an attribution ("… wrote:", "26.06.2014,
    14:41, "Alex" <a@x>:")."""
    lines = [x.strip() for x in out[-3:] if x.strip()]
    if not lines:
        return False
    return bool(qp.attribution(lines[-1]) or qp.attribution(" ".join(lines[-2:])))


def _rule_to_break(hr: HtmlElement) -> None:
    """An <hr> becomes a line break: the converter runs the lines on either side together."""
    hr.tag = "div"
    for name in list(hr.attrib):
        if name not in ("id", "data-marker"):
            del hr.attrib[name]
    hr.set("data-backchannel-rule", "1")


def _rest_marker(root: HtmlElement) -> HtmlElement | None:
    """The first element from which everything is quoted history: Outlook's reply markers, a
    rule above a header block."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        ident = element.get("id") or ""
        if _REST_IDS.search(ident) or element.get("data-marker") == "__DIVIDER__":
            return _with_rule_above(element)
        if element.get("data-backchannel-rule") and _header_follows(element):
            return element
        style = element.get("style") or ""
        if element.tag == "div" and _BORDER_TOP.search(style) and _header_follows(element, True):
            return element
    return None


def _with_rule_above(element: HtmlElement) -> HtmlElement:
    before = element.getprevious()
    if (
        before is not None
        and before.get("data-backchannel-rule")
        and not (before.tail or "").strip()
    ):
        return before
    return element


def _header_follows(element: HtmlElement, inside: bool = False) -> bool:
    """Whether the text right after a rule (or inside a bordered block) is a header block."""
    text = element.text_content() if inside else _text_after(element)
    lines = [x.strip() for x in re.split(r"[\n\r]+|(?<=\S)\s{2,}(?=\S)", text) if x.strip()]
    return bool(lines) and qp.label_of(lines[0]) in ("from", "date")


def _text_after(element: HtmlElement) -> str:
    """The first characters of text that follow an element in the document."""
    parts = [element.tail or ""]
    node: HtmlElement | None = element
    while node is not None and sum(len(p) for p in parts) < LOOK:
        for sibling in node.itersiblings():
            parts.append(_block_text(sibling))
            if sum(len(p) for p in parts) >= LOOK:
                break
        node = node.getparent()
    return "\n".join(parts)[:LOOK].lstrip()


def _block_text(element: HtmlElement) -> str:
    if not isinstance(element.tag, str):
        return element.tail or ""
    return "\n".join(t for t in element.itertext() if t.strip()) + "\n" + (element.tail or "")


def _cut_from(marker: HtmlElement, root: HtmlElement) -> HtmlElement:
    """The marker and all that follows it in the document, moved into a new block."""
    moved = [marker, *marker.itersiblings()]
    node = marker.getparent()
    while node is not None and node is not root:
        moved += list(node.itersiblings())
        node = node.getparent()
    wrapper = root.makeelement("div", {})
    for element in moved:
        element.getparent().remove(element)
        wrapper.append(element)
    return wrapper
