"""Dedup keys of every record, cached in .kb/dedup_keys.json (derived, rebuildable) so a batch
import into a large knowledge base does not read and validate every record first: only records
whose stamp (file size and time, or database version) changed are read again."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields

from kb.config import DEDUP_KEYS
from kb.dedup.match import DedupKey, key_of
from kb.errors import RecordError
from kb.model.schema import Record
from kb.store import RecordStore, atomic_write

log = logging.getLogger(__name__)
VERSION = 2


def _entry(record: Record, stamp: str) -> dict:
    return {"stamp": stamp, "key": asdict(key_of(record)),
            "sources": sorted(s.sha256 for s in record.sources)}


class KeyCache:
    """Per record: its dedup key and the hashes of its sources, with the file stamp they match."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.path = store.cache_dir / DEDUP_KEYS
        self.entries: dict[str, dict] = {}
        self.skipped: set[str] = set()  # records that do not load (named once per run)

    def _current(self, known: dict[str, dict]) -> dict[str, dict]:
        """An up-to-date entry per record; records changed since `known` are read again."""
        out = {}
        for record_id, stamp in self.store.stamps().items():
            entry = known.get(record_id)
            if entry is None or entry["stamp"] != stamp:
                try:
                    entry = _entry(self.store.load(record_id), stamp)
                except RecordError as err:  # one bad record must not stop an ingest
                    if record_id not in self.skipped:
                        self.skipped.add(record_id)
                        log.warning("skipped an unreadable record (see `kb check`): %s", err)
                    continue
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
        self.entries[record.id] = _entry(record, self.store.stamp(record.id))

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
    return (isinstance(entry, dict) and isinstance(entry.get("stamp"), str)
            and isinstance(entry.get("sources"), list)
            and all(isinstance(s, str) for s in entry["sources"])
            and isinstance(entry.get("key"), dict) and set(entry["key"]) == _KEY_FIELDS
            and isinstance(entry["key"].get("authors"), list))
