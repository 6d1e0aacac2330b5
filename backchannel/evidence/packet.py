"""The emails behind one figure, as a fact-checker checks them: one row per email, by date, with
who wrote to whom, the figure's direction, whether it is counted or only recovered from quoted
history, and every copy's provenance (file, place in it, custodian, the file's sha256), plus
the first lines the sender wrote.

The rows are read from `counted_messages`, the table the figures were counted into, with the
same filter as the figure's message list in Datasette (`count_filter`): the packet's row count
is the figure.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from ..corpus.topic import topic
from ..vocabulary import COUNTED_ROLES, ROLES
from .figure import Figure, described

FIRST_LINES = 3  # lines of what the sender wrote, in each row
LINE_CHARS = 160
CHUNK = 500  # message ids per lookup of participants and copies


@dataclass(frozen=True)
class Copy:
    """One copy of an email in the dump: where a fact-checker finds it."""

    file: str  # the source's path in the dump ("a.zip!/b.eml" inside an archive)
    place: str  # where in the file: byte offset, mail folder, PDF pages with Bates numbers…
    custodian: str
    sha256: str  # of the file
    method: str  # rfc822, msg, pst, pdf-text, ocr, quoted


@dataclass
class Row:
    id: str
    sent: str | None  # in the corpus zone
    sender: str  # "Name <address>"
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    direction: str  # the figure's direction(s) for this email, in words
    recovered: bool  # known only from another email's quoted history
    first_lines: list[str]
    copies: list[Copy] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "recovered from quoted history" if self.recovered else "counted"

    @property
    def when(self) -> str:
        """The date and time as a reader writes them ("2025-02-02 14:14"), in the corpus zone
        the packet names."""
        return (self.sent or "")[:16].replace("T", " ")


@dataclass
class Packet:
    figure: Figure
    rows: list[Row]
    zone: str
    as_of: str | None  # when the last ingest run started: the corpus's date
    public: dict | None = None  # a public build's public_build row
    withheld: int = 0  # a public build's emails of this figure withheld for privacy

    def headline(self) -> str:
        """The figure, its search and the counting rule, in one sentence."""
        f = self.figure
        n = len(self.rows) + self.withheld
        text = f"{n:,} {'email' if n == 1 else 'emails'} {f.description}"
        if f.month:
            text += f", in {f.month}"
        if f.query:
            text += f", matching the search {f.query_read_as}"
        if self.withheld:
            text += f" ({self.withheld:,} of them withheld for privacy in this public build)"
        return f"{text}: {rule(f)}."

    def corpus_line(self) -> str:
        """Which corpus, as of when, and the zone the dates are in; a public build says so."""
        if self.public:
            p = self.public
            built = f"Public build of {p.get('source')} as of {p.get('as_of') or 'its last ingest'}"
            built += f": {p.get('private_persons') or 0:,} private persons appear under pseudonyms"
            if p.get("withheld"):
                built += f"; {p['withheld']:,} emails withheld for privacy"
            return f"{built}. Dates in {self.zone}."
        when = _when(self.as_of) if self.as_of else "no ingest recorded"
        return f"Corpus as of its last ingest, {when}. Dates in {self.zone}."


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return iso


def rule(figure: Figure) -> str:
    """The counting rule behind a figure of this kind, as a clause."""
    group = {
        "office_contact": "an office is the official and the staff the roster names, an "
        "organization its roster people and everyone at its domains, and an email between "
        "them counts once however many of them it names",
        "office": "an office is the official and the staff the roster names, mail inside "
        "it is not counted, and an email counts once however many of them it names",
        "organization": "an organization is its roster people and everyone at its domains, "
        "mail inside it is not counted, and an email counts once however many of them it names",
        "person": "an email counts once however often the person is named in it (From, To, "
        "Cc or Bcc)",
        "contact": "an email from one to the other (To, Cc or Bcc) counts once",
        "group_edge": "an email from a member of one to a member of the other counts once",
    }.get(figure.kind or "", "an email counts once")
    recovered = (
        "emails known only from quoted history are included and marked"
        if figure.recovered
        else "emails known only from quoted history are left out"
    )
    return f"{group}; copies of one email in several files are one email; {recovered}"


def count_filter(figure: Figure, alias: str = "c") -> tuple[str, list[str]]:
    """The WHERE clause on counted_messages (as `alias`) that selects a figure's rows: the same
    for its message list, its packet and the count itself."""
    where = [f"{alias}.counted = ?"]
    params: list[str] = [figure.counted]
    if figure.direction:
        where.append(f"{alias}.direction = ?")
        params.append(figure.direction)
    if not figure.recovered:
        where.append(f"{alias}.recovered = 0")
    if figure.month:
        where.append(f"{alias}.month = ?")
        params.append(figure.month)
    if figure.query:
        only, found = topic(figure.query).where(f"{alias}.message_id")
        where.append(only)
        params += found
    return " and ".join(where), params


def read(conn: sqlite3.Connection, figure: Figure) -> Packet:
    """The packet of one figure (FigureNotFound when the corpus has no such count)."""
    figure = described(conn, figure)
    where, params = count_filter(figure)
    found = conn.execute(
        f"""select m.id, coalesce(m.sent_local, m.sent_at), m.subject, m.recovered,
                   coalesce(m.body_authored, m.body), group_concat(c.direction)
            from counted_messages c join messages m on m.id = c.message_id
            where {where} group by m.id order by m.sent_at, m.id""",
        params,
    ).fetchall()
    rows = [
        Row(
            id=mid,
            sent=sent,
            sender="",
            to=[],
            cc=[],
            bcc=[],
            subject=subject or "",
            direction=", ".join(figure.label(d) for d in sorted(set(directions.split(",")))),
            recovered=bool(recovered),
            first_lines=first_lines(body),
        )
        for mid, sent, subject, recovered, body, directions in found
    ]
    _fill(conn, rows)
    return Packet(figure, rows, *_corpus(conn), withheld=_withheld(conn, figure))


def first_lines(text: str | None, n: int = FIRST_LINES) -> list[str]:
    """The first `n` lines with words in them, each cut at LINE_CHARS."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = [line for line in lines if line][:n]
    return [line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…" for line in lines]


def _fill(conn: sqlite3.Connection, rows: list[Row]) -> None:
    """Each row's sender and recipients, and its copies, looked up a chunk of ids at a time."""
    by_id = {r.id: r for r in rows}
    ids = list(by_id)
    roles = "(" + ", ".join(f"'{r}'" for r in COUNTED_ROLES) + ")"
    order = "case role " + " ".join(f"when '{r}' then {i}" for i, r in enumerate(ROLES)) + " end"
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for mid, role, name, address in conn.execute(
            f"""select message_id, role, name, address from participants
                where message_id in ({marks}) and role in {roles}
                order by message_id, {order}, rowid""",
            chunk,
        ):
            row = by_id[mid]
            who = person(name, address)
            if role == "from":
                row.sender = f"{row.sender}; {who}" if row.sender else who
            else:
                getattr(row, role).append(who)
        for values in conn.execute(
            f"""select c.message_id, s.path, c.location, c.folder, c.pages, c.bates, c.document,
                       c.custodian, s.sha256, c.method
                from message_copies c left join sources s on s.id = c.source_id
                where c.message_id in ({marks}) order by c.message_id, c.rowid""",
            chunk,
        ):
            mid, path, location, folder, pages, bates, document, custodian, sha, method = values
            by_id[mid].copies.append(
                Copy(
                    file=path or "",
                    place=place(location, folder, pages, bates, document),
                    custodian=custodian or "",
                    sha256=sha or "",
                    method=method or "",
                )
            )


def person(name: str | None, address: str | None) -> str:
    """`Name <address>`, or whichever of them is known."""
    if name and address and name != address:
        return f"{name} <{address}>"
    return name or address or ""


def place(
    location: str | None,
    folder: str | None,
    pages: str | None,
    bates: str | None,
    document: str | None,
) -> str:
    """Where a copy is in its file, in words: the location as stored (byte offset and length,
    folder and file, page with its Bates number, the email it was quoted in), with the mail
    folder, pages, Bates range and document number it does not already say."""
    text = location or ""
    extra = []
    if folder and folder not in text:
        extra.append(f"folder {folder}")
    if pages and not text.startswith("page"):
        extra.append(f"pages {pages}")
    if bates and bates not in text:
        extra.append(f"Bates {bates}")
    if document and document not in text:
        extra.append(f"document {document}")
    return ", ".join([t for t in [text, *extra] if t])


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}


def _corpus(conn: sqlite3.Connection) -> tuple[str, str | None, dict | None]:
    """The corpus zone, when it was last ingested, and what a public build says of itself."""
    tables = _tables(conn)
    zone = None
    if "settings" in tables:
        found = conn.execute("select value from settings where key = 'timezone'").fetchone()
        zone = found[0] if found else None
    last = None
    if "ingest_runs" in tables:
        last = conn.execute("select max(started_at) from ingest_runs").fetchone()[0]
    public = None
    if "public_build" in tables:
        cursor = conn.execute("select * from public_build limit 1")
        row = cursor.fetchone()
        if row is not None:
            public = dict(zip([c[0] for c in cursor.description], row, strict=True))
    return zone or "UTC", last, public


def _withheld(conn: sqlite3.Connection, figure: Figure) -> int:
    """In a public build, the emails of the figure withheld for privacy (their rows are gone
    from messages, their count stands)."""
    if "withheld" not in _tables(conn):
        return 0
    where, params = count_filter(figure)
    return conn.execute(
        f"""select count(distinct c.message_id) from counted_messages c where {where}
            and c.message_id in (select message_id from withheld)""",
        params,
    ).fetchone()[0]
