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
from pathlib import Path

import sqlite_utils
import yaml

from ..corpus.keys import short_hash
from ..corpus.matching import fold
from ..corpus.roster import Person, Roster

HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "hon",
    "honorable",
    "prof",
    "rev",
    "sir",
    "trustee",
    "councilmember",
    "commissioner",
    "jr",
    "sr",
    "ii",
    "iii",
}


def name_key(name: str) -> str:
    """A name as compared: folded, "Last, First" turned round, honorifics and middle initials
    off. "Dr. Ibáñez, Rosa M." and "rosa ibanez" are the same key."""
    text = fold(name or "").strip().strip("'\"")
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if last and first and " " not in last.strip():
            text = f"{first} {last}"
    words = [w for w in re.split(r"[^\w'-]+", text) if w]
    words = [w for w in words if w not in HONORIFICS]
    if len(words) > 2:  # middle initials go; a first or last initial stays
        words = [words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]]
    return " ".join(words)


@dataclass
class IdentitySummary:
    persons: int = 0
    merged: int = 0  # keys joined to a person by a rule other than "its own address"
    suggestions: int = 0
    overrides: int = 0


class _Persons:
    def __init__(self):
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
    db: sqlite_utils.Database, roster: Roster | None = None, overrides: Path | None = None
) -> IdentitySummary:
    """Rebuild persons, person_keys and identity_suggestions; set participants.person_id.
    An `overrides` file replaces the stored decisions; without one, the stored ones apply."""
    keys: dict[str, tuple[str | None, Counter]] = {}
    for key, address, name in db.execute("select key, address, name from participants"):
        entry = keys.setdefault(key, (address, Counter()))
        if name:
            entry[1][name] += 1
    people = roster.people if roster else []
    by_email = {e: p for p in people for e in p.emails}
    by_name: dict[str, set[int]] = defaultdict(set)
    for n, p in enumerate(people):
        for variant in _variants(p):
            by_name[variant].add(n)
    domains = {d: o.name for o in (roster.organizations if roster else []) for d in o.domains}
    persons = _Persons()
    suggestions: list[dict] = []

    def roster_person(p: Person) -> str:
        org = p.group if p.kind == "member" else None
        return persons.add(
            short_hash("person", p.kind, p.group, p.name),
            p.name,
            p.kind,
            p.group if p.kind != "member" else None,
            org,
        )

    shown: dict[str, set[str]] = defaultdict(set)  # name key -> address keys that showed it
    for key, (address, names) in keys.items():
        if not address:
            continue
        if address in by_email:
            p = by_email[address]
            persons.assign(
                key,
                roster_person(p),
                "roster email",
                f"{address} is listed for {p.name} in the roster",
            )
        else:
            display = names.most_common(1)[0][0] if names else address
            domain = address.rsplit("@", 1)[-1]
            org = domains.get(domain)
            p = _roster_by_display(names, by_name, people)
            # The roster's person by the name this address shows: when the roster gives them no
            # address, or the address is at their organization's domain. Otherwise the roster's
            # addresses stand, and this one is only suggested (an official's private account).
            if p is not None and (not p.emails or (p.kind == "member" and org == p.group)):
                persons.assign(
                    key,
                    roster_person(p),
                    "roster name",
                    f"{address} shows the name {display!r}: {p.name!r} in the roster",
                )
                for name in names:
                    shown[name_key(name)].add(key)
                continue
            pid = persons.add(short_hash("person", "address", address), display, "other", None, org)
            persons.assign(key, pid, "address", address)
            if p is not None:
                suggestions.append(
                    {
                        "key": key,
                        "person_id": roster_person(p),
                        "reason": f"{address} shows the name {display!r}, like {p.name!r} in the "
                        "roster, who is listed with other addresses",
                    }
                )
        for name in names:
            shown[name_key(name)].add(key)
    suggestions += _printed_near_misses(db, keys, persons)
    for key, (address, names) in keys.items():
        if address:
            continue
        name = names.most_common(1)[0][0] if names else key.removeprefix("name:")
        nk = name_key(name)
        matches = by_name.get(nk, set())
        if len(matches) == 1:
            p = people[next(iter(matches))]
            persons.assign(
                key,
                roster_person(p),
                "roster name",
                f"{name!r} is {p.name!r} or one of the roster's names for them",
            )
            continue
        candidates = {persons.of[k] for k in shown.get(nk, set())}
        if len(candidates) == 1 and not matches:
            pid = next(iter(candidates))
            persons.assign(
                key,
                pid,
                "display name",
                f"{name!r} is the name shown with {persons.rows[pid]['name']!r}'s address",
            )
            continue
        pid = persons.add(short_hash("person", "name", nk), name, "other", None, None)
        persons.assign(key, pid, "name only", name)
        for other in sorted(candidates | {roster_person(people[m]) for m in matches}):
            suggestions.append(
                {
                    "key": key,
                    "person_id": other,
                    "reason": f"{name!r} could be {persons.rows[other]['name']!r}: "
                    "more than one person has this name",
                }
            )
    decisions = read_overrides(overrides) if overrides else stored_overrides(db)
    applied = _apply_overrides(persons, decisions)
    used = set(persons.of.values())
    rows = [r for pid, r in persons.rows.items() if pid in used]
    for r in rows:
        mine = [k for k, p in persons.of.items() if p == r["id"]]
        r["keys"] = json.dumps(sorted(mine), ensure_ascii=False)
    with db.atomic():
        for table in ("persons", "person_keys", "identity_suggestions"):
            db.execute(f"delete from [{table}]")
        if overrides:
            db.execute("delete from identity_overrides")
            db["identity_overrides"].insert_all(
                ({"decision": d, "a": a, "b": b} for d, a, b in decisions),
                batch_size=1000,
                ignore=True,
            )
        db["persons"].insert_all(rows, batch_size=1000)
        db["person_keys"].insert_all(persons.log_rows(), batch_size=1000)
        db["identity_suggestions"].insert_all(
            ({"id": short_hash("suggest", s["key"], s["person_id"]), **s} for s in suggestions),
            batch_size=1000,
            ignore=True,
        )
        db.conn.executemany(
            "update participants set person_id = ? where key = ?",
            [(pid, key) for key, pid in persons.of.items()],
        )
    merged = sum(1 for e in persons.final_log() if e["rule"] != "address")
    return IdentitySummary(len(rows), merged, len(suggestions), applied)


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
            and difflib.SequenceMatcher(None, domain, keys[k][0].split("@", 1)[1]).ratio() >= 0.8
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


def _roster_by_display(
    names: Counter, by_name: dict[str, set[int]], people: list[Person]
) -> Person | None:
    """The one roster person every display name of an address points at, if there is one."""
    found = {n for name in names for n in by_name.get(name_key(name), set())}
    return people[next(iter(found))] if len(found) == 1 else None


def _variants(p: Person) -> set[str]:
    names = {p.name, *p.aliases}
    last = name_key(p.name).split()[-1:] if p.name else []
    names |= {f"{nick} {last[0]}" for nick in p.nicknames} if last else set()
    return {name_key(n) for n in names if n}


def read_overrides(path: Path) -> list[tuple[str, str, str]]:
    """The reporter's decisions file: `same: [[key, key], …]` and `different: [[key, key], …]`,
    keys being addresses or "name:…". Returns (decision, key, key) rows."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [
        (decision, a.lower(), b.lower())
        for decision in ("same", "different")
        for a, b in data.get(decision, []) or []
    ]


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
