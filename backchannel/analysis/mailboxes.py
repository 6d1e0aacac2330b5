"""Whose mailbox: what a custodian's own mailbox says about its owner, for identity resolution.

A mailbox export names its owner and shows their addresses, whatever name the mail shows:
- the owner's name, as the export writes it: X-Folder's top folders
  (`\\Harry_Arora_Jan2002\\Arora, Harry\\Deleted Items`), an Outlook store's owner, the custodian's
  own name when it is a full name; and the short form of an Enron-style custodian (`arora-h`:
  a last name and an initial);
- the store it was exported from: X-FileName (`harora (Non-Privileged).pst`) or a .pst's file
  name, down to its word (`harora`), which is often the owner's mailbox alias;
- the address most of the mail in its receiving folders (Inbox, Deleted Items) is addressed to
  alone, and the address most of the mail in its Sent folders is from.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import sqlite_utils

from ..corpus.matching import fold, name_key
from ..corpus.roster import Person
from ..corpus.sql import sql_list
from ..ingest.custodians import custodian_key, is_mail_folder
from ..vocabulary import RECIPIENT_ROLES

RECEIVING = {"inbox", "deleteditems", "deleted", "deletedmessages", "trash", "notesinbox"}
SENT = {"sent", "sentitems", "sentmail", "sentmessages"}
# A mailbox's own address: the one most of its mail (more than half, at least this many
# messages) is addressed to alone, or sent from.
MIN_MESSAGES = 2

_SHORT = re.compile(r"^([^\W\d_]{2,})[-_. ]([^\W\d_])$")  # "arora-h": last name, initial
_EXPORT_WORDS = re.compile(r"\(.*?\)|\b(?:exmerge|notes folders?|mailbox)\b", re.IGNORECASE)


@dataclass
class Mailbox:
    custodian: str
    owner_names: dict[str, str] = field(default_factory=dict)  # name key -> where it was read
    short: tuple[str, str] | None = None  # (last name, initial) of "arora-h"
    store_words: dict[str, str] = field(default_factory=dict)  # "harora" -> where it was read
    received_alone: Counter = field(default_factory=Counter)  # key -> messages to it alone
    sent_from: Counter = field(default_factory=Counter)  # key -> messages from it

    def own_addresses(self) -> dict[str, list[str]]:
        """Each address key the mailbox shows as its owner's, with why (one line per kind of
        evidence)."""
        out: dict[str, list[str]] = defaultdict(list)
        for counter, what in (
            (self.received_alone, "the only recipient of {n} of the {total} messages in its "
             "Inbox and Deleted Items that have one"),
            (self.sent_from, "the sender of {n} of the {total} messages in its Sent folders"),
        ):  # fmt: skip
            total = sum(counter.values())
            if not total:
                continue
            key, n = counter.most_common(1)[0]
            if n >= MIN_MESSAGES and 2 * n > total:
                out[key].append(what.format(n=n, total=total))
        return out


def mailboxes(db: sqlite_utils.Database) -> dict[str, Mailbox]:
    """Every custodian's mailbox, with what it says of its owner."""
    boxes: dict[str, Mailbox] = {}

    def box(custodian: str) -> Mailbox:
        if custodian not in boxes:
            boxes[custodian] = Mailbox(custodian, short=_short(custodian))
            name = _owner_name(custodian)
            if name:
                boxes[custodian].owner_names[name] = f"the custodian's name {custodian!r}"
        return boxes[custodian]

    for custodian, folder, key, n in db.execute(
        f"""with alone as (select message_id, min(key) as key from participants
                where role in {sql_list(RECIPIENT_ROLES)} group by message_id
                having count(distinct key) = 1)
            select c.custodian, c.folder, a.key, count(distinct c.message_id)
            from message_copies c join alone a on a.message_id = c.message_id
            where c.method != 'quoted' and c.custodian is not null group by 1, 2, 3"""
    ):
        if _kind_of_folder(folder) == "receiving":
            box(custodian).received_alone[key] += n
    for custodian, folder, key, n in db.execute(
        """select c.custodian, c.folder, p.key, count(distinct c.message_id)
           from message_copies c join participants p on p.message_id = c.message_id
           where p.role = 'from' and c.method != 'quoted' and c.custodian is not null
           and p.address is not null group by 1, 2, 3"""
    ):
        if _kind_of_folder(folder) == "sent":
            box(custodian).sent_from[key] += n
    _export_headers(db, box)
    for custodian, path in db.execute(
        """select distinct c.custodian, s.path from message_copies c
           join sources s on s.id = c.source_id
           where s.format = 'pst' and c.custodian is not null"""
    ):
        word = _store_word(PurePosixPath(path.replace("\\", "/")).name)
        if word:
            box(custodian).store_words.setdefault(word, f"the store's file name {path!r}")
    return boxes


