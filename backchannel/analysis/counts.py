"""The story's numbers (docs/counting.md): who wrote to whom, per person, per
official's office and per organization, sent and received apart, first and last date, by month.

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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from ..corpus.keys import short_hash
from ..corpus.schema import GRAPH_MEASURES
from ..corpus.topic import Topic
from ..vocabulary import (
    A_TO_B,
    B_TO_A,
    CONTACT,
    COUNTED_ROLES,
    GROUP_EDGE,
    OFFICE,
    OFFICE_CONTACT,
    OFFICE_TO_ORG,
    ORG_TO_OFFICE,
    ORGANIZATION,
    PERSON,
    RECEIVED,
    SENT,
)

BUSIEST = 3  # months named in office_contacts.busiest_months


@dataclass
class Groups:
    """Who belongs to which office and organization, from the resolved persons."""

    officials: list[dict]  # {"id", "name", "person_id", "title"} in roster order
    organizations: list[dict]  # {"id", "name", "domains", "aliases"} in roster order
    of: dict[str, set[str]] = field(default_factory=dict)  # person id -> group ids
    names: dict[str, str] = field(default_factory=dict)  # person or group id -> name


def office_id(official: str) -> str:
    return "office-" + short_hash("office", official)[:12]


def organization_id(name: str) -> str:
    return "org-" + short_hash("organization", name)[:12]


def office_contact_id(organization: str, official: str) -> str:
    return short_hash("office-contact", organization, official)


def contact_id(a: str, b: str) -> str:
    return short_hash("contact", a, b)


class Messages:
    """The messages that take part in counts, by index: ids, dates, recovered flags. Counts
    hold indexes, not ids: a 100,000-message corpus has a million count links."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.sent_at: list[str | None] = []  # UTC: the order
        self.local: list[str | None] = []  # in the corpus zone: the dates and months shown
        self.recovered: list[bool] = []

    def add(
        self, message_id: str, sent_at: str | None, recovered: bool, local: str | None = None
    ) -> int:
        self.ids.append(message_id)
        self.sent_at.append(sent_at)
        self.local.append(local or sent_at)
        self.recovered.append(bool(recovered))
        return len(self.ids) - 1

    def order(self, indexes: Iterable[int]) -> list[int]:
        return sorted(indexes, key=lambda i: (self.sent_at[i] or "", self.ids[i]))


def load_communications(
    db: sqlite_utils.Database, topic: Topic | None = None
) -> tuple[Messages, list[tuple[int, str, str]]]:
    """Every (message, sender, recipient) of resolved persons, the message as an index into
    the returned Messages; a person writing to themself is not a communication. Needs identity
    resolution to have run (participants.person_id). With a `topic`, only the emails its
    search matches: each counts exactly as it would without it."""
    roles = ", ".join(f"'{r}'" for r in COUNTED_ROLES)
    only, params = topic.where_rowid("m.rowid") if topic else ("1", [])
    rows = db.execute(
        f"""select p.message_id, p.role, p.person_id, m.sent_at, m.recovered, m.sent_local
            from participants p join messages m on m.id = p.message_id
            where p.role in ({roles}) and p.person_id is not null and {only}
            order by p.message_id""",
        params,
    )
    messages = Messages()
    out: list[tuple[int, str, str]] = []
    interned: dict[str, str] = {}  # one string object per person id
    senders: set[str] = set()
    recipients: set[str] = set()
    current: str | None = None
    meta: tuple[str | None, bool, str | None] = (None, False, None)

    def flush() -> None:
        pairs = [(s, r) for s in sorted(senders) for r in sorted(recipients - {s})]
        if pairs:
            assert current is not None
            index = messages.add(current, *meta)
            out.extend((index, s, r) for s, r in pairs)

    for mid, role, pid, sent_at, recovered, local in rows:
        if mid != current:
            if current is not None:
                flush()
            current, senders, recipients, meta = mid, set(), set(), (sent_at, recovered, local)
        pid = interned.setdefault(pid, pid)
        (senders if role == "from" else recipients).add(pid)
    if current is not None:
        flush()
    return messages, out


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
    official_named = {o["name"]: o for o in officials}
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
                official_named[roster_group]["person_id"] = pid
        if organization in org_of:
            mine.add(org_of[organization])
        if mine:
            groups.of[pid] = mine
    return groups


