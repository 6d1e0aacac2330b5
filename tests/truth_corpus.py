"""A corpus whose true counts are known by construction, for the count tests.

Three officials' offices (one official alone), two watched organizations (one with two domains,
one known by its domain only), a member with a personal address that only the roster ties to
her organization, and a member known only by name, who appears only on paper. The emails are
written as real files: one mbox per office (the sender's copy carries the Bcc; every recipient
office holds a copy too), a general mbox for the rest, a PDF of printouts (some only there, with
names and no addresses; some also in an mbox), and replies whose quoted history holds emails
that were never produced (recovered) or that were (quoted copies, which must not count twice).
Some headers name the same person twice (To twice, To and Cc), in other case or "Last, First".

`build(folder, seed)` writes the dump and the roster and returns the truth: each email with its
sender and recipients, and whether it is recovered. `expected(...)` computes every count from
that truth, independently of the code under test.
"""

from __future__ import annotations

import mailbox
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
EASTERN = timezone(timedelta(hours=-5))
ZONE = "Etc/GMT+5"  # the roster's corpus zone: UTC-5 all year, as EASTERN


@dataclass(frozen=True)
class P:
    name: str
    email: str | None  # None: known only by name (printouts, quotes)
    office: str | None = None
    org: str | None = None


OFFICIALS = {
    "Nadia Quill": [P("Nadia Quill", "nadia.quill@county.example", office="Nadia Quill")],
    "Oren Blackwood": [
        P("Oren Blackwood", "oren.blackwood@county.example", office="Oren Blackwood")
    ],
    "Petra Lindqvist": [
        P("Petra Lindqvist", "petra.lindqvist@county.example", office="Petra Lindqvist")
    ],
}
STAFF = [
    P("Tobias Renn", "tobias.renn@county.example", office="Nadia Quill"),
    P("Ula Maddox", "ula.maddox@county.example", office="Oren Blackwood"),
    P("Victor Sahin", "v.sahin@county.example", office="Oren Blackwood"),
]
HFA = "Harbor Families Alliance"
CBC = "Coastal Builders Council"
MEMBERS = [
    P("Wren Castellano", "wren@hfa.example", org=HFA),
    P("Inés Ortúzar", "ines@harborfamilies.example", org=HFA),  # the second domain
    P("Yusuf Adeyemi", "yusuf.adeyemi@mailbox.example", org=HFA),  # personal: roster only
    P("Zofia Kowalczyk", None, org=HFA),  # only ever printed or quoted by name
    P("Ann Brody", "ann@cbc.example", org=CBC),  # not in the roster: her domain says
    P("Bo Lindgren", "bo@cbc.example", org=CBC),
]
OTHERS = [
    P("Gil Ferreira", "gil@elsewhere.example"),
    P("Clerk of the Board", "clerk@county.example"),
]
for staffer in STAFF:
    OFFICIALS[staffer.office].append(staffer)
OFFICE_PEOPLE = [p for people in OFFICIALS.values() for p in people]
EVERYONE = OFFICE_PEOPLE + MEMBERS + OTHERS

ROSTER = """\
timezone: Etc/GMT+5
officials:
  - name: Nadia Quill
    emails: [nadia.quill@county.example]
    aliases: ["Quill, Nadia"]
    staff:
      - name: Tobias Renn
        emails: [tobias.renn@county.example]
  - name: Oren Blackwood
    emails: [oren.blackwood@county.example]
    staff:
      - name: Ula Maddox
        emails: [ula.maddox@county.example]
      - name: Victor Sahin
        emails: [v.sahin@county.example]
  - name: Petra Lindqvist
    emails: [petra.lindqvist@county.example]
organizations:
  - name: Harbor Families Alliance
    domains: [hfa.example, harborfamilies.example]
    people:
      - name: Wren Castellano
        emails: [wren@hfa.example]
      - name: Inés Ortúzar
      - name: Yusuf Adeyemi
        emails: [yusuf.adeyemi@mailbox.example]
      - name: Zofia Kowalczyk
  - name: Coastal Builders Council
    domains: [cbc.example]
"""


@dataclass
class Email:
    n: int
    sender: P
    to: list[P]
    cc: list[P] = field(default_factory=list)
    bcc: list[P] = field(default_factory=list)
    sent: datetime = datetime(2025, 1, 1, tzinfo=UTC)
    subject: str = ""
    body: str = ""
    where: str = "mbox"  # mbox, pdf (only printed), quoted (only in another email's quote)
    also_printed: bool = False
    quotes: Email | None = None  # the email whose text this one quotes (Outlook style)
    doubled: str | None = None  # "to-twice" or "to-and-cc": the same person twice

    @property
    def recovered(self) -> bool:
        return self.where == "quoted"

    def recipients(self) -> set[P]:
        return {*self.to, *self.cc, *self.bcc} - {self.sender}

    @property
    def message_id(self) -> str:
        return f"<truth.{self.n}@mail.example>"


