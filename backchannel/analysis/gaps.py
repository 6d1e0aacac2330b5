"""What the records do not hold, found from what they do: Bates numbers a production skipped,
weeks a mailbox that is otherwise busy is silent, and what one release of an email redacted that
another showed. Rebuilt on every analyze."""

from __future__ import annotations

import difflib
import json
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlite_utils

from ..corpus.keys import short_hash
from ..ingest.printed.marks import bates_series

_NUMBER = re.compile(r"(\d{4,10})$")
SILENT_WEEKS = 2  # a run of at least this many empty weeks...
BUSY_MEDIAN = 1  # ...in a mailbox whose median week holds at least this many emails


@dataclass
class _Span:
    """Bates numbers seen together: a page, or a production's document (its first to its last
    number; `open`: its last is not known, so nothing after it can be called missing)."""

    first: int
    last: int
    shown_first: str
    shown_last: str
    where: str  # "production.pdf, page 3", "VOL001.dat, line 12"
    open: bool = False


def _number(bates: str) -> int | None:
    m = _NUMBER.search(bates.replace(" ", ""))
    return int(m.group(1)) if m else None


def _spans(db: sqlite_utils.Database) -> dict[str, list[_Span]]:
    """Per Bates series, what the corpus has: the numbers printed on pages, and the ranges of
    the documents that productions' load files list (every record, email or not)."""
    spans: dict[str, list[_Span]] = defaultdict(list)
    for bates, path, page in db.execute(
        "select p.bates, s.path, p.page from pages p join sources s on s.id = p.source_id "
        "where p.bates is not null"
    ):
        n = _number(bates)
        if n is not None:
            spans[bates_series(bates)].append(_Span(n, n, bates, bates, f"{path}, page {page}"))
    if "documents" not in db.table_names():
        return spans
    for begin, end, pages, path, line in db.execute(
        "select d.bates_begin, d.bates_end, d.page_count, s.path, d.line from documents d "
        "join sources s on s.id = d.source_id where d.bates_begin is not null"
    ):
        first = _number(begin)
        if first is None:
            continue
        series = bates_series(begin)
        last = _number(end) if end and bates_series(end) == series else None
        if last is None and pages:
            last = first + pages - 1  # the cross-reference's page count gives its end
        where = f"{path}, line {line}"
        shown_last = end or begin
        if last is not None and last < first:  # an end before its beginning: not believed
            last = None
        reach = last if last is not None else first
        spans[series].append(_Span(first, reach, begin, shown_last, where, last is None))
    return spans


def bates_gaps(db: sqlite_utils.Database) -> int:
    """`bates_gaps`: per Bates series, each run of numbers missing between two numbers seen —
    on printed pages, or as the ranges of the documents a production's load file lists ("LUSD-
    000120 to LUSD-000131 were numbered but not released") — with the file and page (or load
    file and line) on either side. Returns how many gaps."""
    rows = []
    for series, spans in _spans(db).items():
        spans.sort(key=lambda s: (s.first, s.last))
        reach = spans[0]  # the span that reaches furthest so far
        for span in spans[1:]:
            if span.first > reach.last + 1 and not reach.open:
                rows.append(_gap_row(series, reach, span))
            if span.last > reach.last or (span.last == reach.last and not span.open):
                reach = span
    with db.atomic():
        db.execute("delete from bates_gaps")
        db.table("bates_gaps").insert_all(rows)
    return len(rows)


def _gap_row(series: str, before: _Span, after: _Span) -> dict:
    shown = before.shown_last
    number = _NUMBER.search(shown.replace(" ", ""))
    assert number is not None  # spans hold only numbers that have one
    prefix, width = shown.replace(" ", "")[: number.start()], len(number.group(1))
    return {
        "id": short_hash("gap", series, before.last, after.first),
        "series": series,
        "first_missing": f"{prefix}{before.last + 1:0{width}d}",
        "last_missing": f"{prefix}{after.first - 1:0{width}d}",
        "pages": after.first - before.last - 1,
        "after": f"{shown} ({before.where})",
        "before": f"{after.shown_first} ({after.where})",
    }


