from __future__ import annotations

import importlib.util
import sqlite3
import sys
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"


@pytest.fixture
def shared_fixtures() -> Path:
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"the owners' real email fixtures are not at {SHARED_FIXTURES}")
    return SHARED_FIXTURES


def load_sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "sample" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sample"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> tuple[Path, dict]:
    """The sample dump, freshly generated, and the truth about it."""
    folder = tmp_path_factory.mktemp("sample") / "dump"
    truth = load_sample_module().build(folder)
    return folder, truth


@pytest.fixture(scope="session")
def analyzed_sample(sample, tmp_path_factory) -> tuple[Path, dict]:
    """The sample dump ingested and analyzed with its roster, as the demo does: sample.db (read
    only, shared by the tests that read it), and the truth about it."""
    folder, truth = sample
    db = tmp_path_factory.mktemp("analyzed") / "sample.db"
    run_cli("ingest", folder, "--db", db)
    run_cli("analyze", "--db", db, "--roster", ROOT / "sample" / "roster.yaml")
    return db, truth


def make_email(
    sender: str = "Rosa Ibáñez <rosa@bsn.example>",
    to: list[str] | str = "Dana Whitfield <dana@district.example>",
    subject: str = "Charter vote",
    body: str = "Can we talk before Tuesday?\n",
    date: str = "Tue, 04 Mar 2025 09:15:00 -0800",
    message_id: str | None = "<a1@bsn.example>",
    cc: list[str] | str | None = None,
    bcc: list[str] | str | None = None,
    html: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
) -> bytes:
    """A real RFC 822 message made by the stdlib's generator."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to if isinstance(to, str) else ", ".join(to)
    for name, value in (("Cc", cc), ("Bcc", bcc)):
        if value:
            msg[name] = value if isinstance(value, str) else ", ".join(value)
    msg["Subject"] = subject
    if date:
        msg["Date"] = date
    if message_id:
        msg["Message-ID"] = message_id
    if body is not None:
        msg.set_content(body)
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    for name, ctype, data in attachments:
        main, sub = ctype.split("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return bytes(msg)


def write_mbox(path: Path, messages: list[bytes]) -> list[int]:
    """Write an mbox by hand (separator, message, blank line); return each message's offset."""
    offsets = []
    with open(path, "wb") as f:
        for n, data in enumerate(messages):
            offsets.append(f.tell())
            f.write(f"From sender{n}@example.org Tue Mar  4 09:15:00 2025\n".encode())
            f.write(data if data.endswith(b"\n") else data + b"\n")
            f.write(b"\n")
    return offsets


def rows(db_path: Path, sql: str, params=()) -> list[tuple]:
    db = sqlite_utils.Database(db_path)
    try:
        return [tuple(r) for r in db.execute(sql, params).fetchall()]
    finally:
        db.close()


# Columns that name the run or its clock: two runs over the same files differ only there.
RUN_COLUMNS = {
    "sources": {"ingest_run", "first_ingested_at", "ingested_at"},
    "errors": {"at"},
    "ingest_runs": {"id", "started_at"},
}


def table_rows(db_path: Path, tables: list[str] | None = None) -> dict[str, list[tuple]]:
    """Each table's rows, sorted, without RUN_COLUMNS: every table but SQLite's own and the
    search index's, or the `tables` named. Two corpora of the same files compare equal."""
    conn = sqlite3.connect(db_path)
    try:
        if tables is None:
            tables = [
                name
                for (name,) in conn.execute(
                    "select name from sqlite_master where type = 'table' "
                    "and name not like '%_fts%' and name not like 'sqlite_%'"
                )
            ]
        out = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
            keep = [c for c in columns if c not in RUN_COLUMNS.get(table, set())]
            found = conn.execute(f"select {', '.join(f'[{c}]' for c in keep)} from [{table}]")
            out[table] = sorted(found, key=repr)
        return out
    finally:
        conn.close()


__all__ = ["Address", "make_email", "write_mbox", "rows", "table_rows"]


def run_cli(*args: str) -> str:
    """`backchannel ARGS…` through click's runner; fails the test unless it exits 0."""
    from click.testing import CliRunner

    from backchannel.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output
