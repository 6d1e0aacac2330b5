"""A roster drafted from the corpus (`backchannel roster draft`): from what the reporter knows
(the officials' names and addresses, the organizations' names and domains), each official's
office staff and each organization's people, every proposal with the evidence a reporter can
check in a minute.

What the corpus shows of a person, read after identity resolution under the reporter's roster:

- staff: their signature names the official's office ("Chief of Staff to Trustee Dana
  Whitfield"; analysis/roster_names.py reads the lines); they write "on behalf of" the
  official; they forward the official's mail; they copy the official (Cc, Bcc) on their mail,
  from the official's own domain, and not every official alike (a clerk who copies the whole
  board is nobody's staff). Writing *to* an official, however often, is no evidence.
- an organization's people: they write from its domain; they sign with its name; a personal
  address shows the name of one of its people.

Each kind of evidence has a weight; a proposal's confidence is 1 - Π(1 - weight). A last name
or title that two officials share names both: the signature counts for the one the person
copies or forwards, else for neither. A person is proposed for one office at most; nobody the
reporter's roster lists is moved.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from ..corpus.keys import short_hash
from ..corpus.matching import name_key
from ..corpus.roster import Roster
from .identities import identity_map, organization_domain, stored_identity_map
from .roster_names import NameIndex

SIGNED = 0.9  # a signature line naming the office
BEHALF = 0.6  # "on behalf of" the official
FORWARDED = 0.4  # forwards the official's mail
COPIED = 0.6  # at most, for copying the official: the share of their mail, times exclusivity
MIN_COPIES = 2
DOMAIN = 1.0  # writes from the organization's domain (the reporter gave it)
ORG_SIGNED = 0.8  # signs with the organization's name
SAME_NAME = 0.6  # a personal address showing the name of one of the organization's people
MIN_CONFIDENCE = 0.5  # the default: below it a proposal is a comment, not an entry
FLOOR = 0.1  # below this, not listed at all (one copy of an official proves nothing)
SHOWN = 2  # evidence emails named in the draft per kind of evidence
SIGNATURE_LINES = 7  # an email's last paragraph read as its signature when none was split off

_FROM_LINE = re.compile(r"^[>\s*]*(?:from|von|de|van|da)\s*:\s*(?P<who>.+)$", re.I | re.M)
_ADDRESS = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+")
_FORWARD_SUBJECT = re.compile(r"^\s*(?:re:\s*)*(?:fwd?|fw)\s*:", re.I)


@dataclass
class Evidence:
    kind: str  # signature, on behalf, forwarded, copied, domain, org signature, same name
    detail: str  # what a reporter reads, without the emails
    message_ids: list[str]
    weight: float


@dataclass
class Proposal:
    kind: str  # staff or member
    group: str  # the official or the organization
    name: str
    emails: list[str]
    evidence: list[Evidence]
    status: str = "entry"  # entry, below, listed (in the roster there), elsewhere (not moved)
    note: str = ""
    joins: str | None = None  # a member: the entry (by name) whose emails this address joins
    person_ids: list[str] = field(default_factory=list)
    merged: bool = False  # two persons' evidence, each line saying whose

    @property
    def confidence(self) -> float:
        miss = 1.0
        for e in self.evidence:
            miss *= 1.0 - e.weight
        return round(1.0 - miss, 2)

    @property
    def id(self) -> str:
        # Its persons too: two addresses of one name may each join the same entry.
        persons = ",".join(sorted(self.person_ids))
        return short_hash(
            "roster-proposal", self.kind, self.group, self.name, self.joins or "", persons
        )


@dataclass
class Draft:
    known: Roster
    proposals: list[Proposal]
    min_confidence: float
    emails: dict[str, tuple[str, str]]  # message id -> (date, subject), for the evidence shown

    def of(self, group: str, kind: str) -> list[Proposal]:
        return [p for p in self.proposals if p.group == group and p.kind == kind]


@dataclass
class _Facts:
    """What the corpus shows, per person id."""

    of: dict[str, str]  # participant key -> person id
    rows: dict[str, dict]  # person id -> persons row
    sent: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    received: Counter = field(default_factory=Counter)
    recipients: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    signed: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    behalf: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    forwarded: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    org_signed: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    emails: dict[str, tuple[str, str]] = field(default_factory=dict)

    def addresses(self, pid: str) -> list[str]:
        keys = json.loads(self.rows[pid].get("keys") or "[]")
        return sorted(k for k in keys if "@" in k and not k.startswith("name:"))


def draft(
    db: sqlite_utils.Database,
    known: Roster,
    min_confidence: float = MIN_CONFIDENCE,
    resolved: bool = False,
) -> Draft:
    """The roster the corpus suggests around `known` (which is never changed): staff for each
    official, people for each organization, with their evidence and confidence. `resolved`:
    the corpus's identities were just resolved with `known` (analyze): read them, not anew."""
    of, rows = stored_identity_map(db) if resolved else identity_map(db, known)
    index = NameIndex(known.officials, known.organizations)
    facts = _Facts(of, rows)
    _read_participants(db, facts)
    _read_texts(db, facts, index)
    _read_forwards(db, facts, index)
    proposals = _staff(facts, known, index) + _members(facts, known)
    for p in proposals:
        if p.status == "entry" and p.confidence < min_confidence:
            p.status = "below"
    _one_place(proposals)
    proposals = sorted(
        (p for p in proposals if _worth_listing(p)), key=lambda p: (-p.confidence, p.name)
    )
    shown = {m for p in proposals for e in p.evidence for m in e.message_ids[:SHOWN]}
    return Draft(known, proposals, min_confidence, {m: facts.emails[m] for m in shown})


