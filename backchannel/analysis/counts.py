"""The story's numbers (DESIGN.md, counting rules): who wrote to whom, per person, per official's
office and per organization, sent and received apart, first and last date, by month.

The unit is a communication: one deduplicated message from a sender to a recipient (To, Cc or
Bcc), counted once however often the address appears and whatever the role. Every count is
stored with the ids of the messages it counts (`counted_messages`), so a click opens exactly
those emails and a fact-checker can recount them. Emails recovered from quoted history are kept
in the link table with `recovered = 1` and left out of the counts unless asked for: never twice,
since a quoted copy of an email already in the corpus is that email.

Groups count as units: an office (the official and the roster's staff) or an organization (its
roster people and everyone at its domains) sends a message when a member writes to someone
outside the group, and receives one when someone outside writes to a member. Internal mail of an
office is not contact with anyone else.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from ..corpus.keys import short_hash

COUNTED_ROLES = ("from", "to", "cc", "bcc")
RECIPIENT_ROLES = {"to", "cc", "bcc"}
BUSIEST = 3  # months named in office_contacts.busiest_months

# kind of counted thing -> its two directions
DIRECTIONS = {
    "person": ("sent", "received"),
    "office": ("sent", "received"),
    "organization": ("sent", "received"),
    "contact": ("a_to_b", "b_to_a"),
    "office_contact": ("org_to_office", "office_to_org"),
    "group_edge": ("sent", "sent"),
}


@dataclass(frozen=True)
class Communication:
    message_id: str
    sender: str  # person id
    recipient: str  # person id
    sent_at: str | None
    recovered: bool

    @property
    def month(self) -> str | None:
        return self.sent_at[:7] if self.sent_at else None


@dataclass
class Groups:
    """Who belongs to which office and organization, from the resolved persons."""

    officials: list[dict]  # {"id", "name", "person_id", "title"} in roster order
    organizations: list[dict]  # {"id", "name", "domains", "aliases"} in roster order
    of: dict[str, set[str]] = field(default_factory=dict)  # person id -> group ids
    names: dict[str, str] = field(default_factory=dict)  # person or group id -> name

    def groups(self, person: str) -> set[str]:
        return self.of.get(person, set())


def office_id(official: str) -> str:
    return "office-" + short_hash("office", official)[:12]


def organization_id(name: str) -> str:
    return "org-" + short_hash("organization", name)[:12]


def office_contact_id(organization: str, official: str) -> str:
    return short_hash("office-contact", organization, official)


def contact_id(a: str, b: str) -> str:
    return short_hash("contact", a, b)


def load_communications(db: sqlite_utils.Database) -> list[Communication]:
    """Every (message, sender, recipient) of resolved persons; a person writing to themself is
    not a communication. Needs identity resolution to have run (participants.person_id)."""
    roles = ", ".join(f"'{r}'" for r in COUNTED_ROLES)
    rows = db.execute(
        f"""select p.message_id, p.role, p.person_id, m.sent_at, m.recovered
            from participants p join messages m on m.id = p.message_id
            where p.role in ({roles}) and p.person_id is not null
            order by p.message_id"""
    )
    out: list[Communication] = []
    current, senders, recipients, meta = None, set(), set(), (None, 0)

    def flush():
        for s in sorted(senders):
            for r in sorted(recipients - {s}):
                out.append(Communication(current, s, r, meta[0], bool(meta[1])))

    for mid, role, pid, sent_at, recovered in rows:
        if mid != current:
            if current is not None:
                flush()
            current, senders, recipients, meta = mid, set(), set(), (sent_at, recovered)
        (senders if role == "from" else recipients).add(pid)
    if current is not None:
        flush()
    return out


def load_groups(db: sqlite_utils.Database) -> Groups:
    """Offices and organizations from the stored roster and the resolved persons."""
    officials = [
        {"id": office_id(name), "name": name, "title": title}
        for name, title in db.execute(
            "select name, title from roster_people where kind = 'official' order by rowid"
        )
    ]
    organizations = [
        {
            "id": organization_id(name),
            "name": name,
            "aliases": json.loads(aliases or "[]"),
            "domains": json.loads(domains or "[]"),
        }
        for name, aliases, domains in db.execute(
            "select name, aliases, domains from roster_organizations order by rowid"
        )
    ]
    groups = Groups(officials, organizations)
    office_of = {o["name"]: o["id"] for o in officials}
    org_of = {o["name"]: o["id"] for o in organizations}
    for o in officials:
        groups.names[o["id"]] = o["name"]
    for o in organizations:
        groups.names[o["id"]] = o["name"]
    for pid, name, kind, roster_group, organization in db.execute(
        "select id, name, kind, roster_group, organization from persons"
    ):
        groups.names[pid] = name
        mine = set()
        if kind in ("official", "staff") and roster_group in office_of:
            mine.add(office_of[roster_group])
            if kind == "official":
                next(o for o in officials if o["name"] == roster_group)["person_id"] = pid
        if organization in org_of:
            mine.add(org_of[organization])
        if mine:
            groups.of[pid] = mine
    return groups


class _Tally:
    """Messages per (counted id, direction), each message once."""

    def __init__(self):
        self.messages: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.kind: dict[str, str] = {}

    def add(self, kind: str, counted: str, direction: str, message_id: str) -> None:
        self.kind[counted] = kind
        self.messages[(kind, counted, direction)].add(message_id)

    def ids(self, kind: str, counted: str, direction: str) -> set[str]:
        return self.messages.get((kind, counted, direction), set())


@dataclass
class Counts:
    """Everything the counts stage computes, before it is written."""

    comms: list[Communication]
    groups: Groups
    tally: _Tally
    meta: dict[str, tuple[str | None, bool]]  # message id -> (sent_at, recovered)
    contacts: dict[tuple[str, str], str]  # (person a, person b) -> contact id

    def counted(self, kind: str, counted: str, direction: str, recovered: bool) -> list[str]:
        """The ids of the messages one count counts, sorted by date then id."""
        ids = self.tally.ids(kind, counted, direction)
        if not recovered:
            ids = {m for m in ids if not self.meta[m][1]}
        return sorted(ids, key=lambda m: (self.meta[m][0] or "", m))

    def dates(self, ids: Iterable[str]) -> tuple[str | None, str | None]:
        days = sorted(d[:10] for m in ids if (d := self.meta[m][0]))
        return (days[0], days[-1]) if days else (None, None)

    def by_month(self, ids: Iterable[str]) -> dict[str, int]:
        months = Counter(d[:7] for m in ids if (d := self.meta[m][0]))
        return dict(sorted(months.items()))


def compute(db: sqlite_utils.Database) -> Counts:
    comms = load_communications(db)
    groups = load_groups(db)
    tally = _Tally()
    meta = {c.message_id: (c.sent_at, c.recovered) for c in comms}
    contacts: dict[tuple[str, str], str] = {}
    for c in comms:
        m = c.message_id
        tally.add("person", c.sender, "sent", m)
        tally.add("person", c.recipient, "received", m)
        a, b = sorted((c.sender, c.recipient))
        cid = contacts.setdefault((a, b), contact_id(a, b))
        tally.add("contact", cid, "a_to_b" if c.sender == a else "b_to_a", m)
        sender_groups, recipient_groups = groups.groups(c.sender), groups.groups(c.recipient)
        # A group sends to whoever is outside it, and receives from whoever is outside it.
        for g in sender_groups - recipient_groups:
            tally.add(_group_kind(g), g, "sent", m)
        for g in recipient_groups - sender_groups:
            tally.add(_group_kind(g), g, "received", m)
        # The collapsed graph: a person outside every group stands for themself.
        for gs in sender_groups or {c.sender}:
            for gr in recipient_groups or {c.recipient}:
                if gs != gr and gs not in recipient_groups and gr not in sender_groups:
                    tally.add("group_edge", edge_id(gs, gr), "sent", m)
        for org in sender_groups:
            if org.startswith("org-"):
                for office in recipient_groups:
                    if office.startswith("office-"):
                        tally.add(
                            "office_contact",
                            office_contact_id(groups.names[org], groups.names[office]),
                            "org_to_office",
                            m,
                        )
        for office in sender_groups:
            if office.startswith("office-"):
                for org in recipient_groups:
                    if org.startswith("org-"):
                        tally.add(
                            "office_contact",
                            office_contact_id(groups.names[org], groups.names[office]),
                            "office_to_org",
                            m,
                        )
    return Counts(comms, groups, tally, meta, contacts)


def _group_kind(group_id: str) -> str:
    return "office" if group_id.startswith("office-") else "organization"


def edge_id(source: str, target: str) -> str:
    return short_hash("group-edge", source, target)


def edge_pairs(counts: Counts) -> list[tuple[str, str]]:
    """(source, target) of the collapsed graph's edges, from the communications."""
    seen = {}
    g = counts.groups
    for c in counts.comms:
        sg, rg = g.groups(c.sender), g.groups(c.recipient)
        for gs in sg or {c.sender}:
            for gr in rg or {c.recipient}:
                if gs != gr and gs not in rg and gr not in sg:
                    seen.setdefault(edge_id(gs, gr), (gs, gr))
    return list(seen.values())


