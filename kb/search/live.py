"""A long-lived search index for a process that serves many requests (the app): opened once,
reopened (incrementally refreshed) when the records change, searches serialised on one lock.

Finding out what changed: the records this process saved are named by the store's journal
(kb.store.journal), so only they are re-indexed and records/ is not listed. A full look
(fingerprint of every record file, then a refresh if it moved) is taken when the store cannot
tell, and otherwise whenever it is cheap (under kb.config.FREE_SCAN_S) or the last one is older
than kb.config.RESCAN_FACTOR times what it cost — so a large knowledge base spends a few per
cent of its time looking for files edited in place by hand, and a small one notices them at once.

It may open without the multilingual space and be given it once that model has loaded
(`multilingual_later`, kb.ops.warmup), so English searches can start first."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from kb import config
from kb.embed import Embedder
from kb.model.present import LibraryRow
from kb.search.backend import SearchIndex, open_search_index
from kb.search.catalog import ThemeSupport, pg_catalog, pg_theme_support
from kb.search.facets import Facets, pg_facets
from kb.search.hybrid import index_catalog, index_facets, index_theme_support
from kb.search.index import Index, RefreshReport
from kb.search.types import Mode, SearchFilters, SearchResponse
from kb.store import RecordStore, Store
from kb.store.journal import ChangeToken


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
        self._token: ChangeToken | None = None
        self._scan_s = 0.0  # what the last full look cost …
        self._scanned_at = 0.0  # … and when it was taken (time.monotonic)
        self.report = RefreshReport()
        self.problems: list[str] = []  # record files the last look at all of them could not read
        self.opened = 0  # how many times the index was opened (once)
        self.refreshed = 0  # how many times it was brought up to date in place
        self.multilingual_pending = multilingual_later and self.store.backend == "folder"

    def current(self) -> SearchIndex:
        """The index, refreshed first when a record was added, changed or removed (use it
        under `with live.lock:` when other threads may search at the same time)."""
        changes = self.store.changes_since(self._token)
        with self.lock:
            if self._index is None or (not self.multilingual_pending
                                       and (changes.ids is None or self._look_due())):
                self._look()
            elif self.multilingual_pending:
                return self._index  # refreshed once the multilingual space has joined
            elif changes.ids:
                self.report = self._index.update(records=changes.ids)  # only the ones saved
                self.problems = list(dict.fromkeys(self.problems + self.report.problems))
                self.refreshed += 1
                self._seen = None  # the next full look refreshes once more, to be sure
            self._token = None if self.multilingual_pending else changes.token
            assert self._index is not None
            return self._index

    def _look_due(self) -> bool:
        return (self._scan_s < config.FREE_SCAN_S
                or time.monotonic() - self._scanned_at > config.RESCAN_FACTOR * self._scan_s)

    def _look(self) -> None:
        """Fingerprint every record file; open the index, or refresh it when they moved."""
        started = time.monotonic()
        fingerprint = self.store.fingerprint()
        self._scan_s, self._scanned_at = time.monotonic() - started, time.monotonic()
        if self._index is None:
            pending = self.multilingual_pending
            self._index = open_search_index(self.store, self._embedder, refresh=not pending,
                                            multilingual=False if pending else None)
            self.report = self._index.last_report
            self.problems = list(self.report.problems)
            self.opened += 1
        elif fingerprint != self._seen:
            self.report = self._index.update()  # in place: only the changed records
            self.problems = list(self.report.problems)
            self.refreshed += 1
        self._seen = None if self.multilingual_pending else fingerprint

    def _look_again(self) -> None:
        """Make the next current() look at every record file and refresh."""
        self._seen, self._token = None, None

    def add_multilingual(self, embedder: Embedder) -> str | None:
        """Give the index opened without it its multilingual space (kb.search.index.Index.
        add_multilingual: read from disk, or built when missing or stale), then refresh it;
        returns why that space was built, or None. Searches wait meanwhile."""
        with self.lock:
            index = self.current()
            why = index.add_multilingual(embedder) if isinstance(index, Index) else None
            self.multilingual_pending = False
            self._look_again()
            self.current()
            return why

    def without_multilingual(self) -> None:
        """Stop waiting for the multilingual space (its model could not be loaded): the index
        is refreshed as usual from now on, English spaces only."""
        with self.lock:
            if self.multilingual_pending:
                self.multilingual_pending = False
                self._look_again()

    def facets(self) -> Facets:
        """What the current index holds, by facet (kb.search.facets): kept until the folder's
        index changes; a database's tables are asked each time (other writers change them)."""
        with self.lock:
            index = self.current()
            if isinstance(index, Index):
                return index_facets(index)
            with index.store.connection() as conn:  # type: ignore[attr-defined]
                return pg_facets(conn)

    def catalog(self) -> list[LibraryRow]:
        """Every record's library row, newest first (kb.search.catalog): kept like facets()."""
        with self.lock:
            index = self.current()
            if isinstance(index, Index):
                return index_catalog(index)
            with index.store.connection() as conn:  # type: ignore[attr-defined]
                return pg_catalog(conn)

    def theme_support(self) -> ThemeSupport:
        """Which records and how many findings have each theme (kb.search.catalog)."""
        with self.lock:
            index = self.current()
            if isinstance(index, Index):
                return index_theme_support(index)
            with index.store.connection() as conn:  # type: ignore[attr-defined]
                return pg_theme_support(conn)

    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 10,
               mode: Mode = "hybrid") -> SearchResponse:
        """A search on the current index (one search at a time)."""
        with self.lock:
            return self.current().search(query, filters=filters, k=k, mode=mode)
