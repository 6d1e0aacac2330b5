"""Which emails a search matches: the search box's syntax, read once for the search page, the
story page, `report --query` and the evidence packets, so that a topic is the same set of
emails everywhere.

The syntax is a mail client's: words (all of them), "a phrase", `OR` between two words or
phrases (either), `NOT word` or `-word` (without), `word*` (a word's beginning), parentheses to
group. OR binds the words beside it, as in Gmail: `charter vote OR ballot` is charter and
(vote or ballot). Case and accents do not matter (the index folds them: Ibanez finds Ibáñez).

An email matches as a whole: its subject, its body with the quoted history, and its
attachments' names and text are what is searched, so `charter NOT budget` leaves out an email
whose attachment says budget. Each word or phrase is looked up in the two full-text indexes
(messages_fts, attachments_fts), and the sets of emails are combined in SQL (INTERSECT, UNION,
EXCEPT): one query, every lookup by index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BackchannelError

# Tokens: a phrase in double quotes (closed at the end if it is not), a parenthesis, or a run
# of anything else.
_TOKEN = re.compile(r'"([^"]*)"?|([()])|([^\s()"]+)')
_WORDY = re.compile(r"\w")  # a term the index can find has a letter or a digit
OPERATORS = ("OR", "AND", "NOT")
# Words and phrases searched at most (and tokens read at most, operators and parentheses
# included): a pasted page is cut, never a query SQLite refuses or a parser's deep recursion.
SEARCH_TERMS = 32
_TOKENS = 4 * SEARCH_TERMS


@dataclass(frozen=True)
class Term:
    """A word or a phrase, as the index is asked for it."""

    text: str
    prefix: bool = False

    def fts(self) -> str:
        """The term as an FTS5 string: quoted (punctuation is never syntax), `*` for a
        prefix."""
        return '"' + self.text.replace('"', '""') + '"' + (" *" if self.prefix else "")


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]


Node = Term | Not | AllOf | AnyOf


class QueryError(BackchannelError, ValueError):
    """A search with nothing to look for (only punctuation, only operators)."""


def parse(text: str) -> Node:
    """The search as a tree of terms; raises QueryError if it has no term."""
    tokens = _tokens(text)
    nodes: list[Node] = []
    i = 0
    while i < len(tokens):  # a stray ")" ends a sequence: the rest is read on
        node, i = _sequence(tokens, i)
        nodes += [node] if node is not None else []
        i += 1
    node = _joined(AllOf, nodes)
    if node is None:
        raise QueryError(f"nothing to search for in {text!r}: give a word or a phrase")
    return node


def printable(text: str) -> str:
    """NULs and control characters as spaces: never part of a word the index is asked for."""
    return "".join(c if c.isprintable() else " " for c in text)


def cut(text: str) -> bool:
    """Whether the search holds more than SEARCH_TERMS words and phrases (the rest unread)."""
    tokens = _TOKEN.findall(printable(text))
    return len(tokens) > _TOKENS or sum(1 for _, paren, _ in tokens if not paren) > SEARCH_TERMS


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: ("term", …), ("phrase", …), ("op", OR/AND/NOT), ("(", ), (")", );
    the first SEARCH_TERMS words and phrases, in _TOKENS tokens at most."""
    out: list[tuple[str, str]] = []
    found = 0
    for n, (phrase, paren, word) in enumerate(_TOKEN.findall(printable(text))):
        if n >= _TOKENS or found >= SEARCH_TERMS:
            break
        found += not paren
        if paren:
            out.append((paren, paren))
        elif word:
            if word in OPERATORS:
                out.append(("op", word))
            elif word.startswith("-") and len(word) > 1:
                out += [("op", "NOT"), ("term", word[1:])]
            else:
                out.append(("term", word))
        elif phrase.strip():
            out.append(("phrase", " ".join(phrase.split())))
    return out


def _sequence(tokens: list[tuple[str, str]], i: int) -> tuple[Node | None, int]:
    """Terms one after another (all of them), until a closing parenthesis or the end."""
    nodes: list[Node] = []
    while i < len(tokens) and tokens[i][0] != ")":
        node, i = _alternatives(tokens, i)
        if node is not None:
            nodes.append(node)
    return _joined(AllOf, nodes), i


def _alternatives(tokens: list[tuple[str, str]], i: int) -> tuple[Node | None, int]:
    """One unit, or several joined by OR."""
    first, i = _unit(tokens, i)
    nodes = [first] if first is not None else []
    while i < len(tokens) and tokens[i] == ("op", "OR"):
        node, i = _unit(tokens, i + 1)
        if node is not None:
            nodes.append(node)
    return _joined(AnyOf, nodes), i


