"""The one place that picks the search index for a knowledge base's storage backend: the folder's
.kb/ index (kb.search.index.Index: SQLite FTS5 + faiss) or the database's own tables
(kb.search.pg_index.PgIndex: tsvector + pgvector). Both offer open / update / search / close."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from kb.config import INDEX_DB, index_dir
from kb.embed import Embedder
from kb.model.schema import Record
from kb.search.index import Index, RefreshReport
from kb.search.types import Mode, SearchFilters, SearchResponse
from kb.store import RecordStore


class SearchIndex(Protocol):
    """What every index backend offers its callers (CLI, app, eval, export)."""

    last_report: RefreshReport

    @property
    def embedder(self) -> Embedder: ...

    def update(self, records: Collection[str] | None = None) -> RefreshReport: ...

    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 10,
               mode: Mode = "hybrid") -> SearchResponse: ...

    def close(self) -> None: ...


def open_search_index(store: RecordStore, embedder: Embedder | None = None, *, refresh: bool = True,
                      full: bool = False, multilingual: Embedder | None | bool = None,
                      writing: bool = False) -> SearchIndex:
    """The search index of `store`, built or brought up to date (`full`: rebuilt; `writing`:
    opened to write a few records' changes, not to search — a folder index then leaves its
    large vector files unread unless a change needs them)."""
    if store.backend == "postgresql":
        from kb.search.pg_index import PgIndex
        from kb.store.postgres import PostgresStore

        assert isinstance(store, PostgresStore)
        return PgIndex.open(store, embedder, refresh=refresh, full=full, multilingual=multilingual)
    return Index.open(store.home, embedder, refresh=refresh, full=full, multilingual=multilingual,
                      writing=writing)


def index_writes(store: RecordStore) -> None:
    """Before a batch of writes: a database store whose role may write gets its search index
    attached (if it has none yet), with its models loaded, so each record it stores is
    re-indexed in the same transaction without waiting for a model there. A folder's index is
    refreshed after the batch instead (kb.cli refresh_index)."""
    if store.backend != "postgresql" or getattr(store, "indexer", None) is not None or not store.can_write():
        return
    index = open_search_index(store, refresh=False)
    load_models = getattr(index, "load_models", None)
    if load_models is not None:  # before the first write transaction, not inside it
        load_models()
    index.close()


def prepare_writes(store: RecordStore, records: list[Record]) -> None:
    """Before these records are stored one by one: a database store's attached index embeds
    their vectors now, in one batch per model. A folder's index is refreshed after the
    batch, in batches already: nothing to do."""
    if store.backend != "postgresql" or not records:
        return
    from kb.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore)
    if store.indexer is not None:
        store.indexer.prepare(records)


def index_exists(store: RecordStore) -> bool:
    """Whether an index was built already (a database KB's index lives in its tables)."""
    return store.backend == "postgresql" or (index_dir(store.home) / INDEX_DB).exists()


def indexed_findings(index: SearchIndex) -> int:
    """How many findings the English model's space holds."""
    size = getattr(index, "size", None)
    if isinstance(size, int):
        return size
    vectors = getattr(index, "vectors", None)
    return int(vectors.size) if vectors is not None else 0
