"""The derived search index in .kb/: SQLite (records, findings, every abstract sentence, FTS5)
plus faiss vectors: findings in one or two embedding spaces (the English model's and, by
default, a multilingual one) and every sentence of every record in the English model's space.

records/ is the truth. The index remembers the embedding models and each record file's hash, so
`refresh()` re-indexes only what changed, and anything missing or damaged is rebuilt from records/.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from filelock import FileLock, Timeout
from pydantic import BaseModel, Field

from kb import config
from kb.config import (
    EMBED_CACHE,
    INDEX_DB,
    INDEX_LOCK,
    KEPT_VECTORS,
    index_dir,
    multilingual_enabled,
    records_dir,
)
from kb.embed import Embedder, get_embedder, get_multilingual_embedder, text_hash
from kb.errors import IndexStaleError, LockTimeout, RecordError
from kb.search import index_db
from kb.search.columns import FilterArrays
from kb.search.derived import Derived
from kb.search.kept import KeptVectors
from kb.search.spaces import EMBED_CHUNK, QueryWorker, Space
from kb.search.types import Mode, SearchFilters, SearchResponse
from kb.search.vectors import VectorIndex
from kb.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")
INDEX_LOCK_TIMEOUT_S = 600.0


class RefreshReport(BaseModel):
    """What a refresh of the index did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    findings: int = 0
    rebuilt: str | None = None  # why everything was rebuilt, when it was
    problems: list[str] = Field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def summary(self) -> str:
        head = f"index rebuilt ({self.rebuilt})" if self.rebuilt else "index updated"
        return (f"{head}: {self.added} added, {self.updated} updated, {self.removed} removed, "
                f"{self.unchanged} unchanged; {self.findings} findings in {self.seconds:.1f} s")


def record_files(folder: Path) -> dict[str, tuple[str, str]]:
    """id → (path, 'size:mtime') of the record files in records/ (not _decisions.json & co)."""
    out: dict[str, tuple[str, str]] = {}
    if not folder.is_dir():
        return out
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".json") and not entry.name.startswith(("_", ".")):
                st = entry.stat()
                out[entry.name[:-5]] = (entry.path, f"{st.st_size}:{st.st_mtime_ns}")
    return out


