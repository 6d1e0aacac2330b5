"""Production benchmark: a generated Concordance volume (DAT in UTF-8, natives, texts, an OPT
and its page images) of N records — emails from their fields and text, emails with an .eml
native, attachments, documents that are not email — ingested; records per second, peak RSS.
Prints figures, asserts nothing.

    .venv/bin/python benchmarks/loadfile_bench.py [--records 20000]
"""

from __future__ import annotations

import argparse
import sys
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ingest_bench import run_measured  # noqa: E402

HEADER = ["BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "PARENT_DOCID", "CUSTODIAN",
          "FROM", "TO", "CC", "SUBJECT", "DATESENT", "TIMEZONE", "RECORDTYPE", "FILENAME",
          "TEXTPATH", "NATIVEPATH", "MD5HASH"]  # fmt: skip
PEOPLE = [f"Person {n} <person{n}@agency.example>" for n in range(200)]


def eml(n: int, sender: str, to: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, f"Item {n}: the permit file"
    msg["Date"] = f"Tue, {1 + n % 28:02d} Apr 2025 10:{n % 60:02d}:00 -0400"
    msg["Message-ID"] = f"<n{n}@agency.example>"
    msg.set_content(f"Record {n}. The permit file is attached to the agenda.\n" * 12)
    return bytes(msg)


def build(vol: Path, records: int) -> int:
    """The volume; returns its pages."""
    for sub in ("DATA", "NATIVES", "TEXT", "IMAGES"):
        (vol / sub).mkdir(parents=True, exist_ok=True)
    lines, opt, n, page = [], [], 0, 1
    while n < records:
        bates = f"AGY{page:07d}"
        sender, to = PEOPLE[n % 200], PEOPLE[(n * 7 + 3) % 200]
        kind = n % 10
        text = f"TEXT\\{bates}.txt"
        row = dict(BEGBATES=bates, ENDBATES=bates, CUSTODIAN=f"Custodian {n % 12}",
                   FROM=sender, TO=to, SUBJECT=f"Item {n}: the permit file",
                   DATESENT=f"04/{1 + n % 28:02d}/2025 10:{n % 60:02d}", TIMEZONE="-04:00",
                   RECORDTYPE="Email", TEXTPATH=text)  # fmt: skip
        body = f"Record {n}. The permit file is attached to the agenda.\n" * 12
        if kind in (3, 4, 5):
            (vol / "NATIVES" / f"{bates}.eml").write_bytes(eml(n, sender, to))
            row["NATIVEPATH"] = f"NATIVES\\{bates}.eml"
        elif kind == 9:
            row = dict(BEGBATES=bates, ENDBATES=bates, RECORDTYPE="E-Doc", TEXTPATH=text,
                       FILENAME=f"budget-{n}.xlsx", CUSTODIAN=f"Custodian {n % 12}")  # fmt: skip
        (vol / "TEXT" / f"{bates}.txt").write_text(body)
        lines.append(row)
        opt.append(f"{bates},VOL001,IMAGES\\{bates}.tif,Y,,,1")
        (vol / "IMAGES" / f"{bates}.tif").write_bytes(b"II*\x00")
        n, page = n + 1, page + 1
        if kind == 0 and n < records:  # an attachment of the email above
            child = f"AGY{page:07d}"
            lines[-1].update(BEGATTACH=bates, ENDATTACH=child)
            lines.append(dict(BEGBATES=child, ENDBATES=child, BEGATTACH=bates, ENDATTACH=child,
                              PARENT_DOCID=bates, RECORDTYPE="Attachment",
                              FILENAME=f"permit-{n}.pdf",
                              TEXTPATH=f"TEXT\\{child}.txt"))  # fmt: skip
            (vol / "TEXT" / f"{child}.txt").write_text(f"Permit {n}, conditions of approval.\n")
            opt.append(f"{child},VOL001,IMAGES\\{child}.tif,Y,,,1")
            (vol / "IMAGES" / f"{child}.tif").write_bytes(b"II*\x00")
            n, page = n + 1, page + 1
    head = "\x14".join(f"\u00fe{h}\u00fe" for h in HEADER)
    body = "\r\n".join("\x14".join(f"\u00fe{r.get(h, '')}\u00fe" for h in HEADER) for r in lines)
    (vol / "DATA" / "VOL001.dat").write_text(head + "\r\n" + body + "\r\n", encoding="utf-8")
    (vol / "DATA" / "VOL001.opt").write_text("\r\n".join(opt) + "\r\n")
    return page - 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = ap.parse_args()
    root = args.out / "loadfile"
    vol = root / f"prod-{args.records}" / "VOL001"
    if not (vol / "DATA" / "VOL001.dat").exists():
        t = time.perf_counter()
        pages = build(vol, args.records)
        print(f"built {args.records:,} records, {pages:,} pages in {time.perf_counter() - t:.1f} s")
    db = root / f"prod-{args.records}.db"
    db.unlink(missing_ok=True)
    exe = Path(sys.executable).parent / "backchannel"
    secs, rss, code, cpu, text = run_measured(
        [str(exe), "ingest", str(vol.parent), "--db", str(db)], echo=True
    )
    print(
        f"ingest: {secs:.1f} s wall, {cpu:.1f} s CPU, {args.records / secs:,.0f} records/s, "
        f"peak RSS {rss / 2**20:.0f} MiB, exit {code}"
    )


if __name__ == "__main__":
    main()
