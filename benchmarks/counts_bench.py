"""Counts and graph benchmark: time of identity resolution, the count tables, the graph and the
roster draft on a corpus of N messages among P people, with a roster of officials and
organizations. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/counts_bench.py [--messages 100000] [--people 3000]

The corpus is written once (through the corpus writer, as ingest would) and kept in
benchmarks/out/counts-N.db; later runs reuse it.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backchannel.analysis import report  # noqa: E402
from backchannel.analysis.counts import compute, write  # noqa: E402
from backchannel.analysis.graph import group_graph, measure, person_graph  # noqa: E402
from backchannel.analysis.identities import resolve  # noqa: E402
from backchannel.analysis.roster_draft import draft, store  # noqa: E402
from backchannel.corpus import open_corpus  # noqa: E402
from backchannel.corpus.roster import load_roster, save_roster  # noqa: E402
from backchannel.corpus.writer import CorpusWriter  # noqa: E402
from backchannel.ingest.record import Address, MessageRecord, Provenance, SourceFile  # noqa: E402

ORGS = ["advocates.example", "builders.example", "press.example"]


def people(n: int) -> list[Address]:
    out = []
    for i in range(n):
        if i < 21:
            domain = "county.example"  # 7 officials with 2 staff each
        elif i < 60:
            domain = ORGS[i % 3]
        else:
            domain = f"d{i % 400}.example"
        out.append(Address(f"Person {i}", f"p{i}@{domain}"))
    return out


ROSTER_HEAD = "officials:\n"


def roster_text() -> str:
    lines = [ROSTER_HEAD]
    for k in range(7):
        o, s1, s2 = 3 * k, 3 * k + 1, 3 * k + 2
        lines.append(
            f"  - name: Person {o}\n    emails: [p{o}@county.example]\n    staff:\n"
            f"      - name: Person {s1}\n        emails: [p{s1}@county.example]\n"
            f"      - name: Person {s2}\n        emails: [p{s2}@county.example]\n"
        )
    lines.append("organizations:\n")
    for n, d in enumerate(ORGS):
        lines.append(f"  - name: Org {n}\n    domains: [{d}]\n")
    return "".join(lines)


def build(path: Path, n: int, n_people: int) -> None:
    rng = random.Random(11)
    who = people(n_people)
    # A few people write most of the mail, as in any mailbox.
    weights = [1 / (i + 1) ** 0.6 for i in range(n_people)]
    db = open_corpus(path)
    writer = CorpusWriter(db)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    src = SourceFile("bench.mbox", Path("."), "bench", 0, "mbox", "bench")
    tally = writer.begin_source(src)
    batch = []
    for i in range(n):
        sender, *rest = rng.choices(who, weights, k=1 + rng.randint(1, 4))
        participants = [("from", sender)] + [
            (rng.choice(["to", "to", "cc", "bcc"]), a) for a in rest if a != sender
        ]
        batch.append(
            MessageRecord(
                f"<c.{i}@bench.example>",
                f"Subject {i}",
                start + timedelta(minutes=5 * i),
                None,
                participants,
                f"Message {i}.",
                None,
                None,
                [],
                [],
                [],
                Provenance("bench.mbox", "bench", "rfc822", f"offset {i}", offset=i),
            )
        )
        if len(batch) == 2000:
            writer.add(tally, batch)
            batch = []
    writer.add(tally, batch)
    writer.finish_source(tally, "done")
    writer.close()
    db.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"counts-{args.messages}.db"
    if not path.exists():
        t = time.perf_counter()
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build(partial, args.messages, args.people)
        partial.rename(path)
        print(f"built {path} in {time.perf_counter() - t:.0f} s")
    roster_file = args.out / "counts-roster.yaml"
    roster_file.write_text(roster_text())
    db = open_corpus(path)
    roster = load_roster(roster_file)
    save_roster(db, roster)
    n = db.execute("select count(*) from messages").fetchone()[0]
    print(f"corpus: {n:,} messages, {args.people:,} people")

    def timed(label: str, fn):
        t = time.perf_counter()
        out = fn()
        print(f"{label:<34} {time.perf_counter() - t:7.2f} s")
        return out

    total = time.perf_counter()
    timed("identity resolution", lambda: resolve(db, roster))
    counts = timed("counts (compute)", lambda: compute(db))
    pg = timed("person graph", lambda: person_graph(counts))
    gg = timed("collapsed graph", lambda: group_graph(counts))
    pm = timed(f"measures, persons ({len(pg):,} nodes)", lambda: measure(pg))
    gm = timed(f"measures, groups ({len(gg):,} nodes)", lambda: measure(gg))
    timed("write the tables", lambda: write(db, counts, {**pm, **gm}))
    print(f"{'counts and graph stage, in all':<34} {time.perf_counter() - total:7.2f} s")
    print(f"{'communications':<34} {len(counts.comms):>10,}")
    found = timed("roster draft (the analyze stage)", lambda: draft(db, roster, resolved=True))
    timed("roster draft (the command, resolving)", lambda: draft(db, roster))
    timed("roster draft stored", lambda: store(db, found))
    print(f"{'roster proposals':<34} {len(found.proposals):>10,}")
    data = timed("report (json, computed afresh)", lambda: report.build(db))
    print(f"offices rows: {len(data['offices'])}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
