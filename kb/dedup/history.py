"""Merges kept for undo: records/_merged/<merged-id>.json holds the record folded into another
and the kept record as it was before the merge (link, don't delete), so `kb dedup --undo` can
restore both. Part of records/ (the truth), written atomically."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from kb.config import MERGED_DIR
from kb.errors import KBError, RecordError
from kb.model.ids import base_id, unique_id
from kb.model.schema import Record
from kb.store import Store, atomic_write, serialize


class MergeSnapshot(BaseModel):
    """One merge: `merged` was folded into `kept_before`, giving the record `kept_id`."""

    model_config = ConfigDict(extra="forbid")
    kept_id: str
    kept_sha: str            # sha256 of the kept record's file right after the merge
    reason: str
    kept_before: Record
    merged: Record


def record_sha(record: Record) -> str:
    """sha256 of a record as it is written to records/."""
    return hashlib.sha256(serialize(record).encode("utf-8")).hexdigest()


def _path(store: Store, merged_id: str) -> Path:
    store.path_of(merged_id)  # raises on an unsafe id
    return store.records / MERGED_DIR / f"{merged_id}.json"


def keep_merged(store: Store, before: Record, merged: Record, after: Record, reason: str) -> None:
    """Remember that `merged` was folded into `before`, giving `after` (call under the store lock)."""
    snapshot = MergeSnapshot(kept_id=after.id, kept_sha=record_sha(after), reason=reason,
                             kept_before=before, merged=merged)
    atomic_write(_path(store, merged.id), (snapshot.model_dump_json(indent=2) + "\n").encode("utf-8"))


def load_merged(store: Store, merged_id: str) -> MergeSnapshot:
    """The kept merge of record `merged_id` (KBError when none is kept)."""
    path = _path(store, merged_id)
    if not path.is_file():
        raise KBError(f"no merge of '{merged_id}' is kept (see `kb dedup --merged`)")
    try:
        return MergeSnapshot.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, ValidationError) as err:
        raise RecordError(f"{path}: not a valid merge record ({err})") from err


def merged_ids(store: Store) -> list[str]:
    """Ids of the records kept as merged away, sorted."""
    folder = store.records / MERGED_DIR
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def forget_merged(store: Store, merged_id: str) -> None:
    """Drop the kept merge of `merged_id` (after an undo)."""
    _path(store, merged_id).unlink(missing_ok=True)


class MergeHistory:
    """The merges of one import run, kept for undo under ids no record or kept merge has."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._taken: set[str] | None = None

    def keep(self, before: Record, incoming: Record, after: Record, reason: str, *,
             taken: Container[str]) -> str:
        """Keep an incoming record merged into `before` (giving `after`); returns its kept id."""
        if self._taken is None:
            self._taken = set(merged_ids(self.store))
        kept_id = unique_id(base_id(incoming), _Either(self._taken, taken))
        self._taken.add(kept_id)
        keep_merged(self.store, before, incoming.model_copy(update={"id": kept_id}), after, reason)
        return kept_id


class _Either:
    """Membership in either of two containers (without copying them)."""

    def __init__(self, a: Container[str], b: Container[str]) -> None:
        self.a, self.b = a, b

    def __contains__(self, item: object) -> bool:
        return item in self.a or item in self.b
