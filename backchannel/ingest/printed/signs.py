"""Where a printout begins, from how the page looks: the signs print layouts put at the top of
each printed email, as opposed to the header blocks of the history quoted below it.

- Outlook's own print: the mailbox owner's name (bold) over a heavy rule, then the memo table.
- Web mail and Gmail prints: the subject or the account as a bold title over the header.
- E-discovery prints: a tinted metadata box opens each record.

A sign counts only at the top of a page's content: the page where a printout starts. Header
blocks anywhere else are quoted history (or, failing a sign, left to the text's own rules).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .boxes import LEAD, Box, read_box
from .layout import LineLook
from .pagelook import PageLook
from .printed import Header, Layout, field_of, header_at

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


def find_signs(
    lines: list[str],
    looks: list[LineLook | None],
    page_starts: dict[int, int],
    page_looks: dict[int, PageLook | None],
) -> Signs:
    """The printouts that start at the top of a page by the signs of their print layout, and
    the records an e-discovery print's boxes open and close."""
    numbers = sorted(page_starts)
    found = Signs()
    for n, number in enumerate(numbers):
        lo = page_starts[number]
        hi = page_starts[numbers[n + 1]] if n + 1 < len(numbers) else len(lines)
        page = page_looks[number]
        boxes = _boxes(lines, looks, lo, hi, page)
        for box in boxes:
            if box.opening:
                found.starts.append(Start(box.start, box.start, BOX_SIGN, strict=True))
                found.headers[box.start] = box.header()
            elif box.closing:
                found.closings.append(box)
        if any(b.opening and b.start == _first_content(lines, lo, hi) for b in boxes):
            continue
        start = page_start(lines, looks, lo, hi, page)
        if start is not None:
            found.starts.append(start)
    found.starts.sort(key=lambda s: s.first)
    return found


BOX_SIGN = "a tinted metadata box opens the record"
CLOSING_SIGN = "a closing metadata box ends the record (its opening box is not in the file)"


@dataclass
class Signs:
    starts: list[Start] = field(default_factory=list)
    headers: dict[int, Header] = field(default_factory=dict)  # opening boxes, read as tables
    closings: list[Box] = field(default_factory=list)  # boxes that close a record

    def __bool__(self) -> bool:
        return bool(self.starts or self.closings)


def _first_content(lines: list[str], lo: int, hi: int) -> int | None:
    return next((i for i in range(lo, hi) if lines[i].strip()), None)


def _boxes(
    lines: list[str], looks: list[LineLook | None], lo: int, hi: int, page: PageLook | None
) -> list[Box]:
    """The header blocks printed in the page's tinted boxes, read as tables."""
    out = []
    for tint in page.tinted if page is not None else []:
        rows = [
            i
            for i in range(lo, hi)
            if (look := looks[i]) is not None
            and tint.top - 2 <= (look.top + look.bottom) / 2 <= tint.bottom + 2
        ]
        box = read_box(lines, looks, rows)
        if box is not None and (box.opening or box.closing):
            out.append(box)
    return out


def by_signs(
    layout: Layout, found: Signs, lines: list[str], page_tops: list[int]
) -> dict[int, Box]:
    """The documents are the printouts the signs start and the records the boxes open and
    close; what comes before the first is the end of a printout begun in another file. A
    record whose opening box is not in the file is known by its closing box. Returns the
    closing box of each record, by the record's first line."""
    closings = _merged(found.closings, lines)
    layout.known = True
    layout.headers = dict(found.headers)
    starts = {s.first for s in found.starts}
    layout.strict = {s.first for s in found.starts if s.strict}
    boundaries = set(starts)
    closed: dict[int, Box] = {}
    for box in closings:
        opened = max((s for s in starts if s < box.start), default=None)
        previous_end = max((b.end for b in closings if b.end <= box.start), default=0)
        if opened is None or opened < previous_end:
            # No opening box since the last record closed: the record is known by this box.
            first = _first_content(lines, previous_end, box.start)
            if first is not None:
                fields = {
                    "from": box.fields.get("sender", ""),
                    "to": box.fields.get("recipient", ""),
                    "date": box.fields.get("sent_date", box.fields.get("delivered_date", "")),
                }
                layout.headers[first] = Header(fields, first, first)
                boundaries.add(first)
                layout.strict.add(first)
                closed[first] = box
        else:
            closed[opened] = box
        boundaries |= {box.start, box.end}
        # After a closing box: another record, unless an opening box or a closing box says
        # whose it is, is the tail of one begun elsewhere.
        layout.fragments |= {box.start, box.end}
    layout.fragments -= set(starts) | set(closed)
    repeats = _repeated(lines, sorted(boundaries), layout, page_tops)
    layout.fragments |= repeats
    layout.documents = sorted(boundaries | repeats)
    layout.fragment_end = min([s for s in starts] + [f for f in closed] or [len(lines)])
    return closed


def _repeated(lines: list[str], docs: list[int], layout: Layout, page_tops: list[int]) -> set[int]:
    """Pages where another record begins with no sign of its own: one email's quoted history
    never holds the same header block twice, so a page that repeats a block of the record
    above it starts the tail of another record (whose first page is not in the file)."""
    out: set[int] = set()
    seen: dict[str, int] = {}
    doc = -1
    i = 0
    while i < len(lines):
        at = bisect.bisect_right(docs, i) - 1
        if at != doc:
            doc, seen = at, {}
        h = layout.headers.get(i) or header_at(lines, i)
        if h is None:
            i += 1
            continue
        key = re.sub(r"[^a-z]", "", h.fields.get("from", "").lower())[:10] + re.sub(
            r"\D", "", h.fields.get("date", "")
        )
        page = bisect.bisect_right(page_tops, i) - 1
        if key in seen and seen[key] < page and docs[doc] in layout.strict:
            top = page_tops[page]
            out.add(top)
            docs = sorted({*docs, top})
            doc, seen = bisect.bisect_right(docs, i) - 1, {}
        seen.setdefault(key, page)
        i = max(h.end, i + 1)
    return out


def _merged(boxes: list[Box], lines: list[str]) -> list[Box]:
    """Closing boxes, one per record: a box split over a page break (Sender and Recipient at
    the foot of one page, the dates at the top of the next) is one."""
    out: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.start):
        if out and not any(lines[i].strip() for i in range(out[-1].end, box.start)):
            last = out[-1]
            fields = dict(last.fields)
            lead = box.fields.get(LEAD, "")
            if lead and fields:
                tail = list(fields)[-1]
                fields[tail] = f"{fields[tail]} {lead}".strip()
            fields.update({k: v for k, v in box.fields.items() if k != LEAD})
            out[-1] = Box(fields, last.start, box.end, last.rows + box.rows)
        else:
            out.append(box)
    return out
