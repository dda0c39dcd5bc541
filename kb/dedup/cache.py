"""Dedup keys of every record, kept in .kb/dedup_keys.sqlite (derived, rebuildable) with their
blocking keys and identifiers, so an ingest into a large knowledge base neither reads every
record nor builds the whole blocking index in memory: it looks up a new record's few
candidates. Only records whose stamp (file size and time, or database version) changed since
the keys were written are read again."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import fields
from pathlib import Path

from kb.config import DEDUP_KEYS
from kb.dedup.index import block_keys
from kb.dedup.keys import DedupKey, key_of
from kb.dedup.stored import StoredDedupIndex
from kb.errors import RecordError
from kb.model.schema import Record
from kb.store import RecordStore

log = logging.getLogger(__name__)
VERSION = 4  # 4: SQLite with blocks and identifiers (3: one JSON file)
LEGACY = "dedup_keys.json"  # what version 3 wrote; removed once the tables replace it
BUSY_MS = 30_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (id TEXT PRIMARY KEY, stamp TEXT NOT NULL, key TEXT NOT NULL,
                                    sources TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (block TEXT NOT NULL, id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS blocks_by_block ON blocks (block);
CREATE INDEX IF NOT EXISTS blocks_by_id ON blocks (id);
CREATE TABLE IF NOT EXISTS idents (kind TEXT NOT NULL, value TEXT NOT NULL, id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idents_by_value ON idents (kind, value);
CREATE INDEX IF NOT EXISTS idents_by_id ON idents (id);
"""
_KEY_FIELDS = {f.name for f in fields(DedupKey)}


class Entry:
    """One record's row: its key, the hashes of its sources, the stamp they match."""

    __slots__ = ("key", "sources", "stamp")

    def __init__(self, key: DedupKey, sources: set[str], stamp: str) -> None:
        self.key, self.sources, self.stamp = key, sources, stamp

    @classmethod
    def of(cls, record: Record, stamp: str) -> Entry:
        return cls(key_of(record), {s.sha256 for s in record.sources}, stamp)


class KeyCache:
    """The key tables of one store, brought up to date when opened (`index()`)."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.path = store.cache_dir / DEDUP_KEYS
        self.skipped: set[str] = set()  # records that do not load (named once per run)
        self._pending: dict[str, Entry | None] = {}  # saved or removed in this batch
        self._db: sqlite3.Connection | None = None

    # -- opening ---------------------------------------------------------------------------
    def index(self) -> StoredDedupIndex:
        """Candidates of every current record, looked up in the tables."""
        db = self._synced()
        return StoredDedupIndex(db, pending=self._pending)

    def _synced(self) -> sqlite3.Connection:
        """The tables, with the rows of records changed since they were written read again."""
        db = self._connect()
        stamps = self.store.stamps()
        known = dict(db.execute("SELECT id, stamp FROM entries"))
        gone = [(i,) for i in known if i not in stamps]
        fresh: list[tuple[str, Entry]] = []
        for record_id, stamp in stamps.items():
            if known.get(record_id) == stamp:
                continue
            try:
                fresh.append((record_id, Entry.of(self.store.load(record_id), stamp)))
            except RecordError as err:  # one bad record must not stop an ingest
                gone.append((record_id,))
                if record_id not in self.skipped:
                    self.skipped.add(record_id)
                    log.warning("skipped an unreadable record (see `kb check`): %s", err)
        if gone or fresh:
            with db:
                _delete(db, gone)
                _insert(db, fresh)
        return db

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        """The key database, made anew when it is damaged or of another version."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        (self.path.parent / LEGACY).unlink(missing_ok=True)
        if not self.path.exists():  # a journal left without its database must not be replayed
            _unlink(self.path, ("-wal", "-shm"))
            return self._create()
        db = None
        try:
            db = _connect(self.path)
            version = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
            if version == (str(VERSION),) and _shaped(db):
                return db
            log.warning("%s is of another version or shape; rebuilding it", self.path)
        except sqlite3.DatabaseError as err:
            log.warning("%s is unreadable (%s); rebuilding it", self.path, err)
        if db is not None:
            db.close()
        _unlink(self.path, ("", "-wal", "-shm"))
        return self._create()

    def _create(self) -> sqlite3.Connection:
        db = _connect(self.path)
        with db:
            db.executescript(SCHEMA)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(VERSION),))
        return db

    # -- a batch's changes -----------------------------------------------------------------
    def refresh(self, record: Record) -> None:
        """Note a record just saved (its row is written by save())."""
        self._pending[record.id] = Entry.of(record, self.store.stamp(record.id))

    def forget(self, record_id: str) -> None:
        """Note a record merged away or renamed."""
        self._pending[record_id] = None

    def sources(self, record_id: str) -> set[str]:
        """The source hashes of a record as this batch knows it."""
        if record_id in self._pending:
            entry = self._pending[record_id]
            return entry.sources if entry else set()
        row = self._connect().execute("SELECT sources FROM entries WHERE id = ?", (record_id,)).fetchone()
        return set(json.loads(row[0])) if row else set()

    def save(self) -> None:
        """Write the batch's changes in one short transaction (call after a batch)."""
        if not self._pending:
            return
        db = self._connect()
        with db:
            _delete(db, [(i,) for i in self._pending])
            _insert(db, [(i, e) for i, e in self._pending.items() if e is not None])
        self._pending.clear()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _connect(path: Path) -> sqlite3.Connection:
    """A connection any thread may use (the app shares one index between its sessions);
    `with db:` is one transaction."""
    db = sqlite3.connect(str(path), timeout=BUSY_MS / 1000, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _unlink(path: Path, suffixes: tuple[str, ...]) -> None:
    for suffix in suffixes:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _shaped(db: sqlite3.Connection) -> bool:
    """Whether the tables are there with a readable first row."""
    try:
        row = db.execute("SELECT key, sources FROM entries LIMIT 1").fetchone()
        db.execute("SELECT block, id FROM blocks LIMIT 1").fetchone()
        db.execute("SELECT kind, value, id FROM idents LIMIT 1").fetchone()
    except sqlite3.DatabaseError:
        return False
    if row is None:
        return True
    try:
        key = json.loads(row[0])
        return isinstance(key, dict) and set(key) == _KEY_FIELDS and isinstance(json.loads(row[1]), list)
    except (TypeError, ValueError):
        return False


def _delete(db: sqlite3.Connection, ids: list[tuple[str]]) -> None:
    for table in ("entries", "blocks", "idents"):
        db.executemany(f"DELETE FROM {table} WHERE id = ?", ids)


def _insert(db: sqlite3.Connection, entries: list[tuple[str, Entry]]) -> None:
    db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                   [(i, e.stamp, json.dumps(e.key.to_dict(), ensure_ascii=False, separators=(",", ":")),
                     json.dumps(sorted(e.sources))) for i, e in entries])
    db.executemany("INSERT INTO blocks VALUES (?, ?)",
                   [(b, i) for i, e in entries for b in sorted(block_keys(e.key))])
    db.executemany("INSERT INTO idents VALUES (?, ?, ?)",
                   [(kind, value, i) for i, e in entries for kind, value in
                    (("doi", e.key.doi_stem), ("pmid", e.key.pmid), ("pmcid", e.key.pmcid)) if value])
