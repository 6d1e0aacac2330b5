"""`backchannel publish-build`: the public file, made from a copy of the working corpus (never
the working file edited in place).

1. The working corpus is copied (`VACUUM INTO`) to a scratch file beside the output.
2. Emails the policy withholds go, and so do the emails recovered only from their quoted
   history; each is a row of `withheld` with its reason. Their count rows stay, so every
   published figure is the working one, and its list says how many of its emails are withheld.
3. Internal tables go (unless the policy keeps them), full-text indexes and their triggers go,
   settings but the time zone go, internal keys are emptied.
4. Every text cell of every table left is scrubbed (privacy.Scrubber): JSON is read and written
   back, ids that a guessed address could be tested against are replaced by keyed ones.
5. Full-text indexes are rebuilt from the scrubbed text; `public_build` says what this is.
6. The scratch file is vacuumed into the output (no free page keeps a deleted byte), which
   replaces any older one in one step. What was replaced, where and by which rule goes to the
   working corpus's `suppression_log`.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import sqlite_utils

from ..corpus.schema import FTS
from ..corpus.timezone import store_setting, stored_setting
from ..errors import BackchannelError
from ..stopping import alive, watch
from .policy import INTERNAL_TABLES, Policy, Withhold
from .privacy import Privacy, Scrubber

SECRET_KEY = "public_build_secret"  # settings row of the working corpus; never published
KEPT_SETTINGS = ("timezone",)
LOG_TABLE = (
    "create table if not exists suppression_log (id integer primary key, [table] text, "
    "row text, [column] text, rule text, found text, replacement text)"
)
# Keys that only the working corpus needs, made of what private people wrote.
EMPTIED = {"messages": {"match_key": None, "content_key": None, "ner_hash": None}}


class _Log:
    """The suppression log as the build goes, in a scratch file beside the output (a big corpus
    replaces millions of values: they are not held in memory), copied into the working corpus
    at the end."""

    FLUSH = 20_000

    def __init__(self, path: Path):
        self.path = path
        self.conn = sqlite3.connect(path)
        self.conn.execute("pragma journal_mode = off")
        self.conn.execute(LOG_TABLE)
        self.rows: list[tuple] = []

    def append(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany(
            "insert into suppression_log ([table], row, [column], rule, found, replacement) "
            "values (?, ?, ?, ?, ?, ?)",
            self.rows,
        )
        self.conn.commit()
        self.rows = []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()


@dataclass
class BuildSummary:
    out: Path
    private_persons: int = 0
    private_names: int = 0  # names replaced in text: private persons' and names in prose
    withheld: int = 0
    dropped_tables: list[str] = field(default_factory=list)
    replaced: Counter = field(default_factory=Counter)  # by rule
    cells: int = 0  # cells changed
    file_names_kept: bool = False
    seconds: float = 0.0


def build(db_path: Path, out_path: Path, policy: Policy | None = None) -> BuildSummary:
    policy = policy or Policy()
    db_path, out_path = Path(db_path), Path(out_path)
    if out_path.resolve() == db_path.resolve():
        raise ValueError("the public file must be a new file, not the working corpus")
    started = time.monotonic()
    summary = BuildSummary(out_path, file_names_kept=policy.keep_file_names)
    remove_stale(out_path)
    working = sqlite3.connect(db_path)
    watch(working)
    # Unscrubbed copies, until the last step: removed however the build ends (a signal
    # included; after a SIGKILL, by the next build, remove_stale).
    scratch, final, logfile = (
        out_path.with_name(f"{BUILDING.format(name=out_path.name, pid=os.getpid())}{suffix}")
        for suffix in ("", "-final", "-log")
    )
    try:
        secret = _secret(working)
        privacy = Privacy(working, policy, secret)
        summary.private_persons = len(privacy.private)
        summary.private_names = len(privacy.names)
        working.execute("vacuum into ?", [str(scratch)])
        log = _Log(logfile)
        try:
            _transform(scratch, working, db_path.name, privacy, policy, summary, log)
        finally:
            log.close()
        conn = sqlite3.connect(scratch)
        try:
            watch(conn)
            conn.execute("vacuum into ?", [str(final)])
        finally:
            conn.close()
        _check_nothing_left(final, Scrubber(privacy))
        os.replace(final, out_path)
        _write_log(working, logfile)
    finally:
        working.close()
        for f in (scratch, final, logfile):
            _remove(f)
    summary.seconds = time.monotonic() - started
    return summary


# The scratch files of a build, beside its output: `.public.db.building-1234`, and `-final`,
# `-log` and SQLite's `-journal` after it.
BUILDING = ".{name}.building-{pid}"
_SIDE_FILES = ("", "-journal", "-wal", "-shm")


def remove_stale(out_path: Path) -> int:
    """Remove what builds of `out_path` that are no longer running left beside it (a killed
    build's unscrubbed copy of the corpus); returns how many files went."""
    removed = 0
    prefix = BUILDING.format(name=out_path.name, pid="")
    for leftover in out_path.parent.glob(f"{glob.escape(prefix)}*"):
        pid = leftover.name[len(prefix) :].split("-")[0]
        if pid.isdigit() and alive(int(pid)) and int(pid) != os.getpid():
            continue  # a build running now
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed


def _remove(path: Path) -> None:
    for suffix in _SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _secret(working: sqlite3.Connection) -> bytes:
    """The key of every pseudonym: made once per working corpus and kept in its settings, so
    that a rebuild gives the same pseudonyms and nobody without the working file can test a
    guess."""
    db = sqlite_utils.Database(working)
    value = stored_setting(db, SECRET_KEY)
    if value is None:
        value = secrets.token_hex(32)
        store_setting(db, SECRET_KEY, value)
        # The log's table too, before the first copy: the copy's header holds the schema's
        # version, and a second build must copy the very same schema to give the same file.
        with working:
            working.execute(LOG_TABLE)
    return bytes.fromhex(value)


def _transform(
    scratch: Path,
    working: sqlite3.Connection,
    source: str,
    privacy: Privacy,
    policy: Policy,
    summary: Any,
    log: Any,
) -> None:
    conn = sqlite3.connect(scratch)
    try:
        watch(conn)
        _scrub(conn, working, source, privacy, policy, summary, log)
    finally:
        conn.close()


def _scrub(
    conn: sqlite3.Connection,
    working: sqlite3.Connection,
    source: str,
    privacy: Privacy,
    policy: Policy,
    summary: Any,
    log: Any,
) -> None:
    conn.execute("pragma journal_mode = off")  # a scratch file: a crash leaves it to delete
    with conn:
        tables = _tables(conn)
        for (name,) in conn.execute("select name from sqlite_master where type = 'trigger'"):
            conn.execute(f"drop trigger [{name}]")
        for (name,) in conn.execute(
            "select name from sqlite_master where sql like 'create virtual table%'"
        ).fetchall():
            conn.execute(f"drop table [{name}]")  # full-text indexes, with their shadow tables
        withheld = _withhold(conn, policy.withhold)
        summary.withheld = len(withheld)
        for mid, (rule, reason) in sorted(withheld.items()):
            log.append(("messages", mid, None, "withheld", rule, reason))
        for name in INTERNAL_TABLES:
            if name in tables and name not in policy.keep_tables:
                conn.execute(f"drop table [{name}]")
                summary.dropped_tables.append(name)
                log.append((name, None, None, "internal table", None, "dropped"))
        if "settings" in tables:
            marks = ", ".join("?" * len(KEPT_SETTINGS))
            conn.execute(f"delete from settings where key not in ({marks})", KEPT_SETTINGS)
        for table, columns in EMPTIED.items():
            if table in tables:
                sets = ", ".join(f"[{c}] = null" for c in columns)
                conn.execute(f"update [{table}] set {sets}")
        if "messages" in tables:
            conn.execute("update messages set dedupe_key = id")
        scrubber = Scrubber(privacy, {} if policy.keep_file_names else _path_names(conn))
        for table in _tables(conn):
            summary.cells += _scrub_table(conn, table, scrubber, log, summary.replaced)
        if {"mentions", "messages"} <= set(_tables(conn)):
            # A mention's offsets point into the authored text: where scrubbing moved or
            # replaced its words, they would point at something else. Emptied there.
            conn.execute(
                """update mentions set start = null, "end" = null
                   where substr((select body_authored from messages m
                                 where m.id = mentions.message_id), start + 1, "end" - start)
                         is not text"""
            )
        _public_build_row(conn, working, scrubber.text(source, []), policy, summary)
    db = sqlite_utils.Database(conn)
    for table, indexed in FTS.items():
        if table in db.table_names():
            db.table(table).enable_fts(indexed, create_triggers=False)
    conn.execute("analyze")  # statistics from the scrubbed rows only
    conn.commit()


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and sql not like 'create virtual table%' order by name"
        )
        if not any(r[0].startswith(f"{t}_fts_") for t in FTS)
    ]


