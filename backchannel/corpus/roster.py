"""The reporter's roster (README, `--roster` under analyze; sample/roster.yaml): the officials
with their staff, and the organizations to watch with their people and domains. YAML or CSV. A
roster with a mistake is refused as a whole, with the file, the line and the reason: nothing is
half-applied."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from . import yamlfile
from .keys import short_hash
from .matching import last_name
from .timezone import ZoneError, check_zone, store_zone, stored_zone
from .yamlfile import DOMAIN, EMAIL, FileError

PERSON_KEYS = {"name", "title", "emails", "aliases", "nicknames", "staff"}
ORG_KEYS = {"name", "aliases", "domains", "people"}
CSV_COLUMNS = {"group", "kind", "name", "emails", "aliases"}
CSV_OPTIONAL = {"title", "nicknames"}
# A roster's cells are names, addresses and lists of aliases. (The csv module's own limit is
# process-wide, and the load-file reader raises it: not a limit to rely on here.)
CELL_MAX = 10_000


class RosterError(FileError):
    refused = "roster"


_yaml = yamlfile.Reader(RosterError)


@dataclass
class Person:
    name: str
    kind: str  # official, staff, member
    group: str  # the official (for an official: themself) or the organization
    emails: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    nicknames: list[str] = field(default_factory=list)
    title: str | None = None
    line: int | None = None

    @property
    def id(self) -> str:
        """The persons table's id for this roster person (identity resolution makes the row)."""
        return roster_person_id(self.kind, self.group, self.name)

    def names(self) -> set[str]:
        """Every form the roster gives: the name, its aliases, and each nickname with the last
        name ("Dee Whitfield" for Dana Whitfield, nicknamed Dee), as written."""
        last = last_name(self.name)
        return {self.name, *self.aliases} | (
            {f"{nick} {last}" for nick in self.nicknames} if last else set()
        )


def roster_person_id(kind: str, group: str, name: str) -> str:
    return short_hash("person", kind, group, name)


@dataclass
class Organization:
    name: str
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Roster:
    people: list[Person]
    organizations: list[Organization]
    timezone: str | None = None  # the corpus's IANA zone, when the roster names it

    @property
    def officials(self) -> list[Person]:
        return [p for p in self.people if p.kind == "official"]

    def office(self, official: str) -> list[Person]:
        """The official and the staff the roster names: what counts as their office."""
        return [p for p in self.people if p.kind in ("official", "staff") and p.group == official]


def load_roster(path: Path) -> Roster:
    path = Path(path)
    text = _yaml.read(path)
    roster = _from_csv(path, text) if path.suffix.lower() == ".csv" else _from_yaml(path, text)
    _check(path, roster)
    return roster


# -- YAML ---------------------------------------------------------------------------------------


def _from_yaml(path: Path, text: str) -> Roster:
    root = _yaml.compose(path, text, "the roster")
    top = _yaml.mapping(path, root, {"officials", "organizations", "timezone"}, "the roster")
    zone = None
    if top.get("timezone") is not None:
        zone = _yaml.scalar(path, top["timezone"], root, "timezone needs an IANA zone name")
        try:
            check_zone(zone)
        except ZoneError as exc:
            raise RosterError(path, top["timezone"].start_mark.line + 1, str(exc)) from exc
    people: list[Person] = []
    for node in _yaml.sequence(path, top.get("officials"), "officials"):
        fields = _yaml.mapping(path, node, PERSON_KEYS, "an official")
        official = _person(path, node, fields, "official", None)
        people.append(official)
        people += _people(path, fields.get("staff"), "staff", official.name)
    organizations = []
    for node in _yaml.sequence(path, top.get("organizations"), "organizations"):
        fields = _yaml.mapping(path, node, ORG_KEYS, "an organization")
        org = Organization(
            name=_yaml.scalar(path, fields.get("name"), node, "organization needs a name"),
            aliases=_yaml.strings(path, fields.get("aliases")),
            domains=[d.lower() for d in _yaml.strings(path, fields.get("domains"))],
            line=node.start_mark.line + 1,
        )
        organizations.append(org)
        people += _people(path, fields.get("people"), "member", org.name)
    return Roster(people, organizations, zone)


