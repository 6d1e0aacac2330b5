"""--scheduler: parsing, splitting and NER on a Dask cluster give the same corpus as one machine,
a worker killed mid-run changes nothing, and workers that run other code are refused."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_email, run_cli, table_rows, write_mbox

from backchannel import __version__

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).parent / "dask"
BACKCHANNEL = Path(sys.executable).parent / "backchannel"
ROSTER = ROOT / "sample" / "roster.yaml"

pytestmark = pytest.mark.slow

# Columns that name the run, not the corpus: when it happened and its id.
PEOPLE = [
    ("Dana Whitfield", "dana@district.example"),
    ("Samuel Okafor", "sokafor@district.example"),
    ("Rosa Ibáñez", "rosa@bsn.example"),
    ("Marcus Lee", "mlee@bsn.example"),
    ("Priya Raman", "priya@parents.example"),
]
PHRASES = [
    "{a} met {b} of Better Schools Now in Sacramento about the Lakemont charter.",
    "The Lakemont Unified School District board will vote in Fresno on Tuesday.",
    "{a} asked whether the California Department of Education had replied to {b}.",
    "Please send {b} the draft before the hearing at Lakemont High School.",
    "We spoke with the Parents Alliance and with {a} after the meeting in Oakland.",
]


def generated_mailbox(path: Path, n: int, seed: int = 3) -> None:
    """Replies with quoted history and names, places and organizations to find."""
    rng = random.Random(seed)
    messages = []
    for i in range(n):
        (sender, s_addr), (other, o_addr) = rng.sample(PEOPLE, 2)
        said = " ".join(
            rng.choice(PHRASES).format(a=sender, b=other) for _ in range(rng.randint(2, 6))
        )
        quoted = "\n".join(f"> {rng.choice(PHRASES).format(a=other, b=sender)}" for _ in range(3))
        messages.append(
            make_email(
                sender=f"{sender} <{s_addr}>",
                to=f"{other} <{o_addr}>",
                subject=f"Re: the charter, part {i % 40}",
                body=f"{said}\n\nOn Monday, {other} wrote:\n{quoted}\n",
                date=f"Tue, {1 + i % 28:02d} Apr 2025 {8 + i % 10:02d}:{i % 60:02d}:00 -0700",
                message_id=f"<gen.{i}@district.example>",
            )
        )
    write_mbox(path, messages)


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generated_mailbox(folder / "board.mbox", 900)
    return folder / "board.mbox"


@pytest.fixture(scope="module")
def reference(mailbox, tmp_path_factory) -> Path:
    """The generated mailbox ingested and analyzed on one machine, as without a cluster."""
    db = tmp_path_factory.mktemp("reference") / "c.db"
    run_cli("ingest", mailbox, "--db", db)
    run_cli("analyze", "--db", db, "--roster", ROSTER)
    return db


def test_the_same_corpus_with_a_local_cluster(sample, mailbox, reference, tmp_path):
    folder, _ = sample
    alone, clustered = tmp_path / "alone.db", tmp_path / "clustered.db"
    run_cli("ingest", folder, "--db", alone)
    run_cli("analyze", "--db", alone, "--roster", ROSTER)
    run_cli("ingest", folder, "--db", clustered, "--scheduler", "local:2")
    run_cli("analyze", "--db", clustered, "--roster", ROSTER, "--scheduler", "local:2")
    assert table_rows(clustered) == table_rows(alone)

    generated = tmp_path / "generated.db"
    run_cli("ingest", mailbox, "--db", generated, "--scheduler", "local:2")
    out = run_cli("analyze", "--db", generated, "--roster", ROSTER, "--scheduler", "local:2")
    expected = table_rows(reference)
    assert table_rows(generated) == expected
    # Not a vacuous equality: the stages that ran on the cluster made rows.
    assert len(expected["messages"]) == 900
    assert len(expected["mentions"]) > 1000
    assert "entities read in" in out


class Cluster:
    """A real scheduler and workers, as `dask scheduler` and `dask worker` start them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.procs: list[subprocess.Popen] = []
        self.log = open(folder / "cluster.log", "wb")  # noqa: SIM115 - closed in stop()
        self._start([DASK, "scheduler", "--scheduler-file", self.file, "--port", "0",
                     "--no-dashboard"])  # fmt: skip
        deadline = time.monotonic() + 60
        while not self.file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)

    def _start(self, args: list, env: dict | None = None) -> subprocess.Popen:
        proc = subprocess.Popen(
            [str(a) for a in args], stdout=self.log, stderr=self.log, cwd=self.folder, env=env
        )
        self.procs.append(proc)
        return proc

    def worker(self, env: dict | None = None) -> None:
        self._start(
            [DASK, "worker", "--scheduler-file", self.file, "--nthreads", "1", "--no-nanny",
             "--no-dashboard"],
            env,
        )  # fmt: skip

    @property
    def address(self) -> str:
        return json.loads(self.file.read_text())["address"]

    def client(self, workers: int):
        from distributed import Client

        client = Client(scheduler_file=str(self.file), timeout=60)
        client.wait_for_workers(workers, timeout=90)
        return client

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.kill()
            proc.wait()
        self.log.close()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path)
    yield c
    c.stop()


