"""Merges kept for undo (link, don't delete): the document _merged.<merged-id>.json holds the
record folded into another and the kept record as it was before the merge, and _merged.json
lists them, so `kb dedup --undo` can restore both. Documents of the store (records/ in a
folder, the documents table in a database): part of the truth."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container

from pydantic import BaseModel, ConfigDict, ValidationError

from kb.config import MERGED_DIR
from kb.errors import KBError, RecordError
from kb.model.ids import base_id, unique_id
from kb.model.schema import Record
from kb.store import RecordStore, serialize

LISTING = f"{MERGED_DIR}.json"


class MergeSnapshot(BaseModel):
    """One merge: `merged` was folded into `kept_before`, giving the record `kept_id`."""

    model_config = ConfigDict(extra="forbid")
    kept_id: str
    kept_sha: str            # sha256 of the kept record's text right after the merge
    reason: str
    kept_before: Record
    merged: Record


class MergeEntry(BaseModel):
    """A line of the listing: which record a kept merge went into, and why."""

    model_config = ConfigDict(extra="forbid")
    kept_id: str
    reason: str


def record_sha(record: Record) -> str:
    """sha256 of a record as it is stored."""
    return hashlib.sha256(serialize(record).encode("utf-8")).hexdigest()


def _name(merged_id: str) -> str:
    Record(id=merged_id)  # raises on an unsafe id
    return f"{MERGED_DIR}.{merged_id}.json"  # flat: a database's document names have no folders


def listing(store: RecordStore) -> dict[str, MergeEntry]:
    """Every kept merge by the id of the merged-away record."""
    data = store.read_document(LISTING)
    if data is None:
        return {}
    try:
        return {k: MergeEntry.model_validate(v) for k, v in json.loads(data).items()}
    except (UnicodeDecodeError, json.JSONDecodeError, ValidationError, AttributeError) as err:
        raise RecordError(f"{store.location}/{LISTING}: not a valid list of merges ({err})") from err


def document_names(store: RecordStore) -> list[str]:
    """The store documents that hold kept merges (the listing and one file per merge)."""
    entries = listing(store)
    return [LISTING, *(_name(merged_id) for merged_id in entries)] if entries else []


def _save_listing(store: RecordStore, entries: dict[str, MergeEntry]) -> None:
    data = {k: entries[k].model_dump() for k in sorted(entries)}
    store.write_document(LISTING, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _write(store: RecordStore, before: Record, merged: Record, after: Record, reason: str) -> None:
    snapshot = MergeSnapshot(kept_id=after.id, kept_sha=record_sha(after), reason=reason,
                             kept_before=before, merged=merged)
    store.write_document(_name(merged.id), (snapshot.model_dump_json(indent=2) + "\n").encode("utf-8"))


def keep_merged(store: RecordStore, before: Record, merged: Record, after: Record, reason: str) -> None:
    """Remember that `merged` was folded into `before`, giving `after` (call under the store lock)."""
    _write(store, before, merged, after, reason)
    entries = listing(store)
    entries[merged.id] = MergeEntry(kept_id=after.id, reason=reason)
    _save_listing(store, entries)


def load_merged(store: RecordStore, merged_id: str) -> MergeSnapshot:
    """The kept merge of record `merged_id` (KBError when none is kept)."""
    data = store.read_document(_name(merged_id)) if merged_id in listing(store) else None
    if data is None:
        raise KBError(f"no merge of '{merged_id}' is kept (see `kb dedup --merged`)")
    try:
        return MergeSnapshot.model_validate(json.loads(data))
    except (UnicodeDecodeError, json.JSONDecodeError, ValidationError) as err:
        raise RecordError(f"{store.location}/{_name(merged_id)}: not a valid merge record ({err})") from err


def merged_ids(store: RecordStore) -> list[str]:
    """Ids of the records kept as merged away, sorted."""
    return sorted(listing(store))


def forget_merged(store: RecordStore, merged_id: str) -> None:
    """Drop a kept merge from the listing (after an undo)."""
    entries = listing(store)
    entries.pop(merged_id, None)
    _save_listing(store, entries)


class MergeHistory:
    """The merges of one import run, kept for undo under ids no record or kept merge has; the
    listing is written once, at flush()."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self._entries: dict[str, MergeEntry] | None = None
        self._dirty = False

    def keep(self, before: Record, incoming: Record, after: Record, reason: str, *,
             taken: Container[str]) -> str:
        """Keep an incoming record merged into `before` (giving `after`); returns its kept id."""
        if self._entries is None:
            self._entries = listing(self.store)
        kept_id = unique_id(base_id(incoming), _Either(self._entries, taken))
        _write(self.store, before, incoming.model_copy(update={"id": kept_id}), after, reason)
        self._entries[kept_id] = MergeEntry(kept_id=after.id, reason=reason)
        self._dirty = True
        return kept_id

    def flush(self) -> None:
        """Write the listing if this run kept a merge (call under the store lock)."""
        if self._entries is not None and self._dirty:
            entries = {**listing(self.store), **self._entries}
            _save_listing(self.store, entries)
            self._dirty = False


class _Either:
    """Membership in either of two containers (without copying them)."""

    def __init__(self, a: Container[str], b: Container[str]) -> None:
        self.a, self.b = a, b

    def __contains__(self, item: object) -> bool:
        return item in self.a or item in self.b