# -- the tables ----------------------------------------------------------------------------------


def office_rows(counts: Counts, recovered: bool = False) -> list[dict]:
    """One row per (organization, official): the canonical table."""
    rows = []
    for org in counts.groups.organizations:
        for official in counts.groups.officials:
            cid = office_contact_id(org["name"], official["name"])
            to_office = counts.counted("office_contact", cid, "org_to_office", recovered)
            to_org = counts.counted("office_contact", cid, "office_to_org", recovered)
            both = set(to_office) | set(to_org)
            first, last = counts.dates(both)
            months = counts.by_month(both)
            rows.append(
                {
                    "id": cid,
                    "organization": org["name"],
                    "official": official["name"],
                    "org_to_office": len(to_office),
                    "office_to_org": len(to_org),
                    "total": len(both),
                    "first": first,
                    "last": last,
                    "by_month": months,
                    "message_ids": sorted(both, key=lambda m: (counts.meta[m][0] or "", m)),
                }
            )
    return rows


def group_rows(counts: Counts, kind: str, recovered: bool = False) -> list[dict]:
    """Per office (kind "office") or organization: sent, received, first and last."""
    items = counts.groups.officials if kind == "office" else counts.groups.organizations
    rows = []
    for item in items:
        sent = counts.counted(kind, item["id"], "sent", recovered)
        received = counts.counted(kind, item["id"], "received", recovered)
        first, last = counts.dates(set(sent) | set(received))
        rows.append(
            {
                "id": item["id"],
                "name": item["name"],
                "sent": len(sent),
                "received": len(received),
                "first": first,
                "last": last,
            }
        )
    return rows


