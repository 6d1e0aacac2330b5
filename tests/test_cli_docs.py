"""The command line matches its documentation."""

from __future__ import annotations

import tomllib

import click
from click.testing import CliRunner
from conftest import ROOT

from backchannel import __version__
from backchannel.cli import cli


def commands(group: click.Group, prefix: str = ""):
    """Every command, those of a group (`roster draft`) too, by the words that call it."""
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name, command in commands(cli):
        result = CliRunner().invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, name
        assert f"backchannel {name}" in readme, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, (name, opt)


def test_readme_first_commands_exist_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    for command in commands:
        assert (ROOT / command.split()[1]).is_file()
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_version_is_the_projects_and_in_the_changelog():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert version == __version__
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and version in result.output
    assert f"\n## {version} " in (ROOT / "CHANGELOG.md").read_text()
