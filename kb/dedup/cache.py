"""Dedup keys of every record, cached in .kb/dedup_keys.json (derived, rebuildable) so a batch
import into a large knowledge base does not read and validate every record file first: only
files whose size or modification time changed are read again."""

from __future__ import annotations

import json
import logging

from kb.config import DEDUP_KEYS, index_dir
from kb.dedup.keys import DedupKey, key_of
from kb.model.schema import Record
from kb.store import Store, atomic_write

log = logging.getLogger(__name__)
VERSION = 2  # 2: the richer key of kb/dedup/keys.py


def _entry(record: Record, stamp: list[int]) -> dict:
    return {"stamp": stamp, "key": key_of(record).to_dict(),
            "sources": sorted(s.sha256 for s in record.sources)}


class KeyCache:
    """Per record: its dedup key and the hashes of its sources, with the file stamp they match."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = index_dir(store.home) / DEDUP_KEYS
        self.entries: dict[str, dict] = {}

    def _current(self, known: dict[str, dict]) -> dict[str, dict]:
        """An up-to-date entry per record file; files changed since `known` are read again."""
        out = {}
        for name, size, mtime in self.store.fingerprint():
            record_id = name.removesuffix(".json")
            entry = known.get(record_id)
            if entry is None or entry["stamp"] != [size, mtime]:
                entry = _entry(self.store.load_file(self.store.records / name), [size, mtime])
            out[record_id] = entry
        return out

    def load(self) -> tuple[dict[str, DedupKey], dict[str, set[str]]]:
        """Keys and source hashes of all current records."""
        self.entries = self._current(self._read())
        keys = {rid: DedupKey.from_dict(e["key"])
                for rid, e in self.entries.items()}
        return keys, {rid: set(e["sources"]) for rid, e in self.entries.items()}

    def refresh(self, record: Record) -> None:
        """Note a record just saved (so save() need not read it again)."""
        stat = self.store.path_of(record.id).stat()
        self.entries[record.id] = _entry(record, [stat.st_size, stat.st_mtime_ns])

    def save(self) -> None:
        """Write the cache for the records as they are now (call after a batch)."""
        data = {"version": VERSION, "records": self._current(self.entries)}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def _read(self) -> dict[str, dict]:
        if not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            log.warning("%s is unreadable (%s); rebuilding it", self.path, err)
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        return data.get("records") or {}