def _withhold(conn: sqlite3.Connection, rules: list[Withhold]) -> dict[str, tuple[str, str]]:
    """Remove the emails the policy withholds; returns {message id: (rule, reason)}. An email
    known only from the quoted history of withheld ones goes with them."""
    chosen: dict[str, tuple[str, str]] = {}
    for rule in rules:
        if rule.by == "id":
            ids = [r[0] for r in conn.execute("select id from messages where id = ?", [rule.value])]
        elif rule.by == "from":
            ids = [
                r[0]
                for r in conn.execute(
                    "select id from messages where lower(from_address) = ? union "
                    "select message_id from participants where role = 'from' and address = ?",
                    [rule.value, rule.value],
                )
            ]
        else:
            ids = [
                r[0]
                for r in conn.execute(
                    "select distinct message_id from message_copies where lower(folder) = ? "
                    "or lower(folder) like ?",
                    [rule.value.lower(), f"%/{rule.value.lower()}"],
                )
            ]
        for mid in ids:
            chosen.setdefault(mid, (rule.rule, rule.reason))
    while chosen:  # recovered emails whose every copy was quoted in a withheld one
        more = {
            mid: ("quoted only in a withheld email", chosen[found][1])
            for mid, found in conn.execute(
                "select message_id, min(found_in) from message_copies where message_id in "
                "(select id from messages where recovered = 1) group by message_id "
                "having count(*) = sum(found_in is not null and found_in in "
                f"({','.join('?' * len(chosen))}))",
                list(chosen),
            )
            if mid not in chosen
        }
        if not more:
            break
        chosen.update(more)
    conn.execute("create table withheld (message_id text primary key, reason text, rule text)")
    conn.executemany(
        "insert into withheld values (?, ?, ?)",
        [(mid, reason, rule) for mid, (rule, reason) in sorted(chosen.items())],
    )
    # Where a withheld email's rows are: every table with a message_id or found_in column
    # (the count links aside: the counts stand, their lists say how many are withheld).
    where = [
        (table, column)
        for table in _tables(conn)
        if table not in ("messages", "withheld", "counted_messages")
        for column in ("message_id", "found_in")
        if column in {r[1] for r in conn.execute(f"pragma table_info([{table}])")}
    ]
    ids = list(chosen)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        conn.execute(f"delete from messages where id in ({marks})", part)
        for table, column in where:
            conn.execute(f"delete from [{table}] where [{column}] in ({marks})", part)
    return chosen


