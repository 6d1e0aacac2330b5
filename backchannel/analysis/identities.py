"""Identity resolution: the addresses and names that participants show, merged into persons.

Conservative by rule: an address is a person; the roster joins the addresses and names it lists;
a name seen without an address (a printout, a quote) joins the one person who showed that name
with an address. Where more than one could be meant (two J. Smiths) nothing is merged and a
suggestion says so. Every merge is a row in `person_keys` with its rule and evidence; the
reporter's overrides file ("same person" / "not the same person") is applied last, every run.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlite_utils

from ..corpus.keys import short_hash
from ..corpus.matching import name_key
from ..corpus.roster import Person, Roster
from ..corpus.sql import sql_list
from ..vocabulary import COUNTED_ROLES
from .mailboxes import mailboxes, owner_ties


@dataclass
class IdentitySummary:
    persons: int = 0
    merged: int = 0  # keys joined to a person by a rule other than "its own address"
    suggestions: int = 0
    overrides: int = 0


class _Persons:
    def __init__(self) -> None:
        self.of: dict[str, str] = {}  # participant key -> person id
        self.rows: dict[str, dict] = {}
        self.log: list[dict] = []
        self.rules: dict[str, str] = {}  # key -> the rule of its last assignment

    def add(self, pid: str, name: str, kind: str, group: str | None, org: str | None) -> str:
        self.rows.setdefault(
            pid, {"id": pid, "name": name, "kind": kind, "roster_group": group, "organization": org}
        )
        return pid

    def assign(self, key: str, pid: str, rule: str, evidence: str) -> None:
        self.of[key] = pid
        self.rules[key] = rule
        self.log.append({"key": key, "person_id": pid, "rule": rule, "evidence": evidence})

    def log_rule(self, key: str) -> str | None:
        """The rule of the key's last assignment."""
        return self.rules.get(key)

    def final_log(self) -> list[dict]:
        """Each key's last assignment: an override is the word that stands."""
        return list({e["key"]: e for e in self.log}.values())

    def log_rows(self) -> list[dict]:
        return [{"id": short_hash("person-key", e["key"]), **e} for e in self.final_log()]


def resolve(
    db: sqlite_utils.Database,
    roster: Roster | None = None,
    overrides: list[tuple[str, str, str]] | None = None,
) -> IdentitySummary:
    """Rebuild persons, person_keys and identity_suggestions; set participants.person_id.
    `overrides` (an overrides file's decisions, overrides.read_overrides) replace the stored
    ones; without them, the stored ones apply."""
    decisions = overrides if overrides is not None else stored_overrides(db)
    r, applied = _resolved(db, roster, decisions)
    rows = _person_rows(r.persons, {s["person_id"] for s in r.suggestions})
    _write(db, r.persons, rows, r.suggestions, overrides)
    merged = sum(1 for e in r.persons.final_log() if e["rule"] != "address")
    return IdentitySummary(len(rows), merged, len(r.suggestions), applied)


def identity_map(
    db: sqlite_utils.Database, roster: Roster | None
) -> tuple[dict[str, str], dict[str, dict]]:
    """Who each participant key would be under `roster` (with the stored overrides), without
    writing anything: (key -> person id, person id -> its persons row). The roster draft reads
    the corpus this way with the reporter's roster, whichever roster the corpus stores."""
    r, _ = _resolved(db, roster, stored_overrides(db))
    rows = _person_rows(r.persons, {s["person_id"] for s in r.suggestions})
    return dict(r.persons.of), {row["id"]: row for row in rows}


def stored_identity_map(db: sqlite_utils.Database) -> tuple[dict[str, str], dict[str, dict]]:
    """identity_map as the last resolve wrote it (person_keys, persons): what analyze's later
    stages read, without resolving again."""
    of = {key: pid for key, pid in db.execute("select key, person_id from person_keys")}
    rows = {
        r["id"]: r
        for r in db.query("select id, name, kind, roster_group, organization, keys from persons")
    }
    return of, rows


