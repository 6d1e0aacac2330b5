"""What the records do not hold, found from what they do: Bates numbers a production skipped,
and weeks a mailbox that is otherwise busy is silent. Rebuilt on every analyze."""

from __future__ import annotations

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
            prefix = shown[: _NUMBER.search(shown.replace(" ", "")).start()]
            width = len(_NUMBER.search(shown.replace(" ", "")).group(1))
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
        db["bates_gaps"].insert_all(rows)
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
        db["silent_stretches"].insert_all(rows)
    return len(rows)
