"""Make the fictional sample dump the README's demo runs on.

Everyone in it is invented: the Lakemont Unified School District, its seven board members and
their staff, the advocacy group Better Schools Now, a reporter, parents and a vendor. The story
it holds is the canonical one: Better Schools Now's director and staff write often to the offices
of two board members (Whitfield and Okafor) and barely to four others (none to Moreno).

    python sample/make_sample.py            # writes sample/dump/ (deterministic)

`build(folder)` returns the truth the tests check against: each email, who sent it to whom, and
which custodians' files hold a copy.
"""

from __future__ import annotations

import mailbox
import random
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
PACIFIC = ZoneInfo("America/Los_Angeles")
DISTRICT = "lakemontusd.example"
BSN = "betterschoolsnow.example"


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    office: str | None = None  # the board member whose office they belong to
    org: str | None = None
    role: str | None = None  # the line under their name in their signature


BOARD = [
    Person("Dana Whitfield", f"dana.whitfield@{DISTRICT}", office="Dana Whitfield"),
    Person("Samuel Okafor", f"samuel.okafor@{DISTRICT}", office="Samuel Okafor"),
    Person("Helen Brandt", f"helen.brandt@{DISTRICT}", office="Helen Brandt"),
    Person("Tomás Castrejón", f"tomas.castrejon@{DISTRICT}", office="Tomás Castrejón"),
    Person("Grace Liu", f"grace.liu@{DISTRICT}", office="Grace Liu"),
    Person("Robert Farrow", f"robert.farrow@{DISTRICT}", office="Robert Farrow"),
    Person("Angela Moreno", f"angela.moreno@{DISTRICT}", office="Angela Moreno"),
]
STAFF = [
    # Staff sign with their office, each in a way of their own (what `roster draft` reads).
    Person(
        "Marcus Lee",
        f"marcus.lee@{DISTRICT}",
        office="Dana Whitfield",
        role="Chief of Staff to Trustee Dana Whitfield",
    ),
    Person(
        "Priya Natarajan",
        f"priya.natarajan@{DISTRICT}",
        office="Samuel Okafor",
        role="Executive Assistant, Office of Trustee Okafor",
    ),
    Person(
        "Owen Pritchard",
        f"owen.pritchard@{DISTRICT}",
        office="Helen Brandt",
        role="Aide to Board Member Brandt",
    ),
]
ADVOCATES = [
    Person("Rosa Ibáñez", f"rosa@{BSN}", org="Better Schools Now"),
    Person("Kevin Doyle", f"kdoyle@{BSN}", org="Better Schools Now"),
    Person("Amara Sesay", f"asesay@{BSN}", org="Better Schools Now"),
]
OTHERS = [
    Person("Jenna Park", "jpark@lakemontledger.example", org="Lakemont Ledger"),
    Person("Luis Romero", "luis.romero@parentmail.example"),
    Person("Bettina Hallström", "bettina.h@parentmail.example"),
    Person("Carl Vance", "cvance@brightpathlearning.example", org="Brightpath Learning"),
    Person("Superintendent's Office", f"superintendent@{DISTRICT}"),
]
TOPICS = [
    ("Charter expansion vote", "the charter expansion item on the March agenda"),
    ("Facilities bond", "the facilities bond language"),
    ("Budget workshop", "the budget workshop and the reserve numbers"),
    ("Reading curriculum", "the reading curriculum pilot"),
    ("Enrollment projections", "the enrollment projections for next fall"),
    ("Parent survey results", "the parent survey results"),
    ("Meeting request", "a meeting next week"),
]
LINES = [
    "Thanks for making time for this.",
    "Could we talk before the board meeting?",
    "I've attached the draft we discussed.",
    "Our members have been asking about this for weeks.",
    "Happy to send more detail if that helps.",
    "Let me check with the team and get back to you.",
    "We'd like to present at the next public comment session.",
    "The numbers in the staff report don't match what we were told.",
    "From what I understand, the vote could move to April.",
    "Please keep this between us until the agenda is posted.",
]


@dataclass
class Email:
    message_id: str
    sender: Person
    to: list[Person]
    cc: list[Person]
    subject: str
    sent: datetime
    body: str
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    attachment: tuple[str, str, bytes] | None = None  # name, type, bytes

    def people(self) -> list[Person]:
        return [self.sender, *self.to, *self.cc]


