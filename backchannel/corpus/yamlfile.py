"""Reading the reporter's YAML files (the roster, the publication policy) strictly: a file with
a mistake is refused with its line and the reason, never half-read. Each reader passes its own
error class (a FileError), so its caller can say which file was wrong."""

from __future__ import annotations

from pathlib import Path

import yaml


class FileError(ValueError):
    def __init__(self, path: Path, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


def compose(error: type[FileError], path: Path, text: str, what: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(path, mark.line + 1 if mark else None, f"not valid YAML: {exc}") from exc
    if root is None:
        raise error(path, None, f"{what} is empty")
    return root


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class Reader:
    """The helpers below, raising one reader's error class: `Reader(RosterError).mapping(…)`."""

    def __init__(self, error: type[FileError]):
        self.error = error

    def read(self, path: Path) -> str:
        """The file's text (a BOM aside), or this reader's error saying why it cannot be read."""
        try:
            return Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.error(Path(path), None, f"cannot be read: {exc}") from exc

    def compose(self, path, text: str, what: str) -> yaml.Node:
        return compose(self.error, path, text, what)

    def mapping(self, path, node, allowed: set[str], what: str) -> dict:
        return mapping(self.error, path, node, allowed, what)

    def sequence(self, path, node, what: str) -> list:
        return sequence(self.error, path, node, what)

    def scalar(self, path, node, parent, missing: str) -> str:
        return scalar(self.error, path, node, parent, missing)

    def strings(self, path, node) -> list[str]:
        return strings(self.error, path, node)


def mapping(error: type[FileError], path, node, allowed: set[str], what: str) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise error(path, line_of(node), f"{what} should be a mapping of keys")
    out = {}
    for key, value in node.value:
        name = key.value
        if name not in allowed:
            raise error(
                path,
                line_of(key),
                f"unknown key {name!r} in {what} (known: {', '.join(sorted(allowed))})",
            )
        out[name] = value
    return out


def sequence(error: type[FileError], path, node, what: str) -> list:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise error(path, line_of(node), f"{what} should be a list")
    return node.value


def scalar(error: type[FileError], path, node, parent, missing: str) -> str:
    if node is None or not isinstance(node, yaml.ScalarNode) or not node.value.strip():
        raise error(path, line_of(node or parent), missing)
    return node.value.strip()


def strings(error: type[FileError], path, node, what: str = "a name, an address or a domain"):
    """A scalar or a list of scalars, as a list of non-empty strings."""
    if node is None:
        return []
    if isinstance(node, yaml.ScalarNode):
        return [node.value.strip()] if node.value.strip() else []
    out = []
    for item in sequence(error, path, node, "a list of names"):
        if not isinstance(item, yaml.ScalarNode):
            raise error(path, line_of(item), f"expected {what}")
        if item.value.strip():
            out.append(item.value.strip())
    return out
