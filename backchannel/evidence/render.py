"""A packet as CSV (one row per email, a spreadsheet's) or as one HTML page that prints
cleanly: the figure, its search and counting rule in one sentence, when the corpus was built,
then the emails, each with room for a fact-checker's mark."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, datetime

from ..spreadsheet import safe_row
from .packet import Packet

CSV_COLUMNS = (
    "sent", "from", "to", "cc", "bcc", "subject", "direction", "status", "copies", "file",
    "place", "custodian", "sha256", "method", "first_lines", "message_id",
)  # fmt: skip


def to_csv(packet: Packet) -> str:
    """One row per email; a cell naming several things (recipients, copies) has one per line,
    the copies' columns line for line. Cells a spreadsheet would run are made text
    (spreadsheet.py)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for r in packet.rows:
        copies = r.copies
        w.writerow(
            safe_row(
                [
                    r.sent or "",
                    r.sender,
                    "\n".join(r.to),
                    "\n".join(r.cc),
                    "\n".join(r.bcc),
                    r.subject,
                    r.direction,
                    r.status,
                    len(copies),
                    "\n".join(c.file for c in copies),
                    "\n".join(c.place for c in copies),
                    "\n".join(c.custodian for c in copies),
                    "\n".join(c.sha256 for c in copies),
                    "\n".join(c.method for c in copies),
                    "\n".join(r.first_lines),
                    r.id,
                ]
            )
        )
    return buf.getvalue()


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#111}
h1{font-size:1.25em;font-weight:600;line-height:1.35;max-width:60em}
.corpus,.checked{color:#333;font-size:.9em}
table{border-collapse:collapse;width:100%;font-size:.82em}
th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
thead th{background:#eee}
td.n{text-align:right;white-space:nowrap}
td.sent{white-space:nowrap}
.lines{color:#444;margin-top:.3em}
.copy{margin-bottom:.35em}
.sha{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all;color:#555}
.recovered{color:#8a4b00}
td.mark{width:3em}
@page{size:landscape;margin:12mm}
@media print{body{margin:0}thead{display:table-header-group}tr{break-inside:avoid}}
"""


def to_html(packet: Packet, written: datetime | None = None) -> str:
    """One page, nothing loaded from elsewhere; the table's heading repeats on every printed
    page and no email is split across two."""
    e = html.escape
    written = written or datetime.now(UTC)
    rows = []
    for n, r in enumerate(packet.rows, start=1):
        people = [f"<b>From</b> {e(r.sender)}"]
        for role, found in (("To", r.to), ("Cc", r.cc), ("Bcc", r.bcc)):
            if found:
                people.append(f"<b>{role}</b> {e('; '.join(found))}")
        lines = "<br>".join(e(line) for line in r.first_lines)
        copies = "".join(
            f'<div class="copy">{e(c.file)}<br>{e(c.place)}<br>custodian {e(c.custodian)}, '
            f'{e(c.method)}<br><span class="sha">sha256 {e(c.sha256)}</span></div>'
            for c in r.copies
        )
        status = "recovered" if r.recovered else "counted"
        rows.append(
            f'<tr class="email"><td class="n">{n}</td><td class="sent">{e(r.when)}</td>'
            f"<td>{'<br>'.join(people)}</td>"
            f'<td>{e(r.subject or "(no subject)")}<div class="lines">{lines}</div></td>'
            f'<td>{e(r.direction)}<br><span class="{status}">{e(r.status)}</span></td>'
            f'<td>{copies}</td><td class="mark"></td></tr>'
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>Evidence: {e(packet.headline()[:120])}</title><style>{STYLE}</style></head><body>"
        f"<h1>{e(packet.headline())}</h1>"
        f'<p class="corpus">{e(packet.corpus_line())} Packet written '
        f"{written.strftime('%Y-%m-%d %H:%M UTC')} by backchannel.</p>"
        '<p class="checked">Checked by ____________________ on ____________</p>'
        "<table><thead><tr><th>#</th><th>sent</th><th>from, to, cc, bcc</th>"
        "<th>subject, and the first lines the sender wrote</th><th>direction</th>"
        "<th>copies: file, place in it, custodian, the file's sha256</th><th>✓</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></body></html>"
    )