def _resolved(
    db: sqlite_utils.Database, roster: Roster | None, decisions: list[tuple[str, str, str]]
) -> tuple[_Resolver, int]:
    """The two passes and the overrides, in memory: the resolver and how many overrides
    changed something."""
    r = _Resolver(roster, *_participant_keys(db))
    r.addresses()
    r.mailbox_owners(db)
    r.suggestions += _printed_near_misses(db, r.keys, r.persons)
    r.suggestions += _own_forwards(db, r.keys, r.persons)
    r.names_only()
    return r, _apply_overrides(r.persons, decisions)


def _participant_keys(
    db: sqlite_utils.Database,
) -> tuple[dict[str, tuple[str | None, Counter]], dict[str, set[str]]]:
    """Each participant key with its address and the names shown with it (how often), and the
    Exchange aliases shown with it."""
    keys: dict[str, tuple[str | None, Counter]] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for key, address, name, alias in db.execute(
        "select key, address, name, alias from participants"
    ):
        entry = keys.setdefault(key, (address, Counter()))
        if name:
            entry[1][name] += 1
        if alias:
            aliases[key].add(alias)
    return keys, aliases


class _Resolver:
    """The two passes: keys with an address first (the roster's emails, then its rules, else a
    person of their own), then keys with a name only, which may take the person whose address
    showed that name."""

    def __init__(
        self,
        roster: Roster | None,
        keys: dict[str, tuple[str | None, Counter]],
        aliases: dict[str, set[str]],
    ):
        self.keys, self.aliases = keys, aliases
        self.people = roster.people if roster else []
        self.by_email = {e: p for p in self.people for e in p.emails}
        # Each roster address by its local part: (its place in the roster, person, address).
        self.by_local: dict[str, list[tuple[int, Person, str]]] = defaultdict(list)
        order = ((p, e) for p in self.people for e in p.emails)
        for n, (p, e) in enumerate(order):
            self.by_local[e.partition("@")[0]].append((n, p, e))
        self.by_name: dict[str, set[int]] = defaultdict(set)
        for n, p in enumerate(self.people):
            for variant in _variants(p):
                self.by_name[variant].add(n)
        orgs = roster.organizations if roster else []
        self.domains = {d: o.name for o in orgs for d in o.domains}
        self.persons = _Persons()
        self.suggestions: list[dict] = []
        self.shown: dict[str, set[str]] = defaultdict(set)  # name key -> address keys showing it

    def roster_person(self, p: Person) -> str:
        org = p.group if p.kind == "member" else None
        return self.persons.add(
            p.id,
            p.name,
            p.kind,
            p.group if p.kind != "member" else None,
            org,
        )

    def addresses(self) -> None:
        for key, (address, names) in self.keys.items():
            if not address:
                continue
            if address in self.by_email:
                p = self.by_email[address]
                self.persons.assign(
                    key,
                    self.roster_person(p),
                    "roster email",
                    f"{address} is listed for {p.name} in the roster",
                )
            else:
                self._address(key, address, names)
            for name in names:
                self.shown[name_key(name)].add(key)

    def _address(self, key: str, address: str, names: Counter) -> None:
        """An address the roster does not list: one of the roster's rules, else its own person,
        with a suggestion when it shows a roster person's name."""
        display = names.most_common(1)[0][0] if names else address
        org = self.domains.get(address.rsplit("@", 1)[-1])
        p = _roster_by_display(names, self.by_name, self.people)
        rule = _roster_rule(address, display, org, self.aliases.get(key, set()), p, self.by_local)
        if rule is not None:
            person, rule_name, evidence = rule
            self.persons.assign(key, self.roster_person(person), rule_name, evidence)
            return
        pid = self.persons.add(
            short_hash("person", "address", address), display, "other", None, org
        )
        self.persons.assign(key, pid, "address", address)
        if p is not None and not _role_address(address):
            why = (
                "a personal account's"
                if _personal(address)
                else "listed with other addresses; this one is at another domain"
            )
            self.suggestions.append(
                {
                    "key": key,
                    "person_id": self.roster_person(p),
                    "reason": f"{address} shows the name {display!r}, like {p.name!r} in the "
                    f"roster ({why})",
                }
            )

    def mailbox_owners(self, db: sqlite_utils.Database) -> None:
        """Addresses a roster person's own mailbox shows as theirs (analysis/mailboxes.py):
        joined by the rule "mailbox owner", or suggested where doubt is left. A system's
        address is never joined this way, a personal account only suggested."""
        if not self.people:
            return
        open_keys = {
            k for k, (a, _) in self.keys.items() if a and self.persons.log_rule(k) == "address"
        }
        ties = owner_ties(mailboxes(db), self.people, self.by_name, self.keys, open_keys)
        owners: dict[str, set[int]] = defaultdict(set)
        for tie in ties:
            owners[tie.key].add(tie.person)
        for tie in ties:
            address = self.keys[tie.key][0] or ""
            if _role_address(address):
                continue
            p = self.people[tie.person]
            doubt = tie.doubt or ("a personal account" if _personal(address) else "")
            if len(owners[tie.key]) > 1:
                doubt = "the mailboxes of more than one roster person show it as theirs"
            if not doubt:
                self.persons.assign(tie.key, self.roster_person(p), "mailbox owner", tie.evidence)
                continue
            self.suggestions.append(
                {
                    "key": tie.key,
                    "person_id": self.roster_person(p),
                    "reason": f"{tie.evidence} (not joined: {doubt})",
                }
            )

    def names_only(self) -> None:
        for key, (address, names) in self.keys.items():
            if not address:
                name = names.most_common(1)[0][0] if names else key.removeprefix("name:")
                self._name(key, name)

    def _name(self, key: str, name: str) -> None:
        """A name without an address: a roster person's name, else the one person whose address
        showed it, else a person of its own, with suggestions when several could be meant."""
        persons = self.persons
        nk = name_key(name)
        matches = self.by_name.get(nk, set())
        if len(matches) == 1:
            p = self.people[next(iter(matches))]
            persons.assign(
                key,
                self.roster_person(p),
                "roster name",
                f"{name!r} is {p.name!r} or one of the roster's names for them",
            )
            return
        candidates = {persons.of[k] for k in self.shown.get(nk, set())}
        if len(candidates) == 1 and not matches:
            pid = next(iter(candidates))
            persons.assign(
                key,
                pid,
                "display name",
                f"{name!r} is the name shown with {persons.rows[pid]['name']!r}'s address",
            )
            return
        pid = persons.add(short_hash("person", "name", nk), name, "other", None, None)
        persons.assign(key, pid, "name only", name)
        for other in sorted(candidates | {self.roster_person(self.people[m]) for m in matches}):
            self.suggestions.append(
                {
                    "key": key,
                    "person_id": other,
                    "reason": f"{name!r} could be {persons.rows[other]['name']!r}: "
                    "more than one person has this name",
                }
            )


