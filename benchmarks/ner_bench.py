"""NER benchmark: words per second of backchannel's NER stage (`run_ner`: the NER-only pipeline,
batches of 64, forked workers) with one process and with two, on authored email text. Prints
figures, asserts nothing.

    .venv/bin/python benchmarks/ner_bench.py --db corpus.db [--messages 5000]

The corpus must have been analyzed (body_authored filled); benchmarks/ingest_bench.py leaves one
in benchmarks/out/backchannel.db. Its authored texts are copied into a scratch corpus, read once
with each number of processes, and the entities compared.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backchannel.analysis import ner  # noqa: E402
from backchannel.corpus import open_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path(__file__).parent / "out" / "backchannel.db")
    ap.add_argument("--messages", type=int, default=5000)
    args = ap.parse_args()
    src = sqlite3.connect(args.db)
    rows = src.execute(
        "select id, dedupe_key, body_authored from messages where body_authored != '' limit ?",
        [args.messages],
    ).fetchall()
    src.close()
    print(f"{len(rows):,} authored texts, {sum(len(r[2].split()) for r in rows):,} words")
    print(f"spaCy compiled with profiling: {ner.spacy_profiled()}")
    rates = {}
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_corpus(Path(tmp) / "ner.db")
        db["messages"].insert_all(
            ({"id": i, "dedupe_key": k, "body_authored": t} for i, k, t in rows), batch_size=1000
        )
        for n_process in (1, 2):
            db.execute("update messages set ner_hash = null")
            db.execute("delete from mentions")
            db.conn.commit()
            # The pool is used from POOL_MIN texts up; below it one process reads them all.
            s = ner.run_ner(db, n_process=n_process)
            rates[n_process] = s.words / s.seconds
            found[n_process] = db.execute(
                "select message_id, start, end, entity_id from mentions order by 1, 2"
            ).fetchall()
            print(
                f"NER, {n_process} process(es): {rates[n_process]:9,.0f} words/s "
                f"({s.words:,} words in {s.seconds:.1f} s, {s.mentions:,} mentions)"
            )
        db.close()
    print(f"speed-up with both cores: {rates[2] / rates[1]:.2f}x")
    print(f"same mentions both ways: {found[1] == found[2]}")


if __name__ == "__main__":
    main()
