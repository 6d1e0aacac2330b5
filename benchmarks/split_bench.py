"""Splitting benchmark: prints figures, asserts nothing (these machines are shared and noisy).

The time `analyze` spends splitting bodies into authored text, quoted history and signature,
on two generated mailboxes ingested once each:

  1. ingest_bench's FOIA-shaped mailbox (every message a Gmail-style top-posted reply, a third
     with an HTML alternative);
  2. a mailbox of mixed reply shapes: Outlook header blocks, inline and bottom-posted replies,
     forwards, signatures, other languages, and HTML-only replies from Gmail, Outlook, Apple
     Mail and Thunderbird (the bodies a text/plain part does not carry).

For each, the split stage alone (`split_stage`, one process, no pool) on a fresh copy of the
ingested corpus, --runs times: the best and the median wall time, and the CPU time (steadier on
a shared machine), in microseconds per message.

    .venv/bin/python benchmarks/split_bench.py [--messages 20000] [--runs 3]

To compare with another version of the splitter, run again with `--code DIR` (a checkout's
root, e.g. `git archive main backchannel | tar -x -C DIR`) and the same --out: the corpora
ingested by the first run are split by that version's code.
"""

from __future__ import annotations

import argparse
import mailbox
import random
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
if "--code" in sys.argv:
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ingest_bench import NAMES, WORDS, _addr, _text, generate  # noqa: E402

from backchannel.analysis.run import AnalyzeSummary, Run, split_stage  # noqa: E402
from backchannel.corpus import ingest, open_corpus  # noqa: E402
from backchannel.corpus.writer import CorpusWriter  # noqa: E402


def _quote(text: str, depth: int = 1) -> str:
    return "\n".join(">" * depth + " " + line for line in text.splitlines())


def _html(text: str) -> str:
    return "".join(f"<div>{line}</div>" for line in text.splitlines())


def _shape(rng: random.Random, i: int, sender: str, other: str) -> tuple[str | None, str | None]:
    """(text body, HTML body) of one reply, in one of the shapes mail clients write."""
    own, theirs = _text(rng, rng.randint(20, 200)), _text(rng, rng.randint(40, 300))
    when = "Mon, Mar 3, 2025 at 4:02 PM"
    shape = i % 10
    if shape == 0:  # Outlook, text: a header block under a rule
        return (
            f"{own}\n\n{sender}\nDirector of Facilities\n(555) 010-2233\n\n"
            f"________________________________\nFrom: {other} <x@b.example>\n"
            f"Sent: Monday, March 3, 2025 4:02 PM\nTo: {sender}\nSubject: RE: budget\n\n"
            f"{theirs}\n",
            None,
        )
    if shape == 1:  # inline replies between quoted lines
        parts = [f"On {when} {other} <x@b.example> wrote:"]
        for _ in range(3):
            parts += [_quote(_text(rng, 30)), "", _text(rng, 20), ""]
        return "\n".join(parts) + f"\n-- \n{sender}\n", None
    if shape == 2:  # bottom-posted
        return f"On {when} {other} <x@b.example> wrote:\n{_quote(theirs)}\n\n{own}\n", None
    if shape == 3:  # a forward
        return (
            f"FYI\n\n---------- Forwarded message ---------\nFrom: {other} <x@b.example>\n"
            f"Date: {when}\nSubject: budget\nTo: {sender} <y@a.example>\n\n{theirs}\n",
            None,
        )
    if shape == 4:  # German, from a phone
        return (
            f"{own}\n\nVon meinem iPhone gesendet\n\nAm 03.03.2025 um 16:02 schrieb {other} "
            f"<x@b.example>:\n{_quote(theirs)}\n",
            None,
        )
    if shape == 5:  # HTML only: Gmail
        return None, (
            f'<div dir="ltr">{_html(own)}</div><br><div class="gmail_quote"><div dir="ltr" '
            f'class="gmail_attr">On {when} {other} &lt;x@b.example&gt; wrote:<br></div>'
            f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">{_html(theirs)}'
            "</blockquote></div>"
        )
    if shape == 6:  # HTML only: Outlook desktop
        return None, (
            f'<html><body><div class="WordSection1"><p class="MsoNormal">{own}</p>'
            '<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in '
            f'0in"><p class="MsoNormal"><b>From:</b> {other} &lt;x@b.example&gt;<br><b>Sent:'
            f"</b> Monday, March 3, 2025 4:02 PM<br><b>To:</b> {sender}<br><b>Subject:</b> "
            f'budget</p></div></div><p class="MsoNormal">{theirs}</p></div></body></html>'
        )
    if shape == 7:  # HTML only: Apple Mail, answer under the quote
        return None, (
            f'<html><body><div><blockquote type="cite"><div>On Mar 3, 2025, at 4:02 PM, {other}'
            f" &lt;x@b.example&gt; wrote:</div><div>{_html(theirs)}</div></blockquote></div>"
            f"<div>{_html(own)}</div></body></html>"
        )
    if shape == 8:  # text and HTML alternative (Thunderbird)
        return (
            f"{own}\n\nOn 3/3/25 4:02 PM, {other} wrote:\n{_quote(theirs)}\n",
            f'<html><body><p>{own}</p><div class="moz-cite-prefix">On 3/3/25 4:02 PM, {other} '
            f'wrote:<br></div><blockquote type="cite">{_html(theirs)}</blockquote></body></html>',
        )
    return f"{own}\n\nThanks,\n{sender.split()[0]}\n", None  # no quote at all