def _signature(p: Person) -> str:
    return f"\n\n{p.name}\n" + (f"{p.role}\n" if p.role else "") + (f"{p.org}\n" if p.org else "")


def _plan(rng: random.Random) -> list[Email]:
    """The emails: who writes to whom, when, about what; threads with quoted replies."""
    emails: list[Email] = []
    start = datetime(2025, 1, 6, 9, 0, tzinfo=PACIFIC)
    counter = 0

    def new_id() -> str:
        nonlocal counter
        counter += 1
        return f"<{rng.getrandbits(48):012x}.{counter}@mail.sample.example>"

    def when() -> datetime:
        return start + timedelta(
            days=rng.randint(0, 170), hours=rng.randint(0, 9), minutes=rng.randint(0, 59)
        )

    def office(name: str) -> list[Person]:
        return [p for p in BOARD + STAFF if p.office == name]

    def thread(sender: Person, to: list[Person], cc: list[Person], replies: int) -> None:
        topic, about = rng.choice(TOPICS)
        first = Email(
            new_id(),
            sender,
            to,
            cc,
            topic,
            when(),
            f"Hello,\n\nI wanted to follow up on {about}. {rng.choice(LINES)}" + _signature(sender),
        )
        if rng.random() < 0.15:
            first.attachment = (
                "notes.csv",
                "text/csv",
                f"item,owner\n{about},{sender.name}\n".encode(),
            )
        emails.append(first)
        prev = first
        for _ in range(replies):
            replier = rng.choice([p for p in prev.to if p != prev.sender] or [prev.sender])
            sent = prev.sent + timedelta(hours=rng.randint(1, 40), minutes=rng.randint(0, 59))
            text = f"{rng.choice(LINES)} {rng.choice(LINES)}" + _signature(replier)
            if rng.random() < 0.5:  # Gmail style
                stamp = prev.sent.strftime("%a, %b %d, %Y at %I:%M %p")
                quoted = "\n".join("> " + line for line in prev.body.splitlines())
                who = f"{prev.sender.name} <{prev.sender.email}>"
                body = f"{text}\n\nOn {stamp} {who} wrote:\n{quoted}"
            else:  # Outlook style
                body = (
                    f"{text}\n\n-----Original Message-----\nFrom: {prev.sender.name}\n"
                    f"Sent: {prev.sent.strftime('%A, %B %d, %Y %I:%M %p')}\n"
                    f"To: {'; '.join(p.name for p in prev.to)}\n"
                    f"Subject: {prev.subject}\n\n{prev.body}"
                )
            reply = Email(
                new_id(),
                replier,
                [prev.sender],
                [],
                "RE: " + topic if not prev.subject.startswith("RE: ") else prev.subject,
                sent,
                body,
                in_reply_to=prev.message_id,
                references=[*prev.references, prev.message_id],
            )
            emails.append(reply)
            prev = reply

    # The story: Better Schools Now and the offices of Whitfield and Okafor, often.
    for name, n in (("Dana Whitfield", 40), ("Samuel Okafor", 32)):
        for _ in range(n):
            sender = rng.choice(ADVOCATES)
            to = [rng.choice(office(name))]
            cc = [p for p in ADVOCATES if p != sender and rng.random() < 0.3]
            thread(sender, to, cc, rng.choice([0, 1, 1, 2]))
    # ... and barely with four others; never with Moreno.
    for name in ("Helen Brandt", "Tomás Castrejón", "Grace Liu", "Robert Farrow"):
        for _ in range(rng.randint(1, 2)):
            thread(ADVOCATES[0], [office(name)[0]], [], 0)
    # The rest of the district's mail: the board among itself, press, parents, a vendor.
    everyone = BOARD + STAFF + OTHERS
    for _ in range(110):
        sender = rng.choice(everyone)
        to = rng.sample([p for p in BOARD + STAFF if p != sender], rng.randint(1, 3))
        thread(sender, to, [], rng.choice([0, 0, 1]))
    emails.sort(key=lambda e: e.sent)
    return emails