def _one_place(proposals: list[Proposal]) -> None:
    """A person is an entry in one group at most (the roster would give their address to the
    group listed last): the most confident proposal stays one, the others are comments."""
    placed: dict[str, Proposal] = {}
    for p in sorted(proposals, key=lambda p: -p.confidence):
        if p.status != "entry":
            continue
        first = next((placed[pid] for pid in p.person_ids if pid in placed), None)
        if first is not None:
            p.status = "below"
            p.note = f"proposed as {first.kind} of {first.group}, with more evidence"
            continue
        placed.update(dict.fromkeys(p.person_ids, p))


def _worth_listing(p: Proposal) -> bool:
    """Listed in the draft: the roster's own people, what reaches the floor, and any line that
    names an office (even one that could be two)."""
    named = any(e.kind in ("signature", "on behalf") for e in p.evidence)
    return p.status == "listed" or p.confidence >= FLOOR or named


# -- reading the corpus -------------------------------------------------------------------------


def _read_participants(db: sqlite_utils.Database, facts: _Facts) -> None:
    """Who sent each produced email (recovered ones aside) and who received it, how."""
    recovered = {r[0] for r in db.execute("select id from messages where recovered = 1")}
    of, sent, recipients, received = facts.of, facts.sent, facts.recipients, facts.received
    for mid, role, key in db.execute(
        "select message_id, role, key from participants where role in ('from', 'to', 'cc', 'bcc')"
    ):
        pid = of.get(key)
        if pid is None or mid in recovered:
            continue
        if role == "from":
            sent[pid].append(mid)
        else:
            recipients[mid].append((role, pid))
            received[pid] += 1


def _senders(facts: _Facts) -> dict[str, str]:
    return {mid: pid for pid, mids in facts.sent.items() for mid in mids}


def _read_texts(db: sqlite_utils.Database, facts: _Facts, index: NameIndex) -> None:
    """Each email's signature lines (the block analyze split off, else its last short
    paragraph) and its "on behalf of" phrases, credited to its sender; in the order they were
    sent, and each person's emails put in that order (evidence is listed oldest first)."""
    sender = _senders(facts)
    for mid, sent_at, subject, signature, tail, behalf_text in db.execute(
        """select id, sent_at, subject, signature, substr(body_authored, -800),
                  case when instr(lower(body_authored), 'behalf of') > 0 then body_authored end
           from messages where coalesce(recovered, 0) = 0 order by sent_at, id"""
    ):
        facts.emails[mid] = ((sent_at or "")[:10], subject or "")
        pid = sender.get(mid)
        if pid is None:
            continue
        for line in _signature_lines(signature, tail):
            officials = index.staff_line(line)
            if officials:
                facts.signed[pid][officials].append((mid, line.strip()))
            org = index.org_line(line)
            if org:
                facts.org_signed[pid][org].append((mid, line.strip()))
        for phrase, officials in index.on_behalf(behalf_text or ""):
            facts.behalf[pid][officials].append((mid, phrase))
    order = {mid: n for n, mid in enumerate(facts.emails)}
    for mids in facts.sent.values():
        mids.sort(key=order.__getitem__)