def _path_names(conn: sqlite3.Connection) -> dict[str, str]:
    """The dump's file names (and the folders given to ingest), each with a name that says
    nothing: `source-<its hash>.<its extension>`. A base name stands for its file wherever it
    is written alone, when no two files share it."""
    names: dict[str, str] = {}
    bases: Counter = Counter()
    rows = conn.execute("select path, file, sha256 from sources").fetchall()
    for path, file, _ in rows:
        for p in (path, file):
            if p:
                bases[PurePosixPath(p.split("!/")[-1]).name] += 1
    for path, file, sha in rows:
        for p in (path, file):
            if not p:
                continue
            suffix = PurePosixPath(p.split("!/")[-1]).suffix[:8]
            anonymous = f"source-{(sha or '')[:12]}{suffix}"
            names[p] = anonymous
            base = PurePosixPath(p.split("!/")[-1]).name
            if bases[base] <= 2 and len(base) >= 5:  # path and file of one source
                names.setdefault(base, anonymous)
            for part in p.split("!/")[:-1]:  # the archives it came out of
                names.setdefault(part, "[archive]")
    if "ingest_runs" in {r[0] for r in conn.execute("select name from sqlite_master")}:
        for (paths,) in conn.execute("select paths from ingest_runs"):
            for p in json.loads(paths or "[]"):
                names.setdefault(p, "[folder]")
    return {k: v for k, v in names.items() if k}


