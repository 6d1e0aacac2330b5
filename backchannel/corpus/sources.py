"""A source's lifecycle in the corpus — its id, whether a rerun skips it, begun, forgotten,
finished — and the custodians its copies went to. A source is marked done only in the
transaction that writes the last of its rows (CorpusWriter's)."""

from __future__ import annotations

import json
from collections import Counter

import sqlite_utils

from ..ingest import BY_NAME
from ..ingest.custodians import SPELLING_RANK, custodian_key
from ..ingest.record import SourceFile
from .keys import source_id_for
from .rows import SourceTally, now
from .sql import select_in

FINISHED = ("done", "error")  # statuses a rerun skips; anything else is done again
# Tables whose rows belong to one source.
SOURCE_TABLES = ("message_copies", "redactions", "pages", "documents", "productions", "errors")
# Tables whose rows belong to one message (besides its copies).
MESSAGE_TABLES = (
    "participants",
    "attachments",
    "redactions",
    "mentions",
    "missing_parents",
    "counted_messages",
    "errors",
)


def _stale(format: str, version: int | None) -> bool:
    """Read by an older version of its format's reader than this one."""
    fmt = BY_NAME.get(format)
    return fmt is not None and (version or 1) < fmt.version


def _reader_version(format: str) -> int | None:
    """Stored only for formats whose reader has been raised past its first version."""
    fmt = BY_NAME.get(format)
    return fmt.version if fmt is not None and fmt.version > 1 else None


def source_id(db: sqlite_utils.Database, src: SourceFile) -> str:
    """One source per physical file, whatever dump root reached it: the id it was first
    given, found by the file and its bytes; a new file's id from its path and bytes."""
    if src.file:
        row = db.execute(
            "select id from sources where file = ? and sha256 = ?", [src.file, src.sha256]
        ).fetchone()
        if row:
            return row[0]
    return source_id_for(src.path, src.sha256)


def is_done(db: sqlite_utils.Database, src: SourceFile) -> bool:
    row = db.execute(
        "select status, reader_version from sources where id = ?", [source_id(db, src)]
    ).fetchone()
    if row is None or row[0] not in FINISHED or _stale(src.format, row[1]):
        return False
    # An archive is done when nothing inside it, at any depth, is stale.
    inside = db.execute(
        """with recursive inside(id) as (
               select id from sources where parent_id = ?
               union select s.id from sources s join inside on s.parent_id = inside.id)
           select s.format, s.reader_version from sources s join inside using (id)""",
        [source_id(db, src)],
    ).fetchall()
    return not any(_stale(f, v) for f, v in inside)


def recustody(db: sqlite_utils.Database, src: SourceFile) -> None:
    """A file already read, reached again: where this run's rule places it differently
    (another root, --custodian), its source and copies take the new custodian and path, in
    place. Copies whose own headers named the mailbox keep theirs, and a production's
    records their load file's custodian (unless the reporter names one)."""
    sid = source_id(db, src)
    db.execute(
        "update sources set path = ?, file = coalesce(file, ?), custodian = ?, "
        "custodian_rule = ? where id = ?",
        [src.path, src.file or None, src.custodian, src.custodian_rule, sid],
    )
    db.execute(
        "update message_copies set custodian = ?, custodian_rule = ?, "
        "folder = coalesce(?, folder) where source_id = ? and "
        "(coalesce(custodian_rule, '') not in ('header', 'load file') "
        "or (custodian_rule = 'load file' and ? = 'named')) and "
        "(custodian is not ? or custodian_rule is not ?)",
        [
            src.custodian,
            src.custodian_rule,
            src.folder,
            sid,
            src.custodian_rule,
            src.custodian,
            src.custodian_rule,
        ],
    )


def begin_source(db: sqlite_utils.Database, src: SourceFile) -> SourceTally:
    sid = source_id(db, src)
    row = db.execute(
        "select status, reader_version, ingest_run, first_ingested_at from sources where id = ?",
        [sid],
    ).fetchone()
    tally = SourceTally(src, sid)
    if row is not None and row[2]:
        tally.first_run = (row[2], row[3])  # the run that first read it stays its run
    if row is not None and row[0] == "done" and _stale(src.format, row[1]):
        # Read by an older reader: what it gave goes, and the file is read anew.
        forget_source(db, sid)
        tally.reread = True
    # What an unfinished earlier attempt left (a pending format, an archive's own errors).
    db.execute("delete from errors where source_id = ?", [sid])
    db.execute("delete from sources where id = ?", [sid])
    return tally


