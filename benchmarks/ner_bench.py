"""NER benchmark: words per second of the NER stage (NER-only pipeline, batches of 64) with one
process and with two, on authored email text. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/ner_bench.py --db corpus.db [--messages 5000]

The corpus must have been analyzed (body_authored filled); benchmarks/ingest_bench.py leaves one
in benchmarks/out/backchannel.db.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backchannel.analysis.ner import BATCH, load_model  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path(__file__).parent / "out" / "backchannel.db")
    ap.add_argument("--messages", type=int, default=5000)
    args = ap.parse_args()
    conn = sqlite3.connect(args.db)
    texts = [
        r[0]
        for r in conn.execute(
            "select body_authored from messages where body_authored != '' limit ?", [args.messages]
        )
    ]
    conn.close()
    nlp = load_model()
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts):,} authored texts, {words:,} words; pipeline {nlp.pipe_names}")
    rates = {}
    for n_process in (1, 2):
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=BATCH, n_process=n_process):
            pass
        rates[n_process] = words / (time.perf_counter() - t)
        print(f"NER, {n_process} process(es): {rates[n_process]:9,.0f} words/s")
    print(f"speed-up with both cores: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
