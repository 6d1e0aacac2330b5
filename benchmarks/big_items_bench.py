"""Big single items and big rosters: the peak memory of ingesting one email with a large
attachment (as a loose .eml, inside an mbox, inside a zip), and the time of `analyze` and
counting with a roster of N officials, stage by stage; the plugin's fold() given a whole
corpus in one value. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/big_items_bench.py [--attachment-mb 200] [--officials 1500 3000]

Each ingest is a fresh process; its peak is the largest of its own high-water mark (VmHWM) and
its parser processes' (RUSAGE_CHILDREN). The code measured is what `import backchannel` finds
(PYTHONPATH=… and a run from another folder measure another checkout).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

RUN = """\
import resource, sys
from backchannel.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
hwm = [int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')]
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"PEAK {max(hwm[0], children)}", file=sys.stderr)
"""


def run(*args: object) -> tuple[float, float]:
    """(wall seconds, peak MiB) of `backchannel ARGS` in a fresh process."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", RUN, *map(str, args)], capture_output=True, text=True
    )
    wall = time.monotonic() - started
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK ")]
    if not peak:
        raise RuntimeError(done.stderr[-2000:])
    return wall, int(peak[-1].split()[1]) / 1024


def big_email(megabytes: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Rosa Ibanez <rosa@bsn.example>"
    msg["To"] = "dana@district.example"
    msg["Subject"] = "The scans"
    msg["Message-ID"] = "<scans@bsn.example>"
    msg["Date"] = "Tue, 04 Mar 2025 09:15:00 -0800"
    msg.set_content("The scans are attached.\n")
    data = os.urandom(megabytes << 20)
    msg.add_attachment(data, maintype="application", subtype="pdf", filename="scan.pdf")
    return bytes(msg)


def attachment_bench(work: Path, megabytes: int) -> None:
    data = big_email(megabytes)
    size = len(data) / (1 << 20)
    (work / "eml").mkdir()
    (work / "eml" / "scan.eml").write_bytes(data)
    with open(work / "box.mbox", "wb") as f:
        f.write(b"From rosa@bsn.example Tue Mar  4 09:15:00 2025\n" + data + b"\n")
    with zipfile.ZipFile(work / "dump.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(work / "eml" / "scan.eml", "mail/scan.eml")
    del data
    print(f"one email with a {megabytes} MB attachment ({size:.0f} MiB as sent)")
    for label, target in (
        (".eml", work / "eml"),
        ("in an mbox", work / "box.mbox"),
        ("in a zip", work / "dump.zip"),
    ):
        db = work / f"{target.stem}.db"
        wall, peak = run("ingest", target, "--db", db)
        print(
            f"  {label:<12} {wall:6.1f} s   peak {peak:7.0f} MiB   ({peak / size:.1f}x the email)"
        )


def roster_text(officials: int) -> str:
    lines = ["officials:\n"]
    for i in range(officials):
        lines.append(
            f"  - name: Official{i} Person\n    emails: [o{i}@county.example]\n"
            f'    aliases: ["Person, Official{i}"]\n    staff:\n'
            f"      - name: Staff{i} Member\n        emails: [s{i}@county.example]\n"
        )
    lines.append("organizations:\n  - name: The Group\n    domains: [group.example]\n")
    return "".join(lines)


def roster_bench(work: Path, sizes: list[int]) -> None:
    """A corpus of 2,000 emails between officials, their staff and a watched group, counted
    with rosters of each size: each stage timed in this process, the graph's measures apart
    (betweenness is sampled past a fixed budget of nodes x edges: its cost is bounded apart
    from the roster's)."""
    from backchannel.analysis.counts import compute, write
    from backchannel.analysis.graph import group_graph, measure
    from backchannel.analysis.identities import resolve
    from backchannel.corpus import open_corpus
    from backchannel.corpus.roster import load_roster, save_roster

    dump = work / "roster-dump"
    dump.mkdir()
    with open(dump / "box.mbox", "wb") as f:
        for n in range(2000):
            i = n % max(sizes)
            sender = f"Official{i} Person <o{i}@county.example>"
            to = f"Member{n % 50} <m{n % 50}@group.example>, Staff{i} Member <s{i}@county.example>"
            f.write(
                f"From x@y Tue Mar  4 09:15:00 2025\nFrom: {sender}\nTo: {to}\n"
                f"Subject: Item {n}\nMessage-ID: <r{n}@county.example>\n"
                f"Date: Tue, 04 Mar 2025 09:{n % 60:02d}:00 -0800\n\n"
                f"About the budget item {n} for the board.\n\n".encode()
            )
    base = work / "roster-base.db"
    run("ingest", dump, "--db", base)
    print("a roster of N officials (each with a staff member), 2,000 emails; seconds per stage")
    print("  officials   read roster   identities   counts   write   collapsed graph measures")
    for n in sizes:
        roster_file = work / f"roster-{n}.yaml"
        roster_file.write_text(roster_text(n))
        db_path = work / f"roster-{n}.db"
        shutil.copy(base, db_path)
        db = open_corpus(db_path)
        t0 = time.monotonic()
        roster = load_roster(roster_file)
        save_roster(db, roster)
        t1 = time.monotonic()
        resolve(db, roster)
        t2 = time.monotonic()
        counts = compute(db)
        t3 = time.monotonic()
        write(db, counts)
        t4 = time.monotonic()
        measure(group_graph(counts))
        t5 = time.monotonic()
        db.close()
        print(
            f"  {n:>9,}   {t1 - t0:11.2f}   {t2 - t1:10.2f}   {t3 - t2:6.2f}   {t4 - t3:5.2f}"
            f"   {t5 - t4:10.2f}"
        )


FOLD_RUN = """\
import asyncio, sys, time
from urllib.parse import quote
from datasette.app import Datasette
ds = Datasette([sys.argv[1]], immutables=[])
sql = "select length(fold(group_concat(body))) from messages"
started = time.monotonic()
r = asyncio.run(ds.client.get(f"/{ds.get_database().name}.json?sql=" + quote(sql)))
hwm = [int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')]
print(f"FOLD {r.status_code} {time.monotonic() - started:.1f} {hwm[0] // 1024}")
"""


def fold_bench(work: Path, megabytes: int) -> None:
    """The plugin's fold() given a whole corpus's bodies in one value, in Datasette."""
    import random
    import sqlite3

    words = ["Budget", "vote", "Tomás", "Castrejón", "board", "Ibáñez", "meeting", "the", "of"]
    body = " ".join(random.Random(1).choice(words) for _ in range(20_000))
    db = work / "fold.db"
    conn = sqlite3.connect(db)
    conn.execute("create table messages (id integer primary key, body text)")
    rows = (megabytes << 20) // len(body) + 1
    conn.executemany("insert into messages (body) values (?)", [(body,)] * rows)
    conn.commit()
    conn.close()
    done = subprocess.run([sys.executable, "-c", FOLD_RUN, str(db)], capture_output=True, text=True)
    line = [x for x in done.stdout.splitlines() if x.startswith("FOLD ")]
    if not line:
        raise RuntimeError(done.stderr[-2000:])
    _, status, seconds, peak = line[-1].split()
    print(f"fold(group_concat(body)) over {megabytes} MB of bodies")
    print(f"  HTTP {status} in {seconds} s, peak {peak} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attachment-mb", type=int, default=200)
    ap.add_argument("--officials", type=int, nargs="*", default=[750, 1500, 3000])
    ap.add_argument("--fold-mb", type=int, default=180)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="big-items-") as tmp:
        work = Path(tmp)
        if args.attachment_mb:
            attachment_bench(work, args.attachment_mb)
        if args.officials:
            roster_bench(work, args.officials)
        if args.fold_mb:
            fold_bench(work, args.fold_mb)


if __name__ == "__main__":
    main()