def _unit(tokens: list[tuple[str, str]], i: int) -> tuple[Node | None, int]:
    """A term, a phrase, NOT and what follows, or a group in parentheses. A stray operator is
    read as nothing (an OR at the end, AND between words, which is what a space means)."""
    if i >= len(tokens):
        return None, i
    kind, value = tokens[i]
    if kind == "op" and value == "NOT":
        node, i = _unit(tokens, i + 1)
        return (Not(node) if node is not None else None), i
    if kind == "op":
        return None, i + 1
    if kind == "(":
        node, i = _sequence(tokens, i + 1)
        return node, i + 1  # past the ")" (or the end, if it was never closed)
    if kind == "term":
        prefix = value.endswith("*") and len(value) > 1
        text = value.rstrip("*") if prefix else value
        return (Term(text, prefix) if _WORDY.search(text) else None), i + 1
    return (Term(value) if _WORDY.search(value) else None), i + 1


def _joined(kind: type[AllOf] | type[AnyOf], nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else kind(tuple(nodes))


def terms(node: Node, negated: bool = False) -> list[Term]:
    """The terms an email is found by (those under a NOT left out): what snippets mark."""
    if isinstance(node, Term):
        return [] if negated else [node]
    if isinstance(node, Not):
        return terms(node.node, not negated)
    return [t for n in node.nodes for t in terms(n, negated)]


def fts_any(node: Node) -> str | None:
    """An FTS5 expression matching any of the terms found (not those under NOT): for ranking
    and snippets of what matched; None when the search is only exclusions."""
    found = list(dict.fromkeys(t.fts() for t in terms(node)))
    return " OR ".join(found) if found else None


# One term's emails, as messages.rowid: the subject and body index gives them directly; an
# attachment's message is found by its id in the id index (covering: no message row is read).
_TERM_SQL = (
    "select rowid from messages_fts where messages_fts match ? "
    "union select messages.rowid from attachments_fts join attachments "
    "on attachments.rowid = attachments_fts.rowid join messages on messages.id = "
    "attachments.message_id where attachments_fts match ?"
)


def _sql(node: Node) -> tuple[str, list[str]]:
    """A SELECT of one column: the messages.rowid of every email the node matches. Rowids, not
    ids: a word in every email is a set of integers read off the index, no row of the messages
    table read (its rows hold whole bodies)."""
    if isinstance(node, Term):
        return _TERM_SQL, [node.fts(), node.fts()]
    if isinstance(node, AnyOf):
        parts = [_sql(n) for n in node.nodes]
        return (
            " union ".join(f"select * from ({sql})" for sql, _ in parts),
            [p for _, params in parts for p in params],
        )
    nodes = node.nodes if isinstance(node, AllOf) else (node,)
    kept = [_sql(n) for n in nodes if not isinstance(n, Not)]
    left_out = [_sql(n.node) for n in nodes if isinstance(n, Not)]
    # Every email, when the search only says what to leave out.
    sql = " intersect ".join(f"select * from ({s})" for s, _ in kept)
    sql = sql or "select rowid from messages"
    sql += "".join(f" except select * from ({s})" for s, _ in left_out)
    return sql, [p for _, params in kept + left_out for p in params]


@dataclass(frozen=True)
class Topic:
    """A search, read: `sql` selects the messages.rowid of every email it matches (with
    `params`)."""

    text: str
    node: Node
    sql: str
    params: tuple[str, ...]

    def where(self, message_id: str) -> tuple[str, list[str]]:
        """A condition keeping the rows whose column `message_id` (a messages.id, named with
        its table: `c.message_id`) is a matching email's: its rowid looked up in the id
        index."""
        return (
            f"(select rowid from messages where id = {message_id}) in ({self.sql})",
            list(self.params),
        )

    def where_rowid(self, rowid: str) -> tuple[str, list[str]]:
        """The same, for a query that has the message's rowid at hand (`m.rowid`)."""
        return f"{rowid} in ({self.sql})", list(self.params)


def topic(text: str) -> Topic:
    """The search `text` read (QueryError when it has nothing to look for)."""
    node = parse(text)
    sql, params = _sql(node)
    return Topic(" ".join(text.split()), node, sql, tuple(params))


def describe(node: Node) -> str:
    """The search as it was read, with its grouping shown: `charter (vote OR ballot)`."""
    if isinstance(node, Term):
        quoted = '"' + node.text + '"' if " " in node.text else node.text
        return quoted + ("*" if node.prefix else "")
    if isinstance(node, Not):
        return "NOT " + _grouped(node.node)
    joiner = " OR " if isinstance(node, AnyOf) else " "
    return joiner.join(_grouped(n) for n in node.nodes)


def _grouped(node: Node) -> str:
    text = describe(node)
    return f"({text})" if isinstance(node, AllOf | AnyOf) else text