def _export_headers(db: sqlite_utils.Database, box: Any) -> None:
    """X-Folder's owner names and X-FileName's store word, for the mailbox the headers belong
    to: the one X-Origin names, else the message's only mailbox."""
    by_key: dict[str, str] = {}
    for (custodian,) in db.execute("select distinct custodian from message_copies"):
        if custodian:
            by_key.setdefault(custodian_key(custodian), custodian)
    value = (
        "(select json_extract(h.value, '$[1]') from json_each(m.headers) h "
        "where lower(json_extract(h.value, '$[0]')) = '{}' limit 1)"
    )
    rows = db.execute(
        f"""select c.custodian, {value.format("x-origin")}, {value.format("x-folder")},
                   {value.format("x-filename")},
                   (select count(*) from message_copies d where d.message_id = m.id
                    and d.method != 'quoted')
            from messages m join message_copies c on c.message_id = m.id
            where c.method != 'quoted' and c.custodian is not null
            and (m.headers like '%"X-Folder"%' or m.headers like '%"X-FileName"%')
            group by 1, 2, 3, 4"""
    )
    for custodian, origin, folder, filename, copies in rows:
        if origin and origin.strip():
            owner = by_key.get(custodian_key(origin.strip()))
            if owner != custodian:
                continue  # these headers came with another mailbox's copy
        elif copies != 1:
            continue
        mailbox = box(custodian)
        for name in _folder_owner_names(folder or ""):
            mailbox.owner_names.setdefault(name, f"X-Folder {folder}")
        word = _store_word(filename or "")
        if word:
            mailbox.store_words.setdefault(word, f"X-FileName {filename}")
        elif filename and _owner_name(re.sub(r"\.\w{3}$", "", filename)):
            name = _owner_name(re.sub(r"\.\w{3}$", "", filename))
            mailbox.owner_names.setdefault(name, f"X-FileName {filename}")


def _kind_of_folder(folder: str | None) -> str:
    """'receiving', 'sent' or '' for a copy's folder path (its first mail folder decides)."""
    for part in re.split(r"[\\/]", folder or ""):
        if is_mail_folder(part):
            folded = re.sub(r"[\s_\-]+", "", part.lower().lstrip("._"))
            if folded in RECEIVING or folded.startswith("inbox"):
                return "receiving"
            return "sent" if folded in SENT else ""
    return ""


def _owner_name(text: str) -> str:
    """A person's name in an export's folder or file name ("Harry_Arora_Jan2002",
    "ExMerge - Arora, Harry"), as a name key; "" when it is not one (dates, export words and
    mail folders off; at least two words left, no more than four)."""
    text = _EXPORT_WORDS.sub(" ", text.replace("_", " "))
    text = re.sub(r"^\s*-\s*|\s+-\s+", " ", text)
    words = [w for w in re.split(r"\s+", text) if w and not re.search(r"\d", w)]
    cleaned = " ".join(words)
    if not cleaned or is_mail_folder(cleaned.replace(" ", "")):
        return ""
    key = name_key(cleaned)
    parts = key.split()
    if not 2 <= len(parts) <= 4 or not all(
        p.replace("'", "").replace("-", "").isalpha() for p in parts
    ):
        return ""
    return key


def _folder_owner_names(folder: str) -> list[str]:
    """The owner names in an X-Folder path: its folders above the first mail folder."""
    names = []
    for part in [p for p in re.split(r"[\\/]", folder) if p.strip()][:-1]:
        if is_mail_folder(part):
            break
        name = _owner_name(part)
        if name:
            names.append(name)
    return names


def _store_word(filename: str) -> str:
    """The word a store's file name is ("harora (Non-Privileged).pst" gives "harora"); "" for
    a name of several words or none."""
    stem = re.sub(r"\.(pst|ost|nsf)$", "", filename.strip(), flags=re.IGNORECASE)
    stem = re.sub(r"\(.*?\)", " ", stem).strip()
    return fold(stem) if re.fullmatch(r"[^\W\d_][\w.'-]*", stem) else ""


def _short(custodian: str) -> tuple[str, str] | None:
    m = _SHORT.match(fold(custodian.strip()))
    return (m.group(1), m.group(2)) if m else None