def named_record_files(folder: Path, ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """What record_files gives for the record files of these ids that exist."""
    out: dict[str, tuple[str, str]] = {}
    for record_id in ids:
        if record_id.startswith(("_", ".")) or "/" in record_id or "\\" in record_id:
            continue  # not a record file's name
        path = folder / f"{record_id}.json"
        try:
            st = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        out[record_id] = (str(path), f"{st.st_size}:{st.st_mtime_ns}")
    return out


class Index:
    """An open index of one knowledge-base home."""

    def __init__(self, home: Path, embedder: Embedder | None = None,
                 multilingual: Embedder | None | bool = None, *, writing: bool = False) -> None:
        """embedder: the English model (default: the configured one); multilingual: an embedder
        for the cross-lingual space, False for none, None for the default (see KB_MULTILINGUAL);
        writing: opened to write a few records' changes, so large vector files are read only if
        a change needs them (see Space.open)."""
        self.home = Path(home)
        self.writing = writing
        self.dir = index_dir(self.home)
        self.dir.mkdir(parents=True, exist_ok=True)
        cache = self.dir / EMBED_CACHE
        main = Space("main", embedder or get_embedder(), self.dir, cache)
        self.spaces = [main, Space("sentences", main.embedder, self.dir, cache, table="sentences")]
        if multilingual is None and multilingual_enabled():
            multilingual = get_multilingual_embedder()
        if multilingual is not None and multilingual is not False and multilingual is not True:
            self.spaces.append(Space("multilingual", multilingual, self.dir, cache))
        self.db: sqlite3.Connection | None = None
        self._arrays: FilterArrays | None = None  # the filter columns, read on first use
        self._worker = QueryWorker()
        self._reading = QueryWorker()            # a second keyword query, on its own connection
        self._reader: tuple[sqlite3.Connection, sqlite3.Connection] | None = None  # (for db, reader)
        self.cache = Derived(lambda: index_db.connect_reader(str(self.dir / INDEX_DB)))  # by readers
        self.generation: str | None = None  # the index's change counter when this object read it
        # (table, vector text hash) → row id of rows deleted in the refresh under way
        self._reusable: dict[tuple[str, str], int] = {}
        self._kept: KeptVectors | None = None  # the old index's vectors, in a rebuild

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, home: Path, embedder: Embedder | None = None, *, refresh: bool = True,
             full: bool = False, multilingual: Embedder | None | bool = None,
             writing: bool = False) -> Index:
        """Open the index of `home`, rebuilding what is missing or damaged and (by default)
        bringing it up to date with records/ (`writing`: see __init__)."""
        index = cls(home, embedder, multilingual, writing=writing)
        with index._lock():
            index.last_report = index._open_and_refresh(refresh=refresh, full=full)
        return index

    def add_multilingual(self, embedder: Embedder) -> str | None:
        """Give an index opened without its multilingual space (multilingual=False) that space:
        its vectors read from disk when they were written for the database as it is, else
        rebuilt from it (under the writer lock). Returns why they were rebuilt, or None."""
        if self.multilingual is not None:
            return None
        space = Space("multilingual", embedder, self.dir, self.dir / EMBED_CACHE)
        db = self.require_db()
        with self._lock():
            why = space.open(db)
            if why:
                log.info("search index: %s; building those vectors", why)
                space.rebuild(db)
        self.spaces.append(space)
        self.cache.changed(keep=False)
        return why

    def update(self, records: Collection[str] | None = None) -> RefreshReport:
        """Bring this open index up to date with records/ (holding the writer lock); picks up
        first what another process wrote to the index since this one read it. `records`: the
        ids of the only records that may have changed (added, edited or deleted), so records/
        is not scanned (what a caller that has just saved them knows)."""
        with self._lock():
            db = self.require_db()
            if index_db.get_meta(db, "generation") != self.generation:
                self._rebuild([space for space in self.spaces if space.open(db, lazy=self.writing)])
                self._load_arrays()
                self.generation = index_db.get_meta(db, "generation")
            self.last_report = self.refresh(records)
        return self.last_report

    @property
    def main(self) -> Space:
        return self.spaces[0]

    @property
    def multilingual(self) -> Space | None:
        return next((s for s in self.spaces if s.name == "multilingual"), None)

    @property
    def sentences(self) -> Space:
        """Every abstract sentence (and title, keywords) in the English model's space."""
        return self.spaces[1]

    @property
    def finding_spaces(self) -> list[Space]:
        """The spaces whose vectors are findings (the English one first)."""
        return [s for s in self.spaces if s.table == "findings"]

    @property
    def vectors(self) -> VectorIndex:
        """The English model's vectors."""
        return self.main.vectors

    @property
    def embedder(self) -> Embedder:
        return self.main.embedder

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """Hold the index writer lock, saying so when another process holds it first."""
        lock = FileLock(str(self.dir / INDEX_LOCK))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.warning("another process is updating the search index in %s; waiting for it", self.dir)
            try:
                lock.acquire(timeout=INDEX_LOCK_TIMEOUT_S)
            except Timeout as err:
                raise LockTimeout(f"another process has been updating the search index in {self.dir} "
                                  f"for more than {INDEX_LOCK_TIMEOUT_S:.0f} s; try again") from err
        try:
            yield
        finally:
            lock.release()

    def _open_and_refresh(self, *, refresh: bool, full: bool) -> RefreshReport:
        reason = "requested" if full else self._open_db()
        if reason:
            self._kept = self._keep_vectors()
        try:
            return self._rebuild_or_refresh(reason, refresh=refresh)
        finally:
            if self._kept is not None:
                self._kept.close()
                self._kept = None

    def _keep_vectors(self) -> KeptVectors | None:
        """Before the index is rebuilt from scratch (requested, or of an older format): its
        current vectors, kept for the rebuild (None when there is no readable index, or none
        of its vector files is current)."""
        if not (self.dir / INDEX_DB).exists():
            return None
        try:
            if self.db is None:
                self.db = index_db.connect(str(self.dir / INDEX_DB))
            current = [space for space in self.spaces if space.open(self.db) is None]
            if not current:
                return None
            return KeptVectors.keep(self.dir / KEPT_VECTORS, self.db, current)
        except (sqlite3.DatabaseError, OSError, RuntimeError) as err:
            log.warning("cannot keep the vectors of the index for its rebuild (%s); embedding "
                        "every text again", err)
            return None

    def _rebuild_or_refresh(self, reason: str | None, *, refresh: bool) -> RefreshReport:
        if reason:
            self._reset(reason)
        rebuilt = [reason] if reason else []
        stale = []
        for space in ([] if reason else self.spaces):
            why = space.open(self.require_db(), lazy=self.writing)
            if why:
                log.info("search index: %s; rebuilding those vectors", why)
                stale.append(space)
                rebuilt.append(f"vectors: {why}")
        self._rebuild(stale)
        self.generation = index_db.get_meta(self.require_db(), "generation")
        report = self.refresh() if refresh or reason else RefreshReport()
        report.rebuilt = "; ".join(rebuilt) or None
        self._load_arrays()
        return report

    def _rebuild(self, stale: list[Space]) -> None:
        """Rebuild the vectors of these spaces from the database, each taking the vectors it
        can from the spaces of the same embedder that are current (a sentence that is a finding
        has the finding's vector), or rebuilt before it."""
        db = self.require_db()
        pending = list(stale)
        while pending:
            space = pending.pop(0)
            donors = [s for s in self.spaces if s.embedder is space.embedder and s is not space
                      and s not in pending]
            space.rebuild(db, donors)

    def _open_db(self) -> str | None:
        """None when the existing database is usable, else why it must be rebuilt."""
        path = self.dir / INDEX_DB
        if not path.exists():
            return "no index yet"
        try:
            self.db = index_db.connect(str(path))
            version = index_db.get_meta(self.db, "schema_version")
            self.db.execute("SELECT rowid FROM findings_fts LIMIT 1").fetchone()  # readable
        except sqlite3.DatabaseError as err:
            return f"index database damaged ({err})"
        if version != str(index_db.SCHEMA_VERSION):
            return f"index format {version} is not the current {index_db.SCHEMA_VERSION}"
        return None

    def _reset(self, reason: str) -> None:
        log.info("search index: %s; building it from records/", reason)
        if self.db is not None:
            self.db.close()
        for name in (INDEX_DB, f"{INDEX_DB}-wal", f"{INDEX_DB}-shm"):
            (self.dir / name).unlink(missing_ok=True)
        self.db = index_db.connect(str(self.dir / INDEX_DB))
        index_db.set_meta(self.db, "schema_version", str(index_db.SCHEMA_VERSION))
        for space in self.spaces:
            space.reset(self.db)

    # -- updating ------------------------------------------------------------------------
    def refresh(self, records: Collection[str] | None = None) -> RefreshReport:
        """Re-index records whose files changed, drop deleted ones, add new ones (only among
        `records`, when given: then the cost is theirs, not the knowledge base's)."""
        db = self.require_db()
        started = time.perf_counter()
        report = RefreshReport()
        if records is None:
            files = record_files(records_dir(self.home))
            known = {rid: (i, stat, digest) for i, rid, stat, digest in
                     db.execute("SELECT rid, id, stat, hash FROM records")}
        else:
            files = named_record_files(records_dir(self.home), records)
            known = {rid: (i, stat, digest) for record_id in sorted(set(records))
                     for i, rid, stat, digest in db.execute(
                         "SELECT rid, id, stat, hash FROM records WHERE id = ?", (record_id,))}
        changed = sorted(k for k, (_, stat) in files.items() if k not in known or known[k][1] != stat)
        report.unchanged = len(files) - len(changed)
        removed: list[int] = []
        removed_sentences: list[int] = []
        # row ids of this refresh's new rows start past every row it may delete: a deleted
        # row's vector stays in the spaces until the refresh ends, so its id must not be reused
        next_ids = self._next_ids()
        first_new = next_ids[1]
        db.execute("BEGIN")
        try:
            self._reusable = {}
            for record_id in sorted(set(known) - set(files)):
                self._note_reusable(known[record_id][0])
                fids, sids = index_db.delete_record(db, known[record_id][0])
                removed += fids
                removed_sentences += sids
                report.removed += 1
            added = self._index_files([files[k] for k in changed], known,
                                      (removed, removed_sentences), report, next_ids)
            for space in self.spaces:
                space.remove(removed_sentences if space.table == "sentences" else removed)
                space.settle(db)
            if report.changed or removed or added:
                index_db.set_meta(db, "generation", str(int(self.generation or 0) + 1))
            db.execute("COMMIT")
        except BaseException:
            self._reusable = {}
            db.execute("ROLLBACK")
            for space in self.spaces:  # may hold uncommitted changes: reload what is on disk
                space.open(db, lazy=self.writing)
            raise
        self._reusable = {}
        if report.added + report.updated + report.removed > index_db.BIG_CHANGE:
            index_db.fold_log(db)
        self.generation = index_db.get_meta(db, "generation")
        if report.changed or removed or added:
            for space in self.spaces:
                space.save(db)
            self._load_arrays(since_fid=first_new, removed=removed)
        report.findings = self.main.size
        report.seconds = time.perf_counter() - started
        return report

    def _next_ids(self) -> tuple[int, int, int]:
        """The next free record, finding and sentence row ids."""
        assert self.db is not None
        rid, fid, sid = ((self.db.execute(f"SELECT max({c}) FROM {t}").fetchone()[0] or 0) + 1
                         for c, t in (("rid", "records"), ("fid", "findings"), ("sid", "sentences")))
        return int(rid), int(fid), int(sid)

    def _index_files(self, files: list[tuple[str, str]], known: dict[str, tuple[int, str, str]],
                     removed: tuple[list[int], list[int]], report: RefreshReport,
                     next_ids: tuple[int, int, int]) -> int:
        """Index the (path, stat) files whose stat changed, with row ids from `next_ids` on;
        vectors are added in batches."""
        assert self.db is not None
        store, codes = Store(self.home), index_db.Codes(self.db)
        rid, fid, sid = next_ids
        pending: dict[str, list[tuple[int, str]]] = {"findings": [], "sentences": []}
        added = 0
        for name, stat in files:
            path = Path(name)
            rows = self._refresh_one(store, path, stat, known.get(path.stem), codes,
                                     (rid, fid, sid), removed, report)
            if rows is None:
                continue
            rid, fid, sid = rid + 1, fid + len(rows["findings"]), sid + len(rows["sentences"])
            for table, items in rows.items():
                pending[table].extend(items)
            if len(pending["sentences"]) + len(pending["findings"]) >= EMBED_CHUNK:
                added += self._add_vectors(pending)
                pending = {"findings": [], "sentences": []}
        return added + self._add_vectors(pending)

    def _refresh_one(self, store: Store, path: Path, stat: str, known: tuple[int, str, str] | None,
                     codes: index_db.Codes, ids: tuple[int, int, int],
                     removed: tuple[list[int], list[int]], report: RefreshReport
                     ) -> dict[str, list[tuple[int, str]]] | None:
        """Index one record file if it changed, as record `rid` with findings from `fid` and
        sentences from `sid` on (`ids`); returns the (row id, vector text) of the findings and
        sentences inserted, or None when the record was left as it was."""
        assert self.db is not None
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if known and known[2] == digest:
            self.db.execute("UPDATE records SET stat = ? WHERE rid = ?", (stat, known[0]))
            report.unchanged += 1
            return None
        try:
            record = store.load_file(path)
        except RecordError as err:
            report.problems.append(str(err))
            return None
        if known:
            self._note_reusable(known[0])
            fids, sids = index_db.delete_record(self.db, known[0])
            removed[0].extend(fids)
            removed[1].extend(sids)
            report.updated += 1
        else:
            report.added += 1
        rid, fid, sid = ids
        texts = [index_db.vector_text(f.text, record.title) for f in record.findings]
        rows = [index_db.finding_row(fid + i, rid, record, f, text_hash(t), codes)
                for i, (f, t) in enumerate(zip(record.findings, texts, strict=True))]
        sentences = index_db.sentence_rows(sid, rid, record, [r[0] for r in rows])
        index_db.insert_record(self.db, index_db.record_row(rid, record, stat, digest, codes), rows,
                               sentences, index_db.record_fts_row(record))
        return {"findings": [(row[0], text) for row, text in zip(rows, texts, strict=True)],
                "sentences": [(row[0], index_db.sentence_vector_text(row[5], row[2], record.title))
                              for row in sentences]}

    def _note_reusable(self, rid: int) -> None:
        """Before a record's rows are deleted in this refresh: where their vectors are (they stay
        in the spaces until the refresh ends), so a text indexed again is not embedded again."""
        assert self.db is not None
        for table, rows in index_db.vector_hashes(self.db, rid).items():
            for row_id, digest in rows:
                self._reusable.setdefault((table, digest), row_id)

    def _add_vectors(self, items: dict[str, list[tuple[int, str]]]) -> int:
        """Embed (row id, vector text) pairs of findings and sentences into their spaces: the
        spaces of one embedder (findings and sentences of the English model) together, each text
        once; a text whose vector this index still holds (from a row deleted in this refresh) is
        taken from it, any other from the embedding cache or the model."""
        groups: dict[int, list[Space]] = {}
        for space in self.spaces:
            groups.setdefault(id(space.embedder), []).append(space)
        for spaces in groups.values():
            texts = list(dict.fromkeys(t for s in spaces for _, t in items[s.table]))
            if not texts:
                continue
            found: dict[str, np.ndarray] = {}
            for text in texts:
                digest = text_hash(text)
                for space in spaces:
                    row_id = self._reusable.get((space.table, digest))
                    vector = None if row_id is None else space.stored_vector(row_id)
                    if vector is not None:
                        found[text] = vector
                        break
            rest = [t for t in texts if t not in found]
            if rest and self._kept is not None:
                found.update(self._kept.find(spaces[0].model_id, rest, spaces[0].embedder.dim))
                rest = [t for t in texts if t not in found]
            if rest:
                found.update(zip(rest, spaces[0].embedder.encode(rest, keep=False), strict=True))
            for space in spaces:
                rows = items[space.table]
                if rows:
                    space.add(rows, np.stack([found[t] for _, t in rows]))
        return sum(len(v) for v in items.values())

    # -- filter columns ------------------------------------------------------------------
    @property
    def arrays(self) -> FilterArrays:
        """The filter columns of every finding (read from the database on first use)."""
        arrays = self._arrays
        if arrays is None:
            arrays = self._arrays = FilterArrays.load(self.require_db())
        return arrays

    def _load_arrays(self, since_fid: int | None = None, removed: list[int] | None = None) -> None:
        """Reload the filter columns (only the changed rows when `since_fid` is given). They are
        read with the vectors, so a reader searches one state while another process writes; an
        index opened for writing reads them only if it is searched."""
        self.cache.changed(keep=since_fid is not None and self.main.size >= config.STALE_DERIVED_FROM)
        if since_fid is None or self._arrays is None:
            self._arrays = None if self.writing else FilterArrays.load(self.require_db())
        else:
            self._arrays = self._arrays.extended(self.require_db(), since_fid=since_fid, removed=removed)

    # -- reading -------------------------------------------------------------------------
    def query_vector_soon(self, text: str, space: Space | None = None) -> Future[np.ndarray]:
        """A query's embedding in a space, computed on a worker thread while keyword search runs."""
        return self._worker.submit((space or self.main).query_vector, text)

    def in_background(self, job: Callable[..., T], *args: Any) -> Future[T]:
        """Run a reading job (a query's embedding and vector searches) on the query thread
        while the caller runs keyword search."""
        return self._worker.submit(job, *args)

    def read_in_background(self, job: Callable[..., T], *args: Any) -> Future[T]:
        """Run job(connection, *args) on the reading thread, with a read-only connection of its
        own to the index database, so a second keyword query runs beside the caller's."""
        return self._reading.submit(self._with_reader, job, *args)

    def _with_reader(self, job: Callable[..., T], *args: Any) -> T:
        db = self.require_db()
        if self._reader is None or self._reader[0] is not db:  # first use, or the index was reset
            if self._reader is not None:
                self._reader[1].close()
            self._reader = (db, index_db.connect_reader(str(self.dir / INDEX_DB)))
        return job(self._reader[1], *args)

    def query_vector(self, text: str) -> np.ndarray:
        """A query's embedding in the English model's space."""
        return self.main.query_vector(text)

    def require_db(self) -> sqlite3.Connection:
        if self.db is None:
            raise IndexStaleError("the search index is not open")
        return self.db

    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 10,
               mode: Mode = "hybrid") -> SearchResponse:
        """The k best findings for a query, grouped by record (kb.search.hybrid.search)."""
        from kb.search.hybrid import search  # the ranking lives beside the index, not in it

        return search(self, query, filters=filters, k=k, mode=mode)

    def close(self) -> None:
        self.cache.close()
        self._worker.close()
        self._reading.close()
        if self._reader is not None:
            self._reader[1].close()
            self._reader = None
        if self.db is not None:
            self.db.close()
            self.db = None


def open_index(home: Path, *, full: bool = False) -> Index:
    """The search index of a knowledge base, built or brought up to date with its records/
    (`full`: rebuilt from scratch). Close it with `.close()` when done."""
    return Index.open(Path(home), full=full)
