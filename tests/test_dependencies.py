"""Every declared dependency is used (a dependency no code imports is dead weight to install and
audit), declared as a range in pyproject.toml and pinned exactly in constraints.txt alone; every
library the package imports is declared (or named as coming with the one it serves)."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, requires, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Pinned for a library that imports them itself, not for the package's own imports.
USED_THROUGH = {
    "scipy": "networkx's PageRank",
    "pillow": "pypdfium2's to_pil, for OCR",
}

# Imported by the package but not declared: the host library that requires them decides their
# version, and backchannel uses them only as that library's parts.
COMES_WITH = {
    "jinja2": "datasette",  # the plugin's templates and filters run in Datasette's Jinja
    "markupsafe": "datasette",  # Markup, the type Datasette's Jinja takes as safe HTML
    "thinc": "spacy",  # spaCy's own ops (use_ops), spaCy's range pins thinc's
}


def imported_modules(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def distribution_modules() -> dict[str, set[str]]:
    by_dist: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            by_dist.setdefault(dist.lower().replace("_", "-"), set()).add(module)
    return by_dist


def unused_pins(requirements: list[str], imported: set[str]) -> list[str]:
    modules = distribution_modules()
    unused = []
    for requirement in requirements:
        name = requirement_name(requirement)
        if name in USED_THROUGH:
            continue
        assert name in modules, f"{name} is pinned but not installed"
        if not modules[name] & imported:
            unused.append(name)
    return unused


def required(dist: str) -> set[str]:
    """What an installed distribution requires, extras left out."""
    return {requirement_name(r) for r in requires(dist) or [] if "extra ==" not in r}


def requirement_name(requirement: str) -> str:
    return re.split(r"[=<>!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"]["test"]


def constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            pins[requirement_name(name)] = version
    return pins


def test_every_runtime_dependency_is_imported():
    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert unused_pins(requirements, imported_modules(ROOT / "backchannel")) == []


def test_dependencies_are_ranges_and_constraints_pin_each_one_as_installed():
    pins = constraints()
    for requirement in declared():
        name = requirement_name(requirement)
        assert "==" not in requirement, f"pyproject.toml pins {name}: pins go in constraints.txt"
        assert name in pins, f"{name} is declared but constraints.txt does not pin it"
        assert version(name) == pins[name], f"{name} {version(name)} installed, {pins[name]} pinned"


def test_the_check_names_a_pin_nothing_imports():
    imported = imported_modules(ROOT / "backchannel") - {"yaml"}
    assert unused_pins(["pyyaml==6.0.3", "click==8.5.1"], imported) == ["pyyaml"]


def test_every_imported_library_is_declared():
    """A library the package imports is declared, or comes with the declared one it serves."""
    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {requirement_name(r) for r in requirements}
    for dist, host in COMES_WITH.items():
        assert host in names, f"{dist} comes with {host}, which is not declared"
        wanted = required(host) | {d for needed in required(host) for d in required(needed)}
        assert dist in wanted, f"{host} does not require {dist}: declare it"
    modules = distribution_modules()
    undeclared = []
    for module in imported_modules(ROOT / "backchannel") - set(sys.stdlib_module_names):
        if module == "backchannel":
            continue
        dists = {name for name, provided in modules.items() if module in provided}
        assert dists, f"{module} is imported but no installed distribution provides it"
        if not dists & (names | set(COMES_WITH)):
            undeclared.append(module)
    assert undeclared == []