def _plan(rng: random.Random) -> list[Email]:
    emails: list[Email] = []
    start = datetime(2025, 1, 2, 8, 0, tzinfo=EASTERN)
    addressed = [p for p in EVERYONE if p.email]

    def email(where: str, people: list[P], zone=EASTERN, **kw) -> Email:
        n = len(emails) + 1
        sender = kw.pop("sender", None) or rng.choice(people)
        pool = [p for p in people if p != sender]
        k = rng.randint(1, 3)
        chosen = rng.sample(pool, min(k, len(pool)))
        to, cc = chosen[:1], chosen[1:]
        # Up to 23:00 local: late emails fall on the next day in UTC (and a month's last day
        # in the next month).
        offset = timedelta(days=rng.randint(0, 175), minutes=rng.randint(0, 900))
        sent = (start + offset).astimezone(zone)
        topic = rng.choice(["Zoning", "Budget", "Ferry schedule", "Library hours", "Permits"])
        e = Email(
            n,
            sender,
            to,
            cc,
            sent=sent.replace(second=0),
            subject=f"{topic} #{n}",
            body=f"Item {n} of the record: about {topic.lower()}, case {rng.randint(100, 999)}.\n"
            "Please see the notes below and reply when you can.\n",
            where=where,
            **kw,
        )
        emails.append(e)
        return e

    # Email between the groups and everyone else; Bcc only from an office (its Sent folder).
    for _ in range(110):
        e = email("mbox", addressed)
        if e.sender.office and rng.random() < 0.25:
            e.bcc = [rng.choice([p for p in addressed if p not in (e.sender, *e.to, *e.cc)])]
        if rng.random() < 0.1:
            e.doubled = rng.choice(["to-twice", "to-and-cc"])
    # Heavier traffic between the alliance and Quill's office.
    hfa = [p for p in MEMBERS if p.org == HFA and p.email]
    for _ in range(30):
        sender = rng.choice(hfa + OFFICIALS["Nadia Quill"])
        other = OFFICIALS["Nadia Quill"] if sender.org else hfa
        e = email("mbox", [sender, *other], sender=sender)
        e.cc = [p for p in e.cc if p != sender]
    # Printed only: names, no addresses (Zofia is only ever a name).
    named = [p for p in EVERYONE if p.org == HFA or p.office]
    for _ in range(10):
        email("pdf", named)
    # Printed and also in an mbox: one message.
    for e in rng.sample([e for e in emails if e.where == "mbox" and not e.bcc], 6):
        e.also_printed = True
    # Never produced; known only from the quoted history of a reply that was. Times in UTC:
    # the quoted header prints no zone, and is read as UTC.
    for _ in range(8):
        hidden = email("quoted", named, zone=UTC)
        reply = email("mbox", addressed)
        reply.quotes = hidden
    # Replies that quote an email that was produced: a quoted copy, not a second message.
    for target in rng.sample([e for e in emails if e.where == "mbox" and not e.quotes], 10):
        reply = email("mbox", addressed)
        reply.quotes = target
    return emails


def _display(p: P, rng: random.Random) -> str:
    if p.office == p.name and rng.random() < 0.3:
        first, last = p.name.split()[0], p.name.split()[-1]
        address = p.email.upper() if rng.random() < 0.5 else p.email
        return f'"{last}, {first}" <{address}>'
    return f"{p.name} <{p.email}>"


def _outlook_quote(q: Email) -> str:
    def who(p: P) -> str:
        return f"{p.name} <{p.email}>" if p.email else p.name

    lines = [
        "-----Original Message-----",
        f"From: {who(q.sender)}",
        f"Sent: {q.sent.strftime('%A, %B %d, %Y %I:%M %p')}",
        f"To: {'; '.join(who(p) for p in q.to)}",
    ]
    if q.cc:
        lines.append(f"Cc: {'; '.join(who(p) for p in q.cc)}")
    lines += [f"Subject: {q.subject}", "", q.body]
    return "\n".join(lines)


def _message(e: Email, rng: random.Random, with_bcc: bool) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = _display(e.sender, rng)
    to = [_display(p, rng) for p in e.to]
    cc = [_display(p, rng) for p in e.cc]
    if e.doubled == "to-twice":
        to.append(_display(e.to[0], rng))
    elif e.doubled == "to-and-cc":
        cc.append(_display(e.to[0], rng))
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if with_bcc and e.bcc:
        msg["Bcc"] = ", ".join(_display(p, rng) for p in e.bcc)
    msg["Subject"] = e.subject
    msg["Date"] = format_datetime(e.sent)
    msg["Message-ID"] = e.message_id
    body = e.body
    if e.quotes is not None:
        body = f"{body}\n{_outlook_quote(e.quotes)}"
    msg.set_content(body)
    return msg


