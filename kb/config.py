"""Where the knowledge base lives and the settings read from the environment."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RECORDS_DIR = "records"
SOURCES_DIR = "_sources"
INDEX_DIR = ".kb"


def kb_home(explicit: str | Path | None = None) -> Path:
    """The folder holding records/ and .kb/: --kb, else KB_HOME, else cwd with records/, else repo."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("KB_HOME")
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd()
    if (cwd / RECORDS_DIR).is_dir():
        return cwd.resolve()
    return REPO_ROOT


def records_dir(home: Path) -> Path:
    """records/ inside a KB home."""
    return home / RECORDS_DIR


def sources_dir(home: Path) -> Path:
    """records/_sources/ inside a KB home: raw inputs named by their sha256."""
    return home / RECORDS_DIR / SOURCES_DIR


def index_dir(home: Path) -> Path:
    """.kb/ inside a KB home: derived, rebuildable data."""
    return home / INDEX_DIR


def read_toml(path: Path, what: str) -> dict:
    """A TOML settings file as a dict; KBError naming the file when it cannot be read."""
    from kb.errors import KBError

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise KBError(f"{path}: cannot read the {what} ({err})") from err
