"""A long-lived search index for a process that serves many requests (the app): opened once,
reopened (incrementally refreshed) when the records change, searches serialised on one lock.
It may open without the multilingual space and be given it once that model has loaded
(`multilingual_later`, kb.ops.warmup), so English searches can start first."""

from __future__ import annotations

import threading
from pathlib import Path

from kb.embed import Embedder
from kb.search.backend import SearchIndex, open_search_index
from kb.search.index import Index, RefreshReport
from kb.search.types import Mode, SearchFilters, SearchResponse
from kb.store import RecordStore, Store


class LiveIndex:
    """The open index of one knowledge base, kept in step with its records."""

    def __init__(self, store: RecordStore | Path, embedder: Embedder | None = None, *,
                 multilingual_later: bool = False) -> None:
        """multilingual_later: open a folder's index without its multilingual space and as the
        database last left it (no refresh, so that space's vectors stay current), until
        add_multilingual() gives it that space; then it is refreshed as usual."""
        self.store = store if not isinstance(store, Path) else Store(store)
        self.home = self.store.home
        self._embedder = embedder
        self.lock = threading.RLock()
        self._index: SearchIndex | None = None
        self._seen: tuple | None = None
        self.report = RefreshReport()
        self.opened = 0  # how many times the index was opened (once)
        self.refreshed = 0  # how many times it was brought up to date in place
        self.multilingual_pending = multilingual_later and self.store.backend == "folder"

    def current(self) -> SearchIndex:
        """The index, refreshed first when a record was added, changed or removed (use it
        under `with live.lock:` when other threads may search at the same time)."""
        fingerprint = self.store.fingerprint()
        with self.lock:
            if self._index is None:
                pending = self.multilingual_pending
                self._index = open_search_index(self.store, self._embedder, refresh=not pending,
                                                multilingual=False if pending else None)
                self.report = self._index.last_report
                self.opened += 1
            elif self.multilingual_pending:
                return self._index  # refreshed once the multilingual space has joined
            elif fingerprint != self._seen:
                self.report = self._index.update()  # in place: only the changed records
                self.refreshed += 1
            self._seen = None if self.multilingual_pending else fingerprint
            return self._index

    def add_multilingual(self, embedder: Embedder) -> str | None:
        """Give the index opened without it its multilingual space (kb.search.index.Index.
        add_multilingual: read from disk, or built when missing or stale), then refresh it;
        returns why that space was built, or None. Searches wait meanwhile."""
        with self.lock:
            index = self.current()
            why = index.add_multilingual(embedder) if isinstance(index, Index) else None
            self.multilingual_pending = False
            self._seen = None
            self.current()
            return why

    def without_multilingual(self) -> None:
        """Stop waiting for the multilingual space (its model could not be loaded): the index
        is refreshed as usual from now on, English spaces only."""
        with self.lock:
            if self.multilingual_pending:
                self.multilingual_pending = False
                self._seen = None

    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 10,
               mode: Mode = "hybrid") -> SearchResponse:
        """A search on the current index (one search at a time)."""
        with self.lock:
            return self.current().search(query, filters=filters, k=k, mode=mode)