def _person_rows(persons: _Persons, suggested: set[str]) -> list[dict]:
    """The persons some key ended with, each with its keys; and those a suggestion names (a
    roster person the corpus knows by no address yet)."""
    used = set(persons.of.values()) | suggested
    rows = [r for pid, r in persons.rows.items() if pid in used]
    keys_of: dict[str, list[str]] = defaultdict(list)  # each person's keys, in one pass
    for k, p in persons.of.items():
        keys_of[p].append(k)
    for r in rows:
        r["keys"] = json.dumps(sorted(keys_of.get(r["id"], [])), ensure_ascii=False)
    return rows


def _write(
    db: sqlite_utils.Database,
    persons: _Persons,
    rows: list[dict],
    suggestions: list[dict],
    decisions: list[tuple[str, str, str]] | None,
) -> None:
    """Replace the identity tables in one transaction; `decisions` replace the stored ones."""
    with db.atomic():
        for table in ("persons", "person_keys", "identity_suggestions"):
            db.execute(f"delete from [{table}]")
        if decisions is not None:
            db.execute("delete from identity_overrides")
            db.table("identity_overrides").insert_all(
                ({"decision": d, "a": a, "b": b} for d, a, b in decisions),
                batch_size=1000,
                ignore=True,
            )
        db.table("persons").insert_all(rows, batch_size=1000)
        db.table("person_keys").insert_all(persons.log_rows(), batch_size=1000)
        db.table("identity_suggestions").insert_all(
            ({"id": short_hash("suggest", s["key"], s["person_id"]), **s} for s in suggestions),
            batch_size=1000,
            ignore=True,
        )
        db.conn.executemany(
            "update participants set person_id = ? where key = ?",
            [(pid, key) for key, pid in persons.of.items()],
        )