def _signature_lines(signature: str | None, tail: str | None) -> list[str]:
    if signature and signature.strip():
        return [line for line in signature.split("\n") if line.strip()]
    paragraphs = [p for p in re.split(r"\n\s*\n", (tail or "").strip()) if p.strip()]
    if len(paragraphs) < 2:  # one paragraph is the text itself, not a signature
        return []
    lines = [line for line in paragraphs[-1].split("\n") if line.strip()]
    return lines if len(lines) <= SIGNATURE_LINES else []


def _read_forwards(db: sqlite_utils.Database, facts: _Facts, index: NameIndex) -> None:
    """Forwards ("Fw:", "Fwd:") whose forwarded email is from an official: its From line in
    the quoted history, or the email recovered from it."""
    sender = _senders(facts)
    official_of = {
        pid: r["roster_group"] for pid, r in facts.rows.items() if r["kind"] == "official"
    }
    found: dict[str, set[str]] = defaultdict(set)
    for mid, subject, quoted in db.execute(
        "select id, subject, body_quoted from messages where coalesce(recovered, 0) = 0 "
        "and body_quoted is not null"
    ):
        if mid not in sender or not _FORWARD_SUBJECT.match(subject or ""):
            continue
        for m in list(_FROM_LINE.finditer(quoted))[:3]:
            who = m.group("who").strip()
            address = _ADDRESS.search(who)
            pid = facts.of.get(address.group(0).lower()) if address else None
            if pid in official_of:
                found[mid].add(official_of[pid])
            else:
                name = re.sub(r"<[^>]*>|\[[^\]]*\]", "", who).strip(" \"'")
                found[mid] |= index.named_in_full(name)
    for mid, key in db.execute(
        """select c.found_in, p.key from message_copies c
           join participants p on p.message_id = c.message_id and p.role = 'from'
           where c.method = 'quoted' and c.found_in is not null"""
    ):
        if mid in sender and facts.of.get(key) in official_of:
            if _FORWARD_SUBJECT.match(facts.emails.get(mid, ("", ""))[1]):
                found[mid].add(official_of[facts.of[key]])
    order = {mid: n for n, mid in enumerate(facts.emails)}
    for mid in sorted(found, key=order.__getitem__):
        for official in sorted(found[mid]):
            facts.forwarded[sender[mid]][official].append(mid)


# -- staff --------------------------------------------------------------------------------------


def _staff(facts: _Facts, known: Roster, index: NameIndex) -> list[Proposal]:
    """Each person's best office, if the corpus shows one; the roster's people stay where the
    roster has them."""
    official_pid = {
        r["roster_group"]: pid for pid, r in facts.rows.items() if r["kind"] == "official"
    }
    watched = {o.name for o in known.organizations}
    homes = {
        o.name: {organization_domain(e.partition("@")[2]) for e in o.emails}
        for o in known.officials
    }
    found: list[Proposal] = []
    for pid, row in facts.rows.items():
        if row["kind"] in ("official", "member") or row.get("organization") in watched:
            continue
        # An address that shows an official's own name (a private account) is theirs, not
        # their staff's: identity_suggestions says so.
        if not facts.sent.get(pid) or index.named_in_full(row["name"]):
            continue
        mine = {pid_home for a in facts.addresses(pid) if (pid_home := _home(a))}
        options = _office_evidence(facts, pid, official_pid, homes, mine)
        ranked = sorted(sorted(options.items()), key=lambda kv: _strength(kv[1]), reverse=True)
        if not ranked:
            continue
        best, evidence = ranked[0]
        proposal = Proposal(
            "staff", best, row["name"], facts.addresses(pid), evidence, person_ids=[pid]
        )
        if len(ranked) > 1 and _strength(ranked[1][1]) == _strength(evidence):
            proposal.status = "below"
            proposal.note = f"as much evidence for {ranked[1][0]}'s office"
        if row["kind"] == "staff":
            proposal.status = "listed" if row["roster_group"] == best else "elsewhere"
            if proposal.status == "elsewhere":
                proposal.note = f"the roster lists them as staff of {row['roster_group']}"
        found.append(proposal)
    return _merge(found)


def _home(address: str) -> str:
    return organization_domain(address.partition("@")[2]) if "@" in address else ""


def _strength(evidence: list[Evidence]) -> tuple[float, int]:
    miss = 1.0
    for e in evidence:
        miss *= 1.0 - e.weight
    return round(1.0 - miss, 2), sum(len(e.message_ids) for e in evidence if e.weight)


