"""Duplicate candidates looked up in the key cache's tables (kb.dedup.cache) rather than in
memory: a record's identifiers and blocking keys select the few stored keys it is compared with,
and the records a batch saved or removed meanwhile (not yet written to the tables) are held in a
small in-memory index beside them. Answers as kb.dedup.index.DedupIndex does over the same keys."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from kb.dedup.index import MAX_BLOCK, DedupIndex, block_keys
from kb.dedup.keys import DedupKey
from kb.dedup.match import Match, ranked_matches

if TYPE_CHECKING:
    from kb.dedup.cache import Entry

SQL_VARS = 500  # identifiers or blocks asked for in one statement


class StoredKeys(Mapping[str, DedupKey]):
    """Every current record's key by id: stored ids (minus those a batch replaced or removed)
    and the batch's own, each key read from the tables when asked for."""

    def __init__(self, index: StoredDedupIndex) -> None:
        self._index = index

    def __getitem__(self, record_id: str) -> DedupKey:
        key = self._index.key(record_id)
        if key is None:
            raise KeyError(record_id)
        return key

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self._index.has(record_id)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._index.ids()))

    def __len__(self) -> int:
        return len(self._index.ids())


class StoredDedupIndex:
    """The dedup index of a knowledge base whose keys are in the key cache's tables."""

    def __init__(self, db: sqlite3.Connection, *, pending: Mapping[str, Entry | None]) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._pending = pending  # the cache's own map: saved (an entry) or removed (None)
        self._stored = {i for (i,) in db.execute("SELECT id FROM entries")}
        self._batch = DedupIndex(e.key for e in pending.values() if e is not None)
        self.keys: Mapping[str, DedupKey] = StoredKeys(self)

    # -- the batch's changes -----------------------------------------------------------------
    def add(self, key: DedupKey) -> None:
        """Index a key (replacing an older key with the same id)."""
        self._batch.add(key)

    def remove(self, record_id: str) -> None:
        """Forget a key (a record merged away or renamed)."""
        self._batch.remove(record_id)

    def _hidden(self, record_id: str) -> bool:
        """A stored key a batch replaced or removed."""
        return record_id in self._pending or record_id in self._batch.keys

    # -- lookups -------------------------------------------------------------------------------
    def ids(self) -> set[str]:
        removed = {i for i, e in self._pending.items() if e is None}
        return (self._stored - removed) | set(self._batch.keys)

    def has(self, record_id: str) -> bool:
        if record_id in self._batch.keys:
            return True
        return record_id in self._stored and record_id not in self._pending

    def key(self, record_id: str) -> DedupKey | None:
        if record_id in self._batch.keys:
            return self._batch.keys[record_id]
        if not self.has(record_id):
            return None
        found = self._read_keys([record_id])
        return found[0] if found else None

    def __len__(self) -> int:
        return len(self.ids())

    def candidates(self, key: DedupKey) -> list[DedupKey]:
        """Keys sharing an identifier or a block with `key`."""
        ids = set(self._stored_candidates(key))
        ids.discard(key.id)
        out = {k.id: k for k in self._read_keys(sorted(i for i in ids if not self._hidden(i)))}
        out.update((k.id, k) for k in self._batch.candidates(key))
        return [out[i] for i in sorted(out)]

    def matches(self, key: DedupKey) -> list[Match]:
        """Duplicates and possible duplicates of `key` among the indexed keys, best first."""
        return ranked_matches(key, self.candidates(key))

    def match(self, key: DedupKey) -> Match | None:
        found = self.matches(key)
        return found[0] if found else None

    def pairs(self) -> Iterator[tuple[str, Match]]:
        """Every current pair judged duplicate or possible, once each, as DedupIndex.pairs gives
        them: the keys are read from the tables in one pass (never the records themselves)."""
        return DedupIndex(self._current_keys()).pairs()

    def _current_keys(self) -> Iterator[DedupKey]:
        """Every stored key a batch did not replace or remove, then the batch's own."""
        with self._lock:
            rows = self._db.execute("SELECT id, key FROM entries ORDER BY id").fetchall()
        for record_id, key in rows:
            if not self._hidden(record_id):
                yield DedupKey.from_dict(json.loads(key))
        yield from self._batch.keys.values()

    def _stored_candidates(self, key: DedupKey) -> list[str]:
        """Stored ids sharing an identifier (the first stored id of each, as DedupIndex keeps)
        or a block of at most MAX_BLOCK members with `key`."""
        out: list[str] = []
        with self._lock:
            for kind, value in (("doi", key.doi_stem), ("pmid", key.pmid), ("pmcid", key.pmcid)):
                if value:
                    row = self._db.execute("SELECT min(id) FROM idents WHERE kind = ? AND value = ?",
                                           (kind, value)).fetchone()
                    if row and row[0]:
                        out.append(row[0])
            blocks = sorted(block_keys(key))
            for start in range(0, len(blocks), SQL_VARS):
                part = blocks[start:start + SQL_VARS]
                marks = ",".join("?" * len(part))
                sizes = dict(self._db.execute(
                    f"SELECT block, count(*) FROM blocks WHERE block IN ({marks}) GROUP BY block", part))
                small = [b for b in part if 0 < sizes.get(b, 0) <= MAX_BLOCK]
                if small:
                    marks = ",".join("?" * len(small))
                    out += [i for (i,) in self._db.execute(
                        f"SELECT DISTINCT id FROM blocks WHERE block IN ({marks})", small)]
        return out

    def _read_keys(self, ids: list[str]) -> list[DedupKey]:
        out: list[DedupKey] = []
        with self._lock:
            for start in range(0, len(ids), SQL_VARS):
                part = ids[start:start + SQL_VARS]
                marks = ",".join("?" * len(part))
                out += [DedupKey.from_dict(json.loads(k)) for (k,) in self._db.execute(
                    f"SELECT key FROM entries WHERE id IN ({marks}) ORDER BY id", part)]
        return out