@dataclass
class Counts:
    """Everything the counts stage computes, before it is written: for each (kind, counted id,
    direction), the indexes of the messages it counts."""

    messages: Messages
    comms: list[tuple[int, str, str]]  # (message index, sender, recipient)
    groups: Groups
    links: dict[tuple[str, str, str], set[int]] = field(default_factory=dict)
    contacts: dict[tuple[str, str], str] = field(default_factory=dict)  # (a, b) -> contact id
    edge_ends: dict[str, tuple[str, str]] = field(default_factory=dict)  # group edge -> ends

    def add(self, kind: str, counted: str, direction: str, index: int) -> None:
        key = (kind, counted, direction)
        found = self.links.get(key)
        if found is None:
            self.links[key] = found = set()
        found.add(index)

    def indexes(self, kind: str, counted: str, direction: str, recovered: bool) -> set[int]:
        found = self.links.get((kind, counted, direction), set())
        if recovered:
            return found
        flags = self.messages.recovered
        return {i for i in found if not flags[i]}

    def count(self, kind: str, counted: str, direction: str, recovered: bool = False) -> int:
        return len(self.indexes(kind, counted, direction, recovered))

    def message_ids(self, indexes: Iterable[int]) -> list[str]:
        """The messages.id values, by date then id."""
        return [self.messages.ids[i] for i in self.messages.order(indexes)]

    def dates(self, indexes: Iterable[int]) -> tuple[str | None, str | None]:
        """First and last day, in the corpus zone (the days the emails show)."""
        sent = self.messages.local
        days = [d[:10] for i in indexes if (d := sent[i])]
        return (min(days), max(days)) if days else (None, None)

    def by_month(self, indexes: Iterable[int]) -> dict[str, int]:
        sent = self.messages.local
        return dict(sorted(Counter(d[:7] for i in indexes if (d := sent[i])).items()))

    def recovered_count(self, *keys: tuple[str, str, str]) -> int:
        flags = self.messages.recovered
        every = set().union(*(self.links.get(k, set()) for k in keys))
        return sum(1 for i in every if flags[i])


def compute(db: sqlite_utils.Database, topic: Topic | None = None) -> Counts:
    """Every count, from the resolved identities; with a `topic`, of the emails it matches."""
    messages, comms = load_communications(db, topic)
    groups = load_groups(db)
    counts = Counts(messages, comms, groups)
    add, contacts, names = counts.add, counts.contacts, groups.names
    edges: dict[tuple[str, str], str] = {}  # (source, target) -> edge id
    none: set[str] = set()
    for m, sender, recipient in comms:
        add(PERSON, sender, SENT, m)
        add(PERSON, recipient, RECEIVED, m)
        a, b = (sender, recipient) if sender < recipient else (recipient, sender)
        cid = contacts.get((a, b))
        if cid is None:
            cid = contacts[(a, b)] = contact_id(a, b)
        add(CONTACT, cid, A_TO_B if sender == a else B_TO_A, m)
        sender_groups = groups.of.get(sender, none)
        recipient_groups = groups.of.get(recipient, none)
        if not sender_groups and not recipient_groups:
            continue
        # A group sends to whoever is outside it, and receives from whoever is outside it.
        for g in sender_groups - recipient_groups:
            add(_group_kind(g), g, SENT, m)
            for target in recipient_groups - sender_groups:
                eid = edges.get((g, target))
                if eid is None:
                    eid = edges[(g, target)] = edge_id(g, target)
                    counts.edge_ends[eid] = (g, target)
                add(GROUP_EDGE, eid, SENT, m)
        for g in recipient_groups - sender_groups:
            add(_group_kind(g), g, RECEIVED, m)
        # The canonical table: an organization writing to an office, or an office to one.
        pairs = [(o, f, ORG_TO_OFFICE) for o in sender_groups for f in recipient_groups]
        pairs += [(o, f, OFFICE_TO_ORG) for f in sender_groups for o in recipient_groups]
        for org, office, direction in pairs:
            if org.startswith("org-") and office.startswith("office-"):
                add(OFFICE_CONTACT, office_contact_id(names[org], names[office]), direction, m)
    return counts


def _group_kind(group_id: str) -> str:
    return OFFICE if group_id.startswith("office-") else ORGANIZATION


