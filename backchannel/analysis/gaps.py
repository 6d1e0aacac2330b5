"""What the records do not hold, found from what they do: Bates numbers a production skipped,
weeks a mailbox that is otherwise busy is silent, and what one release of an email redacted that
another showed. Rebuilt on every analyze."""

from __future__ import annotations

import difflib
import json
import re
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta

import sqlite_utils

from ..corpus.keys import short_hash
from ..ingest.marks import bates_series

_NUMBER = re.compile(r"(\d{4,10})$")
SILENT_WEEKS = 2  # a run of at least this many empty weeks...
BUSY_MEDIAN = 1  # ...in a mailbox whose median week holds at least this many emails


def bates_gaps(db: sqlite_utils.Database) -> int:
    """`bates_gaps`: per Bates series, each run of numbers missing between two numbers seen on
    pages ("LUSD-000120 to LUSD-000131 were numbered but not released"), with the file and page
    on either side. Returns how many gaps."""
    seen: dict[str, dict[int, tuple[str, str, int]]] = defaultdict(dict)
    for bates, path, page in db.execute(
        "select p.bates, s.path, p.page from pages p join sources s on s.id = p.source_id "
        "where p.bates is not null"
    ):
        m = _NUMBER.search(bates.replace(" ", ""))
        if not m:
            continue
        series = bates_series(bates)
        seen[series].setdefault(int(m.group(1)), (bates, path, page))
    rows = []
    for series, numbers in seen.items():
        ordered = sorted(numbers)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after - before <= 1:
                continue
            shown, path_a, page_a = numbers[before]
            shown_b, path_b, page_b = numbers[after]
            number = _NUMBER.search(shown.replace(" ", ""))
            if number is None:  # numbers[] holds only stamps with a number
                continue
            prefix, width = shown[: number.start()], len(number.group(1))
            rows.append(
                {
                    "id": short_hash("gap", series, before, after),
                    "series": series,
                    "first_missing": f"{prefix}{before + 1:0{width}d}",
                    "last_missing": f"{prefix}{after - 1:0{width}d}",
                    "pages": after - before - 1,
                    "after": f"{shown} ({path_a}, page {page_a})",
                    "before": f"{shown_b} ({path_b}, page {page_b})",
                }
            )
    with db.atomic():
        db.execute("delete from bates_gaps")
        db.table("bates_gaps").insert_all(rows)
    return len(rows)


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
