"""backchannel installed as a user would: its wheel, with pip and no constraints, into a fresh
environment that already runs a Datasette 0.65 with two other plugins. None of their versions
moves, pip finds nothing broken, Datasette lists all three plugins, and both `backchannel serve`
and the user's own `datasette` (with `backchannel metadata`) show the story and an email."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from importlib.metadata import version
from pathlib import Path

import markupsafe
import pytest
from conftest import ROOT, rows

from backchannel.publish.local import serving

pytestmark = pytest.mark.slow

# The user's environment before backchannel: another Datasette 0.65.x than constraints.txt's.
THEIRS = ["datasette==0.65.2", "datasette-cluster-map==0.18.2", "datasette-pretty-json==0.3"]


def run(*args: str | Path) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def pip(venv: Path, *args: str | Path) -> str:
    return run(venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", *args)


def freeze(venv: Path) -> dict[str, str]:
    pins = dict(line.split("==", 1) for line in pip(venv, "freeze").splitlines() if "==" in line)
    return {name.lower().replace("_", "-"): version for name, version in pins.items()}


def build_wheel(venv: Path, out: Path) -> Path:
    """`pip wheel --no-deps .` on a copy of the package: an in-tree build would leave build/ in
    the checkout, and a stale build/ can put deleted modules in the next wheel."""
    src = out / "src"
    shutil.copytree(
        ROOT / "backchannel", src / "backchannel", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    pip(venv, "wheel", "--no-deps", "-q", src, "-w", out / "dist")
    (wheel,) = (out / "dist").glob("backchannel-*.whl")
    return wheel


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode()


def assert_pages(base: str, email_id: str, subject: str) -> None:
    story = get(f"{base}/-/story/corpus")
    assert "Better Schools Now" in story and "Dana Whitfield" in story
    email = get(f"{base}/-/email/corpus/{email_id}")
    assert (
        str(markupsafe.escape(subject)) in email and "lee" in email
    )  # the copy's custodian, from the provenance
    # backchannel's counts are links beside pretty-json's render_cell.
    assert "/-/messages/corpus?counted=" in get(f"{base}/corpus/office_contacts")


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A venv with the user's Datasette and plugins, then backchannel's wheel: the venv, and
    `pip freeze` before and after."""
    work = tmp_path_factory.mktemp("install")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv)
    wheel = build_wheel(venv, work)
    pip(venv, "install", "-q", *THEIRS)
    before = freeze(venv)
    pip(venv, "install", "-q", wheel)  # no constraints: as a user would
    return venv, before, freeze(venv)


def test_installing_the_wheel_moves_none_of_the_users_packages(user_venv):
    venv, before, after = user_venv
    assert {name for name, _, _ in (t.partition("==") for t in THEIRS)} <= set(before)
    moved = {name: (v, after.get(name)) for name, v in before.items() if after.get(name) != v}
    assert moved == {}
    assert "backchannel" not in before
    installed = run(venv / "bin" / "backchannel", "--version").split()[-1]
    assert installed == version("backchannel")  # this checkout's
    pip(venv, "check")
    plugins = {p["name"] for p in json.loads(run(venv / "bin" / "datasette", "plugins"))}
    assert {"backchannel", "datasette-cluster-map", "datasette-pretty-json"} <= plugins


def test_backchannel_serve_and_plain_datasette_show_the_story_and_an_email(
    user_venv, analyzed_sample, tmp_path
):
    venv = user_venv[0]
    # Built by this checkout's environment (NER needs the model, which pip does not install).
    db = tmp_path / "corpus.db"
    shutil.copy(analyzed_sample[0], db)
    ((email_id, subject),) = rows(
        db,
        "select m.id, m.subject from messages m join message_copies c on c.message_id = m.id "
        "where c.custodian = 'lee' and m.recovered = 0 order by m.id limit 1",
    )
    serve = [str(venv / "bin" / "backchannel"), "serve", "--db", str(db)]
    with serving(db, timeout=60, command=serve) as base:
        assert_pages(base, email_id, subject)

    metadata = tmp_path / "metadata.json"
    metadata.write_text(run(venv / "bin" / "backchannel", "metadata", "--db", db))
    datasette = [str(venv / "bin" / "datasette"), "serve", str(db), "--metadata", str(metadata)]
    with serving(db, timeout=60, command=datasette) as base:
        assert_pages(base, email_id, subject)
        # The metadata's description, its links named after the served file.
        assert re.search(r'href="/-/story/corpus"', get(f"{base}/corpus"))
