"""The search index of a PostgreSQL knowledge base, kept in the same database beside the records:
search_records, findings and search_sentences rows (kb.search.pg_rows: tsvector columns with
GIN for keywords, pgvector columns for meaning, an HNSW index once large). A writer's store re-indexes each record in the transaction
that writes it (PgIndex.index_record); `refresh` catches up on records written without an index
attached (kb migrate, an older version), by version, one transaction per chunk. Either way a
search sees a record's old rows or its new ones, never a mix. The same open/update/search
surface as kb.search.index.Index."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future
from typing import Any, TypeVar

import numpy as np
import psycopg

from kb.config import EMBED_CACHE, multilingual_enabled
from kb.embed import CachedEmbedder, Embedder, get_embedder, get_multilingual_embedder
from kb.errors import RecordError
from kb.model.schema import Record
from kb.search import index_db
from kb.search.index import RefreshReport
from kb.search.pg_rows import (
    IndexRows,
    chosen_vectors,
    index_rows,
    keep_or_delete,
    sentence_values,
    vector_texts,
    write_rows,
)
from kb.search.spaces import QueryVectors, QueryWorker
from kb.search.types import Mode, SearchFilters, SearchResponse
from kb.store.postgres import PostgresStore

log = logging.getLogger(__name__)
T = TypeVar("T")
CHUNK = 256                # records re-indexed per transaction
ANN_THRESHOLD = 20_000     # at or above this many findings an HNSW index serves the meaning arms
VACUUM_AFTER = CHUNK       # records re-indexed by one refresh after which it vacuums the index tables
INDEX_LOCK_KEY = 7_320_021  # one indexer per database at a time (per batch)
WARM_TEXT = "a text that loads the model"
COLUMNS = {"main": "emb", "multilingual": "emb_ml"}
SENTENCE_ANN = "search_sentences_emb_hnsw_{dim}"


class PgSpace:
    """One embedding space: its embedder (cached by text hash) and its vector column."""

    def __init__(self, name: str, embedder: Embedder, cache_path: Any) -> None:
        self.name = name
        self.column = COLUMNS[name]
        self.embedder = (embedder if isinstance(embedder, CachedEmbedder)
                         else CachedEmbedder(embedder, cache_path))
        self.meta_key = "model" if name == "main" else f"model-{name}"
        self._queries = QueryVectors(self.embedder)

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    @property
    def dim(self) -> int:
        return int(self.embedder.dim)

    @property
    def expr(self) -> str:
        """The typed vector expression the HNSW index is built on (and queries order by)."""
        return f"({self.column}::vector({self.dim}))"

    @property
    def ann_name(self) -> str:
        return f"findings_{self.column}_hnsw_{self.dim}"

    def query_vector(self, text: str) -> np.ndarray:
        """A query's embedding (kept in a small in-process cache)."""
        return self._queries.vector(text)