def silent_stretches(db: sqlite_utils.Database) -> int:
    """`silent_stretches`: per custodian, each run of at least SILENT_WEEKS weeks with no email
    inside the span of their mailbox, where its median week (empty weeks counted) holds at least
    BUSY_MEDIAN emails. Weeks run Monday to Sunday, in the corpus's time zone. Returns how
    many stretches."""
    weeks: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for custodian, sent in db.execute(
        """select c.custodian, coalesce(m.sent_local, m.sent_at) from message_copies c
           join messages m on m.id = c.message_id
           where c.method != 'quoted' and m.sent_at is not null"""
    ):
        day = datetime.fromisoformat(sent).date()
        weeks[custodian][day - timedelta(days=day.weekday())] += 1
    rows = []
    for custodian, counts in weeks.items():
        first, last = min(counts), max(counts)
        span = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
        median = statistics.median(counts.get(w, 0) for w in span)
        if median < BUSY_MEDIAN:
            continue
        run: list[date] = []
        for week in [*span, None]:
            if week is not None and counts.get(week, 0) == 0:
                run.append(week)
                continue
            if len(run) >= SILENT_WEEKS:
                rows.append(
                    {
                        "id": short_hash("silent", custodian, run[0]),
                        "custodian": custodian,
                        "first_week": run[0].isoformat(),
                        "last_week": run[-1].isoformat(),
                        "weeks": len(run),
                        "median_per_week": median,
                    }
                )
            run = []
    with db.atomic():
        db.execute("delete from silent_stretches")
        db.table("silent_stretches").insert_all(rows)
    return len(rows)


REDACTED = "[REDACTED]"


def redaction_diffs(db: sqlite_utils.Database) -> int:
    """`redaction_diffs`: for each email printed in more than one release (copies of one message
    from different files), what each copy shows that the other redacted, word for word, with the
    exemption codes each printed; and differences that are not redactions (`other`: copies that
    disagree). Returns how many pairs differ."""
    copies: dict[str, list[tuple]] = defaultdict(list)
    for cid, mid, sid, text, path, pages in db.execute(
        """select c.id, c.message_id, c.source_id, c.text, s.path, c.pages
           from message_copies c join sources s on s.id = c.source_id
           where c.text is not null order by c.message_id, c.rowid"""
    ):
        copies[mid].append((cid, sid, text, path, pages))
    rows = []
    for mid, found in copies.items():
        sources = {c[1] for c in found}
        if len(sources) < 2:
            continue
        first = found[0]
        for other in found[1:]:
            if other[1] == first[1]:
                continue
            shown_a, shown_b, differs = _compare(first[2], other[2])
            if not (shown_a or shown_b or differs):
                continue
            rows.append(
                {
                    "id": short_hash("redaction-diff", first[0], other[0]),
                    "message_id": mid,
                    "copy_a": first[0],
                    "copy_b": other[0],
                    "release_a": _where(first[3], first[4]),
                    "release_b": _where(other[3], other[4]),
                    "codes_a": _codes(db, mid, first[1]),
                    "codes_b": _codes(db, mid, other[1]),
                    "shown_only_in_a": " … ".join(shown_a) or None,
                    "shown_only_in_b": " … ".join(shown_b) or None,
                    "other": json.dumps(differs, ensure_ascii=False) if differs else None,
                }
            )
    with db.atomic():
        db.execute("delete from redaction_diffs")
        db.table("redaction_diffs").insert_all(rows)
    return len(rows)


def _where(path: str, pages: str | None) -> str:
    if not pages:
        return path
    return f"{path}, {'pages' if '-' in pages else 'page'} {pages}"


def _codes(db: sqlite_utils.Database, message_id: str, source_id: str) -> str | None:
    found = [
        r[0]
        for r in db.execute(
            "select distinct code from redactions where message_id = ? and source_id = ? "
            "order by code",
            [message_id, source_id],
        )
    ]
    return ", ".join(found) or None


def _compare(a: str, b: str) -> tuple[list[str], list[str], list[list[str]]]:
    """(words shown in a where b is redacted, the same the other way, other differences), word
    by word; the redaction marks anchor the alignment."""
    wa, wb = a.split(), b.split()
    shown_a: list[str] = []
    shown_b: list[str] = []
    differs: list[list[str]] = []
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        seg_a, seg_b = wa[i1:i2], wb[j1:j2]
        red_a = any(REDACTED in w for w in seg_a)
        red_b = any(REDACTED in w for w in seg_b)
        plain_a = " ".join(w.replace(REDACTED, "").strip() for w in seg_a).strip()
        plain_b = " ".join(w.replace(REDACTED, "").strip() for w in seg_b).strip()
        if red_b and plain_a:
            shown_a.append(plain_a)
        if red_a and plain_b:
            shown_b.append(plain_b)
        if not red_a and not red_b:
            differs.append([" ".join(seg_a), " ".join(seg_b)])
    return shown_a, shown_b, differs
