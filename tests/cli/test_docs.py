"""Every CLI command has help with an example and appears in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    head = README.split("\n## ")[0]
    assert "make run" in head and "make test" in head


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_documented(name: str) -> None:
    command = main.commands[name]
    assert command.help and "Example:" in command.help
    assert f"`kb {name}" in README
