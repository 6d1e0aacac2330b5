"""A generated production whose true roster is known, for the roster draft's tests.

The invented Cedar Basin Water District: five trustees (two named Hartley), their staff, two
watched organizations, residents. Everyone is fictional. What the staff do, as staff do:

- they sign with their office, each in a form of their own: the official's title ("Chief of
  Staff to the Board President"), full name ("Office of Trustee Imogen Hartley"), last name
  ("Policy Aide to Trustee Obi"; "Aide to Trustee Hartley", which two trustees share), a
  possessive ("Scheduler | Quintero's Office"); not on every email;
- they copy their official on part of their mail; one writes "on behalf of Trustee Obi" and
  forwards her mail; one, quiet, only ever copies his official a little.

The decoys: a staff member of Obi who writes to Quintero often; a resident whose subjects,
text and signature mention trustees in other senses ("Re: Trustee Hartley's motion",
"Coordinator, Friends of Nadia Obi"); the board's clerk, who copies every trustee (the
president a little more); a resident who copies Obi from a personal address; an
organization's member who also writes from a personal address (signing with its name, or not),
and another who only does.

`build(folder, seed)` writes `production.mbox` and returns the truth: the emails, the staff
(name -> official), the organizations' people (name -> organization) and the known roster
(what a reporter knows on day one: the officials and the organizations' domains).
"""

from __future__ import annotations

import mailbox
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DISTRICT = "cedarbasin.example"
HOME = "homemail.example"  # a personal mail provider
GROWERS = "Valley Growers Coalition"
BUILDERS = "Basin Builders Association"


@dataclass(frozen=True)
class P:
    name: str
    email: str
    office: str | None = None  # the official whose office they are in (officials: themselves)
    org: str | None = None
    signs: tuple[str, ...] = ()  # lines under their name (one chosen per email)
    sign_rate: float = 0.0
    copy_rate: float = 0.0  # how often they copy their official


OFFICIALS = [
    P("Imogen Hartley", f"imogen.hartley@{DISTRICT}", office="Imogen Hartley"),
    P("Felix Hartley", f"felix.hartley@{DISTRICT}", office="Felix Hartley"),
    P("Nadia Obi", f"nadia.obi@{DISTRICT}", office="Nadia Obi"),
    P("Rafael Quintero", f"rafael.quintero@{DISTRICT}", office="Rafael Quintero"),
    P("Mei Tanaka", f"mei.tanaka@{DISTRICT}", office="Mei Tanaka"),
]
TITLES = {
    "Imogen Hartley": "Board President",
    "Felix Hartley": "Trustee, Division 2",
    "Nadia Obi": "Trustee, Division 3",
    "Rafael Quintero": "Trustee, Division 4",
    "Mei Tanaka": "Trustee, Division 5",
}
STAFF = [
    P("Theo Brandvold", f"theo.brandvold@{DISTRICT}", office="Imogen Hartley",
      signs=("Chief of Staff to the Board President",), sign_rate=0.8, copy_rate=0.3),
    P("Lena Voss", f"lena.voss@{DISTRICT}", office="Imogen Hartley",
      signs=("Executive Assistant, Office of Trustee Imogen Hartley",), sign_rate=0.7,
      copy_rate=0.5),
    P("Sam Whitcombe", f"sam.whitcombe@{DISTRICT}", office="Felix Hartley",
      signs=("Aide to Trustee Hartley",), sign_rate=0.9, copy_rate=0.4),
    P("Priscilla Tran", f"priscilla.tran@{DISTRICT}", office="Nadia Obi",
      signs=("Policy Aide to Trustee Obi",), sign_rate=0.8, copy_rate=0.3),
    P("Jonah Pike", f"jonah.pike@{DISTRICT}", office="Nadia Obi", copy_rate=0.5),
    P("Dev Malhotra", f"dev.malhotra@{DISTRICT}", office="Rafael Quintero",
      signs=("Scheduler | Quintero's Office", "Scheduler to Rafael Quintero"), sign_rate=0.8,
      copy_rate=0.2),
    P("Ruth Ng", f"ruth.ng@{DISTRICT}", office="Rafael Quintero"),  # quiet: see _quiet
]  # fmt: skip
MEMBERS = [
    P("Odette Marsh", "odette@valleygrowers.example", org=GROWERS,
      signs=(GROWERS,), sign_rate=0.5),
    P("Bram Keller", "bram@valleygrowers.example", org=GROWERS,
      signs=(f"Policy Director, {GROWERS}",), sign_rate=0.6),
    P("Curtis Lowe", "curtis@basinbuilders.example", org=BUILDERS, signs=(BUILDERS,),
      sign_rate=0.5),
]  # fmt: skip
# The same Odette, from home; and a member who only ever writes from home.
ODETTE_HOME = P("Odette Marsh", f"odette.marsh@{HOME}", org=GROWERS, signs=(GROWERS,),
                sign_rate=0.5)  # fmt: skip