def _scrub_table(
    conn: sqlite3.Connection, table: str, scrubber: Scrubber, log: _Log, replaced: Counter
) -> int:
    """Scrub every text cell of one table, a chunk of rows at a time (memory stays flat)."""
    info = conn.execute(f"pragma table_info([{table}])").fetchall()
    columns = [r[1] for r in info]
    pk = [columns.index(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]
    changed = 0
    last = None
    while True:
        chunk = conn.execute(
            f"select rowid, * from [{table}] where rowid > ? order by rowid limit 5000",
            [last if last is not None else -(2**63)],
        ).fetchall()
        if not chunk:
            return changed
        last = chunk[-1][0]
        updates = []
        for row in chunk:
            rowid, values = row[0], row[1:]
            new = {}
            for column, value in zip(columns, values, strict=True):
                if not isinstance(value, str):
                    continue
                hits: list = []
                cleaned = scrubber.cell(value, hits, column)
                if cleaned != value:
                    new[column] = cleaned
                    key = "|".join(str(values[i]) for i in pk) if pk else str(rowid)
                    for rule, found, replacement in hits:
                        replaced[rule] += 1
                        log.append((table, key, column, rule, found, replacement))
            if new:
                changed += len(new)
                updates.append((rowid, new))
        for rowid, new in updates:
            sets = ", ".join(f"[{c}] = ?" for c in new)
            conn.execute(
                f"update or replace [{table}] set {sets} where rowid = ?", [*new.values(), rowid]
            )


class LeakFound(BackchannelError, ValueError):
    """The finished file still holds something private: it is not published."""


def _check_nothing_left(path: Path, scrubber: Scrubber) -> None:
    """Read the finished file again, every text cell of every table, for what is somebody's
    (a private name in any spelling, an address that is not visible, a Message-ID holding
    one): anything found refuses the build. The full-text indexes are made from these cells."""
    conn = sqlite3.connect(path)
    watch(conn)
    try:
        for table in _tables(conn):
            columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
            for row in conn.execute(f"select * from [{table}]"):
                for column, value in zip(columns, row, strict=True):
                    rule = scrubber.leak(value, column) if isinstance(value, str) else None
                    if rule is not None:
                        raise LeakFound(
                            f"{rule} left in {table}.{column} after scrubbing: not "
                            "published (a bug: please report it)"
                        )
    finally:
        conn.close()


def _public_build_row(
    conn: Any, working: sqlite3.Connection, source: str, policy: Policy, summary: Any
) -> None:
    """What the file is, for the banner: made from which corpus, as of its last ingest (not
    the time of the build: two builds of one corpus are the same file)."""
    as_of = None
    try:
        as_of = working.execute("select max(started_at) from ingest_runs").fetchone()[0]
    except sqlite3.OperationalError:
        pass
    conn.execute(
        "create table public_build (source text, as_of text, policy text, private_persons "
        "integer, private_names integer, withheld integer, replacements integer, "
        "file_names_kept integer)"
    )
    conn.execute(
        "insert into public_build values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source,
            (as_of or "")[:10] or None,
            policy.source,
            summary.private_persons,
            summary.private_names,
            summary.withheld,
            sum(summary.replaced.values()),
            int(policy.keep_file_names),
        ],
    )


def _write_log(working: sqlite3.Connection, logfile: Path) -> None:
    """The suppression log, in the working corpus only: what the last build replaced or
    dropped, where, by which rule, and what it was."""
    working.execute("attach database ? as built", [str(logfile)])
    try:
        with working:
            working.execute(LOG_TABLE)
            working.execute("delete from main.suppression_log")
            working.execute(
                "insert into main.suppression_log ([table], row, [column], rule, found, "
                "replacement) select [table], row, [column], rule, found, replacement "
                "from built.suppression_log order by id"
            )
    finally:
        working.execute("detach database built")