def _to_message(e: Email) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = Address(e.sender.name, addr_spec=e.sender.email)
    msg["To"] = [Address(p.name, addr_spec=p.email) for p in e.to]
    if e.cc:
        msg["Cc"] = [Address(p.name, addr_spec=p.email) for p in e.cc]
    msg["Subject"] = e.subject
    msg["Date"] = format_datetime(e.sent)
    msg["Message-ID"] = e.message_id
    if e.in_reply_to:
        msg["In-Reply-To"] = e.in_reply_to
        msg["References"] = " ".join(e.references)
    msg.set_content(e.body)
    if e.attachment:
        name, ctype, data = e.attachment
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def _holders(e: Email) -> set[str]:
    """Which custodians' files hold a copy of this email."""
    names = {p.email for p in e.people()}
    held = set()
    if "dana.whitfield@lakemontusd.example" in names:
        held.add("whitfield")
    if "marcus.lee@lakemontusd.example" in names:
        held.add("lee")
    if names & {"samuel.okafor@lakemontusd.example", "priya.natarajan@lakemontusd.example"}:
        held.add("okafor")
    if not held:
        held.add("records-office")  # the district's general production
    return held


def build(folder: Path) -> dict:
    """Write the dump into `folder` (replacing it); return the truth about it."""
    rng = random.Random(20250301)
    random.seed(20250301)  # the stdlib's MIME boundaries come from the global generator
    emails = _plan(rng)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    copies: dict[str, list[str]] = {}
    box = mailbox.mbox(folder / "whitfield.mbox")
    maildir = folder / "lee"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    okafor: list[tuple[str, bytes]] = []
    printed: list[Email] = []
    office = folder / "records-office"
    office.mkdir()
    for n, e in enumerate(emails):
        msg = _to_message(e)
        data = bytes(msg)
        held = sorted(_holders(e))
        copies[e.message_id.strip("<>")] = held
        for who in held:
            if who == "whitfield":
                entry = mailbox.mboxMessage(msg)
                entry.set_from(e.sender.email, e.sent.astimezone(UTC).timetuple())
                box.add(entry)
            elif who == "lee":
                # The staffer read most of it: in cur/ with the Seen flag, as mail programs do.
                where = "cur" if n % 4 else "new"
                name = f"{1736000000 + n}.{n:04d}.lakemont" + (":2,S" if where == "cur" else "")
                (maildir / where / name).write_bytes(data)
            elif who == "okafor":
                okafor.append((f"okafor/{n:04d}.eml", data))
            elif len(printed) < PRINTED and not e.attachment:
                printed.append(e)  # produced on paper: only in the PDF below
            else:
                # Some productions strip the extension.
                name = f"{n:04d}.eml" if n % 5 else f"{n:04d}"
                (office / name).write_bytes(data)
    box.close()
    _print_production(printed, office)
    agency = _agency_printout(emails, office)
    for e in agency:  # a copy on paper too, in the records office's release
        key = e.message_id.strip("<>")
        copies[key] = sorted([*copies[key], "records-office"])
    # Okafor's mailbox came as a zip of .eml files, with a zip of attachments exports inside.
    half = len(okafor) // 2
    inner = folder / "inner.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in okafor[half:]:
            zf.writestr(_member(name), data)
    with zipfile.ZipFile(folder / "okafor-export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in okafor[:half]:
            zf.writestr(_member(name), data)
        zf.writestr(_member("okafor/older-mail.zip"), inner.read_bytes())
    inner.unlink()
    # One corrupted file: a production zip cut off in transfer.
    whole = (folder / "okafor-export.zip").read_bytes()
    (folder / "production-2-partial.zip").write_bytes(whole[: len(whole) // 3])
    for e in printed:
        del copies[e.message_id.strip("<>")]
    truth = {
        "unique": len(emails),
        "copies": sum(len(v) for v in copies.values()) + len(printed) + SCANNED_EMAILS,
        "copies_by_message": copies,  # the emails produced as files, by Message-ID
        "printed": printed,  # the emails produced only on paper, in page order
        "agency": agency,  # emails of Whitfield's mailbox also printed by the district's office
        "emails": emails,
    }
    return truth


def _member(name: str) -> zipfile.ZipInfo:
    """A zip member with a fixed date, so the sample is the same bytes every time it is made."""
    info = zipfile.ZipInfo(name, date_time=(2025, 7, 1, 12, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


PRINTED = 8  # emails the records office produced as a PDF of printouts
SCANNED_EMAILS = 2  # of which the first two were also produced as a scan


def _print_production(printed: list[Email], office: Path) -> None:
    """The records office's paper production: Apple Mail printouts, one email a page, a Bates
    number on every page, phone numbers redacted (b)(6); and a scan of its first pages."""
    sys.path.insert(0, str(HERE))
    from printout import Page, scanned_pdf, text_pdf

    pages = []
    for n, e in enumerate(printed):
        lines = [
            f"From: {e.sender.name} <{e.sender.email}>",
            f"Subject: {e.subject}",
            # Printed with its zone, as Apple Mail does: the time is exact.
            "Date: " + e.sent.strftime("%B %-d, %Y at %-I:%M:%S %p %Z"),
            "To: " + "; ".join(f"{p.name} <{p.email}>" for p in e.to),
        ]
        if e.cc:
            lines.append("Cc: " + "; ".join(f"{p.name} <{p.email}>" for p in e.cc))
        lines.append("")
        # The printout of a reply would hold its quoted history too; here, the sender's text.
        own = re.split(r"\n\n(?:On .* wrote:|-----Original Message-----)", e.body)[0]
        body = own.split("\n")[:14]
        lines += body
        redactions = []
        if n % 2 == 0:
            redactions.append((len(lines), "(b)(6)"))
            lines.append("Reach me on my cell:")
        pages.append(
            Page(
                lines=lines,
                bates=f"LUSD-{n + 1:06d}",
                stamp="RELEASED IN PART B6" if redactions else "RELEASED IN FULL",
                redactions=redactions,
            )
        )
    text = text_pdf(pages, office / "production-1-printed.pdf")
    scanned_pdf(
        text, office / "production-1-scanned.pdf", pages=list(range(SCANNED_EMAILS)), dpi=300
    )


AGENCY = 4  # reply chains the district's records office printed the way agencies do
# What OCR leaves of "-----Original Message-----" on a printout.
_GARBLED = ["---- Original Message ---", "Original Message ----", "    Original Message"]


def _agency_printout(emails: list[Email], office: Path) -> list[Email]:
    """The records office's second release: reply chains of Whitfield's mailbox printed and
    scanned the way agencies' releases look after OCR. Each email is a released document (a
    stamp block with its document number and a release stamp split over two lines), its header
    block in columns, the separators above its quoted history garbled, a phone line redacted
    with the exemption code in the right margin, a Bates number at the foot of each page."""
    sys.path.insert(0, str(HERE))
    from printout import layout_pdf

    chosen = [
        e
        for e in emails
        if e.in_reply_to
        and "wrote:" not in e.body
        and "dana.whitfield@lakemontusd.example" in {p.email for p in e.people()}
        and e.sender.org == "Better Schools Now"
    ][:AGENCY]
    pages = []
    for n, e in enumerate(chosen):
        body = e.body
        for k, garbled in enumerate(_GARBLED):
            body = body.replace("-----Original Message-----", garbled, 1 if k < 2 else -1)
        # A phone line under the sender's name, blacked out whole: only its code is printed.
        name = f"\n{e.sender.name}\n"
        body = body.replace(name, f"{name}{' ' * 70}B6\n", 1)
        sent = e.sent.strftime("%A, %B %-d, %Y %-I:%M %p")  # printed without its zone
        lines = [
            "UNCLASSIFIED"
            + " " * 20
            + "LAKEMONT USD - RELEASED UNDER PUBLIC RECORDS REQUEST 25-0142",
            "Case No. R-2025-0142",
            f"Doc No. LUSD-R{n + 1:05d}",
            "Date: 07/01/2025" + " " * 60 + "RELEASE IN",
            " " * 76 + "PART B6",
            "",
            "",
            f"     From:            {e.sender.name} <{e.sender.email}>",
            f"     Sent:            {sent}",
            "     To:              " + "; ".join(f"{p.name} <{p.email}>" for p in e.to),
        ]
        if e.cc:
            lines.append(
                "     Cc:              " + "; ".join(f"{p.name} <{p.email}>" for p in e.cc)
            )
        lines += [f"     Subject:         {e.subject}", "", ""]
        lines += ["     " + line for line in body.split("\n")]
        lines += ["", "", " " * 70 + f"LUSD-R-{n + 1:06d}"]
        pages.append("\n".join(lines))
    layout_pdf(pages, office / "production-3-agency-release.pdf")
    return chosen


if __name__ == "__main__":
    t = build(HERE / "dump")
    print(f"wrote {HERE / 'dump'}: {t['unique']} emails, {t['copies']} copies")
