"""The reporter's identity decisions (`analyze --overrides FILE`): which keys are one person and
which are not, read strictly like the roster: a file with a mistake is refused whole, with its
line and the reason, before anything is written.

    same:       # join these: an address, or "name:" and a name as seen
      - [jsmith@agency.example, "name:j. smith"]
    different:  # part these
      - [carl@vendor.example, "name:vance, carl"]

An empty file is no decisions (it clears the stored ones).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..corpus import yamlfile
from ..corpus.yamlfile import EMAIL, FileError, line_of

DECISIONS = ("same", "different")


class OverridesError(FileError):
    refused = "overrides"


_yaml = yamlfile.Reader(OverridesError)


def read_overrides(path: Path) -> list[tuple[str, str, str]]:
    """(decision, key, key) rows, keys lower-cased as person_keys has them; OverridesError
    with the file, the line and the reason for a file with any mistake."""
    path = Path(path)
    text = _yaml.read(path)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return []
    root = _yaml.compose(path, text, "the overrides file")
    top = _yaml.mapping(path, root, set(DECISIONS), "the overrides file")
    out: list[tuple[str, str, str]] = []
    seen: dict[frozenset[str], tuple[str, int]] = {}
    for decision in DECISIONS:
        for pair in _yaml.sequence(path, top.get(decision), decision):
            a, b = _pair(path, pair, decision)
            line = line_of(pair)
            if a == b:
                raise OverridesError(path, line, f"{decision}: a pair of {a!r} with itself")
            earlier = seen.get(frozenset((a, b)))
            if earlier is not None and earlier[0] != decision:
                raise OverridesError(
                    path,
                    line,
                    f"{a!r} and {b!r} are both {earlier[0]!r} (line {earlier[1]}) and "
                    f"{decision!r}: say one",
                )
            seen.setdefault(frozenset((a, b)), (decision, line))
            out.append((decision, a, b))
    return out


def _pair(path: Path, node: yaml.Node, decision: str) -> tuple[str, str]:
    example = '[jsmith@agency.example, "name:j. smith"]'
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2:
        raise OverridesError(
            path, line_of(node), f"each item of {decision}: is a pair of keys, like {example}"
        )
    keys = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise OverridesError(
                path, line_of(item), f"a key is an address or name:… as seen, like {example}"
            )
        keys.append(_key(path, item))
    return keys[0], keys[1]


def _key(path: Path, node: yaml.ScalarNode) -> str:
    """The key as participants.key has it: an address lower-cased, "name:" and the name
    case-folded."""
    key = node.value.strip()
    if key[:5].lower() == "name:":
        name = key[5:].strip()
        if not name:
            raise OverridesError(path, line_of(node), "name: needs the name as seen after it")
        return "name:" + name.casefold()
    if not EMAIL.match(key):
        raise OverridesError(
            path,
            line_of(node),
            f"{key!r} is neither an email address nor name:… (a name as seen, "
            'like "name:j. smith")',
        )
    return key.lower()
