"""Conversations rebuilt: Message-ID, In-Reply-To and References first (the grouping of the
JWZ algorithm, with a placeholder for each email that replies name but the corpus lacks: replies
to one withheld email are one conversation), quoted history next, then, for what headers cannot
join, the same subject with overlapping participants within a time window. Plus the gaps:
replies whose parent was not produced."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime, timedelta

import sqlite_utils

from ..corpus.keys import short_hash
from ..corpus.matching import fold_words, normalize_subject
from ..corpus.sql import sql_list
from ..vocabulary import COUNTED_ROLES

WINDOW = timedelta(days=30)
ABSENT = "absent:"  # a union-find node for a Message-ID that is named but not in the corpus
# Ids that name no one email: a word typed at a prompt ("<yes>"), no "@", or a redacted id that
# a production gives every email ("xxxx@xxxx.com").
_JUNK_ID = re.compile(r"^(?:[^@]*|x+@x+(?:\.x+)*|.*redact.*)$", re.IGNORECASE)


def usable_id(message_id: str) -> bool:
    """Whether an absent Message-ID may join the replies that name it into one thread."""
    local, _, domain = message_id.partition("@")
    return not _JUNK_ID.match(message_id) and len(local) >= 3 and "." in domain + local


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build_threads(db: sqlite_utils.Database) -> tuple[int, int]:
    """Set messages.thread_id, rebuild `threads` and `missing_parents`. Returns
    (threads, missing parents). Re-running gives the same tables."""
    messages, people = _load(db)
    by_mid = {m["mid"]: i for i, m in messages.items() if m["mid"]}
    links = _Union()
    missing = _link_by_headers(messages, by_mid, links)
    for found, inside in db.execute(
        "select distinct message_id, found_in from message_copies where found_in is not null"
    ):
        if found in messages and inside in messages:
            links.union(found, inside)
            if messages[found]["recovered"]:
                missing[(inside, found, "quoted")] = None
    _join_by_subject(messages, people, links, by_mid)
    threads, assign = _thread_rows(messages, people, links)
    with db.atomic():
        db.execute("delete from threads")
        db.execute("delete from missing_parents")
        db.table("threads").insert_all(threads, batch_size=1000)
        db.conn.executemany("update messages set thread_id = ? where id = ?", assign)
        db.table("missing_parents").insert_all(
            (
                {
                    "id": short_hash("missing", m, ref, via),
                    "message_id": m,
                    "missing": ref,
                    "via": via,
                }
                for m, ref, via in missing
            ),
            batch_size=1000,
            ignore=True,
        )
    return len(threads), len(missing)


def _load(db: sqlite_utils.Database) -> tuple[dict[str, dict], dict[str, set[str]]]:
    """Every message's threading headers, and the people on each message."""
    messages = {
        r[0]: {
            "mid": r[1],
            "reply_to": r[2],
            "refs": (r[3] or "").split(),
            "subject": r[4],
            "sent_at": r[5],
            "recovered": r[6],
        }
        for r in db.execute(
            "select id, message_id, in_reply_to, reference_ids, subject, sent_at,"
            " recovered from messages"
        )
    }
    people: dict[str, set[str]] = defaultdict(set)
    for mid, who in db.execute(
        "select message_id, coalesce(address, key) from participants "
        f"where role in {sql_list(COUNTED_ROLES)}"
    ):
        people[mid].add(who)
    return messages, people


def _link_by_headers(
    messages: dict[str, dict], by_mid: dict[str, str], links: _Union
) -> dict[tuple[str, str, str], None]:
    """Join each message to the ones its In-Reply-To and References name; return the named
    parents that are not in the corpus, (message, Message-ID, via), in order."""
    missing: dict[tuple[str, str, str], None] = {}
    for i, m in messages.items():
        links.find(i)
        named = ([("in-reply-to", m["reply_to"])] if m["reply_to"] else []) + [
            ("references", r) for r in m["refs"]
        ]
        for via, ref in named:
            if ref in by_mid:
                links.union(i, by_mid[ref])
            else:
                missing[(i, ref, via)] = None
                if usable_id(ref):
                    # JWZ's empty container: replies to one absent email are one conversation.
                    links.union(i, ABSENT + ref)
    return missing


def _thread_rows(
    messages: dict[str, dict], people: dict[str, set[str]], links: _Union
) -> tuple[list[dict], list[tuple[str, str]]]:
    """The threads rows (a thread is named after its first message) and (thread, message)."""
    groups: dict[str, list[str]] = defaultdict(list)
    placeholders: dict[str, int] = defaultdict(int)
    for i in messages:
        groups[links.find(i)].append(i)
    for node in list(links.parent):
        if node.startswith(ABSENT):
            placeholders[links.find(node)] += 1
    threads, assign = [], []
    for root, members in groups.items():
        members.sort(key=lambda i: (messages[i]["sent_at"] or "9999", i))
        tid = members[0]
        dates = [messages[i]["sent_at"] for i in members if messages[i]["sent_at"]]
        who = sorted(set().union(*(people[i] for i in members)))
        threads.append(
            {
                "id": tid,
                "subject": messages[tid]["subject"],
                "first": min(dates) if dates else None,
                "last": max(dates) if dates else None,
                "message_count": len(members),
                "participant_count": len(who),
                "participants": json.dumps(who),
                "missing": placeholders.get(root, 0),
            }
        )
        assign += [(tid, i) for i in members]
    return threads, assign


def _join_by_subject(messages: dict, people: dict, links: _Union, by_mid: dict) -> None:
    """Messages that headers did not join: same subject (Re:, Fwd: aside), shared participants,
    within WINDOW of the thread's last message. Two "Meeting" threads among different people, or
    months apart, stay apart."""
    by_subject: dict[str, list[str]] = defaultdict(list)
    for i, m in messages.items():
        subject = normalize_subject(m["subject"] or "")
        if subject and m["sent_at"]:
            by_subject[subject].append(i)
    for members in by_subject.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: messages[i]["sent_at"])
        seen: list[tuple[set[str], datetime, str]] = []  # (participants, last date, a member)
        for i in members:
            m = messages[i]
            when = datetime.fromisoformat(m["sent_at"])
            mine = people[i]
            # As in JWZ: only a reply ("Re:", "Fwd:") whose headers name no produced parent
            # joins by subject; two originals with the same subject are two conversations.
            named = [r for r in [m["reply_to"], *m["refs"]] if r]
            orphan_reply = not any(r in by_mid for r in named) and (
                normalize_subject(m["subject"]) != fold_words(m["subject"])
            )
            if orphan_reply:
                for who, last, member in reversed(seen):
                    if who & mine and timedelta(0) <= when - last <= WINDOW:
                        links.union(member, i)
                        break
            seen.append((set(mine), when, i))
