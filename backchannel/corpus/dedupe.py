"""What counts as one message: which message already in the corpus, or already in this batch,
a copy is.

The first test is the message's id (corpus/keys.py, dedupe_key): copies with one Message-ID
sent in one minute are one message, and so are copies without one that agree on sender,
minute, subject and the start of the text. This module decides the rest: a copy that is an
email already in though the two share no Message-ID (a printout, a quote, a release with other
redactions), a copy whose whole content says it is one filed under another id, a Message-ID
shared by emails sent at different times, and copies of one email that disagree about their
attachments.

What it needs of the corpus it asks through functions the writer gives it (a lookup by match
key, the counts of shared ids) or takes as rows, so each rule can be tried on plain lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..vocabulary import PAPER_METHODS, PRINTED_METHODS
from .matching import normalize_subject, same_sender, same_time, similar_text
from .rows import Prepared, SourceTally, error_row
from .schema import TABLES

REDACTION_WINDOW = timedelta(hours=14)  # a printed time without its zone is off by at most this

# A message a copy may be: (id, message_id, sent_at, zone_known, from_name, from_address).
Candidate = tuple
# What the corpus holds that a copy may be (CorpusWriter's lookup by match key): the copy, and
# the messages new in this batch with its match key.
Lookup = Callable[[Prepared, list[dict]], str | None]


@dataclass
class Match:
    """The message a copy is, and what the stored message learns from the copy."""

    id: str
    learns_id: bool = False  # the Message-ID it travelled with, and its thread
    learns_zone: bool = False  # its time with the zone (a printout had none)


def same_email(m: dict, candidates: Iterable[Candidate]) -> Match | None:
    """The first candidate that is this message's email (see corpus/matching.py): no two
    Message-IDs, the same time, the same sender."""
    for cid, mid, sent_at, zone, name, address in candidates:
        if mid and m["message_id"] and mid != m["message_id"]:
            continue  # two Message-IDs: two emails
        if not same_time(m["sent_at"], m["zone_known"], sent_at, zone):
            continue
        if not same_sender(m["from_name"], m["from_address"], name, address):
            continue
        return Match(cid, bool(m["message_id"] and not mid), bool(m["zone_known"] and not zone))
    return None


def as_candidate(m: dict) -> Candidate:
    return (m["id"], m["message_id"], m["sent_at"], m["zone_known"], m["from_name"],
            m["from_address"])  # fmt: skip


def may_be_redacted_otherwise(p: Prepared) -> bool:
    """A dated printout without a Message-ID: it may be an email already in, released again
    with other redactions (its text starts otherwise, so its match key differs)."""
    m = p.message
    return p.provenance.method in PAPER_METHODS and not m["message_id"] and bool(m["sent_at"])


def redaction_window(sent_at: str) -> tuple[str, str]:
    """The times between which the same email printed elsewhere may be dated."""
    when = datetime.fromisoformat(sent_at)
    return (when - REDACTION_WINDOW).isoformat(), (when + REDACTION_WINDOW).isoformat()


def redacted_otherwise(m: dict, near: Iterable[tuple]) -> list[Candidate]:
    """Of `near` (messages without a Message-ID sent within the window, as candidates followed
    by subject and body), those with the same subject (Re:/Fwd: aside) and most of the same
    words; the sender and the time are checked after."""
    subject = normalize_subject(m["subject"])
    return [
        tuple(r[:6])
        for r in near
        if normalize_subject(r[6] or "") == subject and similar_text(m["body"], r[7] or "")
    ]


def compares_attachments(p: Prepared) -> bool:
    """Copies of one email (one Message-ID) are compared by their attachments; printed copies
    show none."""
    return bool(p.message["message_id"]) and p.provenance.method not in PRINTED_METHODS


def attachment_keys(rows: list[tuple]) -> set[tuple[str, str]]:
    """(sha256, name) of attachment rows, what copies are compared by."""
    at = list(TABLES["attachments"]["columns"])
    name_at, digest_at = at.index("name"), at.index("sha256")
    return {(r[digest_at], r[name_at]) for r in rows}


def other_attachments(p: Prepared, stored: set[tuple[str, str]]) -> str | None:
    """What a copy's attachments disagree with its first copy's in (`stored`), or None: said on
    the copy and in a warning, not merged silently."""
    mine = attachment_keys(p.attachments)
    if mine == stored or not p.attachments:
        return None
    only_here = sorted(n for d, n in mine - stored)
    only_there = sorted(n for d, n in stored - mine)
    return (
        "copies disagree: this copy's attachments differ from the message's first copy "
        f"(only in this copy: {only_here or 'none'}; only in the first: {only_there or 'none'})"
    )


def reused_ids(
    tally: SourceTally,
    messages: list[dict],
    copies: list[dict],
    shared: Callable[[list[str]], dict[str, int]],
) -> list[dict]:
    """Warnings where a Message-ID is shared by emails sent at different times (`shared`: how
    many messages in the corpus have each of these ids, for those with more than one): they
    are kept apart, and the fact-checker should know why the id is not unique."""
    wanted = list({m["message_id"] for m in messages if m["message_id"]})
    if not wanted:
        return []
    reused = shared(wanted)
    where = {c["message_id"]: c["location"] for c in copies}
    rows = []
    for m in messages:
        if m["message_id"] in reused:
            tally.warnings += 1
            reason = (
                f"Message-ID <{m['message_id']}> is shared by {reused[m['message_id']]} emails "
                "sent at different times; kept as separate messages"
            )
            rows.append(error_row(tally, where[m["id"]], "dedupe", reason, "warning", m["id"]))
    return rows


def _rekey(participants: list[tuple], message_id: str) -> list[tuple]:
    """Participant rows moved onto the message this copy turned out to be."""
    at = list(TABLES["participants"]["columns"]).index("message_id")
    return [row[:at] + (message_id,) + row[at + 1 :] for row in participants]


@dataclass
class Seen:
    """Dedupe for one batch: which message each copy is, against the corpus and the batch."""

    same_email: Lookup  # the corpus's lookup by match key
    known: set[str]  # ids of messages in the corpus or this batch
    by_content: dict[str, str]  # content key -> message id
    keyless: bool  # the corpus has a message without a Message-ID
    keyless_fresh: bool = False  # so has this batch
    fresh: dict[str, list[dict]] = field(default_factory=dict)  # match_key -> new in this batch
    new: set[str] = field(default_factory=set)
    attachments: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # of the new

    def identify(self, p: Prepared) -> str | None:
        """Move `p` onto the message it is a copy of, if any; the note that says why when only
        its content tells."""
        note = None
        # A copy with a Message-ID can only be the same email as a message without one
        # (a printout, a quote): when the corpus has none, there is nothing to look for.
        lookup = not p.message["message_id"] or self.keyless or self.keyless_fresh
        same = None
        if p.id not in self.known and lookup:
            same = self.same_email(p, self.fresh.get(p.message["match_key"], []))
        content = p.message["content_key"]
        if same is None and p.id not in self.known and content in self.by_content:
            same = self.by_content[content]
            note = (
                f"filed under Message-ID <{p.message['message_id']}>: the same sender, "
                "second, recipients, subject and body as message " + same
            )
        if same is not None:
            p.id = same
            self.known.add(same)
            p.attachments, p.participants = [], _rekey(p.participants, same)
        return note

    def admit(self, p: Prepared) -> None:
        """`p` is a new message: later copies in this batch are matched against it."""
        self.known.add(p.id)
        self.new.add(p.id)
        self.attachments[p.id] = attachment_keys(p.attachments)
        if p.message["content_key"]:
            self.by_content.setdefault(p.message["content_key"], p.id)
        self.fresh.setdefault(p.message["match_key"], []).append(p.message)
        self.keyless_fresh = self.keyless_fresh or not p.message["message_id"]