def _office_evidence(
    facts: _Facts,
    pid: str,
    official_pid: dict[str, str],
    homes: dict[str, set[str]],
    mine: set[str],
) -> dict[str, list[Evidence]]:
    """Per official, the evidence that this person works in their office."""
    sent = facts.sent[pid]
    copies: dict[str, list[str]] = defaultdict(list)
    for mid in sent:
        copied = {r for role, r in facts.recipients.get(mid, []) if role in ("cc", "bcc")}
        for official, opid in official_pid.items():
            if opid in copied:
                copies[official].append(mid)
    all_copies = sum(len(v) for v in copies.values())
    out: dict[str, list[Evidence]] = defaultdict(list)
    for official, mids in copies.items():
        same_home = not homes.get(official) or bool(homes[official] & mine)
        if len(mids) < MIN_COPIES or not same_home:
            continue
        weight = min(COPIED, len(mids) / len(sent)) * len(mids) / all_copies
        share = f"{len(mids)} of the {len(sent)} emails they sent"
        others = (
            f" ({all_copies - len(mids)} copies to other officials)"
            if all_copies > len(mids)
            else ""
        )
        out[official].append(
            Evidence("copied", f"copied {official} on {share}{others}", mids, weight)
        )
    for official, mids in facts.forwarded.get(pid, {}).items():
        what = f"forwarded {official}'s email ({len(mids)} time(s))"
        out[official].append(Evidence("forwarded", what, mids, FORWARDED))
    forwarded = facts.forwarded.get(pid)
    _named(out, facts.signed.get(pid, {}), "signature", len(sent), copies, forwarded)
    _named(out, facts.behalf.get(pid, {}), "on behalf", len(sent), copies, forwarded)
    return out


def _named(
    out: dict[str, list[Evidence]],
    named: dict[frozenset[str], list[tuple[str, str]]],
    kind: str,
    sent: int,
    copies: dict[str, list[str]],
    forwarded: dict[str, list[str]] | None,
) -> None:
    """Signature lines or "on behalf of" phrases, as evidence for the office they name. One
    that names several officials (a shared last name or title) counts for the one the person
    copies or forwards most, when there is one; else it is shown, with no weight, for each."""
    for officials, found in named.items():
        lines = Counter(text for _, text in found)
        text = lines.most_common(1)[0][0]
        mids = list(dict.fromkeys(mid for mid, _ in found))
        verb = "signs" if kind == "signature" else "writes"
        weight = SIGNED if kind == "signature" else BEHALF
        what = f'{verb} "{text}" in {len(mids)} of the {sent} emails they sent' + (
            f" (and {len(lines) - 1} other form(s))" if len(lines) > 1 else ""
        )
        if len(officials) == 1:
            out[next(iter(officials))].append(Evidence(kind, what, mids, weight))
            continue
        ties = sorted(
            sorted(officials),
            key=lambda o: len(copies.get(o, [])) + len((forwarded or {}).get(o, [])),
            reverse=True,
        )
        score = [len(copies.get(o, [])) + len((forwarded or {}).get(o, [])) for o in ties]
        listed = " or ".join(sorted(officials))
        if score[0] and score[0] > score[1]:
            why = f"{what}, which could be {listed}: they copy or forward {ties[0]}"
            out[ties[0]].append(Evidence(kind, why, mids, weight))
        else:
            for official in sorted(officials):
                out[official].append(Evidence(kind, f"{what}, which could be {listed}", mids, 0.0))


def _merge(found: list[Proposal]) -> list[Proposal]:
    """Persons of one name proposed for one group (a work and a personal address) are one
    entry with both addresses; one the roster lists already is not changed: the other address
    is a proposal that joins it (a comment, in the draft)."""
    out: list[Proposal] = []
    first: dict[tuple[str, str, str], Proposal] = {}
    for p in found:
        key = (p.kind, p.group, name_key(p.name) or p.name)
        q = first.get(key)
        if q is None or "elsewhere" in (p.status, q.status):
            first.setdefault(key, p)
            out.append(p)
        elif (p.status == "listed") == (q.status == "listed"):
            q.evidence = (q.evidence if q.merged else _whose(q)) + _whose(p)
            q.merged = True
            q.emails = sorted(set(q.emails) | set(p.emails))
            q.person_ids += p.person_ids
            q.note = q.note or p.note
        elif q.status == "listed":
            p.joins = q.name
            out.append(p)
        else:
            q.joins, first[key] = p.name, p
            out.append(p)
    return out


def _whose(p: Proposal) -> list[Evidence]:
    """A proposal's evidence, each line saying whose address it is about (once two persons'
    evidence is one entry's)."""
    who = ", ".join(p.emails) or p.name
    return [Evidence(e.kind, f"{who}: {e.detail}", e.message_ids, e.weight) for e in p.evidence]


