"""What a corpus file must be before a command trusts it, and what to tell the reporter when
it is not, or when it fails under a run: one sentence naming the file and what is wrong.

- `check_file`: a SQLite file, whole (not cut short), and a backchannel corpus (not another
  program's database, nor one of a newer schema than this version reads), before anything
  reads or writes it.
- `open_readonly`: for the commands that only read (report, export, identities), a corpus on
  read-only media or in a read-only folder.
- `problem`: SQLite's and the disk's failures under a run (a full disk, a damaged file), as a
  sentence; None for what is not the corpus's or the disk's fault.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import struct
import tempfile
import time
from pathlib import Path

import sqlite_utils

from ..errors import BackchannelError

MAGIC = b"SQLite format 3\x00"
# Tables every backchannel corpus has had, from its first version on.
CORPUS_TABLES = {"sources", "messages", "message_copies"}
# What SQLite says of a damaged file. Since 3.44 (Python 3.13's is 3.46) its checks open the
# full-text indexes too, and one whose pages are junk fails there: "vtable constructor failed".
DAMAGED = (
    "malformed",
    "not a database",
    "file is encrypted",
    "database corrupt",
    "vtable constructor failed",
)


class NotACorpus(BackchannelError):
    """The file is not a corpus backchannel can use, and the sentence says why."""


def check_file(path: Path, empty_ok: bool = False) -> None:
    """NotACorpus unless `path` holds a backchannel corpus: a SQLite file whose header and size
    agree, whose schema can be read and that has the corpus's tables, of a schema this version
    reads (CorpusTooNew when newer). A file of size 0 (and, with `empty_ok`, a SQLite file
    without tables) is a new corpus to fill."""
    size = path.stat().st_size
    if size == 0:
        if empty_ok:
            return
        raise NotACorpus(f"{path} is empty (0 bytes): run backchannel ingest into it first")
    with open(path, "rb") as f:
        header = f.read(100)
    if not header.startswith(MAGIC):
        raise NotACorpus(
            f"{path} is not a SQLite database, so not a backchannel corpus: give the corpus "
            "file as --db"
        )
    _check_length(path, header, size)
    try:
        conn = connect_readonly(path)
        try:
            tables = {r[0] for r in conn.execute("select name from sqlite_master")}
            version = int(conn.execute("pragma user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if not any(word in str(exc) for word in DAMAGED):
            raise  # locked, unreadable: the caller says so
        raise NotACorpus(damaged(path, exc)) from exc
    if not tables and empty_ok:
        return
    if not CORPUS_TABLES <= tables:
        shown = ", ".join(sorted(tables)[:5]) or "none"
        raise NotACorpus(
            f"{path} is a SQLite database of another kind (tables: {shown}), not a backchannel "
            "corpus: give the corpus file as --db"
        )
    from .schema import refuse_newer

    refuse_newer(version, path)


SIDE_FILES = ("-journal", "-wal", "-shm")  # what SQLite keeps beside a database file


def corpus_file(file: Path, corpus: Path | None) -> str | None:
    """Why `file`, found in a dump, is no input but a corpus's own file: the corpus being
    written (`corpus`), its journal or log, or another backchannel corpus and its files; None
    for anything else (another program's SQLite file stays an input, and an errors row)."""
    resolved = file.resolve()
    if corpus is not None:
        own = corpus.resolve()
        if resolved == own or any(resolved == Path(f"{own}{s}") for s in SIDE_FILES):
            return "the corpus being written"
    for suffix in SIDE_FILES:
        if file.name.endswith(suffix) and is_corpus(file.with_name(file.name[: -len(suffix)])):
            return "the journal or log of a backchannel corpus"
    return "a backchannel corpus" if is_corpus(file) else None


def is_corpus(path: Path) -> bool:
    """A SQLite file with the tables of a backchannel corpus. Read as an immutable file: it
    may sit in a folder this process cannot write, and its schema is all that is read."""
    try:
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return False
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?immutable=1", uri=True)
        try:
            tables = {r[0] for r in conn.execute("select name from sqlite_master")}
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False
    return CORPUS_TABLES <= tables


def _check_length(path: Path, header: bytes, size: int) -> None:
    """A file cut short (a copy that stopped, a full disk) is shorter than its header says."""
    if len(header) < 100:
        raise NotACorpus(f"{path} is truncated: {size} bytes, shorter than a SQLite header")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages, counter, valid_for = (struct.unpack(">I", header[n : n + 4])[0] for n in (28, 24, 92))
    # The page count is trusted only when the writer kept it (SQLite since 3.7.0 does); a
    # write-ahead log being checkpointed by another process may grow the file after its header.
    if valid_for != counter or Path(f"{path}-wal").exists():
        return
    if pages * page_size > size:
        raise NotACorpus(
            f"{path} is truncated: its header says {pages * page_size:,} bytes, the file has "
            f"{size:,}. Restore it from a copy, or ingest the dump again into a new file"
        )


def quick_check(path: Path, seconds: float = 10.0) -> str | None:
    """SQLite's own check of every page (`pragma quick_check`), within `seconds`: why the file
    is damaged, or None when it is whole or the check ran out of time (a big corpus: the
    pages a reader opens still say so, one by one)."""
    deadline = time.monotonic() + seconds
    conn = connect_readonly(path)
    conn.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    try:
        found = [r[0] for r in conn.execute("pragma quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        # Out of time, locked, unreadable: not for this check to say.
        return damaged(path, exc) if any(w in str(exc) for w in DAMAGED) else None
    finally:
        conn.close()
    if found == ["ok"]:
        return None
    return damaged(path, "; ".join(found)[:300])


def damaged(path: Path, exc: object) -> str:
    said = " ".join(str(exc).replace("*** in database main ***", "").split())
    return (
        f"{path} is damaged (SQLite: {said[:200]}): restore it from a copy, or ingest the dump "
        "again into a new file"
    )


def writable(path: Path) -> bool:
    """Whether a command may write the corpus: the file, and its folder (for the journal)."""
    folder = path.absolute().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def open_readonly(path: Path) -> sqlite_utils.Database:
    """The corpus opened for reading only: SQLite's read-only mode, or, in a folder where not
    even the write-ahead log's index can be made, as an immutable file (nothing can be writing
    it there)."""
    conn = connect_readonly(path)
    conn.execute("pragma busy_timeout = 5000")
    db = sqlite_utils.Database(conn)
    _check_columns(path, db)
    return db


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to the corpus: SQLite's read-only mode, or where not even the
    write-ahead log's index can be made (a read-only folder), the file as immutable."""
    uri = path.absolute().as_uri()
    folder_writable = os.access(path.absolute().parent, os.W_OK)
    if folder_writable or Path(f"{path}-shm").exists():
        return sqlite3.connect(f"{uri}?mode=ro", uri=True)
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        raise NotACorpus(
            f"{path} has a write-ahead log that a killed run left, in a folder that cannot be "
            "written: open it once from a writable copy of the folder"
        )
    return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def _check_columns(path: Path, db: sqlite_utils.Database) -> None:
    """A corpus made by an older version lacks columns that an open for writing adds: read
    only, it cannot be brought up to date."""
    from .schema import TABLES

    for table, spec in TABLES.items():
        have = {r[1] for r in db.execute(f"pragma table_info([{table}])")}
        if have and set(spec["columns"]) - have:
            raise NotACorpus(
                f"{path} was made by an older version of backchannel and is read-only: "
                "bring it up to date once from a writable copy (backchannel analyze --db COPY)"
            )


def problem(path: Path, exc: BaseException, output: Path | None = None) -> str | None:
    """The sentence for a failure of the corpus or the disk under a run, or None. `output`: a
    file the run writes besides the corpus (its disk may be the full one)."""
    text = str(exc)
    written = [Path(p) for p in (getattr(exc, "filename", None), output) if p]
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path, written)
    if not isinstance(exc, sqlite3.Error):
        return None
    if "database or disk is full" in text:
        return disk_full(path, written)
    if any(word in text for word in DAMAGED):
        return damaged(path, exc)
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another process; wait for it to finish"
    if "readonly" in text or "read-only" in text:
        return f"{path} cannot be written (SQLite: {exc})"
    if "disk I/O error" in text:
        return f"{path} could not be read or written (SQLite: {exc}): check the disk it is on"
    return None


def disk_full(path: Path, written: list[Path]) -> str:
    """Which disk is full (the corpus's, the temporary files', or the one of a file the run
    writes), and what to do: the run stopped at its last commit, and the same command goes on
    from there."""
    places = [p.absolute().parent for p in written]
    places += [path.absolute().parent, Path(tempfile.gettempdir())]
    free = {}
    for place in places:
        try:
            free[place] = shutil.disk_usage(place).free
        except OSError:
            continue
    where = min(free, key=lambda p: free[p]) if free else path.absolute().parent
    left = f" ({free[where] / 2**20:,.1f} MiB free)" if where in free else ""
    return (
        f"the disk is full at {where}{left}: {path} keeps what was committed before; free "
        "some space (or give a --db on a bigger disk) and run the same command again"
    )
