"""Editable TOML settings files shipped with the model (taxonomy, acronym list): one reader."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kb.errors import KBError


def read_toml(path: Path, what: str) -> dict:
    """A TOML settings file as a dict; KBError naming the file when it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise KBError(f"{path}: cannot read the {what} ({err})") from err
