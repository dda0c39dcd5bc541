"""A long-lived search index for a process that serves many requests (the app): opened once,
reopened (incrementally refreshed) when the records change, searches serialised on one lock."""

from __future__ import annotations

import threading
from pathlib import Path

from kb.embed import Embedder
from kb.search.backend import SearchIndex, open_search_index
from kb.search.index import RefreshReport
from kb.search.types import Mode, SearchFilters, SearchResponse
from kb.store import RecordStore, Store


class LiveIndex:
    """The open index of one knowledge base, kept in step with its records."""

    def __init__(self, store: RecordStore | Path, embedder: Embedder | None = None) -> None:
        self.store = store if not isinstance(store, Path) else Store(store)
        self.home = self.store.home
        self._embedder = embedder
        self.lock = threading.RLock()
        self._index: SearchIndex | None = None
        self._seen: tuple | None = None
        self.report = RefreshReport()
        self.opened = 0  # how many times the index was opened (once)
        self.refreshed = 0  # how many times it was brought up to date in place

    def current(self) -> SearchIndex:
        """The index, refreshed first when a record was added, changed or removed (use it
        under `with live.lock:` when other threads may search at the same time)."""
        fingerprint = self.store.fingerprint()
        with self.lock:
            if self._index is None:
                self._index = open_search_index(self.store, self._embedder)
                self.report = self._index.last_report
                self.opened += 1
            elif fingerprint != self._seen:
                self.report = self._index.update()  # in place: only the changed records
                self.refreshed += 1
            self._seen = fingerprint
            return self._index

    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 10,
               mode: Mode = "hybrid") -> SearchResponse:
        """A search on the current index (one search at a time)."""
        with self.lock:
            return self.current().search(query, filters=filters, k=k, mode=mode)