# What OCR confuses in an address: "clintonernail" is "clintonemail", "sullivanii" is
# "sullivanjj", "0" is "o".
_OCR_FOLD = [("rn", "m"), ("cl", "d"), ("vv", "w"), ("0", "o"), ("5", "s"), ("1", "l"), ("j", "i")]


_WELL_FORMED = re.compile(r"[\w.%+'-]+@[\w-]+(\.[\w-]+)*\.(gov|com|org|net|edu|mil|[a-z]{2})")


def ocr_fold(address: str) -> str:
    for seen, meant in _OCR_FOLD:
        address = address.replace(seen, meant)
    return address.replace("l", "i")


def _printed_near_misses(
    db: sqlite_utils.Database, keys: dict[str, tuple[str | None, Counter]], persons: _Persons
) -> list[dict]:
    """Addresses read off paper that are near-misses of an address already in the corpus
    ("hrod17@clintonernail.com", "millscd@state.goy"): joined to it only when both show the
    same name; otherwise left as a suggestion. Spelling alone never merges two people."""
    printed_only = [
        r[0]
        for r in db.execute(
            "select key from participants where address is not null group by key "
            "having max(printed is null) = 0"
        )
    ]
    if not printed_only:
        return []
    by_fold: dict[str, list[str]] = defaultdict(list)
    by_local: dict[str, list[str]] = defaultdict(list)
    for key, (address, _) in keys.items():
        if address and "@" in address:
            by_fold[ocr_fold(address)].append(key)
            by_local[address.split("@")[0]].append(key)
    usage = dict(db.execute("select key, count(*) from participants group by key").fetchall())
    paper = set(printed_only)

    def weight(k: str) -> tuple:
        # The address as sent (not only read off paper), well formed, most used: the original.
        address = keys[k][0] or ""
        return (k not in paper, bool(_WELL_FORMED.fullmatch(address)), usage.get(k, 0), k)

    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    suggestions = []
    for key in printed_only:
        address, names = keys[key]
        if not address or "@" not in address or persons.log_rule(key) != "address":
            continue
        local, domain = address.split("@", 1)
        near = {k for k in by_fold[ocr_fold(address)] if k != key}
        near |= {
            k
            for k in by_local[local]
            if k != key
            and difflib.SequenceMatcher(None, domain, _domain(keys[k][0])).ratio() >= 0.8
        }
        mine = {name_key(n) for n in names} - {""}
        for other in sorted(near):
            if mine & ({name_key(n) for n in keys[other][1]} - {""}):
                a, b = root(key), root(other)
                if a != b:
                    parent[min(a, b, key=weight)] = max(a, b, key=weight)
            elif weight(other) > weight(key):
                suggestions.append(
                    {
                        "key": key,
                        "person_id": persons.of[other],
                        "reason": f"{address}, read off paper, is spelled like {keys[other][0]}; "
                        "no name shown with both says they are one person",
                    }
                )
    for key in parent:
        original = root(key)
        if key != original and persons.log_rule(key) == "address":
            shared = sorted(
                {name_key(n) for n in keys[key][1]} & {name_key(n) for n in keys[original][1]}
            )
            persons.assign(
                key,
                persons.of[original],
                "printed address",
                f"{keys[key][0]} is {keys[original][0]} as read off paper"
                + (f": both show the name {shared[0]!r}" if shared else ", by way of another"),
            )
    return suggestions


# Mail providers of private accounts: a roster name shown there is never merged on its own.
PERSONAL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "comcast.net",
    "verizon.net", "att.net", "sbcglobal.net", "protonmail.com", "proton.me", "gmx.com",
    "gmx.net", "mail.com", "zoho.com", "fastmail.com", "yandex.com",
}  # fmt: skip
# Senders that are systems, not people: whatever name they show, they are nobody's address.
_ROLE = re.compile(
    r"^(?:no-?reply|do-?not-?reply|donotreply|info|notifications?|alerts?|mailer-daemon|"
    r"postmaster|support|admin|news|newsletters?|bounces?|system|auto-?confirm)(?:[+._-].*)?$"
)
_TWO_LEVEL = {"co", "com", "gov", "org", "net", "ac", "edu"}


