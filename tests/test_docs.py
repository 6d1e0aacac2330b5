"""The README is a manual a reporter reads, and docs/ holds the rest: the README stays short and
links every page of docs/, every link between them resolves, and every file the newcomer's page
tells you to touch exists."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 450

# A Markdown link or image: [text](target) or ![alt](target), the target up to a space or ")".
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
# What the newcomer's page names in backticks as a file or folder of the repository.
TOP = ("backchannel/", "tests/", "docs/", "benchmarks/", "scripts/", "sample/")
PATH = re.compile(r"`([A-Za-z0-9_./-]+)`")


def links(path: Path) -> list[str]:
    """The local targets a Markdown file links to, without their #anchors."""
    targets = LINK.findall(path.read_text(encoding="utf-8"))
    return [t.split("#")[0] for t in targets if not re.match(r"[a-z]+:", t) and t[0] != "#"]


def repository_paths(text: str) -> list[str]:
    """Every path in backticks that starts at a top folder of the repository, or is a file at
    its root; placeholders (`tests/test_<name>.py`) are not matched."""
    found = PATH.findall(text)
    return [p for p in found if p.startswith(TOP) or p in ("README.md", "CHANGELOG.md")]


def test_the_readme_is_short():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines < MAX_README_LINES, f"README.md has {lines} lines: move the detail to docs/"


def test_the_readme_links_every_page_of_docs_and_every_link_resolves():
    linked = {(ROOT / t).resolve() for t in links(README)}
    in_docs = {p.resolve() for p in DOCS.iterdir() if p.is_file()}
    assert sorted(p.name for p in in_docs - linked) == []
    missing = [t for t in links(README) if not (ROOT / t).exists()]
    assert missing == []


def test_every_link_in_docs_resolves():
    pages = sorted(DOCS.glob("*.md"))
    assert len(pages) >= 10
    broken = [
        f"{page.name}: {target}"
        for page in pages
        for target in links(page)
        if not (page.parent / target).exists()
    ]
    assert broken == []


def test_every_file_the_newcomers_page_names_exists():
    """The page lists the files to touch to add a format, an analyze stage, a table and a
    Datasette page: each must be where the page says (read from the page itself)."""
    page = (DOCS / "newcomer.md").read_text(encoding="utf-8")
    for heading in ("a format", "an analyze stage", "a table", "a Datasette page"):
        assert f"## Adding {heading}" in page
    named = repository_paths(page)
    assert len(named) >= 30
    assert sorted({p for p in named if not (ROOT / p).exists()}) == []


def test_the_path_reader_sees_paths_and_skips_placeholders():
    text = "Touch `backchannel/cli.py`, `README.md` and `tests/test_<name>.py`, not `mail/`."
    assert repository_paths(text) == ["backchannel/cli.py", "README.md"]
