"""A librarian's duplicate decisions, kept as curated truth in records/_decisions.json (or the
database's documents table): pairs that are not duplicates, records merged by hand."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kb.config import DECISIONS_FILE
from kb.errors import RecordError
from kb.store import RecordStore


class MergeDecision(BaseModel):
    """Record `merged` was folded into record `kept` by a librarian."""

    model_config = ConfigDict(extra="forbid")
    kept: str
    merged: str


class Decisions(BaseModel):
    """All decisions; pairs are stored sorted so the file is stable."""

    model_config = ConfigDict(extra="forbid")
    not_duplicates: list[tuple[str, str]] = Field(default_factory=list)
    merged: list[MergeDecision] = Field(default_factory=list)

    def is_not_duplicate(self, a: str, b: str) -> bool:
        return pair(a, b) in set(self.not_duplicates)

    def add_not_duplicate(self, a: str, b: str) -> None:
        self.not_duplicates = sorted(set(self.not_duplicates) | {pair(a, b)})

    def add_merge(self, kept: str, merged: str) -> None:
        self.merged.append(MergeDecision(kept=kept, merged=merged))
        # a pair that no longer exists cannot be "not a duplicate" any more
        self.not_duplicates = [p for p in self.not_duplicates if merged not in p]


def pair(a: str, b: str) -> tuple[str, str]:
    """The pair in a stable order."""
    return (a, b) if a <= b else (b, a)


def load_decisions(store: RecordStore) -> Decisions:
    """The decisions of a knowledge base (none yet: empty)."""
    data = store.read_document(DECISIONS_FILE)
    if data is None:
        return Decisions()
    try:
        return Decisions.model_validate(json.loads(data.decode("utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError) as err:
        raise RecordError(f"{store.location}/{DECISIONS_FILE}: not a valid decisions file ({err})") from err


def save_decisions(store: RecordStore, decisions: Decisions) -> None:
    """Write the decisions file atomically (call while holding the store lock)."""
    data = decisions.model_dump_json(indent=2) + "\n"
    store.write_document(DECISIONS_FILE, data.encode("utf-8"))
