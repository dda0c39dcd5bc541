"""Dedup keys of every record, cached in .kb/dedup_keys.json (derived, rebuildable) so a batch
import into a large knowledge base does not read and validate every record file first: only
files whose size or modification time changed are read again."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields

from kb.config import DEDUP_KEYS, index_dir
from kb.dedup.match import DedupKey, key_of
from kb.model.schema import Record
from kb.store import Store, atomic_write

log = logging.getLogger(__name__)
VERSION = 1


def _entry(record: Record, stamp: list[int]) -> dict:
    return {"stamp": stamp, "key": asdict(key_of(record)),
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
        keys = {rid: DedupKey(**{**e["key"], "authors": tuple(e["key"]["authors"])})
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
        records = data.get("records") or {}
        good = {k: e for k, e in records.items() if _valid(e)} if isinstance(records, dict) else {}
        if len(good) != (len(records) if isinstance(records, dict) else 1):
            log.warning("%s is not shaped as expected; rebuilding the entries it cannot give", self.path)
        return good


_KEY_FIELDS = {f.name for f in fields(DedupKey)}


def _valid(entry: object) -> bool:
    """An entry as _entry() writes it (anything else is read again from its record file)."""
    return (isinstance(entry, dict) and isinstance(entry.get("stamp"), list)
            and isinstance(entry.get("sources"), list)
            and all(isinstance(s, str) for s in entry["sources"])
            and isinstance(entry.get("key"), dict) and set(entry["key"]) == _KEY_FIELDS
            and isinstance(entry["key"].get("authors"), list))
