"""The largest item bounds memory: a big base64 attachment is decoded a slice at a time (its
size and SHA-256 the stdlib's, its text read when it is small enough), a big message in an mbox
is not copied once per block, and the peak of an ingest stays a small multiple of the file
(benchmarks/big_items_bench.py has the figures: 1.86 GB before for a 270 MB email)."""

from __future__ import annotations

import email
import hashlib
import os
import subprocess
import sys
from email.message import EmailMessage
from email.policy import compat32
from pathlib import Path

from conftest import rows, write_mbox

from backchannel.ingest.mail.payload import STREAM_FROM
from backchannel.ingest.mail.rfc822 import parse_bytes
from backchannel.ingest.record import Provenance


def big_email(attachments: list[tuple[str, str, bytes]]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Rosa Ibáñez <rosa@bsn.example>"
    msg["To"] = "dana@district.example"
    msg["Subject"] = "The scans"
    msg["Message-ID"] = "<scans@bsn.example>"
    msg["Date"] = "Tue, 04 Mar 2025 09:15:00 -0800"
    msg.set_content("The scans are attached.\n")
    for name, ctype, data in attachments:
        main, sub = ctype.split("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return bytes(msg)


def stdlib_attachments(data: bytes) -> list[tuple[int, str]]:
    """(size, sha256) of each attachment, decoded by the stdlib alone."""
    msg = email.message_from_bytes(data, policy=compat32)
    parts = [p for p in msg.walk() if p.get_filename()]
    return [
        (len(b), hashlib.sha256(b).hexdigest()) for b in (p.get_payload(decode=True) for p in parts)
    ]


PROV = Provenance("big.eml", "0" * 64, "rfc822", "whole file")


def test_a_streamed_attachment_is_the_stdlibs(tmp_path):
    scan = os.urandom(3 * STREAM_FROM)
    csv = ("name,amount\n" + "Lakemont bus route,1200\n" * 40_000).encode()
    data = big_email(
        [("scan.bin", "application/octet-stream", scan), ("budget.csv", "text/csv", csv)]
    )
    record = parse_bytes(data, PROV)
    assert [(a.size, a.sha256) for a in record.attachments] == stdlib_attachments(data)
    assert record.attachments[0].sha256 == hashlib.sha256(scan).hexdigest()
    # The CSV was streamed too, and its text read: it is under the extraction limit.
    assert record.attachments[1].text.startswith("name,amount\nLakemont bus route,1200")
    assert not record.problems


def test_base64_with_a_defect_is_left_to_the_stdlib():
    """A stray character in the middle, padding missing at the end: the stdlib's bytes and its
    defects, as before."""
    scan = os.urandom(2 * STREAM_FROM)
    data = big_email([("scan.bin", "application/octet-stream", scan)])
    at = data.index(b"\n\n", data.index(b'filename="scan.bin"')) + 2 + STREAM_FROM
    for broken in (data[:at] + b"!" + data[at:], data.rstrip(b"\n-").rsplit(b"\n", 2)[0][:-1]):
        record = parse_bytes(broken, PROV)
        assert [(a.size, a.sha256) for a in record.attachments] == stdlib_attachments(broken)
        assert any(p.stage == "mime" for p in record.problems)


def _peak_mib(tmp_path: Path, target: Path) -> float:
    """Peak RSS (MiB) of `backchannel ingest target` run in a fresh process and its parsers."""
    script = (
        "import resource, sys\n"
        "from backchannel.cli import cli\n"
        "try:\n"
        "    cli(['ingest', sys.argv[1], '--db', sys.argv[2]])\n"
        "except SystemExit:\n"
        "    pass\n"
        # This process's own high-water mark (VmHWM: ru_maxrss would keep the forking
        # test process's), and its parsers'.
        "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        "print(max(hwm[0], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    )
    db = tmp_path / f"{target.stem}.db"
    out = subprocess.run(
        [sys.executable, "-c", script, str(target), str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert rows(db, "select count(*) from attachments")[0][0] >= 1
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def test_the_peak_is_a_small_multiple_of_the_largest_email(tmp_path):
    """A 64 MB attachment (an 87 MB email), as a loose .eml and inside an mbox: the peak over
    a fresh process (and its parsers) rises by less than four times the email over the same
    run on a small email. Before: six and a half times."""
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    (small / "a.eml").write_bytes(big_email([("a.bin", "application/octet-stream", b"x" * 10)]))
    data = big_email([("scan.bin", "application/octet-stream", os.urandom(64 << 20))])
    (big / "scan.eml").write_bytes(data)
    write_mbox(tmp_path / "box.mbox", [data])
    mib = len(data) / (1 << 20)
    base = _peak_mib(tmp_path, small)
    for target in (big, tmp_path / "box.mbox"):
        rise = _peak_mib(tmp_path, target) - base
        assert rise < 4 * mib, (target.name, round(rise), round(mib))