def generate_mixed(path: Path, n: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    box = mailbox.mbox(path)
    for i in range(n):
        sender, other, *rest = rng.sample(NAMES, 4)
        msg = EmailMessage()
        msg["From"] = _addr(sender, "a.example")
        msg["To"] = [_addr(p, "b.example") for p in [other, *rest[:1]]]
        msg["Subject"] = f"Re: {rng.choice(WORDS)} {rng.choice(WORDS)} — item {i}"
        msg["Date"] = format_datetime(start + timedelta(minutes=7 * i))
        msg["Message-ID"] = f"<mixed.{i}@mail.example>"
        text, html = _shape(rng, i, sender, other)
        if text is not None:
            msg.set_content(text)
            if html is not None:
                msg.add_alternative(html, subtype="html")
        else:
            msg.set_content(html, subtype="html")
        box.add(bytes(msg))
    box.close()


def split_seconds(db_path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of the split stage, and the messages it split."""
    db = open_corpus(db_path)
    run = Run(db, CorpusWriter(db), AnalyzeSummary(), None, None, None, 1, None)
    start, cpu = time.perf_counter(), time.process_time()
    split_stage(run)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return seconds, cpu, run.summary.split


def measure(name: str, mbox: Path, out: Path, runs: int) -> None:
    base = out / f"{mbox.stem}.db"
    if not base.exists():
        db = open_corpus(base)
        ingest(db, [mbox])
        db.close()
    times, cpus = [], []
    db = open_corpus(base)
    n = db.execute("select count(*) from messages").fetchone()[0]  # before any is recovered
    db.close()
    for _ in range(runs):
        copy = out / "split-run.db"
        shutil.copy(base, copy)
        seconds, cpu, _ = split_seconds(copy)
        times.append(seconds)
        cpus.append(cpu)
        copy.unlink()
    best, median, cpu = min(times), statistics.median(times), statistics.median(cpus)
    print(
        f"{name:<26} {n:>6,} messages  wall best {best:6.2f} s ({best / n * 1e6:5.0f} µs/msg), "
        f"median {median:6.2f} s  CPU median {cpu:6.2f} s ({cpu / n * 1e6:5.0f} µs/msg)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--code", type=Path, help="split with the backchannel package under DIR")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    foia = args.out / f"split-foia-{args.messages}.mbox"
    mixed = args.out / f"split-mixed-{args.messages}.mbox"
    if not foia.exists():
        generate(foia, args.messages)
    if not mixed.exists():
        generate_mixed(mixed, args.messages)
    measure("ingest_bench (top-posted)", foia, args.out, args.runs)
    measure("mixed reply shapes", mixed, args.out, args.runs)


if __name__ == "__main__":
    main()