def edge_id(source: str, target: str) -> str:
    return short_hash("group-edge", source, target)


def edge_pairs(counts: Counts) -> list[tuple[str, str]]:
    """(source, target) of the collapsed graph: offices and organizations that wrote to each
    other, in the roster's order (officials, then organizations). From the edges the counts
    found: every pair of groups tried would be 9 million hashes for 3,000 officials."""
    order = {
        g["id"]: n for n, g in enumerate(counts.groups.officials + counts.groups.organizations)
    }
    pairs = [
        (s, t)
        for eid, (s, t) in counts.edge_ends.items()
        if s != t and s in order and t in order and (GROUP_EDGE, eid, SENT) in counts.links
    ]
    return sorted(pairs, key=lambda p: (order[p[0]], order[p[1]]))


# -- the tables ----------------------------------------------------------------------------------


def office_rows(counts: Counts, recovered: bool = False) -> list[dict]:
    """One row per (organization, official): the canonical table."""
    rows = []
    for org in counts.groups.organizations:
        for official in counts.groups.officials:
            cid = office_contact_id(org["name"], official["name"])
            to_office = counts.indexes(OFFICE_CONTACT, cid, ORG_TO_OFFICE, recovered)
            to_org = counts.indexes(OFFICE_CONTACT, cid, OFFICE_TO_ORG, recovered)
            both = to_office | to_org
            first, last = counts.dates(both)
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
                    "by_month": counts.by_month(both),
                    "message_ids": counts.message_ids(both),
                }
            )
    return rows


def group_rows(counts: Counts, kind: str, recovered: bool = False) -> list[dict]:
    """Per office (kind "office") or organization: sent, received, first and last."""
    items = counts.groups.officials if kind == OFFICE else counts.groups.organizations
    rows = []
    for item in items:
        sent = counts.indexes(kind, item["id"], SENT, recovered)
        received = counts.indexes(kind, item["id"], RECEIVED, recovered)
        first, last = counts.dates(sent | received)
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


# Columns of the tables written row by row from tuples, named once.
LINK_COLUMNS = ("counted", "direction", "message_id", "kind", "sent_at", "month", "recovered")
CONTACT_COLUMNS = (
    "id", "person_a", "person_b", "name_a", "name_b", "a_to_b", "b_to_a", "total", "first",
    "last", "recovered",
)  # fmt: skip
PERSON_COLUMNS = ("sent", "received", "first", "last", *GRAPH_MEASURES)


def write(db: sqlite_utils.Database, counts: Counts, metrics: dict | None = None) -> None:
    """Replace every count table in one transaction. `metrics` are the graph's, by node id."""
    metrics = metrics or {}
    names = {pid: name for pid, name in db.execute("select id, name from persons")}
    office_contacts, monthly = _office_contact_rows(counts)
    by_table = {
        "office_contacts": office_contacts,
        "office_contact_months": monthly,
        "offices": _office_rows(counts, metrics),
        "organizations": _organization_rows(counts, metrics),
        "group_edges": _edge_rows(counts),
    }
    links, contacts = _link_rows(counts), _contact_rows(counts, names)
    people = _person_rows(counts, names, metrics)
    with db.atomic():
        for table in ("counted_messages", "contacts", *by_table):  # every count table
            db.execute(f"delete from [{table}]")
        db.conn.executemany(
            f"insert into counted_messages ({', '.join(LINK_COLUMNS)}) "
            "values (?, ?, ?, ?, ?, substr(?6, 1, 7), ?)",
            links,
        )
        db.conn.executemany(
            f"insert into contacts ({', '.join(CONTACT_COLUMNS)}) "
            f"values ({', '.join('?' * len(CONTACT_COLUMNS))})",
            contacts,
        )
        for table, rows in by_table.items():
            db.table(table).insert_all(rows, batch_size=2000)
        db.conn.executemany(
            f"update persons set {', '.join(f'{c} = ?' for c in PERSON_COLUMNS)} where id = ?",
            people,
        )


def _link_rows(counts: Counts) -> list[tuple]:
    """counted_messages, in LINK_COLUMNS order (the month is cut from the local time), sorted
    in primary-key order: the b-tree is written front to back."""
    msg = counts.messages
    return sorted(
        (counted, direction, msg.ids[i], kind, msg.sent_at[i], msg.local[i], msg.recovered[i])
        for (kind, counted, direction), found in counts.links.items()
        for i in found
    )


