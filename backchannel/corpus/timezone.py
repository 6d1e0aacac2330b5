"""The corpus's time zone: the zone every date a reporter quotes is shown in.

`sent_at` stays UTC (sorting, joins, dedupe); `sent_local` beside it is the same instant in the
corpus zone, and `year` and `month` come from it. A printed time without its zone (a PDF
printout) was read as UTC at ingest; with a corpus zone it is read in that zone instead
(`zone_read_in` says which zone its `sent_at` was read in, so a change of zone is undone and
redone exactly, never applied twice).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from email.utils import parsedate_tz
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from ..errors import BackchannelError

SETTINGS = "settings"
# Zones proposed from the Date headers: the common ones of newsrooms' records.
CANDIDATES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Halifax",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Jerusalem",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
]


# What an IANA name is made of (America/Argentina/Buenos_Aires, Etc/GMT+5): checked before the
# zone database is asked, which would take a long name as a path ("File name too long").
ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]{0,29}(/[A-Za-z0-9_+-]{1,30}){0,2}")


class ZoneError(BackchannelError, ValueError):
    pass


def check_zone(name: str) -> str:
    """The IANA zone name, checked; ZoneError with a sentence when it is not one."""
    try:
        if not ZONE_NAME.fullmatch(name):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        shown = name if len(name) <= 60 else name[:57] + "..."
        raise ZoneError(
            f"{shown!r} is not an IANA time zone name (like America/Los_Angeles or Europe/Paris)"
        ) from exc
    return name


def stored_setting(db: sqlite_utils.Database, key: str) -> str | None:
    """One row of the corpus's settings (its zone, the public build's secret), or None."""
    if SETTINGS not in db.table_names():
        return None
    row = db.execute(f"select value from {SETTINGS} where key = ?", [key]).fetchone()
    return row[0] if row else None


def store_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.table(SETTINGS).insert({"key": key, "value": value}, pk="key", replace=True)


def stored_zone(db: sqlite_utils.Database) -> str | None:
    return stored_setting(db, "timezone")


def store_zone(db: sqlite_utils.Database, zone: str) -> None:
    store_setting(db, "timezone", zone)


def apply_zone(db: sqlite_utils.Database, zone: str | None) -> int:
    """Bring every message's local time in line with `zone` (None: UTC): read printed times
    without a zone in it, and set sent_local, year and month. Only what is not in line yet is
    touched; returns how many messages changed."""
    name = zone or "UTC"
    tz = ZoneInfo(name)
    changed = 0
    rows = db.execute(
        "select id, sent_at, zone_known, coalesce(zone_read_in, 'UTC') from messages "
        "where sent_at is not null and (sent_local is null or local_zone is not ? "
        "or (zone_known = 0 and coalesce(zone_read_in, 'UTC') != ?))",
        [name, name],
    ).fetchall()
    updates = []
    for mid, sent_at, zone_known, read_in in rows:
        instant = datetime.fromisoformat(sent_at)
        if not zone_known and read_in != name:
            # The wall-clock time printed, read again in the corpus zone.
            wall = instant.astimezone(ZoneInfo(read_in)).replace(tzinfo=None)
            instant = wall.replace(tzinfo=tz).astimezone(UTC)
        local = instant.astimezone(tz)
        updates.append(
            (
                instant.isoformat(),
                local.isoformat(),
                name,
                name if not zone_known else read_in,
                local.strftime("%Y"),
                local.strftime("%Y-%m"),
                mid,
            )
        )
    with db.atomic():
        db.conn.executemany(
            "update messages set sent_at = ?, sent_local = ?, local_zone = ?, zone_read_in = ?,"
            " year = ?, month = ? where id = ?",
            updates,
        )
        changed = len(updates)
    return changed


def propose_zone(db: sqlite_utils.Database, sample: int = 2000) -> tuple[str | None, float]:
    """The zone whose offsets fit most of the Date headers (as written), and the share of them
    it fits: what analyze proposes when the reporter has named no zone."""
    offsets: list[tuple[datetime, int]] = []
    for original, sent_at in db.execute(
        "select sent_at_original, sent_at from messages where sent_at is not null "
        "and zone_known = 1 and sent_at_original is not null order by rowid limit ?",
        [sample],
    ):
        parsed = parsedate_tz(original)
        if parsed is None or parsed[9] is None:
            continue
        offsets.append((datetime.fromisoformat(sent_at), parsed[9]))
    if not offsets:
        return None, 0.0
    fits: Counter = Counter()
    for name in CANDIDATES:
        tz = ZoneInfo(name)
        fits[name] = sum(1 for when, offset in offsets if _offset(when.astimezone(tz)) == offset)
    best, hits = fits.most_common(1)[0]
    return (best, hits / len(offsets)) if hits else (None, 0.0)


def _offset(when: datetime) -> float:
    """Seconds east of UTC of an aware time."""
    delta = when.utcoffset()
    return delta.total_seconds() if delta is not None else 0.0


def month_range(first: str, last: str) -> list[str]:
    """Every month from the first to the last ("2025-01" …): gaps are months too."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