def _role_address(address: str) -> bool:
    return bool(_ROLE.match(address.split("@", 1)[0]))


def _personal(address: str) -> bool:
    domain = address.rsplit("@", 1)[-1]
    return domain in PERSONAL_DOMAINS or domain.split(".")[0] in {"yahoo", "hotmail", "gmx"}


def organization_domain(domain: str) -> str:
    """The registered domain an address's domain belongs to: "subsidiary.corp.example" and
    "corp.example" are one organization's ("corp.example"); "x.agency.gov.uk" is
    "agency.gov.uk"."""
    labels = domain.lower().strip(".").split(".")
    take = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _TWO_LEVEL else 2
    return ".".join(labels[-take:])


def _roster_rule(
    address: str,
    display: str,
    org: str | None,
    aliases: set[str],
    by_display: Person | None,
    by_local: dict[str, list[tuple[int, Person, str]]],
) -> tuple[Person, str, str] | None:
    """The roster person an address not listed in the roster is, by a rule that leaves no
    doubt, with the rule and its evidence; None when none applies (or they disagree).

    - the Exchange alias the headers give for it is the local part of a roster address;
    - its local part is a roster address's, at a domain of the same organization;
    - it shows a roster name at a domain of the same organization as that person's listed
      addresses (or the roster lists none for them; or, for an organization's member, at one
      of its domains).
    A personal account or a system's address (noreply@, info@) is never joined this way."""
    if _role_address(address) or _personal(address):
        return None
    local, _, domain = address.partition("@")
    home = organization_domain(domain) if domain else ""
    found: list[tuple[Person, str, str]] = []
    # Only the roster addresses with this local part or one of its aliases can apply, in the
    # roster's order: looked up, not every roster person tried for every address.
    listed_here = {
        entry[0]: entry for part in (local, *aliases) for entry in by_local.get(part, [])
    }
    for _, p, listed in sorted(listed_here.values(), key=lambda entry: entry[0]):
        l_local, _, l_domain = listed.partition("@")
        same_org = bool(home) and organization_domain(l_domain) == home
        if l_local in aliases and (same_org or not domain):
            found.append(
                (
                    p,
                    "roster alias",
                    f"the headers give {address} the Exchange alias {l_local!r}, the mailbox "
                    f"of {listed} ({p.name} in the roster)",
                )
            )
        elif local == l_local and same_org:
            found.append(
                (
                    p,
                    "roster local part",
                    f"{address} is {listed} ({p.name} in the roster) at another domain of {home}",
                )
            )
    if by_display is not None:
        p = by_display
        homes = {organization_domain(e.partition("@")[2]) for e in p.emails}
        if not p.emails or (p.kind == "member" and org == p.group):
            found.append(
                (
                    p,
                    "roster name",
                    f"{address} shows the name {display!r}: {p.name!r} in the roster",
                )
            )
        elif home in homes:
            found.append(
                (
                    p,
                    "roster name at their domain",
                    f"{address} shows the name {display!r} ({p.name!r} in the roster) at "
                    f"{domain}, a domain of {home} like their listed addresses",
                )
            )
    chosen = {id(p) for p, _, _ in found}
    return found[0] if len(chosen) == 1 else None


