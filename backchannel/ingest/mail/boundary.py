"""Make the stdlib MIME parser's multipart boundaries cheap to set up.

For every multipart part, email.feedparser compiles a fresh regular expression around the part's
boundary string. Boundaries are random, so Python's regex cache never hits, and the compile costs
about 0.25 ms: a third of the parse of a typical multipart email. Here the same expression is
matched as a literal prefix test followed by one precompiled pattern for the rest, giving the
same match (same groups, same span) without compiling anything per message.

Only that one expression, recognised by its exact text, is served this way; any other pattern,
or a future Python that writes it differently, goes to the real re.compile.
"""

from __future__ import annotations

import email.feedparser
import re
import types
from typing import Any

_PREFIX = "(?P<sep>"
_SUFFIX_TEXT = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_SUFFIX = re.compile(r"(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$")
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


class _Match:
    __slots__ = ("_rest", "_sep", "_line")

    def __init__(self, rest: re.Match, sep: str, line: str):
        self._rest, self._sep, self._line = rest, sep, line

    def group(self, name: int | str = 0) -> str:
        if name == 0:
            return self._line[: self._rest.end()]
        if name == "sep":
            return self._sep
        return self._rest.group(name)

    def end(self, name: int | str = 0) -> int:
        return self._rest.end() if name == 0 else self._rest.end(name)


class _BoundaryPattern:
    __slots__ = ("_sep", "_n")

    def __init__(self, sep: str):
        self._sep, self._n = sep, len(sep)

    def match(self, line: str) -> _Match | None:
        if not line.startswith(self._sep):
            return None
        rest = _SUFFIX.match(line, self._n)
        return _Match(rest, self._sep, line) if rest else None


def _compile(pattern: Any, flags: int = 0) -> Any:
    if (
        not flags
        and isinstance(pattern, str)
        and pattern.startswith(_PREFIX)
        and pattern.endswith(_SUFFIX_TEXT)
    ):
        escaped = pattern[len(_PREFIX) : -len(_SUFFIX_TEXT)]
        literal = _ESCAPED.sub(r"\1", escaped)
        if re.escape(literal) == escaped:  # exactly what feedparser built: serve it
            return _BoundaryPattern(literal)
    return re.compile(pattern, flags)


def install() -> None:
    """Give email.feedparser a `re` whose compile() serves boundary patterns as above."""
    feedparser: Any = email.feedparser  # its `re` is a module global, not in its stubs
    if isinstance(feedparser.re, types.SimpleNamespace):
        return
    shim = types.SimpleNamespace(**{k: getattr(re, k) for k in dir(re) if not k.startswith("__")})
    shim.compile = _compile
    feedparser.re = shim


def uninstall() -> None:
    feedparser: Any = email.feedparser
    feedparser.re = re
