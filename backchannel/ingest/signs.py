"""Where a printout begins, from how the page looks: the signs print layouts put at the top of
each printed email, as opposed to the header blocks of the history quoted below it.

- Outlook's own print: the mailbox owner's name (bold) over a heavy rule, then the memo table.
- Web mail and Gmail prints: the subject or the account as a bold title over the header.
- E-discovery prints: a tinted metadata box opens each record.

A sign counts only at the top of a page's content: the page where a printout starts. Header
blocks anywhere else are quoted history (or, failing a sign, left to the text's own rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import LineLook
from .pagelook import PageLook
from .printed import field_of, header_at

TITLE_WORDS = 10  # a title is a name or a subject: a short line
RULE_WIDTH = 0.5  # a title's rule runs over this share of the page's width at least
HEAVY_RULE = 1.5  # points: Outlook's rule under the owner's name is a heavy one
TOP_LINES = 3  # content lines read from the top of a page for a sign


@dataclass
class Start:
    """A printout starting on a page: its first line (the title, if any), its header block's
    first line, the sign that said so, and whether every block below it in the printout is
    certainly quoted (a rule under the title, a metadata box: the layout of a whole print)."""

    first: int
    header: int
    sign: str
    strict: bool
    title: str | None = None


def page_start(
    lines: list[str], looks: list[LineLook | None], lo: int, hi: int, page: PageLook | None
) -> Start | None:
    """The printout that starts at the top of the page whose lines are lines[lo:hi], if a sign
    says one does."""
    # Content: lines with a letter or a digit (a rule's dust read as "_" is none).
    content = [i for i in range(lo, hi) if any(c.isalnum() for c in lines[i])][:TOP_LINES]
    if not content or page is None:
        return None
    first = content[0]
    look = looks[first]
    if header_at(lines, first) is not None:
        if look is None:
            return None
        if any(box.top - 3 <= look.top and look.bottom <= box.bottom + 3 for box in page.tinted):
            return Start(first, first, "a tinted metadata box opens the record", strict=True)
        # The owner's name can be lost to OCR; the heavy rule under it is not.
        if any(
            look.top - 4 * look.height <= r.top
            and r.bottom <= look.top + 1
            and r.thickness >= HEAVY_RULE
            and r.right - r.left >= page.width * RULE_WIDTH
            for r in page.rules
        ):
            return Start(first, first, "a heavy rule over the header", strict=True)
        return None
    if len(content) < 2 or look is None or field_of(lines[first]) is not None:
        return None
    if len(lines[first].split()) > TITLE_WORDS:
        return None
    header = content[1]
    if header_at(lines, header) is None:
        return None
    below = looks[header]
    rule = None
    if below is not None:
        rule = next(
            (
                r
                for r in page.rules
                if look.bottom - 2 <= r.top <= below.top + 2
                and r.right - r.left >= page.width * RULE_WIDTH
            ),
            None,
        )
    title = lines[first].strip()
    if rule is not None:
        heavy = rule.thickness >= HEAVY_RULE
        sign = "a title" + (" in bold" if look.bold else "") + " over a rule"
        return Start(first, header, sign, strict=heavy or look.bold, title=title)
    if look.bold:
        return Start(first, header, "a title in bold over the header", strict=False, title=title)
    return None