@dataclass
class OwnerTie:
    """An address a mailbox shows as its owner's, and the roster person who owns it."""

    key: str
    person: int  # index into the roster's people
    evidence: str
    doubt: str = ""  # why it is only a suggestion; "" for a merge


def owner_ties(
    boxes: dict[str, Mailbox],
    people: list[Person],
    by_name: dict[str, set[int]],
    keys: dict[str, tuple[str | None, Counter]],
    open_keys: set[str],
) -> list[OwnerTie]:
    """The addresses among `open_keys` (those no rule joined to a roster person) that a roster
    person's own mailbox shows as theirs.

    The mailbox is the person's when its folders or store name them by their roster name (or,
    weaker, when the custodian is their last name and initial, and the export names no other
    owner). An address is the owner's when most of the mailbox's mail to one person is to it,
    or most of its sent mail from it, or it is the store's file name; and it shows the
    person's last name. It joins them when the mailbox names them and either two kinds of
    evidence agree or no first name shown with it contradicts theirs (the store's name alone
    never ties an address at another domain than the person's); else it is suggested.
    (Identity resolution never ties a system's address, and only suggests a personal one.)"""
    ties = []
    by_local: dict[str, list[str]] = defaultdict(list)
    for key in open_keys:
        local = (keys[key][0] or "").partition("@")[0]
        if local:
            by_local[fold(local)].append(key)
    for box in boxes.values():
        owner = _roster_owner(box, people, by_name)
        if owner is None:
            continue
        person, why_theirs, named = owner
        found = box.own_addresses()
        shown = set(found)  # by the mail in the mailbox, not by the store's name alone
        domains = {e.rpartition("@")[2].lower() for e in people[person].emails}
        for word, where in box.store_words.items():
            for key in by_local.get(word, ()):
                found.setdefault(key, []).append(f"its local part is the store's ({where})")
        for key, evidence in found.items():
            if key not in open_keys:
                continue
            address = keys[key][0] or ""
            fit = _fits(address, keys[key][1], people[person], by_name, person)
            if fit is None:
                continue
            doubt = ""
            if not named:
                doubt = "only the custodian's short name says whose the mailbox is"
            elif key not in shown and address.rpartition("@")[2].lower() not in domains:
                doubt = "only the store's file name ties it, at another domain"
            elif len(evidence) < 2 and not fit:
                doubt = "it shows another first name, and only one thing ties it to the mailbox"
            ties.append(
                OwnerTie(
                    key,
                    person,
                    f"{address} is the owner's address in the mailbox {box.custodian!r}, "
                    f"which is {people[person].name}'s ({why_theirs}): " + "; ".join(evidence),
                    doubt,
                )
            )
    return ties


def _roster_owner(
    box: Mailbox, people: list[Person], by_name: dict[str, set[int]]
) -> tuple[int, str, bool] | None:
    """(roster person, why, named by their name) whose mailbox this is; None when nothing
    says, or two could be meant."""
    named = {i: (n, where) for n, where in box.owner_names.items() for i in by_name.get(n, ())}
    if len(named) == 1:
        ((i, (name, where)),) = named.items()
        last = name.split()[-1]
        if any(n.split()[-1] == last and n != name for n in box.owner_names):
            return None  # the export also names another of that name ("Varga, Sofia")
        return i, f"{where} names it {name!r}", True
    if named or box.owner_names or box.short is None:
        return None  # two roster people, or an owner not in the roster
    last, initial = box.short
    found = {
        i
        for i, p in enumerate(people)
        for v in p.names()
        if (k := name_key(v).split()) and len(k) >= 2 and k[-1] == last and k[0][0] == initial
    }
    if len(found) != 1:
        return None
    (i,) = found
    return i, f"the custodian {box.custodian!r} is their last name and initial", False


def _fits(
    address: str, names: Counter, person: Person, by_name: dict[str, set[int]], index: int
) -> bool | None:
    """Whether an address is like the person's: None when it shows nothing of their last name;
    False when it shows their last name under another first name ("Harpreet Arora" for
    Harry Arora); True otherwise."""
    last = name_key(person.name).split()[-1]
    shown = [name_key(n) for n in names if name_key(n)]
    mine = [k for k in shown if k.split()[-1] == last]
    local = re.sub(r"[^a-z]", "", fold(address.partition("@")[0].rsplit("/cn=", 1)[-1]))
    if not mine and last not in local:
        return None
    return all(index in by_name.get(k, ()) for k in mine)