def _get_meta(conn: psycopg.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kb_meta WHERE key = %s", (key,)).fetchone()
    return row[0] if row else None


def _set_meta(conn: psycopg.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO kb_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                 (key, value))


class PgIndex:
    """The open search index of a PostgreSQL knowledge base."""

    backend = "postgresql"

    def __init__(self, store: PostgresStore, embedder: Embedder | None = None,
                 multilingual: Embedder | None | bool = None) -> None:
        self.store = store
        self.home = store.home
        store.cache_dir.mkdir(parents=True, exist_ok=True)
        cache = store.cache_dir / EMBED_CACHE
        self.spaces = [PgSpace("main", embedder or get_embedder(), cache)]
        if multilingual is None and multilingual_enabled():
            multilingual = get_multilingual_embedder()
        if multilingual is not None and multilingual is not False and multilingual is not True:
            self.spaces.append(PgSpace("multilingual", multilingual, cache))
        self.cache: dict[str, Any] = {}
        self.generation: tuple | None = None
        self.last_report = RefreshReport()
        self._worker = QueryWorker()
        self._side = QueryWorker()  # a search's sentence arm, beside its finding arm

    @property
    def main(self) -> PgSpace:
        return self.spaces[0]

    @property
    def multilingual(self) -> PgSpace | None:
        return self.spaces[1] if len(self.spaces) > 1 else None

    @property
    def embedder(self) -> Embedder:
        return self.main.embedder

    @property
    def size(self) -> int:
        """How many findings carry a vector in the English model's space."""
        with self.store.connection() as conn:
            row = conn.execute(f"SELECT count({self.main.column}) FROM findings").fetchone()
        return int(row[0]) if row else 0

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, store: PostgresStore, embedder: Embedder | None = None, *, refresh: bool = True,
             full: bool = False, multilingual: Embedder | None | bool = None) -> PgIndex:
        """Open the index of a database KB, (by default) brought up to date with its records; a
        role that may only read searches what the librarians' processes indexed. A writer's
        index attaches itself to `store`: every record the store writes from then on is
        re-indexed in the transaction that writes it."""
        index = cls(store, embedder, multilingual)
        if not store.can_write():
            index.generation = store.fingerprint()
            return index
        store.indexer = index
        rebuilt: list[str] = []
        with store.connection() as conn:
            if full:
                conn.execute("DELETE FROM search_records")
                rebuilt.append("requested")
            for space in index.spaces:
                why = index._check_space(conn, space)
                if why:
                    rebuilt.append(why)
        report = index.refresh() if refresh or rebuilt else RefreshReport()
        report.rebuilt = "; ".join(rebuilt) or None
        index.ensure_ann()
        index.last_report = report
        return index

    def _check_space(self, conn: psycopg.Connection, space: PgSpace) -> str | None:
        """Forget a space's vectors when its model changed (they are then embedded again)."""
        stored = _get_meta(conn, space.meta_key)
        if stored == space.model_id:
            return None
        with conn.transaction():
            conn.execute(f"UPDATE findings SET {space.column} = NULL WHERE {space.column} IS NOT NULL")
            if space is self.main:
                conn.execute("UPDATE search_sentences SET emb = NULL WHERE emb IS NOT NULL")
            for (name,) in conn.execute(
                    "SELECT indexname FROM pg_indexes WHERE (tablename = 'findings' AND indexname LIKE %s) "
                    "OR (%s AND indexname LIKE 'search_sentences_emb_hnsw_%%')",
                    (f"findings_{space.column}_hnsw_%", space is self.main)).fetchall():
                conn.execute(f'DROP INDEX IF EXISTS "{name}"')
            _set_meta(conn, space.meta_key, space.model_id)
        return f"the {space.name} embedding model is now {space.model_id}" if stored else None

    def load_models(self) -> None:
        """Load every space's model now (one short text each, not cached), before a writer's
        first transaction: a model loaded inside it (the multilingual one takes seconds) would
        hold that transaction's locks, and every writer waiting on them, as long."""
        for space in self.spaces:
            space.embedder.inner.encode([WARM_TEXT])

    def ensure_ann(self) -> None:
        """Build the HNSW index of each space once the findings are many, and of the sentences
        once they are (owner only)."""
        with self.store.connection() as conn:
            count = conn.execute("SELECT count(*) FROM findings").fetchone()
            sentences = conn.execute("SELECT count(*) FROM search_sentences").fetchone()
            wanted = [(space.ann_name, "findings", space.expr, f"the {space.name} space", count[0] if count else 0)
                      for space in self.spaces]
            wanted.append((SENTENCE_ANN.format(dim=self.main.dim), "search_sentences",
                           f"(emb::vector({self.main.dim}))", "the sentences", sentences[0] if sentences else 0))
            for name, table, expr, what, size in wanted:
                if size < ANN_THRESHOLD or conn.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s",
                                                        (name,)).fetchone():
                    continue
                log.info("building the HNSW index of %s over %d rows", what, size)
                try:
                    conn.execute("SET maintenance_work_mem = '512MB'")
                    conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING hnsw ({expr} vector_ip_ops)")
                except psycopg.errors.InsufficientPrivilege:
                    log.warning("only the database owner can build %s; searches scan exactly", name)

    # -- updating ------------------------------------------------------------------------
    def update(self, records: Collection[str] | None = None) -> RefreshReport:
        """Bring the index up to date with the records (what other processes changed too;
        `records`, the ids a caller knows changed, is not needed: versions are compared in SQL)."""
        fingerprint = self.store.fingerprint()
        if fingerprint != self.generation:
            self.cache.clear()
        self.last_report = self.refresh() if self.store.can_write() else RefreshReport()
        return self.last_report

    def refresh(self) -> RefreshReport:
        """Re-index the records whose version changed, add new ones; removed records left the
        index with them (a foreign key cascades)."""
        started = time.perf_counter()
        report = RefreshReport()
        self.generation = self.store.fingerprint()
        with self.store.connection() as conn:
            stale = conn.execute(
                "SELECT r.id, s.id IS NOT NULL FROM records r LEFT JOIN search_records s ON s.id = r.id "
                "WHERE s.id IS NULL OR s.version <> r.version ORDER BY r.id").fetchall()
            total = conn.execute("SELECT count(*) FROM records").fetchone()
        report.unchanged = (total[0] if total else 0) - len(stale)
        known = {rid for rid, indexed in stale if indexed}
        for start in range(0, len(stale), CHUNK):
            self._index_chunk([rid for rid, _ in stale[start:start + CHUNK]], known, report)
        self._fill_vectors(report)
        if report.changed:
            self.cache.clear()
        if report.added + report.updated >= VACUUM_AFTER:
            self._vacuum()
        with self.store.connection() as conn:
            row = conn.execute("SELECT count(*) FROM findings").fetchone()
        report.findings = int(row[0]) if row else 0
        report.seconds = time.perf_counter() - started
        return report

    def _vacuum(self) -> None:
        """After a bulk re-index: mark the new pages all-visible, so keyword counts are read from
        the GIN index alone (no heap page), and give the planner fresh statistics. Autovacuum
        would do both a minute or so later; a role that does not own the tables is skipped with
        PostgreSQL's warning."""
        with self.store.connection() as conn:
            conn.execute("VACUUM (ANALYZE) findings, search_records, search_sentences")

    def _index_chunk(self, ids: list[str], known: set[str], report: RefreshReport) -> None:
        with self.store.connection() as conn:
            loaded = conn.execute("SELECT id, version, file FROM records WHERE id = ANY(%s)", (ids,)).fetchall()
        built: list[IndexRows] = []
        for rid, version, body in loaded:
            try:
                built.append(index_rows(self.store._parse(rid, body), version))
            except RecordError as err:
                report.problems.append(str(err))
        self._write_chunk(built, self._embed(built), known, report)

    def _embed(self, built: list[IndexRows]) -> dict[str, np.ndarray | None]:
        """The vectors of these records' findings in every space and of their sentences in the
        English model's (under "sentences"): the cache first, then the models — the English
        model in one call for both, so a sentence that is also a finding is embedded once."""
        return self._encode([t for b in built for t in b.texts], [t for b in built for t in b.sentence_texts])

    def _encode(self, texts: list[str], sentences: list[str]) -> dict[str, np.ndarray | None]:
        out: dict[str, np.ndarray | None] = {}
        for space in self.spaces:
            wanted = texts + sentences if space is self.main else texts
            block = space.embedder.encode(wanted) if wanted else None
            out[space.name] = None if block is None else block[:len(texts)]
            if space is self.main:
                out["sentences"] = None if block is None else block[len(texts):]
        return out

    def _write_chunk(self, built: list[IndexRows], vectors: dict[str, np.ndarray | None], known: set[str],
                     report: RefreshReport) -> None:
        """Replace these records' index rows in one transaction, skipping any that another
        process indexed meanwhile or that changed again since they were read (a writer busy
        with one of them is waited for: its transaction writes the index rows too)."""
        with self.store.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (INDEX_LOCK_KEY,))
            ids = [b.id for b in built]
            current = dict(conn.execute("SELECT id, version FROM records WHERE id = ANY(%s) ORDER BY id FOR SHARE",
                                        (ids,)).fetchall())
            done = dict(conn.execute("SELECT id, version FROM search_records WHERE id = ANY(%s)", (ids,)).fetchall())
            keep = [i for i, b in enumerate(built) if current.get(b.id) == b.version and done.get(b.id) != b.version]
            write_rows(conn, [built[i] for i in keep], chosen_vectors(vectors, built, keep))
        for i in keep:
            if built[i].id in known:
                report.updated += 1
            else:
                report.added += 1

    def index_record(self, conn: psycopg.Connection, record: Record, version: int, *,
                     fresh: bool = False) -> None:
        """Re-index one record inside the transaction that stores it (kb.store.postgres
        RecordIndexer): a search sees its old rows or its new ones, never a mix, and never a
        record without its findings. A `fresh` record (inserted just now) has no rows to keep
        or delete."""
        rows = index_rows(record, version)
        if fresh or not keep_or_delete(conn, rows):  # a merge that only added a source keeps its findings
            write_rows(conn, [rows], self._embed([rows]), deleted=True)

    def prepare(self, records: list[Record]) -> None:
        """Embed the vector texts of records about to be stored, in one call per space (a
        batch runs the multilingual model several times faster per text than one text at a
        time): each record's own transaction then finds its vectors in the cache, and spends
        no model time while it holds its locks."""
        self._encode([t for r in records for t in vector_texts(r)],
                     [t for r in records for t in sentence_values(r)[1]])

    def _fill_vectors(self, report: RefreshReport) -> None:
        """Embed findings that have no vector in a space, and sentences that have none in the
        English model's (after a model change)."""
        jobs = [(space, f"SELECT f.fid, f.text, {index_db.TITLE_SECTION + 1}, s.title FROM findings f "
                        f"JOIN search_records s ON s.rid = f.rid WHERE f.{space.column} IS NULL ORDER BY f.fid",
                 f"UPDATE findings SET {space.column} = %s WHERE fid = %s", space.name) for space in self.spaces]
        jobs.append((self.main, "SELECT t.sid, t.text, t.section, s.title FROM search_sentences t "
                                "JOIN search_records s ON s.rid = t.rid WHERE t.emb IS NULL ORDER BY t.sid",
                     "UPDATE search_sentences SET emb = %s WHERE sid = %s", "sentences"))
        for space, select, update, what in jobs:
            while True:
                with self.store.connection() as conn:
                    rows = conn.execute(select + " LIMIT 2048").fetchall()
                if not rows:
                    break
                vecs = space.embedder.encode([index_db.sentence_vector_text(t, section, title)
                                              for _, t, section, title in rows])
                with self.store.connection() as conn, conn.transaction(), conn.cursor() as cur:
                    cur.executemany(update, [(v, row_id) for (row_id, _, _, _), v in zip(rows, vecs, strict=True)])
                report.rebuilt = report.rebuilt or f"vectors of the {what} space"

    # -- reading -------------------------------------------------------------------------
    def query_vector_soon(self, text: str, space: PgSpace | None = None) -> Future[np.ndarray]:
        """A query's embedding, computed on a worker thread while keyword search runs."""
        return self._worker.submit((space or self.main).query_vector, text)

    def query_vector(self, text: str) -> np.ndarray:
        return self.main.query_vector(text)

    def in_background(self, job: Callable[..., T], *args: Any) -> Future[T]:
        """Run `job(*args)` on the query thread (a search's meaning arms)."""
        return self._worker.submit(job, *args)

    def beside(self, job: Callable[..., T], *args: Any) -> Future[T]:
        """Run `job(*args)` on a second thread, beside the query thread's own work (a search's
        sentence arm, once the query is embedded)."""
        return self._side.submit(job, *args)

    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 10,
               mode: Mode = "hybrid") -> SearchResponse:
        """The k best findings for a query, grouped by record (kb.search.pg_search.search)."""
        from kb.search.pg_search import search

        return search(self, query, filters=filters, k=k, mode=mode)

    def close(self) -> None:
        self._worker.close()
        self._side.close()