# Bram, now and then from home, never signing there: only his name says it is him.
BRAM_HOME = P("Bram Keller", f"bram.keller@{HOME}", org=GROWERS)
YARA = P("Yara Haddad", f"yara.h@{HOME}", org=GROWERS,
         signs=(f"Outreach Lead, {GROWERS}",), sign_rate=0.9)  # fmt: skip
RESIDENTS = [
    P("Harold Beck", f"harold.beck@{HOME}",
      signs=("Coordinator, Friends of Nadia Obi",), sign_rate=1.0),
    P("Wanda Ortiz", f"wanda.ortiz@{HOME}"),
    P("Gus Ferrante", "gus@ferrante-farms.example"),
]  # fmt: skip
CLERK = P("Clerk of the Board", f"clerk@{DISTRICT}", signs=("Cedar Basin Water District",),
          sign_rate=1.0)  # fmt: skip
DISTRICT_OTHERS = [P("Engineering Desk", f"engineering@{DISTRICT}"), CLERK]
TOPICS = ["Groundwater allocation", "Rate study", "Recharge basin", "Capital plan", "Drought rules"]
LINES = [
    "Can we find time this week?",
    "The draft is attached to the agenda packet.",
    "Please send the latest numbers when you have them.",
    "Our members are watching this item closely.",
    "Thanks for the quick turnaround.",
    "Let's talk before the committee meets.",
]


@dataclass
class Email:
    message_id: str
    sender: P
    to: list[P]
    cc: list[P]
    subject: str
    sent: datetime
    body: str
    in_reply_to: str | None = None
    people: list[P] = field(default_factory=list)


def office_of(name: str) -> list[P]:
    return [p for p in OFFICIALS + STAFF if p.office == name]


def _official(name: str) -> P:
    return next(p for p in OFFICIALS if p.name == name)


class _Plan:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.emails: list[Email] = []
        self.start = datetime(2025, 2, 3, 8, 0, tzinfo=UTC)

    def when(self) -> datetime:
        r = self.rng
        return self.start + timedelta(days=r.randint(0, 150), hours=r.randint(0, 9),
                                      minutes=r.randint(0, 59))  # fmt: skip

    def signature(self, p: P) -> str:
        lines = [p.name]
        if p.signs and self.rng.random() < p.sign_rate:
            lines.append(self.rng.choice(p.signs))
        return "\n\n" + "\n".join(lines) + "\n"

    def add(self, sender: P, to: list[P], cc: list[P], subject: str | None = None,
            text: str | None = None) -> Email:  # fmt: skip
        n = len(self.emails) + 1
        body = (text or " ".join(self.rng.sample(LINES, 2))) + self.signature(sender)
        email = Email(
            f"<{n:05d}.{self.rng.getrandbits(32):08x}@mail.cedar.example>",
            sender, to, cc, subject or self.rng.choice(TOPICS), self.when(), body,
        )  # fmt: skip
        self.emails.append(email)
        return email

    def staff_mail(self, staffer: P, n: int, to_pool: list[P]) -> None:
        """A staffer's own mail, copying their official on part of it."""
        official = _official(staffer.office)
        for _ in range(n):
            cc = [official] if self.rng.random() < staffer.copy_rate else []
            self.add(staffer, [self.rng.choice(to_pool)], cc)


