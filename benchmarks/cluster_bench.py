"""Cluster benchmark: prints figures, asserts nothing (these machines are shared and noisy).

On one generated mailbox (ingest_bench's FOIA-shaped messages), in one run:

  1. the ceiling a cluster cannot lift: the writer alone, writing messages parsed beforehand
     (the corpus's one SQLite writer, in messages per second);
  2. `backchannel ingest` with its local parser pool, then with --scheduler local:1 and
     local:2, interleaved, --runs times each: medians in messages per second;
  3. `backchannel analyze` on copies of the ingested corpus, the same three ways, once each:
     NER's words per second as analyze reports them.

    .venv/bin/python benchmarks/cluster_bench.py [--messages 20000] [--ner-messages 3000]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_bench import generate, run_measured  # noqa: E402

EXE = Path(sys.executable).parent / "backchannel"
WAYS = {
    "local pool": [],
    "local:1": ["--scheduler", "local:1"],
    "local:2": ["--scheduler", "local:2"],
}


def writer_rate(mbox: Path, db_path: Path) -> float:
    """Messages per second the writer takes when parsing costs it nothing."""
    from backchannel.corpus import open_corpus
    from backchannel.corpus.load import _parse_item
    from backchannel.corpus.writer import CorpusWriter
    from backchannel.ingest import find_sources
    from backchannel.ingest.mail.mbox import messages

    src = next(iter(find_sources(mbox)))
    parsed = [_parse_item(item) for item in messages(src)]
    db = open_corpus(db_path)
    writer = CorpusWriter(db)
    start = time.perf_counter()
    tally = writer.begin_source(src)
    for i in range(0, len(parsed), 500):
        writer.add(tally, parsed[i : i + 500])
    writer.finish_source(tally, "done")
    writer.close()
    seconds = time.perf_counter() - start
    db.close()
    return len(parsed) / seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=20_000)
    ap.add_argument("--ner-messages", type=int, default=3_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = ap.parse_args()
    args.out.mkdir(exist_ok=True)
    mbox = args.out / f"bench-{args.messages}.mbox"
    if not mbox.exists():
        generate(mbox, args.messages)
    print(f"mailbox: {args.messages:,} messages, {mbox.stat().st_size / 1e6:,.0f} MB")

    db = args.out / "cluster-writer.db"
    db.unlink(missing_ok=True)
    print(f"writer alone (parsed beforehand)   {writer_rate(mbox, db):8,.0f} msg/s")

    seconds: dict[str, list[float]] = {way: [] for way in WAYS}
    for run in range(1, args.runs + 1):
        for way, extra in WAYS.items():
            db.unlink(missing_ok=True)
            command = [str(EXE), "ingest", str(mbox), "--db", str(db), *extra]
            secs, rss, code, *_ = run_measured(command)
            seconds[way].append(secs)
            print(f"run {run}  ingest, {way:10}  {args.messages / secs:8,.0f} msg/s  {secs:6.1f} s"
                  f"  peak RSS {rss / 2**20:5.0f} MiB  exit {code}")  # fmt: skip
    for way, values in seconds.items():
        median = statistics.median(values)
        print(f"ingest, {way:10} median of {args.runs}  {args.messages / median:8,.0f} msg/s")

    small = args.out / f"bench-{args.ner_messages}.mbox"
    if not small.exists():
        generate(small, args.ner_messages)
    base = args.out / "cluster-ner-base.db"
    base.unlink(missing_ok=True)
    subprocess.run([str(EXE), "ingest", str(small), "--db", str(base)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    for way, extra in WAYS.items():
        copy = args.out / "cluster-ner.db"
        shutil.copy(base, copy)
        out = subprocess.run([str(EXE), "analyze", "--db", str(copy), *extra],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        found = re.search(r"entities read in\s+([\d,]+)\s+messages .*?([\d,]+) words/s", out)
        total = re.search(r"time\s+([\d.]+) s", out)
        words = found.group(2) if found else "?"
        texts = found.group(1) if found else "?"
        took = total.group(1) if total else "?"
        print(f"analyze, {way:10}  NER {words:>8} words/s  ({texts} messages), analyze {took} s")
    for path in (db, base, args.out / "cluster-ner.db"):
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
