"""Who is private, and what a private person becomes in the public build.

Visible: the roster's people (officials, staff, members of watched organizations), whoever
writes from the roster's, the watched organizations' or the agency's domains, and whoever the
policy lists. Everyone else is a private person: their address becomes a pseudonym
(`private-3f2a1b2c@redacted`), their name a label (`Private person 3f2a1b`), the same everywhere,
so counts still add up. Pseudonyms are keyed with a secret kept in the working corpus: nobody
can test a guessed address against them, and a rebuild gives the same ones.

The Scrubber replaces, in any text: email addresses that are not visible (also written %40 or
&#64;), private persons' names in either order whatever their case, accents and separators
(names.py) and their surnames alone when no visible person shares them, Message-IDs that hold
a private name or address (replaced whole by keyed ones), the dump's file names unless kept,
phone numbers and street addresses. What it does not catch is in the README.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..corpus.matching import fold, fold_words
from .names import WORDS, NameIndex, name_words
from .policy import Policy

EMAIL = re.compile(
    r"(?<![\w.+%-])([\w.+-]+(?:%[0-9a-f]{2}[\w.+-]*)*)(@|%40|&#64;|&#x40;|&commat;)"
    r"([a-z0-9-]+(?:\.[a-z0-9-]+)+)",
    re.IGNORECASE,
)
# Phone numbers: North American (555) 010-4477, 555.010.4477, +1 555 010 4477; international
# +44 20 7946 0958. Dates, Bates numbers and ids have letters or too few digits around them.
PHONE = re.compile(
    r"(?<![\w/-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"
    r"|(?<![\w/])\+\d{1,3}(?:[\s.-]\d{1,4}){2,5}(?![\w-])"
    r"|(?<![\w/-])\d{3}-\d{4}(?![\w-])"
)
_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop"
)
STREET = re.compile(
    r"(?<![\w-])\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){1,4}(?:" + _STREET_TYPES + r")\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*#?\w{1,6})?"
)
MIN_SURNAME = 4  # shorter surnames alone are too often words
# Message-IDs look like addresses (<1a2b@mail.example>) and are not: in these columns and
# headers only a private person's own address is replaced (some old clients built them so).
ID_COLUMNS = {"message_id", "in_reply_to", "reference_ids", "missing"}
ID_HEADERS = {"message-id", "in-reply-to", "references", "resent-message-id"}


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", fold_words(text)) if t]


@dataclass
class Private:
    id: str
    pseudonym: str  # the address
    label: str  # the name
    names: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)


class Privacy:
    """Who is visible and who is private in one working corpus, under one policy."""

    def __init__(self, conn: sqlite3.Connection, policy: Policy, secret: bytes):
        self.policy = policy
        self.secret = secret
        self._conn = conn
        self._tables = {
            r[0] for r in conn.execute("select name from sqlite_master where type='table'")
        }
        visible_names = self._roster_visible()
        self._sort_persons(visible_names)
        self.visible_names = visible_names
        self.by_address = {a: p for p in self.private.values() for a in p.addresses}
        self._names_to_replace({t for n in visible_names for t in _tokens(n)})
        self._keyed_ids()
        del self._conn

    def _rows(self, sql: str) -> list[tuple]:
        """Rows of a table an older or smaller corpus may not have: none then."""
        table = sql.split(" from ", 1)[1].split()[0]
        return self._conn.execute(sql).fetchall() if table in self._tables else []

    def _roster_visible(self) -> set[str]:
        """Set the visible domains and addresses (the policy's, the roster's, the agency's);
        return the visible names, folded."""
        policy = self.policy
        roster_people = self._rows(
            "select name, kind, emails, aliases, nicknames from roster_people"
        )
        roster_orgs = self._rows("select name, aliases, domains from roster_organizations")
        self.domains: set[str] = set(policy.visible_domains)
        agency = policy.agency_domains
        if agency is None:  # the domains of the officials' and their staff's addresses
            agency = [
                e.split("@")[-1]
                for _, kind, emails, _, _ in roster_people
                if kind in ("official", "staff")
                for e in json.loads(emails or "[]")
            ]
        self.domains |= {d.lower() for d in agency}
        for _, _, domains in roster_orgs:
            self.domains |= {d.lower() for d in json.loads(domains or "[]")}
        self.addresses: set[str] = set(policy.visible_addresses)
        visible_names: set[str] = {fold_words(n) for n in policy.visible_names}
        for name, _, emails, aliases, nicknames in roster_people:
            self.addresses |= {e.lower() for e in json.loads(emails or "[]")}
            visible_names |= {fold_words(n) for n in [name, *json.loads(aliases or "[]")]}
            visible_names |= {fold_words(n) for n in json.loads(nicknames or "[]")}
        for name, aliases, _ in roster_orgs:
            visible_names |= {fold_words(n) for n in [name, *json.loads(aliases or "[]")]}
        return visible_names

    def _sort_persons(self, visible_names: set[str]) -> None:
        """Persons: visible by the roster, their organization, their addresses or the policy;
        the rest private, each with a keyed pseudonym. Visible persons' names join
        `visible_names`."""
        names_of: dict[str, set[str]] = {}
        for pid, name in self._rows(
            "select person_id, name from participants where person_id is not null "
            "and name is not null and name != ''"
        ):
            names_of.setdefault(pid, set()).add(name)
        self.private: dict[str, Private] = {}  # by person id
        visible_persons = []
        for pid, name, kind, organization, keys in self._rows(
            "select id, name, kind, organization, keys from persons order by id"
        ):
            keys = json.loads(keys or "[]")
            addresses = {k.lower() for k in keys if "@" in k and not k.startswith("name:")}
            names = {name} if name else set()
            names |= {k.removeprefix("name:") for k in keys if k.startswith("name:")}
            names |= names_of.get(pid, set())
            seen = (
                kind in ("official", "staff", "member")
                or organization
                or any(self.address_visible(a) for a in addresses)
                or any(fold_words(n) in visible_names for n in names)
            )
            if seen:
                visible_persons.append(names)
                self.addresses |= addresses
                continue
            tag = self.tag("person", pid)
            label = f"{self.policy.label} {tag[:6]}"
            self.private[pid] = Private(pid, f"private-{tag[:8]}@redacted", label, names, addresses)
        for names in visible_persons:
            visible_names |= {fold_words(n) for n in names}

    def _names_to_replace(self, visible_tokens: set[str]) -> None:
        """The private persons' names, then names in prose (NER PERSON entities) that are
        nobody visible."""
        self.names: dict[str, str] = {}  # folded name -> label
        self.forms: dict[tuple[str, ...], str] = {}  # a name's words, folded -> label
        self.surnames: dict[tuple[str, ...], str] = {}  # a surname's words (capitalized)
        self.name_words: set[str] = set()  # every word of a private name: Message-IDs
        for p in self.private.values():
            for name in sorted(p.names):
                self._add_name(name, p.label, visible_tokens)
        for (text,) in self._rows(
            "select distinct text from entities where label = 'PERSON' and person_id is null "
            "order by text"
        ):
            if self._name_visible(text) or "@" in text:
                continue
            label = f"{self.policy.label} {self.tag('name', fold_words(text))[:6]}"
            self._add_name(text, label, visible_tokens)

    def _keyed_ids(self) -> None:
        """Ids that a guessed address or name could be tested against: replaced by keyed ones."""
        self.ids: dict[str, str] = {pid: self.tag("id", pid)[:16] for pid in self.private}
        for cid, a, b in self._rows("select id, person_a, person_b from contacts"):
            if a in self.private or b in self.private:
                self.ids[cid] = self.tag("id", cid)[:16]
        for eid, s, t in self._rows("select id, source, target from group_edges"):
            if s in self.private or t in self.private:
                self.ids[eid] = self.tag("id", eid)[:16]
        for eid, text in self._rows("select id, text from entities"):
            if fold_words(text) in self.names:
                self.ids[eid] = self.tag("id", eid)[:16]

    # -- deciding ---------------------------------------------------------------------------

    def tag(self, *parts: str) -> str:
        return hmac.new(self.secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()

    def address_visible(self, address: str) -> bool:
        address = address.lower()
        if address in self.addresses:
            return True
        domain = address.rsplit("@", 1)[-1]
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    def pseudonym(self, address: str) -> str:
        person = self.by_address.get(address.lower())
        return (
            person.pseudonym
            if person
            else f"private-{self.tag('address', address.lower())[:8]}@redacted"
        )

    def _name_visible(self, text: str) -> bool:
        """A name in prose is somebody visible when its words are all in one visible name
        ("Whitfield" and "Dana Whitfield" are Dana Whitfield's)."""
        words = set(_tokens(text))
        return bool(words) and any(words <= set(_tokens(n)) for n in self.visible_names)

    def _add_name(self, name: str, label: str, visible_tokens: set[str]) -> None:
        name = " ".join(name.split())
        key = fold_words(name)
        if "@" in name or key in self.visible_names or len(key) < 3:
            return
        words = _tokens(name)
        if len(words) == 1 and (len(key) < MIN_SURNAME or key in visible_tokens):
            return
        self.names.setdefault(key, label)
        if "," in name:
            last, _, first = name.partition(",")
            self.names.setdefault(fold_words(f"{first} {last}"), label)
        elif len(words) >= 2:
            parts = name.split()
            self.names.setdefault(fold_words(f"{parts[-1]}, {' '.join(parts[:-1])}"), label)
        # The name in its order and turned round ("Parent, Jane" and "Jane Parent"; for
        # "Jane Parent" also "Parent Jane", as file names write it): each a sequence of
        # words, found whatever separates them (space, _, ., -, a comma), case and accents.
        if "," in name:
            last, _, first = name.partition(",")
            orders = [f"{last} {first}", f"{first} {last}"]
        else:
            parts = name.split()
            orders = [name, " ".join([parts[-1], *parts[:-1]])] if len(parts) > 1 else [name]
        for order in orders:
            self.forms.setdefault(name_words(order), label)
        self.name_words |= {
            w
            for w in name_words(name)
            if len(w) >= 3 and not w.isdigit() and w not in visible_tokens
        }
        surname = name.partition(",")[0].strip() if "," in name else name.split()[-1]
        if (
            len(words) >= 2
            and len(surname) >= MIN_SURNAME
            and fold_words(surname) not in visible_tokens
            and surname[:1].isupper()
        ):
            self.surnames.setdefault(name_words(surname), label)


class Scrubber:
    """Replaces what privacy says is private in a text, a JSON value or a cell, and says what
    it replaced: (rule, found, replacement) for the suppression log."""

    def __init__(self, privacy: Privacy, paths: dict[str, str] | None = None):
        self.privacy = privacy
        self.paths = paths or {}
        self.path_re = _alternation(sorted(self.paths, key=len, reverse=True))
        # Names found word by word: thousands of names in one alternation would be tried at
        # every character of every cell.
        self.names = NameIndex(privacy.forms, capitalized=False)
        self.surnames = NameIndex(privacy.surnames, capitalized=True)
        self.firsts = self.names.firsts | self.surnames.firsts
        self.known_re = _alternation(
            sorted(privacy.by_address, key=len, reverse=True), ignore_case=True
        )
        # What the scrubber puts in: labels and pseudonyms (the finished file's check skips them).
        self.replaced = re.compile(
            re.escape(privacy.policy.label) + r" [0-9a-f]{6}\b|private-[0-9a-f]{8,16}@redacted"
        )
        # What makes a Message-ID somebody's: a private address, its local part, a word of a
        # private name (<jane.parent.20250106@mail.example>).
        self.id_words = privacy.name_words | {
            local
            for a in privacy.by_address
            for local in [a.split("@")[0]]
            if len(local) >= MIN_SURNAME
        }

    def cell(self, value: object, hits: list, column: str | None = None) -> object:
        if not isinstance(value, str) or not value:
            return value
        if column in ID_COLUMNS:
            return self.message_ids(value, hits)
        if value in self.privacy.ids:
            hits.append(("pseudonymous id", value, self.privacy.ids[value]))
            return self.privacy.ids[value]
        if value[:1] in "[{":
            try:
                data = json.loads(value)
            except ValueError:
                pass
            else:
                if isinstance(data, (list, dict)):
                    cleaned = self._json(data, hits)
                    return value if cleaned == data else json.dumps(cleaned, ensure_ascii=False)
        return self.text(value, hits)

    def message_ids(self, text: str, hits: list) -> str:
        """Message-IDs (one, or a References list): an id that holds a private address, its
        local part or a word of a private name is replaced whole by a keyed one, the same id
        the same replacement in every table, so threads still hold together."""
        return MESSAGE_ID.sub(lambda m: self._message_id(m, hits), text)

    def _private_id(self, inner: str) -> bool:
        words = {fold(w) for w in re.findall(r"[^\W_]+", inner)}
        words |= {fold(w) for w in re.findall(r"[^\W\d_]+", inner)}
        return bool(words & self.id_words) or (
            self.known_re is not None and self.known_re.search(inner) is not None
        )

    def _message_id(self, m: re.Match, hits: list) -> str:
        found = m.group(0)
        inner = found.strip("<>")
        if not self._private_id(inner):
            return found
        keyed = f"private-{self.privacy.tag('message-id', inner.lower())[:16]}@redacted"
        return self._hit(hits, "private message id", m, f"<{keyed}>" if found[:1] == "<" else keyed)

    def leak(self, value: str, column: str | None = None) -> str | None:
        """What the scrubber would replace that is somebody's — a private name or surname, an
        address that is not visible, a Message-ID holding them — left in a cell: its rule, or
        None. For reading the finished file again (build.py)."""
        if column in ID_COLUMNS:
            return "private message id" if self._ids_private(value) else None
        if value[:1] in "[{":
            try:
                data = json.loads(value)
            except ValueError:
                pass
            else:
                for text in _strings(data):
                    found = (
                        ("private message id" if self._ids_private(text[1]) else None)
                        if isinstance(text, tuple)
                        else self._text_leak(text)
                    )
                    if found:
                        return found
                return None
        return self._text_leak(value)

    def _ids_private(self, text: str) -> bool:
        return any(self._private_id(m.group(0).strip("<>")) for m in MESSAGE_ID.finditer(text))

    def _text_leak(self, text: str) -> str | None:
        if "@" in text or "%40" in text or "&#" in text or "&commat;" in text:
            for m in EMAIL.finditer(text):
                address = f"{m.group(1)}@{m.group(3)}".lower().replace("%2e", ".")
                if not self.privacy.address_visible(address):
                    return "private address"
        text = self.replaced.sub(" ", text)  # what the scrubber put in is nobody's
        if self.firsts.isdisjoint(WORDS.findall(fold(text))):
            return None
        if self.names.find(text):
            return "private name"
        if self.surnames.find(text):
            return "private surname"
        return None

    def _json(self, data: Any, hits: list) -> Any:
        if (
            isinstance(data, list)
            and len(data) == 2
            and isinstance(data[0], str)
            and data[0].lower() in ID_HEADERS
            and isinstance(data[1], str)
        ):  # a [name, value] header pair of the headers column
            return [data[0], self.message_ids(data[1], hits)]
        if isinstance(data, list):
            return [self._json(v, hits) for v in data]
        if isinstance(data, dict):
            return {self.text(k, hits): self._json(v, hits) for k, v in data.items()}
        if isinstance(data, str):
            return self.cell(data, hits)
        return data

    def text(self, text: str, hits: list) -> str:
        if self.path_re is not None:
            text = self.path_re.sub(
                lambda m: self._hit(hits, "file name", m, self.paths[m.group(0)]), text
            )
        text = EMAIL.sub(lambda m: self._address(m, hits), text)
        text = self.names.sub(text, hits, "private name")
        text = self.surnames.sub(text, hits, "private surname")
        text = PHONE.sub(lambda m: self._hit(hits, "phone number", m, "[phone withheld]"), text)
        text = STREET.sub(
            lambda m: self._hit(hits, "street address", m, "[street address withheld]"), text
        )
        return text

    @staticmethod
    def _hit(hits: list, rule: str, m: re.Match, replacement: str) -> str:
        hits.append((rule, m.group(0), replacement))
        return replacement

    def _address(self, m: re.Match, hits: list) -> str:
        address = f"{m.group(1)}@{m.group(3)}".lower().replace("%2e", ".")
        if self.privacy.address_visible(address):
            return m.group(0)
        return self._hit(hits, "private address", m, self.privacy.pseudonym(address))


def _strings(data: object) -> Iterable[str | tuple[str, str]]:
    """Every string of a JSON value (keys too); an id header's [name, value] pair whole."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, list):
        if len(data) == 2 and isinstance(data[0], str) and data[0].lower() in ID_HEADERS:
            if isinstance(data[1], str):
                yield (data[0], data[1])
                return
        for v in data:
            yield from _strings(v)
    elif isinstance(data, dict):
        for k, v in data.items():
            yield k
            yield from _strings(v)


# A Message-ID in a cell: <…>, or where the brackets were lost any word between spaces (some
# ids have no @: "zebulon.quackenbush.20250106").
MESSAGE_ID = re.compile(r"<[^<>\s]*>|[^\s<>]+")


def _alternation(
    items: Iterable[str], words: bool = False, ignore_case: bool = False
) -> re.Pattern[str] | None:
    """One regex finding any of these strings (longest first, as given)."""
    items = [i for i in items if i]
    if not items:
        return None
    body = "|".join(re.escape(i) for i in items)
    flags = re.IGNORECASE if ignore_case else 0
    if words:
        return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", flags)
    return re.compile(body, flags)
