"""Outlook benchmark: messages per second for .msg files and .pst stores next to mbox, in one run.

The same N generated messages are written as one mbox and as N .msg files (with
aspose-email-foss, a test dependency); the .pst figure reads copies of the public pstsdk sample
stores (../shared/fixtures), since no library here writes .pst. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/outlook_bench.py [--messages 2000] [--stores 300]
"""

from __future__ import annotations

import argparse
import mailbox
import random
import shutil
import sys
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ingest_bench import generate, run_measured  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "pstsdk"


def make_msgs(mbox: Path, folder: Path) -> int:
    from aspose.email_foss import msg as amsg

    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for n, message in enumerate(mailbox.mbox(mbox, create=False), start=1):
        email = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
        amsg.MapiMessage.from_email_message(email).save(folder / f"{n:06d}.msg")
    return n


def make_stores(folder: Path, copies: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    stores = sorted(FIXTURES.glob("*.pst"))
    rng = random.Random(1)
    for n in range(copies):
        shutil.copy(rng.choice(stores), folder / f"store{n:05d}.pst")
    return copies


def ingest_rate(path: Path, db: Path, messages: int) -> tuple[float, float, int]:
    for suffix in ("", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    exe = Path(sys.executable).parent / "backchannel"
    secs, rss, code, *_ = run_measured([str(exe), "ingest", str(path), "--db", str(db)])
    return messages / secs, rss / 2**20, code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--stores", type=int, default=300)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = ap.parse_args()
    out: Path = args.out / f"outlook-{args.messages}"
    out.mkdir(parents=True, exist_ok=True)
    mbox = out / "bench.mbox"
    if not mbox.exists():
        generate(mbox, args.messages)
    msgs = out / "msg"
    if not msgs.exists():
        t = time.perf_counter()
        make_msgs(mbox, msgs)
        print(f"wrote {args.messages:,} .msg files in {time.perf_counter() - t:.0f} s")

    rate, rss, code = ingest_rate(mbox, out / "mbox.db", args.messages)
    print(f"mbox  {args.messages:>7,} messages  {rate:8,.0f} msg/s  peak RSS {rss:5.0f} MiB")
    rate_msg, rss, code = ingest_rate(msgs, out / "msg.db", args.messages)
    print(
        f".msg  {args.messages:>7,} files     {rate_msg:8,.0f} msg/s  peak RSS {rss:5.0f} MiB  "
        f"exit {code}  ({rate_msg / rate:.2f} of mbox)"
    )
    if FIXTURES.is_dir():
        stores = out / "pst"
        if not stores.exists():
            make_stores(stores, args.stores)
        # sample1, sample2, submessage, test_ansi hold one message each, test_unicode two.
        import pypff  # noqa: F401  (fail early if the binding is missing)

        count = sum(
            2 if p.name.startswith("store") and _is_unicode(p) else 1 for p in stores.iterdir()
        )
        rate_pst, rss, code = ingest_rate(stores, out / "pst.db", count)
        print(
            f".pst  {count:>7,} messages  {rate_pst:8,.0f} msg/s  peak RSS {rss:5.0f} MiB  "
            f"exit {code}  ({rate_pst / rate:.2f} of mbox; {args.stores} small stores)"
        )
    else:
        print(f".pst  skipped: {FIXTURES} not found")


def _is_unicode(path: Path) -> bool:
    return path.read_bytes() == (FIXTURES / "test_unicode.pst").read_bytes()


if __name__ == "__main__":
    main()