def test_a_worker_killed_during_ner_leaves_the_corpus_exact(mailbox, reference, cluster, tmp_path):
    cluster.worker()
    cluster.worker()
    client = cluster.client(2)
    address = cluster.address
    db = tmp_path / "killed.db"
    run_cli("ingest", mailbox, "--db", db)
    run = subprocess.Popen(
        [BACKCHANNEL, "analyze", "--db", db, "--roster", ROSTER, "--scheduler", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    killed = None
    deadline = time.monotonic() + 240
    while killed is None and run.poll() is None and time.monotonic() < deadline:
        for worker, keys in client.processing().items():
            if any(str(k).startswith("_read_on_worker") for k in keys):
                pid = client.run(os.getpid, workers=[worker])[worker]
                os.kill(pid, signal.SIGKILL)
                killed = worker
                break
        time.sleep(0.05)
    output = run.communicate(timeout=300)[0].decode()
    client.close()
    assert killed is not None, "NER ended before a worker could be killed:\n" + output
    assert run.returncode == 0, output
    assert table_rows(db) == table_rows(reference)


def test_workers_running_other_code_are_refused(cluster, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(ROOT / "backchannel", other / "backchannel")
    init = other / "backchannel" / "__init__.py"
    init.write_text(init.read_text().replace(f'"{__version__}"', '"0.0.9"'))
    cluster.worker(env={**os.environ, "PYTHONPATH": str(other)})
    cluster.client(1).close()
    db = tmp_path / "c.db"
    run_cli("ingest", ROOT / "sample" / "dump" / "whitfield.mbox", "--db", db)
    from backchannel.cluster import VersionMismatch, connect

    with pytest.raises(VersionMismatch) as refused:
        connect(cluster.address)
    assert "backchannel 0.0.9+" in str(refused.value)
    assert f"this machine: {__version__}+" in str(refused.value)
    result = subprocess.run(
        [BACKCHANNEL, "analyze", "--db", db, "--scheduler", cluster.address],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "do not run what this machine runs" in result.stderr
    # Nothing was written: the corpus was never split.
    assert sqlite3.connect(db).execute("select count(body_authored) from messages").fetchone() == (
        0,
    )


@pytest.mark.parametrize(
    "address, says",
    [
        ("local:x", "local:N wants a number of worker processes, not 'x'"),
        ("foo://bar", "unknown address scheme 'foo'"),
    ],
)
def test_a_bad_scheduler_address_is_an_error_not_a_traceback(address, says, tmp_path):
    from click.testing import CliRunner

    from backchannel.cli import cli

    db = tmp_path / "c.db"
    run_cli("ingest", ROOT / "sample" / "dump" / "whitfield.mbox", "--db", db)
    result = CliRunner().invoke(cli, ["analyze", "--db", str(db), "--scheduler", address])
    assert result.exit_code == 1
    assert f"cannot reach the scheduler at {address}: " in result.output
    assert says in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_same_corpus_from_real_outlook_and_mime_files(shared_fixtures, tmp_path):
    """The owners' real files — Outlook .msg (parsed as read, here), loose .eml (parsed on the
    workers) and a zip of odd messages — give the same corpus with a cluster as without."""
    paths = [shared_fixtures / name for name in ("msg-extractor", "ruby-msg", "spamscope",
                                                  "mail-gem-zip")]  # fmt: skip
    alone, clustered = tmp_path / "alone.db", tmp_path / "clustered.db"
    run_cli("ingest", *paths, "--db", alone)
    run_cli("ingest", *paths, "--db", clustered, "--scheduler", "local:2")
    expected = table_rows(alone)
    assert table_rows(clustered) == expected
    assert len(expected["messages"]) > 50
    assert {r[5] for r in expected["sources"]} >= {"msg", "eml", "zip"}
