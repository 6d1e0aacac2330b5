"""Page latency of `backchannel serve` on a big corpus: the canonical table, an email page, a
count's message list, the network and charts data. Prints median and 90th percentile of N
requests after one warm-up; asserts nothing (target: every page under 200 ms).

    .venv/bin/python benchmarks/serve_bench.py [--db benchmarks/out/counts-100000.db]

benchmarks/counts_bench.py makes that corpus (and its count tables).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backchannel.publish.local import serving  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path(__file__).parent / "out" / "counts-100000.db")
    ap.add_argument("--requests", type=int, default=20)
    args = ap.parse_args()
    conn = sqlite3.connect(args.db)
    name = args.db.stem
    messages = conn.execute("select count(*) from messages").fetchone()[0]
    # The email with most participants, and the biggest count in the canonical table.
    email = conn.execute(
        "select message_id from participants group by message_id order by count(*) desc limit 1"
    ).fetchone()[0]
    office_contact = conn.execute(
        "select id, total from office_contacts order by total desc limit 1"
    ).fetchone()
    conn.close()
    with serving(args.db, timeout=60) as base:
        print(f"corpus {args.db.name}: {messages:,} messages")
        pages = {
            "canonical table (office_contacts)": f"/{name}/office_contacts",
            "email page": f"/-/email/{name}/{email}",
            f"message list of one count ({office_contact[1]:,})": (
                f"/-/messages/{name}?counted={office_contact[0]}"
            ),
            "persons table, sorted by sent": f"/{name}/persons?_sort_desc=sent",
            "messages table": f"/{name}/messages",
            "network page": f"/-/network/{name}",
            "network data (groups)": f"/-/network/{name}.json",
            "network data (persons)": f"/-/network/{name}.json?level=persons",
            "search page (a word in every email)": f"/-/search/{name}?q=message",
            "database page": f"/{name}",
            "charts data": f"/-/charts/{name}.json",
            "what's missing": f"/-/missing/{name}",
            "the story": f"/-/story/{name}",
        }
        for label, path in pages.items():
            times = []
            for n in range(args.requests + 1):
                t = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=60) as r:
                    r.read()
                    status = r.status
                if n:  # the first one warms the caches
                    times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p90 = times[int(len(times) * 0.9) - 1]
            print(
                f"{label:<42} median {statistics.median(times):7.1f} ms   "
                f"p90 {p90:7.1f} ms   (HTTP {status})"
            )


if __name__ == "__main__":
    main()
