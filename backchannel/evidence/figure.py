"""Which figure a packet is for: a count's id (`counted_messages.counted`), a direction, a
month, a search; found from what a reporter names (an organization and an official, an
official, an organization, a person, two persons) in the stored count tables, and said in
words."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from ..corpus.matching import fold_words
from ..corpus.topic import describe as describe_query
from ..corpus.topic import topic
from ..errors import BackchannelError


class FigureNotFound(BackchannelError, LookupError):
    """What was named is not a figure of this corpus (or is not one figure): the message says
    what the corpus has instead."""


@dataclass(frozen=True)
class Figure:
    """One figure: the messages counted under `counted` (in `direction`, or either way when
    None; in `month`; matching `query`; emails recovered from quoted history only with
    `recovered`)."""

    counted: str
    kind: str | None = None
    direction: str | None = None
    month: str | None = None
    query: str | None = None
    recovered: bool = False
    description: str = "counted"  # "between Better Schools Now and the office of …"
    labels: tuple[tuple[str, str], ...] = ()  # direction -> how a row says it

    def label(self, direction: str) -> str:
        return dict(self.labels).get(direction, direction)

    @property
    def query_read_as(self) -> str | None:
        return describe_query(topic(self.query).node) if self.query else None


# What a count's id is, how to say what it counts, and how a row says its direction, by kind.
DESCRIBE: dict[str, tuple[str, dict[str | None, str], dict[str, str]]] = {
    "office_contact": (
        "select organization, official from office_contacts where id = ?",
        {
            "org_to_office": "from {organization} to the office of {official}",
            "office_to_org": "from the office of {official} to {organization}",
            None: "between {organization} and the office of {official}, either way",
        },
        {"org_to_office": "to the office", "office_to_org": "from the office"},
    ),
    "contact": (
        "select name_a, name_b from contacts where id = ?",
        {
            "a_to_b": "from {name_a} to {name_b}",
            "b_to_a": "from {name_b} to {name_a}",
            None: "between {name_a} and {name_b}, either way",
        },
        {"a_to_b": "{name_a} → {name_b}", "b_to_a": "{name_b} → {name_a}"},
    ),
    "office": (
        "select official as name from offices where id = ?",
        {
            "sent": "sent by the office of {name} to anyone outside it",
            "received": "received by the office of {name} from anyone outside it",
            None: "sent or received by the office of {name}",
        },
        {"sent": "sent", "received": "received"},
    ),
    "organization": (
        "select name from organizations where id = ?",
        {
            "sent": "sent by {name} to anyone outside it",
            "received": "received by {name} from anyone outside it",
            None: "sent or received by {name}",
        },
        {"sent": "sent", "received": "received"},
    ),
    "person": (
        "select name from persons where id = ?",
        {"sent": "sent by {name}", "received": "received by {name}", None: "of {name}"},
        {"sent": "sent", "received": "received"},
    ),
    "group_edge": (
        "select source_name, target_name from group_edges where id = ?",
        {
            "sent": "from {source_name} to {target_name}",
            None: "from {source_name} to {target_name}",
        },
        {"sent": "sent"},
    ),
}

# The directions each kind has; None is either way.
DIRECTIONS = {
    "office_contact": ("org_to_office", "office_to_org"),
    "contact": ("a_to_b", "b_to_a"),
    "office": ("sent", "received"),
    "organization": ("sent", "received"),
    "person": ("sent", "received"),
    "group_edge": ("sent",),
}


def described(conn: sqlite3.Connection, figure: Figure) -> Figure:
    """The figure with its kind (read from counted_messages), its description and its rows'
    direction labels. A count id the corpus lacks is FigureNotFound."""
    kind = conn.execute(
        "select kind from counted_messages where counted = ? limit 1", [figure.counted]
    ).fetchone()
    if kind is None:
        raise FigureNotFound(f"no figure {figure.counted!r} in this corpus's counted_messages")
    kind = kind[0]
    if figure.direction is not None and figure.direction not in DIRECTIONS.get(kind, ()):
        ways = ", ".join(DIRECTIONS.get(kind, ())) or "none"
        raise FigureNotFound(
            f"the figure {figure.counted} ({kind}) has no direction {figure.direction!r}: {ways}"
        )
    if kind not in DESCRIBE:
        return replace(figure, kind=kind)
    sql, phrases, labels = DESCRIBE[kind]
    cursor = conn.execute(sql, [figure.counted])
    found = cursor.fetchone()
    if found is None:
        return replace(figure, kind=kind)
    names = dict(zip([c[0] for c in cursor.description], found, strict=True))
    return replace(
        figure,
        kind=kind,
        description=(phrases.get(figure.direction) or phrases[None]).format(**names),
        labels=tuple((d, label.format(**names)) for d, label in labels.items()),
    )


def _find(conn: sqlite3.Connection, table: str, names: dict[str, str], what: str) -> str:
    """The id of the one row of `table` whose columns hold `names`: as written, else with case
    and accents off (Castrejon finds Castrejón)."""
    ids: list[str] = []
    for folded in (False, True):
        where = " and ".join(f"fold_words([{c}]) = ?" if folded else f"[{c}] = ?" for c in names)
        values = [fold_words(v) if folded else v for v in names.values()]
        ids = sorted(
            {r[0] for r in conn.execute(f"select id from [{table}] where {where}", values)}
        )
        if ids:
            break
    said = " and ".join(repr(v) for v in names.values())
    if not ids:
        raise FigureNotFound(f"no {what} {said} in this corpus's {table} table")
    if len(ids) > 1:
        raise FigureNotFound(
            f"{len(ids)} {what}s are {said}: give --counted with one of {', '.join(ids)}"
        )
    return ids[0]


def choose(
    conn: sqlite3.Connection,
    organization: str | None = None,
    official: str | None = None,
    persons: tuple[str, ...] = (),
    counted: str | None = None,
    direction: str | None = None,
) -> Figure:
    """The figure a reporter names: an organization and an official (the canonical table's
    cell), an official's office, an organization, a person, two persons (the pair), or a
    count's id. `direction` as the figure has them; for a pair, `sent` is from the first to the
    second person and `received` the other way."""
    conn.create_function("fold_words", 1, lambda v: fold_words(v) if v else v)
    if sum(map(bool, (counted, organization or official, persons))) > 1 or len(persons) > 2:
        raise FigureNotFound(
            "name one figure: --organization and --official, --official, --organization, "
            "--person (once, or twice for a pair) or --counted"
        )
    if counted:
        return Figure(counted, direction=direction)
    if organization and official:
        names = {"organization": organization, "official": official}
        return Figure(_find(conn, "office_contacts", names, "figure for"), direction=direction)
    if official:
        return Figure(
            _find(conn, "offices", {"official": official}, "official"), direction=direction
        )
    if organization:
        found = _find(conn, "organizations", {"name": organization}, "organization")
        return Figure(found, direction=direction)
    if len(persons) == 1:
        return Figure(_find(conn, "persons", {"name": persons[0]}, "person"), direction=direction)
    if len(persons) == 2:
        return _pair(conn, persons, direction)
    raise FigureNotFound(
        "name a figure: --organization and --official, --official, --organization, "
        "--person (once, or twice for a pair) or --counted"
    )


def _pair(conn: sqlite3.Connection, persons: tuple[str, ...], direction: str | None) -> Figure:
    """Two persons' contact figure; `sent` and `received` as the first person sees them."""
    first, second = (_find(conn, "persons", {"name": p}, "person") for p in persons)
    a, b = sorted((first, second))
    found = conn.execute(
        "select id from contacts where person_a = ? and person_b = ?", [a, b]
    ).fetchone()
    if found is None:
        raise FigureNotFound(f"{persons[0]} and {persons[1]} never wrote to each other")
    if direction in ("sent", "received"):
        forward = (direction == "sent") == (first == a)
        direction = "a_to_b" if forward else "b_to_a"
    return Figure(found[0], direction=direction)
