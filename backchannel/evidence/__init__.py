"""The evidence behind one figure, for a fact-checker: `backchannel evidence` and the download
links of every count page in Datasette write the same packet.

- `figure.py`: which figure (a count's id, direction, month, search), from what a reporter
  names, and how to say it;
- `packet.py`: its emails from the stored count tables, each with its copies' provenance;
- `render.py` (CSV, HTML) and `pdf.py` (PDF, with fpdf2): the packet written out.

It reads what analyze stored and nothing else, so the Datasette plugin (publish/) uses it too;
it imports no analysis (tests/test_house.py).
"""

from __future__ import annotations

from .figure import Figure, FigureNotFound, choose
from .packet import Packet, read

FORMATS = ("csv", "html", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def write(packet: Packet, fmt: str) -> bytes:
    """The packet in `fmt` (csv, html or pdf), as bytes."""
    if fmt == "csv":
        from .render import to_csv

        return to_csv(packet).encode("utf-8")
    if fmt == "html":
        from .render import to_html

        return to_html(packet).encode("utf-8")
    if fmt == "pdf":
        from .pdf import to_pdf

        return to_pdf(packet)
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")


__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "Figure",
    "FigureNotFound",
    "Packet",
    "choose",
    "read",
    "write",
]