# -- organizations ------------------------------------------------------------------------------


def _members(facts: _Facts, known: Roster) -> list[Proposal]:
    out: list[Proposal] = []
    for org in known.organizations:
        out += _org_members(facts, org.name, set(org.domains))
    return out


def _org_members(facts: _Facts, org: str, domains: set[str]) -> list[Proposal]:
    """The organization's people: at its domain, or signing with its name; and personal
    addresses that show the name of one of them, as addresses that join their entry."""
    found: list[Proposal] = []
    for pid, row in facts.rows.items():
        addresses = facts.addresses(pid)
        at_domain = [a for a in addresses if a.partition("@")[2] in domains]
        evidence = _org_evidence(facts, pid, org, at_domain)
        listed = row["kind"] == "member" and row.get("organization") == org
        if not evidence and not listed:
            continue
        p = Proposal("member", org, row["name"], addresses, evidence, person_ids=[pid])
        if listed:
            p.status = "listed"
        elif row["kind"] in ("official", "staff", "member"):
            p.status = "elsewhere"
            group = row["roster_group"] or row.get("organization")
            p.note = f"the roster lists them as {row['kind']} of {group}"
        found.append(p)
    found = _merge(found)
    by_name = {name_key(p.name): p for p in found if p.joins is None and p.status != "elsewhere"}
    taken = {pid for p in found for pid in p.person_ids}
    for pid, row in facts.rows.items():
        key = name_key(row["name"])
        target = by_name.get(key)
        if target is None or pid in taken or row["kind"] != "other" or len(key.split()) < 2:
            continue
        shown = ", ".join(target.emails[:2]) or target.name
        same = f'shows the name "{row["name"]}", as {shown} does'
        found.append(
            Proposal(
                "member",
                org,
                row["name"],
                facts.addresses(pid),
                [Evidence("same name", same, facts.sent.get(pid, [])[:SHOWN], SAME_NAME)],
                joins=target.name,
                person_ids=[pid],
            )
        )
    return found


def _org_evidence(facts: _Facts, pid: str, org: str, at_domain: list[str]) -> list[Evidence]:
    evidence = []
    if at_domain:
        mids = facts.sent.get(pid, [])
        domains = sorted({a.partition("@")[2] for a in at_domain})
        what = (
            f"writes from {', '.join(domains)}: {len(mids)} email(s) sent, "
            f"{facts.received.get(pid, 0)} received"
        )
        evidence.append(Evidence("domain", what, mids, DOMAIN))
    sent = len(facts.sent.get(pid, []))
    for line, mids in _lines(facts.org_signed.get(pid, {}).get(org, [])):
        what = f'signs "{line}" in {len(mids)} of the {sent} emails they sent'
        evidence.append(Evidence("org signature", what, mids, ORG_SIGNED))
    return evidence


def _lines(found: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(line, its emails) for the commonest way a person writes a line, if any."""
    by_line: dict[str, list[str]] = defaultdict(list)
    for mid, line in found:
        by_line[line].append(mid)
    if not by_line:
        return []
    line = max(by_line, key=lambda k: len(by_line[k]))
    return [(line, list(dict.fromkeys(m for mids in by_line.values() for m in mids)))]


# -- stored for the plugin's page ---------------------------------------------------------------


def store(db: sqlite_utils.Database, found: Draft | None) -> None:
    """Replace roster_proposals and roster_evidence with this draft (none: emptied)."""
    with db.atomic():
        db.execute("delete from roster_proposals")
        db.execute("delete from roster_evidence")
        if found is None:
            return
        db.table("roster_proposals").insert_all(
            {
                "id": p.id,
                "kind": p.kind,
                "group_name": p.group,
                "name": p.name,
                "emails": json.dumps(p.emails),
                "confidence": p.confidence,
                "status": p.status,
                "joins": p.joins,
                "note": p.note or None,
                "evidence": "\n".join(e.detail for e in p.evidence),
                "messages": len({m for e in p.evidence for m in e.message_ids}),
            }
            for p in found.proposals
        )
        db.table("roster_evidence").insert_all(
            (
                {
                    "id": short_hash("roster-evidence", p.id, e.kind, e.detail, mid),
                    "proposal_id": p.id,
                    "kind": e.kind,
                    "detail": e.detail,
                    "weight": e.weight,
                    "message_id": mid,
                }
                for p in found.proposals
                for e in p.evidence
                for mid in (e.message_ids or [None])  # type: ignore[list-item]
            ),
            ignore=True,
        )
