"""Ingest benchmark: prints figures, asserts nothing (these machines are shared and noisy).

Generates a FOIA-shaped mbox of N messages (quoted replies, non-ASCII names, quoted-printable and
base64 bodies, attachments, 10% duplicates), then measures in one run:

  1. the stdlib `email` parser alone (compat32, headers and text part decoded), one process;
  2. mbox-to-sqlite, the Datasette ecosystem's loader, installed in its own venv, and
     `backchannel ingest`, interleaved, --runs times each (3): medians and their ratio;
  3. with --analyze, `backchannel analyze --roster` once (a roster of the generated people), and
     the time to the canonical table (ingest, then analyze until it prints the table, which it
     does once the counts are saved, before NER) beside the time to the end.

and prints rates, ratios, peak RSS (summed over the process and its children), the CPU seconds
of each command's process tree with the least wall time the machine's cores allow for it, and
how many messages the quick parse read.

    .venv/bin/python benchmarks/ingest_bench.py [--messages 100000] [--runs 3] [--analyze]
"""

from __future__ import annotations

import argparse
import mailbox
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import compat32
from email.utils import format_datetime, getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import NamedTuple

WORDS = (
    "board budget charter vote meeting agenda district school parents teachers enrollment "
    "facilities bond reserve staff report superintendent public comment policy draft review "
    "members community survey results reading curriculum pilot funding schedule the a of to and "
    "in for on with we our your this that will be is are was were have has can could should"
).split()
NAMES = [
    "Rosa Ibáñez",
    "Dana Whitfield",
    "Marcus Lee",
    "Tomás Castrejón",
    "Grace Liu",
    "Kevin Doyle",
    "Amara Sesay",
    "Jenna Park",
    "Bettina Hallström",
    "Carl Vance",
]
DOMAINS = ("a.example", "b.example", "c.example")  # of senders, To and Cc
TABLE_PRINTED = r"^Counts made and saved"  # analyze's line before the canonical table


def _roster() -> str:
    """A roster for the generated mailbox: three officials (one with staff) and two watched
    organizations, each person by their address at every domain the generator uses."""

    def emails(name: str) -> str:
        return "[" + ", ".join(_addr(name, d).addr_spec for d in DOMAINS) + "]"

    def person(name: str, indent: str) -> str:
        return f"{indent}- name: {name}\n{indent}  emails: {emails(name)}\n"

    officials = {"Dana Whitfield": ["Marcus Lee"], "Tomás Castrejón": [], "Grace Liu": []}
    organizations = {
        "Better Schools Now": ["Rosa Ibáñez", "Kevin Doyle", "Amara Sesay"],
        "Lakemont Ledger": ["Jenna Park"],
    }
    text = "timezone: UTC\nofficials:\n"
    for name, staff in officials.items():
        text += person(name, "  ")
        if staff:
            text += "    staff:\n" + "".join(person(s, "      ") for s in staff)
    text += "organizations:\n"
    for name, people in organizations.items():
        text += f"  - name: {name}\n    people:\n" + "".join(person(p, "      ") for p in people)
    return text


def _addr(name: str, domain: str) -> Address:
    local = name.split()[0].lower().encode("ascii", "ignore").decode()
    return Address(name, addr_spec=f"{local}@{domain}")