def build(folder: Path, seed: int = 7) -> list[Email]:
    """Write the dump and roster.yaml into `folder`; return the emails (the truth)."""
    rng = random.Random(seed)
    emails = _plan(rng)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.yaml").write_text(ROSTER, encoding="utf-8")
    dump = folder / "dump"
    dump.mkdir()
    boxes: dict[str, mailbox.mbox] = {}

    def box(name: str) -> mailbox.mbox:
        if name not in boxes:
            boxes[name] = mailbox.mbox(dump / f"{name}.mbox")
        return boxes[name]

    for e in emails:
        if e.where != "mbox":
            continue
        held = {p.office for p in (e.sender, *e.recipients()) if p.office}
        for office in sorted(held) or ["general"]:
            sender_copy = office == e.sender.office
            box(office.split()[-1].lower() if office != "general" else office).add(
                _message(e, rng, with_bcc=sender_copy)
            )
    for b in boxes.values():
        b.close()
    _print([e for e in emails if e.where == "pdf" or e.also_printed], dump / "production.pdf")
    return emails


def _print(emails: list[Email], path: Path) -> None:
    sys.path.insert(0, str(ROOT / "sample"))
    from printout import Page, text_pdf

    pages = []
    for n, e in enumerate(emails):
        # Paper shows names: an address only when the email was machine-made too.
        def who(p: P, e: Email = e) -> str:
            return f"{p.name} <{p.email}>" if e.also_printed else p.name

        lines = [
            f"From: {who(e.sender)}",
            "Sent: " + e.sent.strftime("%A, %B %d, %Y %I:%M %p ") + "-0500",
            "To: " + "; ".join(who(p) for p in e.to),
        ]
        if e.cc:
            lines.append("Cc: " + "; ".join(who(p) for p in e.cc))
        lines += [f"Subject: {e.subject}", "", *e.body.splitlines()]
        pages.append(Page(lines=lines, bates=f"CTY-{n + 1:05d}"))
    text_pdf(pages, path)


# -- the truth -----------------------------------------------------------------------------------


def groups_of(p: P) -> set[str]:
    return {g for g in (p.office and f"office:{p.office}", p.org and f"org:{p.org}") if g}


def expected(emails: list[Email], include_recovered: bool = False) -> dict:
    """Every count, from the construction alone."""
    office_pairs: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    group: dict[tuple[str, str], set[int]] = defaultdict(set)
    person: dict[tuple[str, str], set[int]] = defaultdict(set)
    pair: dict[tuple[str, str], set[int]] = defaultdict(set)
    # Dates in the corpus zone (the roster's: UTC-5, as the emails are written); a time printed
    # without its zone (quoted headers) is read in that zone: its wall clock is its local time.
    zone = ZoneInfo(ZONE)
    when = {
        e.n: e.sent.replace(tzinfo=zone) if e.sent.tzinfo == UTC else e.sent.astimezone(zone)
        for e in emails
    }
    for e in emails:
        if e.recovered and not include_recovered:
            continue
        s = e.sender
        for r in e.recipients():
            person[(s.name, "sent")].add(e.n)
            person[(r.name, "received")].add(e.n)
            pair[(s.name, r.name)].add(e.n)
            gs, gr = groups_of(s), groups_of(r)
            for g in gs - gr:
                group[(g, "sent")].add(e.n)
            for g in gr - gs:
                group[(g, "received")].add(e.n)
            if s.org and r.office:
                office_pairs[(s.org, r.office, "org_to_office")].add(e.n)
            if s.office and r.org:
                office_pairs[(r.org, s.office, "office_to_org")].add(e.n)
    offices = {}
    for org in (HFA, CBC):
        for official in OFFICIALS:
            a = office_pairs[(org, official, "org_to_office")]
            b = office_pairs[(org, official, "office_to_org")]
            days = sorted(when[n] for n in a | b)
            months: dict[str, int] = defaultdict(int)
            for n in a | b:
                months[when[n].strftime("%Y-%m")] += 1
            offices[(org, official)] = {
                "org_to_office": len(a),
                "office_to_org": len(b),
                "total": len(a | b),
                "first": days[0].date().isoformat() if days else None,
                "last": days[-1].date().isoformat() if days else None,
                "by_month": dict(sorted(months.items())),
            }
    return {
        "offices": offices,
        "groups": {k: len(v) for k, v in group.items()},
        "persons": {k: len(v) for k, v in person.items()},
        "pairs": {k: len(v) for k, v in pair.items()},
    }