def _story(plan: _Plan) -> None:
    """The organizations and the offices: Valley Growers often with Imogen Hartley's and Obi's
    offices, a little with Felix Hartley's; Basin Builders with Quintero's; none with Tanaka."""
    rng = plan.rng
    growers = [MEMBERS[0], MEMBERS[1], ODETTE_HOME, YARA]
    for official, n in (("Imogen Hartley", 22), ("Nadia Obi", 18), ("Felix Hartley", 3)):
        for _ in range(n):
            sender = rng.choice(growers)
            first = plan.add(sender, [rng.choice(office_of(official))], [])
            if rng.random() < 0.6:
                replier = first.to[0]
                plan.add(replier, [sender], [], "RE: " + first.subject)
    for _ in range(8):
        first = plan.add(MEMBERS[2], [rng.choice(office_of("Rafael Quintero")[:2])], [])
        if rng.random() < 0.5:
            plan.add(first.to[0], [MEMBERS[2]], [], "RE: " + first.subject)


def _staff(plan: _Plan) -> None:
    district_pool = DISTRICT_OTHERS + RESIDENTS
    for staffer in STAFF[:-1]:
        plan.staff_mail(staffer, 14, district_pool)
    # Jonah Pike signs with his name alone: he writes on behalf of Obi and forwards her mail.
    obi = _official("Nadia Obi")
    for _ in range(3):
        plan.add(STAFF[4], [plan.rng.choice(RESIDENTS)], [],
                 text="On behalf of Trustee Obi, thank you for your comments at Tuesday's "
                 "meeting. She will follow up.")  # fmt: skip
    for _ in range(2):
        original = plan.add(obi, [STAFF[4]], [], "Recharge basin tour")
        stamp = format_datetime(original.sent)
        forwarded = (
            "Please see below from the Trustee.\n\n---------- Forwarded message ---------\n"
            f"From: {obi.name} <{obi.email}>\nDate: {stamp}\nSubject: {original.subject}\n"
            f"To: {STAFF[4].name} <{STAFF[4].email}>\n\n{original.body}"
        )
        plan.add(STAFF[4], [plan.rng.choice(RESIDENTS)], [], "Fwd: " + original.subject,
                 text=forwarded)  # fmt: skip
    # Ruth Ng, quiet: five emails, her official copied on two, no signature but her name.
    quintero = _official("Rafael Quintero")
    for k in range(5):
        plan.add(STAFF[6], [DISTRICT_OTHERS[0]], [quintero] if k < 2 else [])


def _decoys(plan: _Plan) -> None:
    rng = plan.rng
    quintero, obi = _official("Rafael Quintero"), _official("Nadia Obi")
    # Obi's policy aide writes to Quintero often (To, never Cc).
    for _ in range(12):
        plan.add(STAFF[3], [quintero], [], "Joint committee items")
    # A resident whose subjects and text name trustees in other senses.
    harold = RESIDENTS[0]
    for k in range(6):
        plan.add(harold, [rng.choice(OFFICIALS)], [],
                 "Re: Trustee Hartley's motion" if k % 2 else "Trustee Obi's proposal",
                 "I'm writing about Trustee Hartley's motion on the rate study. On behalf "
                 "of the Parents Council regarding Trustee Obi's proposal, we object.")  # fmt: skip
    # The clerk copies every trustee on the board's notices.
    for _ in range(10):
        plan.add(CLERK, [rng.choice(RESIDENTS)], list(OFFICIALS), "Notice of special meeting")
    # A resident copies Obi from a personal address, often.
    for _ in range(6):
        plan.add(RESIDENTS[1], [DISTRICT_OTHERS[0]], [obi], "Well permit question")
    # The trustees among themselves.
    for _ in range(20):
        a, b = rng.sample(OFFICIALS, 2)
        plan.add(a, [b], [], "Board calendar")
    # The clerk copies the Board President on a few more (her agenda items).
    for _ in range(3):
        plan.add(CLERK, [rng.choice(RESIDENTS)], [OFFICIALS[0]], "Agenda item received")
    # Bram writes to Obi's office from home.
    for _ in range(3):
        plan.add(BRAM_HOME, [rng.choice(office_of("Nadia Obi"))], [], "Weekend tour")