def _people(path: Path, node: Any, kind: str, group: str) -> list[Person]:
    """An official's staff or an organization's people: a list of persons without staff."""
    key, label = ("staff", "a staff member") if kind == "staff" else ("people", "a person")
    return [
        _person(path, item, _yaml.mapping(path, item, PERSON_KEYS - {"staff"}, label), kind, group)
        for item in _yaml.sequence(path, node, key)
    ]


def _person(path: Path, node: Any, fields: dict, kind: str, group: str | None) -> Person:
    article = "an" if kind[0] in "aeiou" else "a"
    name = _yaml.scalar(path, fields.get("name"), node, f"{article} {kind} needs a name")
    return Person(
        name=name,
        kind=kind,
        group=group or name,
        emails=[e.lower() for e in _yaml.strings(path, fields.get("emails"))],
        aliases=_yaml.strings(path, fields.get("aliases")),
        nicknames=_yaml.strings(path, fields.get("nicknames")),
        title=_title(path, fields.get("title")),
        line=node.start_mark.line + 1,
    )


def _title(path: Path, node: Any) -> str | None:
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise RosterError(path, yamlfile.line_of(node), "a title is a line of text")
    return node.value.strip() or None


# -- CSV ----------------------------------------------------------------------------------------


def _csv_rows(path: Path, text: str) -> tuple[set[str], list[tuple[int, dict[str, str]]]]:
    """The header's columns and each row as {column: cell} with its line; a row the CSV
    reader cannot read (a quote never closed), a cell over CELL_MAX characters, a column
    named twice or a row wider than the header refuses the file."""
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [c.strip().lower() for c in next(reader, [])]
        rows = []
        line = reader.line_num + 1
        for cells in reader:
            if any(len(c) > CELL_MAX for c in cells):
                raise RosterError(path, line, f"a cell of over {CELL_MAX:,} characters")
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                raise RosterError(
                    path, line, f"{len(cells)} cells where the header names {len(header)}"
                )
            rows.append((line, dict(zip(header, cells, strict=False))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise RosterError(path, reader.line_num, f"not valid CSV: {exc}") from exc
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise RosterError(path, 1, f"column {twice[0]!r} is named twice")
    return set(header), rows


def _from_csv(path: Path, text: str) -> Roster:
    header, rows = _csv_rows(path, text)
    if not CSV_COLUMNS <= header:
        missing = ", ".join(sorted(CSV_COLUMNS - header))
        raise RosterError(path, 1, f"missing columns: {missing}")
    unknown = header - CSV_COLUMNS - CSV_OPTIONAL
    if unknown:
        raise RosterError(path, 1, f"unknown columns: {', '.join(sorted(unknown))}")
    people: list[Person] = []
    organizations: dict[str, Organization] = {}
    for n, raw in rows:
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        row = {c: row.get(c, "") for c in header}
        kind, group, name = row["kind"].lower(), row["group"], row["name"]
        split = lambda value: [v.strip() for v in value.split(";") if v.strip()]  # noqa: E731
        if kind not in ("official", "staff", "member", "domain"):
            raise RosterError(
                path, n, f"kind {row['kind']!r} should be official, staff, member or domain"
            )
        if not group:
            raise RosterError(path, n, "the group (an official or an organization) is missing")
        if kind == "domain":
            org = organizations.setdefault(group, Organization(group, line=n))
            org.domains += [d.lower() for d in split(name or row["emails"])]
            org.aliases += split(row["aliases"])
            continue
        if not name:
            raise RosterError(path, n, f"a {kind} needs a name")
        if kind == "member":
            organizations.setdefault(group, Organization(group, line=n))
        people.append(
            Person(
                name=name,
                kind=kind,
                group=name if kind == "official" else group,
                emails=[e.lower() for e in split(row["emails"])],
                aliases=split(row["aliases"]),
                nicknames=split(row.get("nicknames", "")),
                title=row.get("title") or None,
                line=n,
            )
        )
    officials = {p.name for p in people if p.kind == "official"}
    for p in people:
        if p.kind == "staff" and p.group not in officials:
            raise RosterError(
                path, p.line, f"staff of {p.group!r}, who is not listed as an official"
            )
    return Roster(people, list(organizations.values()))


# -- checks and storage -------------------------------------------------------------------------


def _check(path: Path, roster: Roster) -> None:
    seen_officials: dict[str, int | None] = {}
    owner: dict[str, str] = {}
    for p in roster.people:
        if p.kind == "official":
            key = p.name.casefold()
            if key in seen_officials:
                raise RosterError(
                    path,
                    p.line,
                    f"official {p.name!r} is listed twice (first on line {seen_officials[key]})",
                )
            seen_officials[key] = p.line
        for email in p.emails:
            if not EMAIL.match(email):
                raise RosterError(path, p.line, f"{email!r} is not an email address")
            if email in owner and owner[email] != p.name:
                raise RosterError(
                    path, p.line, f"{email} is given to both {owner[email]!r} and {p.name!r}"
                )
            owner[email] = p.name
    names = set()
    for org in roster.organizations:
        if org.name.casefold() in names:
            raise RosterError(path, org.line, f"organization {org.name!r} is listed twice")
        names.add(org.name.casefold())
        for domain in org.domains:
            if not DOMAIN.match(domain):
                raise RosterError(path, org.line, f"{domain!r} is not a domain name")


def save_roster(db: sqlite_utils.Database, roster: Roster) -> None:
    """Replace the corpus's roster tables with this roster, in one transaction (and its time
    zone, when it names one)."""
    with db.atomic():
        if roster.timezone:
            store_zone(db, roster.timezone)
        db.execute("delete from roster_people")
        db.execute("delete from roster_organizations")
        db.table("roster_people").insert_all(
            {
                "id": short_hash("roster-person", p.kind, p.group, p.name),
                "name": p.name,
                "kind": p.kind,
                "group_name": p.group,
                "title": p.title,
                "emails": json.dumps(p.emails),
                "aliases": json.dumps(p.aliases, ensure_ascii=False),
                "nicknames": json.dumps(p.nicknames, ensure_ascii=False),
            }
            for p in roster.people
        )
        db.table("roster_organizations").insert_all(
            {
                "id": short_hash("roster-org", o.name),
                "name": o.name,
                "aliases": json.dumps(o.aliases, ensure_ascii=False),
                "domains": json.dumps(o.domains),
            }
            for o in roster.organizations
        )


def stored_roster(db: sqlite_utils.Database) -> Roster | None:
    """The roster an earlier `analyze --roster` stored, or None: a re-run without --roster
    keeps using it."""
    if "roster_people" not in db.table_names():
        return None
    people = [
        Person(
            name=r[0],
            kind=r[1],
            group=r[2],
            title=r[3],
            emails=json.loads(r[4] or "[]"),
            aliases=json.loads(r[5] or "[]"),
            nicknames=json.loads(r[6] or "[]"),
        )
        for r in db.execute(
            "select name, kind, group_name, title, emails, aliases, nicknames "
            "from roster_people order by rowid"
        )
    ]
    orgs = [
        Organization(name=r[0], aliases=json.loads(r[1] or "[]"), domains=json.loads(r[2] or "[]"))
        for r in db.execute(
            "select name, aliases, domains from roster_organizations order by rowid"
        )
    ]
    return Roster(people, orgs, stored_zone(db)) if people or orgs else None