def busiest(months: dict[str, int], n: int = BUSIEST) -> str:
    top = sorted(months.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return ", ".join(f"{m} ({c})" for m, c in top)


def write(db: sqlite_utils.Database, counts: Counts, metrics: dict | None = None) -> None:
    """Replace every count table in one transaction. `metrics` are the graph's, by node id."""
    metrics = metrics or {}
    g = counts.groups
    persons = {r[0]: r for r in db.execute("select id, name from persons")}
    link_rows = []
    for (kind, counted, direction), ids in counts.tally.messages.items():
        for m in ids:
            sent_at, recovered = counts.meta[m]
            link_rows.append(
                (counted, kind, direction, m, sent_at, sent_at[:7] if sent_at else None, recovered)
            )
    contact_rows = []
    for (a, b), cid in counts.contacts.items():
        ab = counts.counted("contact", cid, "a_to_b", False)
        ba = counts.counted("contact", cid, "b_to_a", False)
        every = counts.tally.ids("contact", cid, "a_to_b") | counts.tally.ids(
            "contact", cid, "b_to_a"
        )
        first, last = counts.dates(set(ab) | set(ba))
        contact_rows.append(
            {
                "id": cid,
                "person_a": a,
                "person_b": b,
                "name_a": persons[a][1] if a in persons else None,
                "name_b": persons[b][1] if b in persons else None,
                "a_to_b": len(ab),
                "b_to_a": len(ba),
                "total": len(set(ab) | set(ba)),
                "first": first,
                "last": last,
                "recovered": len({m for m in every if counts.meta[m][1]}),
            }
        )
    office_contacts = []
    monthly = []
    for row in office_rows(counts):
        every = counts.tally.ids("office_contact", row["id"], "org_to_office") | counts.tally.ids(
            "office_contact", row["id"], "office_to_org"
        )
        office_contacts.append(
            {
                **{k: v for k, v in row.items() if k not in ("by_month", "message_ids")},
                "busiest_months": busiest(row["by_month"]),
                "recovered": len({m for m in every if counts.meta[m][1]}),
            }
        )
        to_office = counts.counted("office_contact", row["id"], "org_to_office", False)
        to_org = counts.counted("office_contact", row["id"], "office_to_org", False)
        a, b = counts.by_month(to_office), counts.by_month(to_org)
        for month, total in row["by_month"].items():
            monthly.append(
                {
                    "id": short_hash("month", row["id"], month),
                    "office_contact_id": row["id"],
                    "organization": row["organization"],
                    "official": row["official"],
                    "month": month,
                    "org_to_office": a.get(month, 0),
                    "office_to_org": b.get(month, 0),
                    "total": total,
                }
            )
    offices = []
    for row in group_rows(counts, "office"):
        official = next(o for o in g.officials if o["id"] == row["id"])
        members = sorted(
            (g.names[p] for p, mine in g.of.items() if row["id"] in mine),
            key=lambda n: (n != row["name"], n),
        )
        name = row.pop("name")
        offices.append(
            {
                **row,
                "official": name,
                "person_id": official.get("person_id"),
                "title": official.get("title"),
                "members": json.dumps(members, ensure_ascii=False),
                **_metric_columns(metrics.get(row["id"])),
            }
        )
    organizations = []
    for row in group_rows(counts, "organization"):
        org = next(o for o in g.organizations if o["id"] == row["id"])
        organizations.append(
            {
                **row,
                "aliases": json.dumps(org["aliases"], ensure_ascii=False),
                "domains": json.dumps(org["domains"]),
                "people": sum(1 for mine in g.of.values() if row["id"] in mine),
                **_metric_columns(metrics.get(row["id"])),
            }
        )
    edges = []
    for source, target in edge_pairs(counts):
        eid = edge_id(source, target)
        ids = counts.counted("group_edge", eid, "sent", False)
        if ids:
            edges.append(
                {
                    "id": eid,
                    "source": source,
                    "target": target,
                    "source_name": g.names.get(source) or source,
                    "target_name": g.names.get(target) or target,
                    "source_kind": node_kind(source),
                    "target_kind": node_kind(target),
                    "messages": len(ids),
                }
            )
    person_updates = []
    for pid in persons:
        sent = counts.counted("person", pid, "sent", False)
        received = counts.counted("person", pid, "received", False)
        first, last = counts.dates(set(sent) | set(received))
        m = metrics.get(pid) or {}
        person_updates.append(
            (
                len(sent),
                len(received),
                first,
                last,
                m.get("correspondents"),
                m.get("betweenness"),
                m.get("pagerank"),
                m.get("community"),
                pid,
            )
        )
    with db.atomic():
        for table in (
            "counted_messages",
            "contacts",
            "office_contacts",
            "office_contact_months",
            "offices",
            "organizations",
            "group_edges",
        ):
            db.execute(f"delete from [{table}]")
        db.conn.executemany(
            "insert into counted_messages (counted, kind, direction, message_id, sent_at, month,"
            " recovered) values (?, ?, ?, ?, ?, ?, ?)",
            link_rows,
        )
        db["contacts"].insert_all(contact_rows, batch_size=2000)
        db["office_contacts"].insert_all(office_contacts, batch_size=2000)
        db["office_contact_months"].insert_all(monthly, batch_size=2000)
        db["offices"].insert_all(offices, batch_size=2000)
        db["organizations"].insert_all(organizations, batch_size=2000)
        db["group_edges"].insert_all(edges, batch_size=2000)
        db.conn.executemany(
            "update persons set sent = ?, received = ?, first = ?, last = ?, correspondents = ?,"
            " betweenness = ?, pagerank = ?, community = ? where id = ?",
            person_updates,
        )


def node_kind(node: str) -> str:
    if node.startswith("office-"):
        return "office"
    if node.startswith("org-"):
        return "organization"
    return "person"


def _metric_columns(m: dict | None) -> dict:
    m = m or {}
    return {
        "correspondents": m.get("correspondents"),
        "betweenness": m.get("betweenness"),
        "pagerank": m.get("pagerank"),
        "community": m.get("community"),
    }
