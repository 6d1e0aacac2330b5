"""Small SQL helpers shared by the corpus's writers and readers."""

from __future__ import annotations

import sqlite_utils

CHUNK = 500  # SQLite's limit on parameters is lower than a batch


def sql_list(values: tuple[str, ...]) -> str:
    """A tuple of plain words as an SQL list: "('from', 'to')", for `role in …`."""
    assert all(v.replace("-", "").isalpha() for v in values)
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def select_in(db: sqlite_utils.Database, sql: str, values: list[str]) -> list[tuple]:
    """Rows of `sql` for `values` in its `in ({marks})`, CHUNK at a time."""
    unique = list(dict.fromkeys(values))
    out: list[tuple] = []
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        out += db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
    return out
