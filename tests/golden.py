"""Golden files under tests/gold/: compare text with the stored, hand-checked expected output.

Run with KB_UPDATE_GOLDEN=1 to (re)write a golden file, then read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

from kb.model.schema import Record
from kb.store import Store

GOLD = Path(__file__).parent / "gold"
FROZEN_KB = Path(__file__).parent / "data" / "synthesis_kb"


def assert_golden(name: str, text: str) -> None:
    """Assert `text` equals tests/gold/<name> (or write it when KB_UPDATE_GOLDEN=1)."""
    path = GOLD / name
    if os.environ.get("KB_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path} (run with KB_UPDATE_GOLDEN=1)"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


def frozen_records() -> list[Record]:
    """A frozen copy of the four shipped records (with extracted findings) for golden tests, so
    that re-extracting records/ does not change these expected outputs."""
    return Store(FROZEN_KB).load_all()


def frozen(record_id: str) -> Record:
    return Store(FROZEN_KB).load(record_id)