def _own_forwards(
    db: sqlite_utils.Database, keys: dict[str, tuple[str | None, Counter]], persons: _Persons
) -> list[dict]:
    """A personal account that a roster person forwards their own mail to, and to no one else:
    most likely their own, but only a suggestion (it could be a spouse's, a lawyer's)."""
    roster_kinds = ("official", "staff", "member")
    forwards: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = db.execute(
        f"""select p.message_id, p.role, p.key from participants p
           join messages m on m.id = p.message_id
           where lower(m.subject) glob 'fw*:*' and p.role in {sql_list(COUNTED_ROLES)}
           order by p.message_id"""
    ).fetchall()
    by_message: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for mid, role, key in rows:
        by_message[mid].append((role, key))
    for mid, entries in by_message.items():
        senders = [k for r, k in entries if r == "from"]
        recipients = {k for r, k in entries if r != "from"}
        if len(senders) != 1 or len(recipients) != 1:
            continue
        (to,) = recipients
        sender_person = persons.of.get(senders[0])
        address = keys.get(to, (None, None))[0]
        if (
            sender_person is None
            or persons.rows[sender_person]["kind"] not in roster_kinds
            or not address
            or not _personal(address)
            or persons.rows[persons.of[to]]["kind"] in roster_kinds
        ):
            continue
        forwards[to][sender_person].append(mid)
    out = []
    for key, by_person in forwards.items():
        for pid, mids in by_person.items():
            out.append(
                {
                    "key": key,
                    "person_id": pid,
                    "reason": f"{keys[key][0]}, a personal account, receives "
                    f"{persons.rows[pid]['name']}'s forwards with no one else on them "
                    f"({len(mids)} message(s), e.g. {mids[0]})",
                }
            )
    return out


def _roster_by_display(
    names: Counter, by_name: dict[str, set[int]], people: list[Person]
) -> Person | None:
    """The one roster person every display name of an address points at, if there is one."""
    found = {n for name in names for n in by_name.get(name_key(name), set())}
    return people[next(iter(found))] if len(found) == 1 else None


def _variants(p: Person) -> set[str]:
    return {name_key(n) for n in p.names() if n}


def stored_overrides(db: sqlite_utils.Database) -> list[tuple[str, str, str]]:
    """The decisions an earlier run was given: they stand until a new file replaces them."""
    if "identity_overrides" not in db.table_names():
        return []
    return [
        tuple(r) for r in db.execute("select decision, a, b from identity_overrides order by rowid")
    ]


def _apply_overrides(persons: _Persons, decisions: list[tuple[str, str, str]]) -> int:
    """ "same" joins the second key to the first's person; "different" parts them (the second
    key becomes a person of its own)."""
    count = 0
    for decision, a, b in decisions:
        if a not in persons.of or b not in persons.of:
            continue
        if decision == "same" and persons.of[a] != persons.of[b]:
            persons.assign(b, persons.of[a], "override: same person", f"{a} = {b}")
            count += 1
        elif decision == "different" and persons.of[a] == persons.of[b]:
            pid = persons.add(
                short_hash("person", "override", b), b.removeprefix("name:"), "other", None, None
            )
            persons.assign(b, pid, "override: not the same person", f"{a} ≠ {b}")
            count += 1
    return count


def merges_report(db: sqlite_utils.Database, everyone: bool = False) -> str:
    """What identity resolution did, for a fact-checker to read before trusting a count: for
    each roster person (each person with `everyone`), every address and name joined to them
    with the rule and its evidence; then the suggestions left for the reporter."""
    if "person_keys" not in db.table_names() or not db["persons"].count:
        return "No identities yet: run backchannel analyze first."
    where = "" if everyone else "where p.kind in ('official', 'staff', 'member')"
    rows = db.execute(
        f"""select p.name, p.kind, coalesce(p.roster_group, p.organization, ''), k.key, k.rule,
                   k.evidence
            from persons p join person_keys k on k.person_id = p.id {where}
            order by p.kind = 'other', p.name, k.rule != 'roster email', k.key"""
    ).fetchall()
    lines: list[str] = []
    current = None
    for name, kind, group, key, rule, evidence in rows:
        if (name, kind) != current:
            current = (name, kind)
            lines.append(f"{name}  ({kind}{', ' + group if group and group != name else ''})")
        lines.append(f"    {key}")
        lines.append(f"        {rule}: {evidence}")
    suggestions = db.execute(
        """select s.key, p.name, s.reason from identity_suggestions s
           left join persons p on p.id = s.person_id order by p.name, s.key"""
    ).fetchall()
    lines.append("")
    lines.append(
        f"Suggestions ({len(suggestions)}): not merged. To merge one, list it under `same:` in "
        "an overrides file and run backchannel analyze --overrides FILE."
    )
    for key, name, reason in suggestions:
        lines.append(f"    {key}  →  {name}: {reason}")
    return "\n".join(lines)


def _domain(address: str | None) -> str:
    """What follows the @ (the keys compared here all have an address)."""
    return (address or "").split("@", 1)[-1]