def forget_source(db: sqlite_utils.Database, sid: str) -> int:
    """Take out what one source gave the corpus: its copies, and the messages no other
    source has a copy of (with the emails recovered only from their quotes). Returns how
    many messages went. Threads, identities and counts are rebuilt by the next analyze."""
    doomed = {
        r[0]
        for r in db.execute(
            """select m.id from messages m where m.first_source_id = ?
               and not exists (select 1 from message_copies c where c.message_id = m.id
                               and c.source_id != ? and c.method != 'quoted')
               and not exists (select 1 from message_copies c where c.message_id = m.id
                               and c.method = 'quoted' and c.found_in not in
                               (select message_id from message_copies where source_id = ?))""",
            [sid, sid, sid],
        )
    }
    while True:  # emails known only from the quotes of doomed ones go with them
        quoted = {
            r[0]
            for r in select_in(
                db,
                "select message_id from message_copies where found_in in ({marks})",
                list(doomed),
            )
        }
        orphans = {
            m
            for m in quoted - doomed
            if not db.execute(
                "select exists(select 1 from message_copies where message_id = ? "
                "and (found_in is null or found_in not in (select id from messages "
                "where first_source_id = ?)))",
                [m, sid],
            ).fetchone()[0]
        }
        if not orphans:
            break
        doomed |= orphans
    ids = list(doomed)
    for table in MESSAGE_TABLES:
        select_in(db, f"delete from [{table}] where message_id in ({{marks}})", ids)
    select_in(db, "delete from message_copies where found_in in ({marks})", ids)
    select_in(db, "delete from messages where id in ({marks})", ids)
    for table in SOURCE_TABLES:
        db.execute(f"delete from [{table}] where source_id = ?", [sid])
    return len(ids)


def finish_source(db: sqlite_utils.Database, run: str, tally: SourceTally, status: str) -> None:
    src = tally.source
    db.table("sources").insert(
        {
            "id": tally.id,
            "path": src.path,
            "parent_id": src.parent_id,
            "sha256": src.sha256,
            "size": src.size,
            "format": src.format,
            "custodian": src.custodian,
            "status": status,
            "messages_expected": src.expected,
            "messages_emitted": tally.emitted,
            "messages_new": tally.new,
            "duplicates": tally.duplicates,
            "failed": tally.failed,
            "warnings": tally.warnings,
            "items_skipped": sum(tally.skipped.values()),
            "skipped_kinds": json.dumps(dict(sorted(tally.skipped.items())))
            if tally.skipped
            else None,
            "reader_version": _reader_version(src.format),
            "custodian_rule": src.custodian_rule or None,
            "file": src.file or None,
            "ingest_run": (tally.first_run or (run, ""))[0],
            "first_ingested_at": (tally.first_run or ("", now()))[1] or now(),
            "ingested_at": now(),
        },
        replace=True,
    )


def fold_custodians(db: sqlite_utils.Database) -> dict[str, str]:
    """One name per custodian: spellings that differ only in case, spacing or punctuation
    ("allen-p" from the layout, "Allen-P" from X-Origin) become the spelling of the strongest
    rule (ingest/custodians.py, SPELLING_RANK), then the commonest. Copies and sources are
    renamed in place; returns {old spelling: kept spelling}."""
    spellings: dict[str, list[tuple[int, int, str]]] = {}
    for name, rule, n in db.execute(
        "select custodian, custodian_rule, count(*) from message_copies "
        "where custodian is not null group by 1, 2 "
        "union all select custodian, custodian_rule, 0 from sources "
        "where custodian is not null group by 1, 2"
    ):
        rank = SPELLING_RANK.index(rule) if rule in SPELLING_RANK else len(SPELLING_RANK)
        spellings.setdefault(custodian_key(name), []).append((rank, -n, name))
    renames = {}
    for entries in spellings.values():
        kept = min(entries)[2]
        renames.update({name: kept for _, _, name in entries if name != kept})
    if renames:
        with db.atomic():
            db.execute("create temp table if not exists custodian_renames (old text, new text)")
            db.execute("delete from custodian_renames")
            db.conn.executemany("insert into custodian_renames values (?, ?)", renames.items())
            for table in ("message_copies", "sources"):
                db.execute(
                    f"update [{table}] set custodian = (select new from custodian_renames "
                    f"where old = [{table}].custodian) "
                    "where custodian in (select old from custodian_renames)"
                )
            db.execute("drop table custodian_renames")
    return renames


def rebuild_custodians(db: sqlite_utils.Database) -> list[dict]:
    """The `custodians` table: each mailbox the copies came from, how its name was told (the
    rule most of its copies were placed by), and what it holds. Rebuilt after every ingest,
    once the spellings of one name are folded into one (fold_custodians)."""
    rules: dict[str, Counter] = {}
    for custodian, rule, n in db.execute(
        "select custodian, custodian_rule, count(*) from message_copies "
        "where method != 'quoted' group by 1, 2"
    ):
        rules.setdefault(custodian, Counter())[rule] += n
    rows = [
        {
            "name": name,
            "rule": rules[name].most_common(1)[0][0] if name in rules else None,
            "sources": sources,
            "copies": copies,
            "messages": messages,
            "first": first,
            "last": last,
        }
        for name, sources, copies, messages, first, last in db.execute(
            """select c.custodian, count(distinct c.source_id), count(*),
                      count(distinct c.message_id), min(m.sent_at), max(m.sent_at)
               from message_copies c join messages m on m.id = c.message_id
               where c.method != 'quoted' group by c.custodian order by count(*) desc"""
        )
    ]
    with db.atomic():
        db.execute("delete from custodians")
        db.table("custodians").insert_all(rows)
    return rows
