"""Reading the reporter's YAML files (the roster, the publication policy) strictly: a file with
a mistake is refused with its line and the reason, never half-read. Each reader raises its own
error class (a FileError), so its caller can say which file was wrong."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import BackchannelError

EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


# libyaml's loader where PyYAML was built with it: a roster of thousands of people is read in
# a fraction of the pure-Python loader's time (the same nodes, lines and errors).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 16  # a roster nests six deep: officials, an official, staff, one, emails
OPENING = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


class FileError(BackchannelError, ValueError):
    def __init__(self, path: Path, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class Reader:
    """The strict reading of one kind of file: `Reader(RosterError).mapping(…)`."""

    def __init__(self, error: type[FileError]):
        self.error = error

    def read(self, path: Path) -> str:
        """The file's text (a BOM aside), or this reader's error saying why it cannot be read."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.error(Path(path), None, f"cannot be read: {exc}") from exc
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise self.error(Path(path), line, "a NUL byte: not a text file")
        return text

    def compose(self, path: Path, text: str, what: str) -> yaml.Node:
        try:
            self._shape(path, text)
            root = yaml.compose(text, Loader=LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            raise self.error(path, line, f"not valid YAML: {exc}") from exc
        if root is None:
            raise self.error(path, None, f"{what} is empty")
        return root

    def _shape(self, path: Path, text: str) -> None:
        """Refuse, from the tokens (read without recursion), what no reporter's file needs and
        what would make reading it a hazard: lists and mappings nested deeper than MAX_DEPTH
        (PyYAML's composer recurses: thousands of `[` take seconds, then a RecursionError),
        and anchors and aliases (`&a`, `*a`: one node shared, a file that grows a billionfold
        when walked)."""
        depth = 0
        for token in yaml.scan(text, Loader=LOADER):
            if isinstance(token, OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    raise self.error(
                        path,
                        token.start_mark.line + 1,
                        f"nested more than {MAX_DEPTH} lists or mappings deep",
                    )
            elif isinstance(token, CLOSING):
                depth -= 1
            elif isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise self.error(
                    path,
                    token.start_mark.line + 1,
                    "anchors and aliases (& and *) are not used in this file: write it out",
                )

    def mapping(self, path: Path, node: yaml.Node, allowed: set[str], what: str) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(path, line_of(node), f"{what} should be a mapping of keys")
        out: dict[str, yaml.Node] = {}
        first: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.error(path, line_of(key), f"a key in {what} should be a word")
            name = key.value
            if name not in allowed:
                raise self.error(
                    path,
                    line_of(key),
                    f"unknown key {name!r} in {what} (known: {', '.join(sorted(allowed))})",
                )
            if name in out:
                raise self.error(
                    path,
                    line_of(key),
                    f"key {name!r} is given twice in {what} (first on line {first[name]})",
                )
            out[name] = value
            first[name] = line_of(key)
        return out

    def sequence(self, path: Path, node: yaml.Node | None, what: str) -> list:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(path, line_of(node), f"{what} should be a list")
        return node.value

    def scalar(self, path: Path, node: yaml.Node | None, parent: yaml.Node, missing: str) -> str:
        if node is None or not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            raise self.error(path, line_of(node or parent), missing)
        return node.value.strip()

    def strings(self, path: Path, node: yaml.Node | None) -> list[str]:
        """A scalar or a list of scalars, as a list of non-empty strings."""
        if node is None:
            return []
        if isinstance(node, yaml.ScalarNode):
            return [node.value.strip()] if node.value.strip() else []
        out = []
        for item in self.sequence(path, node, "a list of names"):
            if not isinstance(item, yaml.ScalarNode):
                raise self.error(path, line_of(item), "expected a name, an address or a domain")
            if item.value.strip():
                out.append(item.value.strip())
        return out