def _contact_rows(counts: Counts, names: dict[str, str]) -> list[tuple]:
    """contacts, in CONTACT_COLUMNS order."""
    rows = []
    for (a, b), cid in counts.contacts.items():
        ab = counts.indexes(CONTACT, cid, A_TO_B, False)
        ba = counts.indexes(CONTACT, cid, B_TO_A, False)
        first, last = counts.dates(ab | ba)
        recovered = counts.recovered_count((CONTACT, cid, A_TO_B), (CONTACT, cid, B_TO_A))
        total = len(ab | ba)
        row = (cid, a, b, names.get(a), names.get(b), len(ab), len(ba), total, first, last)
        rows.append((*row, recovered))
    return rows


def _office_contact_rows(counts: Counts) -> tuple[list[dict], list[dict]]:
    """office_contacts and office_contact_months."""
    office_contacts, monthly = [], []
    for row in office_rows(counts):
        keys = [(OFFICE_CONTACT, row["id"], d) for d in (ORG_TO_OFFICE, OFFICE_TO_ORG)]
        office_contacts.append(
            {
                **{k: v for k, v in row.items() if k not in ("by_month", "message_ids")},
                "busiest_months": busiest(row["by_month"]),
                "recovered": counts.recovered_count(*keys),
            }
        )
        a = counts.by_month(counts.indexes(*keys[0], False))
        b = counts.by_month(counts.indexes(*keys[1], False))
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
    return office_contacts, monthly


def _office_rows(counts: Counts, metrics: dict) -> list[dict]:
    g = counts.groups
    official_of = {o["id"]: o for o in g.officials}
    members_of: dict[str, list[str]] = {}  # office id -> its persons' names
    for p, mine in g.of.items():
        for group in mine:
            members_of.setdefault(group, []).append(g.names[p])
    offices = []
    for row in group_rows(counts, OFFICE):
        official = official_of[row["id"]]
        name = row.pop("name")
        members = sorted(members_of.get(row["id"], []), key=lambda n: (n != name, n))
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
    return offices


def _organization_rows(counts: Counts, metrics: dict) -> list[dict]:
    g = counts.groups
    org_of = {o["id"]: o for o in g.organizations}
    people = Counter(group for mine in g.of.values() for group in mine)
    organizations = []
    for row in group_rows(counts, ORGANIZATION):
        org = org_of[row["id"]]
        organizations.append(
            {
                **row,
                "aliases": json.dumps(org["aliases"], ensure_ascii=False),
                "domains": json.dumps(org["domains"]),
                "people": people[row["id"]],
                **_metric_columns(metrics.get(row["id"])),
            }
        )
    return organizations


def _edge_rows(counts: Counts) -> list[dict]:
    """group_edges: every pair of groups with mail between them."""
    g = counts.groups
    edges = []
    for source, target in edge_pairs(counts):
        eid = edge_id(source, target)
        n = counts.count(GROUP_EDGE, eid, SENT)
        if n:
            edges.append(
                {
                    "id": eid,
                    "source": source,
                    "target": target,
                    "source_name": g.names[source],
                    "target_name": g.names[target],
                    "source_kind": node_kind(source),
                    "target_kind": node_kind(target),
                    "messages": n,
                }
            )
    return edges


def _person_rows(counts: Counts, names: dict[str, str], metrics: dict) -> list[tuple]:
    """Each person's counts and measures, in PERSON_COLUMNS order, then the person's id."""
    rows = []
    for pid in names:
        sent = counts.indexes(PERSON, pid, SENT, False)
        received = counts.indexes(PERSON, pid, RECEIVED, False)
        first, last = counts.dates(sent | received)
        m = metrics.get(pid) or {}
        measures = tuple(m.get(c) for c in GRAPH_MEASURES)
        rows.append((len(sent), len(received), first, last, *measures, pid))
    return rows


def node_kind(node: str) -> str:
    if node.startswith("office-"):
        return OFFICE
    if node.startswith("org-"):
        return ORGANIZATION
    return PERSON


def _metric_columns(m: dict | None) -> dict:
    m = m or {}
    return {measure: m.get(measure) for measure in GRAPH_MEASURES}