def _text(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    lines = [" ".join(words[i : i + 12]) for i in range(0, n, 12)]
    return "\n".join(lines)


def generate(path: Path, n: int, seed: int = 7) -> None:
    """An mbox of n messages, ~10% of them second copies (as a second custodian's would be)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    box = mailbox.mbox(path)
    made: list[bytes] = []
    for i in range(n):
        if made and rng.random() < 0.10:
            box.add(rng.choice(made[-500:]))
            continue
        sender, *rest = rng.sample(NAMES, 4)
        msg = EmailMessage()
        msg["From"] = _addr(sender, "a.example")
        msg["To"] = [_addr(p, "b.example") for p in rest[:2]]
        msg["Cc"] = _addr(rest[2], "c.example")
        msg["Subject"] = f"Re: {rng.choice(WORDS)} {rng.choice(WORDS)} — item {i}"
        msg["Date"] = format_datetime(start + timedelta(minutes=7 * i))
        msg["Message-ID"] = f"<bench.{i}@mail.example>"
        authored = _text(rng, 270)
        quoted = "\n".join("> " + line for line in _text(rng, 125).splitlines())
        body = f"{authored}\n\nOn Monday {rest[0]} wrote:\n{quoted}\n"
        if i % 3 == 0:
            msg.set_content(body)
            msg.add_alternative(f"<html><body><p>{body}</p></body></html>", subtype="html")
        else:
            msg.set_content(body, cte="quoted-printable" if i % 2 else "base64")
        if i % 10 == 0:
            # A text attachment: its text is extracted and indexed, as a PDF's would be.
            msg.add_attachment(
                _text(rng, 300).encode(), maintype="text", subtype="plain", filename="minutes.txt"
            )
        data = bytes(msg)
        made.append(data)
        box.add(data)
    box.close()


def stdlib_rate(path: Path) -> tuple[float, int]:
    """compat32 parse of each message: headers decoded, the text part decoded."""
    box = mailbox.mbox(path, create=False)
    t = time.perf_counter()
    n = 0
    for key in box.iterkeys():
        msg = message_from_bytes(box.get_bytes(key), policy=compat32)
        str(make_header(decode_header(msg.get("Subject", ""))))
        getaddresses(msg.get_all("To", []) + msg.get_all("Cc", []) + msg.get_all("From", []))
        parsedate_to_datetime(msg["Date"])
        for part in msg.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                payload.decode(part.get_content_charset() or "utf-8", "replace")
                break
        n += 1
    return n / (time.perf_counter() - t), n


class Measured(NamedTuple):
    seconds: float  # wall
    peak: int  # peak RSS in bytes, summed over the process tree
    code: int  # exit code
    cpu: float  # user and system seconds of the process tree
    output: str  # what the command printed


class Mark(NamedTuple):
    seconds: float  # wall, from the command's start to the first line that matched
    cpu: float  # user and system seconds of the process tree by then


def run_measured(
    cmd: list[str],
    cwd: Path | None = None,
    echo: bool = False,
    mark: str | None = None,
    marked: list[Mark] | None = None,
) -> Measured:
    """One command, measured. With `echo`, its own summary is printed after it ends. With
    `mark`, a pattern: when a line of its output first matches it, the wall time and the
    tree's CPU seconds so far are appended to `marked`."""
    cpu = _children_cpu()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]
    out: list[bytes] = []

    def sample() -> None:
        # Every half second (a tighter loop walking /proc costs a quarter of a core, taken
        # from the command measured); the wall time is taken when the process ends, not here.
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    pattern = re.compile(mark.encode()) if mark else None
    for line in proc.stdout:  # line by line: the mark is timed when it is printed
        if pattern is not None and marked is not None and pattern.search(line):
            marked.append(Mark(time.perf_counter() - t, _tree_cpu(proc.pid)))
            pattern = None
        out.append(line)
    proc.wait()
    elapsed = time.perf_counter() - t
    sampler.join()
    text = b"".join(out).decode(errors="replace").rstrip()
    if echo:
        print(text)
    # The command's processes are all waited for by now, its pool's children by the command.
    return Measured(elapsed, peak[0], proc.returncode, _children_cpu() - cpu, text)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(pid: int) -> float:
    """User and system seconds of a running process and its descendants (with the children
    they have already waited for)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total / ticks


def _tree_rss(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def peer_venv(out: Path) -> Path:
    venv = out / "peer-venv"
    if not (venv / "bin" / "mbox-to-sqlite").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "mbox-to-sqlite==0.1a0"], check=True
        )
    return venv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--skip-peer", action="store_true", help="do not run mbox-to-sqlite")
    ap.add_argument("--runs", type=int, default=3, help="interleaved runs of each (medians)")
    ap.add_argument("--analyze", action="store_true", help="then analyze, once (end to end)")
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    mbox = out / f"bench-{args.messages}.mbox"
    if not mbox.exists():
        t = time.perf_counter()
        partial = mbox.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        generate(partial, args.messages)
        partial.rename(mbox)
        print(
            f"generated {mbox} ({mbox.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - t:.0f} s"
        )
    size_mb = mbox.stat().st_size / 1e6
    print(f"mailbox: {args.messages:,} messages, {size_mb:.0f} MB")

    rate, n = stdlib_rate(mbox)
    print(f"stdlib email compat32 parse only  {rate:8,.0f} msg/s  (1 process, {n:,} messages)")

    # The peer and backchannel interleaved, each run on a fresh database: these machines are
    # shared and noisy, so one run each is not a measurement; medians and their ratio are.
    exe = Path(sys.executable).parent / "backchannel"
    venv = None if args.skip_peer else peer_venv(out)
    db = out / "backchannel.db"
    peer_db = out / "peer.db"
    times: dict[str, list[float]] = {"peer": [], "ours": []}
    peaks: dict[str, list[int]] = {"peer": [], "ours": []}
    cpus: dict[str, list[float]] = {"peer": [], "ours": []}
    quick = 0
    for run in range(1, args.runs + 1):
        if venv is not None:
            peer_db.unlink(missing_ok=True)
            m = run_measured(
                [str(venv / "bin" / "mbox-to-sqlite"), "mbox", str(peer_db), str(mbox)]
            )
            times["peer"].append(m.seconds)
            peaks["peer"].append(m.peak)
            cpus["peer"].append(m.cpu)
            print(
                f"run {run}  mbox-to-sqlite 0.1a0  {m.seconds:6.1f} s  CPU {m.cpu:6.1f} s  "
                f"peak RSS {m.peak / 2**20:5.0f} MiB  exit {m.code}"
            )
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        m = run_measured([str(exe), "ingest", str(mbox), "--db", str(db)])
        times["ours"].append(m.seconds)
        peaks["ours"].append(m.peak)
        cpus["ours"].append(m.cpu)
        found = re.search(r"parsed quick\s+([\d,]+)", m.output)
        quick = int(found.group(1).replace(",", "")) if found else 0
        print(
            f"run {run}  backchannel ingest    {m.seconds:6.1f} s  CPU {m.cpu:6.1f} s  "
            f"peak RSS {m.peak / 2**20:5.0f} MiB  exit {m.code}"
        )
    ours = statistics.median(times["ours"])
    print(
        f"backchannel ingest, median of {args.runs}   {args.messages / ours:8,.0f} msg/s  "
        f"{ours:6.1f} s  peak RSS {max(peaks['ours']) / 2**20:5.0f} MiB"
    )
    if times["peer"]:
        peer = statistics.median(times["peer"])
        print(
            f"mbox-to-sqlite, median of {args.runs}       {args.messages / peer:8,.0f} msg/s  "
            f"{peer:6.1f} s  peak RSS {max(peaks['peer']) / 2**20:5.0f} MiB"
        )
        print(f"wall time, backchannel / mbox-to-sqlite (ratio of medians)  {ours / peer:5.2f}")
        # What the cores allow: a CPU-bound command cannot take less wall time than its CPU
        # seconds spread over every core.
        cores = os.cpu_count() or 1
        cpu_ours, cpu_peer = statistics.median(cpus["ours"]), statistics.median(cpus["peer"])
        print(
            f"CPU seconds, medians: backchannel {cpu_ours:.1f}, mbox-to-sqlite {cpu_peer:.1f}; "
            f"on {cores} cores backchannel needs at least {cpu_ours / cores:.1f} s wall "
            f"({cpu_ours / cores / peer:.2f} of the peer's time)"
        )
    print(f"parsed by the quick parse: {quick:,} of {args.messages:,} messages (last run)")
    print(f"ratio backchannel / stdlib parse  {args.messages / ours / rate:8.2f}")
    if args.analyze:
        roster = out / "bench-roster.yaml"
        roster.write_text(_roster(), encoding="utf-8")
        marked: list[Mark] = []
        secs, rss, code, cpu, _ = run_measured(
            [str(exe), "analyze", "--db", str(db), "--roster", str(roster)],
            echo=True,
            mark=TABLE_PRINTED,
            marked=marked,
        )
        print(
            f"backchannel analyze (quotes, threads, identities, counts, NER) "
            f"{args.messages / secs:8,.0f} msg/s  {secs:6.1f} s  CPU {cpu:6.1f} s  "
            f"peak RSS {rss / 2**20:6.0f} MiB  exit {code}"
        )
        cpu_ours = statistics.median(cpus["ours"])
        if marked:
            table = marked[0]
            print(
                "time to the table, ingest + analyze to the counts  "
                f"{ours + table.seconds:6.1f} s"
                f"  ({ours:.1f} + {table.seconds:.1f}; CPU {cpu_ours:.1f} + {table.cpu:.1f} s)"
            )
        print(
            f"time to the end, ingest + analyze                  {(ours + secs):6.1f} s"
            f"  ({(ours + secs) / 60:.1f} min; CPU {cpu_ours + cpu:.1f} s)  "
            f"peak RSS {max(max(peaks['ours']), rss) / 2**20:6.0f} MiB"
        )


if __name__ == "__main__":
    main()
