"""Header blocks printed as a table in a box: an e-discovery print's metadata box that opens a
record (From, To, Subject, Date, Priority, Type) and the one that closes it (Sender, Recipient,
Sent Date, Delivered Date).

Labels sit in a column at the left, values in a column beside them; a value may run over
several lines (an Exchange X.500 address, a list of recipients), and its label is printed at
the middle of its cell, so some of the value's lines come above the label's line. Each
unlabelled line goes to the label whose cell it falls in: a cell reaches as far below its
label as above it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from ..languages import fold_label
from .layout import LineLook
from .printed import LABELS, RECORD, Header

# Labels a box may hold, as compared when OCR garbled one ("Pron" for "From", "To}").
_BOX_LABELS = {**LABELS, **RECORD}
_ASCII_LABELS = [label for label in _BOX_LABELS if label.isascii()]
OPENING = {"from", "date"}  # a box with these opens a record
CLOSING = {"sender", "sent_date", "recipient", "delivered_date"}  # these close one
# The order of a box's rows, for a label OCR could not read: it is the one its neighbours
# leave room for ("I" above "To:" is "From:").
ONE_LINE = {"date", "sent_date", "delivered_date", "priority", "type"}
LEAD = "_lead"  # rows at the top of a box that carry on the box of the page before
ORDERS = [
    ["from", "to", "cc", "bcc", "subject", "date", "priority", "type"],
    ["sender", "recipient", "sent_date", "delivered_date"],
]


@dataclass
class Box:
    """A table-form header block: its fields, its first line and the line after it."""

    fields: dict[str, str]
    start: int
    end: int
    rows: list[int] = field(default_factory=list)

    @property
    def opening(self) -> bool:
        return OPENING <= self.fields.keys()

    @property
    def closing(self) -> bool:
        return len(CLOSING & self.fields.keys()) >= 2 and "from" not in self.fields

    def header(self) -> Header:
        return Header(dict(self.fields), self.start, self.end)


def box_label(text: str) -> str | None:
    """The field of a label printed in a box's label column, allowing OCR's misreads."""
    folded = fold_label(text)
    if folded in _BOX_LABELS and len(folded) > 1:
        return _BOX_LABELS[folded]
    letters = re.sub(r"[^a-z ]", "", folded).strip()
    if len(letters) < 2:  # "a": a speck, not the French "À"
        return None
    if letters in _BOX_LABELS:
        return _BOX_LABELS[letters]
    close = difflib.get_close_matches(letters, _ASCII_LABELS, n=1, cutoff=0.7)
    return _BOX_LABELS[close[0]] if close else None


def read_box(lines: list[str], looks: list[LineLook | None], rows: list[int]) -> Box | None:
    """The header block a box's lines (indexes into lines) print, or None when no label is
    read in its label column."""
    rows = [i for i in rows if lines[i].strip() and looks[i] is not None]
    if not rows:
        return None
    starts = Counter(_value_start(lines[i]) for i in rows)
    column = max(starts.items(), key=lambda kv: (kv[1], kv[0]))[0]  # the values' column
    anchors: list[tuple[int, str | None]] = []  # (row, field; None: a label OCR garbled)
    values: dict[int, str] = {}
    for i in rows:
        text = lines[i]
        indent = len(text) - len(text.lstrip())
        if indent >= column - 1:
            values[i] = text.strip()
            continue
        label, value = _split_label(text.strip(), column - indent)
        found = box_label(label)
        if found is None and (value or len(label.split()) > 2 or re.search(r"[/@<>]", label)):
            values[i] = text.strip()
            continue
        anchors.append((i, found))
        if value:
            values[i] = value
    named = _named(anchors)
    if not named:
        return None
    fields: dict[str, list[str]] = {}
    cells = _cells(rows, named, looks)
    anchor_rows = {row for row, _ in named}
    previous: str | None = None
    for i in rows:
        name = cells.get(i)
        if name in ONE_LINE and i not in anchor_rows:
            # A date is one line: what the cell model gave it belongs to the field above (or,
            # at the top of a box continued from the page before, to that box's last field).
            name = previous or LEAD
        elif name is not None:
            previous = name
        if name is not None and values.get(i):
            fields.setdefault(name, []).append(values[i])
        elif name is not None:
            fields.setdefault(name, [])
    joined = {name: " ".join(parts).strip() for name, parts in fields.items()}
    return Box(joined, rows[0], rows[-1] + 1, rows)


_LABELLED = re.compile(r"^(\s*)(\S.{0,24}?[:：;}])\s+(?=\S)")


def _value_start(line: str) -> int:
    """Where a row's value starts: after its label, if it starts with one."""
    m = _LABELLED.match(line)
    return m.end() if m else len(line) - len(line.lstrip())


def _named(anchors: list[tuple[int, str | None]]) -> list[tuple[int, str]]:
    """The anchors with a field each: one OCR could not read takes the field the box's order
    leaves between its neighbours; one with no such room is dropped."""
    known = [name for _, name in anchors if name]
    if not known:
        return []
    order = max(ORDERS, key=lambda o: sum(name in o for name in known))
    out: list[tuple[int, str]] = []
    used = set(known)
    for k, (row, name) in enumerate(anchors):
        if name is not None:
            out.append((row, name))
            continue
        before = max((order.index(n) for _, n in anchors[:k] if n in order), default=-1)
        after = min((order.index(n) for _, n in anchors[k + 1 :] if n in order), default=len(order))
        room = [f for f in order[before + 1 : after] if f not in used]
        if room:
            used.add(room[0])
            out.append((row, room[0]))
    return out


def _split_label(text: str, width: int) -> tuple[str, str]:
    """(label, value) of a line that starts in the label column: up to its colon, or its
    words printed left of the values' column."""
    colon = re.match(r"^(.{1,24}?)[:：;}]\s*(.*)$", text)
    if colon and len(colon.group(1)) <= max(width, 4) + 2:
        return colon.group(1), colon.group(2)
    head = text[:width].strip()
    return head, text[len(head) :].strip()


def _cells(
    rows: list[int], anchors: list[tuple[int, str]], looks: list[LineLook | None]
) -> dict[int, str]:
    """The field each row belongs to: a label's cell runs from the first row no cell has taken
    as far below the label as that row is above it."""

    def middle(i: int) -> float:
        look = looks[i]
        assert look is not None
        return (look.top + look.bottom) / 2

    def label_middle(i: int) -> float:
        # The label's own middle: OCR may put it on a line of the value beside it.
        look = looks[i]
        assert look is not None
        return look.first_middle if look.first_middle is not None else middle(i)

    gaps = sorted(middle(b) - middle(a) for a, b in zip(rows, rows[1:], strict=False))
    pitch = gaps[len(gaps) // 2] if gaps else 10.0  # the rows' usual spacing
    out: dict[int, str] = {}
    at = 0
    for k, (anchor, name) in enumerate(anchors):
        first = rows[at] if at < len(rows) else anchor
        reach = 2 * label_middle(anchor) - middle(first) + pitch * 0.7
        next_anchor = anchors[k + 1][0] if k + 1 < len(anchors) else None
        while at < len(rows):
            i = rows[at]
            if i == next_anchor or (i > anchor and middle(i) > reach and k + 1 < len(anchors)):
                break
            out[i] = name
            at += 1
    return out