def _message(e: Email) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = Address(e.sender.name, addr_spec=e.sender.email)
    msg["To"] = [Address(p.name, addr_spec=p.email) for p in e.to]
    if e.cc:
        msg["Cc"] = [Address(p.name, addr_spec=p.email) for p in e.cc]
    msg["Subject"] = e.subject
    msg["Date"] = format_datetime(e.sent)
    msg["Message-ID"] = e.message_id
    msg.set_content(e.body)
    return msg


def known_roster() -> str:
    """What the reporter knows: the officials (names, titles, addresses) and the
    organizations (names, domains)."""
    lines = ["officials:"]
    for p in OFFICIALS:
        lines += [
            f"  - name: {p.name}",
            f'    title: "{TITLES[p.name]}"',
            f"    emails: [{p.email}]",
        ]
    lines += [
        "organizations:",
        f"  - name: {GROWERS}",
        "    domains: [valleygrowers.example]",
        f"  - name: {BUILDERS}",
        "    domains: [basinbuilders.example]",
    ]
    return "\n".join(lines) + "\n"


def true_roster() -> str:
    """The roster as it truly is: the known one with every staff member and person."""
    lines = ["officials:"]
    for p in OFFICIALS:
        lines += [
            f"  - name: {p.name}",
            f'    title: "{TITLES[p.name]}"',
            f"    emails: [{p.email}]",
        ]
        staff = [s for s in STAFF if s.office == p.name]
        if staff:
            lines.append("    staff:")
            lines += [f"      - {{name: {s.name}, emails: [{s.email}]}}" for s in staff]
    lines += ["organizations:"]
    for org, domain in ((GROWERS, "valleygrowers.example"), (BUILDERS, "basinbuilders.example")):
        lines += [f"  - name: {org}", f"    domains: [{domain}]", "    people:"]
        for name in dict.fromkeys(
            p.name for p in [*MEMBERS, ODETTE_HOME, BRAM_HOME, YARA] if p.org == org
        ):
            emails = [p.email for p in [*MEMBERS, ODETTE_HOME, BRAM_HOME, YARA] if p.name == name]
            lines.append(f"      - {{name: {name}, emails: [{', '.join(emails)}]}}")
    return "\n".join(lines) + "\n"


def build(folder: Path, seed: int = 7) -> dict:
    plan = _Plan(seed)
    _story(plan)
    _staff(plan)
    _decoys(plan)
    plan.emails.sort(key=lambda e: e.sent)
    folder.mkdir(parents=True, exist_ok=True)
    box = mailbox.mbox(folder / "production.mbox")
    for e in plan.emails:
        entry = mailbox.mboxMessage(_message(e))
        entry.set_from(e.sender.email, e.sent.timetuple())
        box.add(entry)
    box.close()
    return {
        "emails": plan.emails,
        "staff": {s.name: s.office for s in STAFF},
        "members": {p.name: p.org for p in [*MEMBERS, ODETTE_HOME, BRAM_HOME, YARA]},
    }


def expected_office_contacts(emails: list[Email]) -> dict[tuple[str, str], tuple[int, int]]:
    """The canonical table from the truth: (organization, official) -> (org to office, office
    to org), a message counted once however many of the office or organization it reaches."""
    out = {}
    people = [*MEMBERS, ODETTE_HOME, BRAM_HOME, YARA]
    for org in (GROWERS, BUILDERS):
        mine = {p.email for p in people if p.org == org}
        for official in OFFICIALS:
            office = {p.email for p in office_of(official.name)}
            to_office = sum(
                1
                for e in emails
                if e.sender.email in mine and office & {p.email for p in e.to + e.cc}
            )
            to_org = sum(
                1
                for e in emails
                if e.sender.email in office and mine & {p.email for p in e.to + e.cc}
            )
            out[(org, official.name)] = (to_office, to_org)
    return out
