"""What readers derive from the index — tie order, glossary, document frequencies, the sentence
table, first authors: built on first use and kept until the index changes.

A large index (kb.config.STALE_DERIVED_FROM findings or more), where building them again takes
seconds, keeps answering with the previous ones after a small change while fresh ones are built
on a background thread through a read-only connection of its own; so adding one record to a
million findings does not make the next search wait. For those seconds a search may miss the new
record's sentences, acronyms and first authors and rank by document frequencies one record old;
it never shows a record that is gone (the vectors and keyword tables are always current). A
rebuild from scratch, and any change to a small index, drops them at once."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Derived(dict[str, Any]):
    """The derived things of one open index, by name (a dict: fresh ones only)."""

    def __init__(self, connect: Callable[[], sqlite3.Connection] | None = None) -> None:
        super().__init__()
        self._connect = connect
        self._stale: dict[str, Any] = {}
        self._version = 0
        self._lock = threading.Lock()
        self._pending: dict[str, Future[None]] = {}
        self._db: sqlite3.Connection | None = None  # the background builds' connection
        self._pool: ThreadPoolExecutor | None = None

    def get_or_build(self, key: str, build: Callable[[sqlite3.Connection], T],
                     db: sqlite3.Connection) -> T:
        """The fresh value of `key`; else the previous one while a fresh one is built in the
        background; else one built now through `db`."""
        with self._lock:
            if key in self:
                return self[key]
            if key in self._stale and self._connect is not None:
                if key not in self._pending:
                    self._pending[key] = self._executor().submit(self._rebuild, key, build,
                                                                 self._version)
                return self._stale[key]
            version = self._version
        value = build(db)
        with self._lock:
            if version == self._version:
                self[key] = value
        return value

    def changed(self, *, keep: bool) -> None:
        """The index changed: `keep` the current values to answer with until fresh ones are
        built (a small change to a large index), or drop everything."""
        with self._lock:
            self._version += 1
            if keep and self._connect is not None:
                self._stale.update(self)
            else:
                self._stale.clear()
                self._close_db()
            self.clear()

    def wait(self) -> None:
        """Block until the background builds under way are done (tests, benchmarks)."""
        while True:
            with self._lock:
                pending = list(self._pending.values())
            if not pending:
                return
            for future in pending:
                future.result()

    def close(self) -> None:
        self.wait()
        with self._lock:
            self._close_db()
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-derived")
        return self._pool

    def _rebuild(self, key: str, build: Callable[[sqlite3.Connection], Any], version: int) -> None:
        try:
            with self._lock:
                if self._db is None and self._connect is not None:
                    self._db = self._connect()
                db = self._db
            value = build(db) if db is not None else None
        except (sqlite3.Error, OSError) as err:  # the old value keeps serving; the next change retries
            log.warning("could not rebuild the index's %s in the background: %s", key, err)
            value = None
        with self._lock:
            self._pending.pop(key, None)
            if value is not None and version == self._version:
                self[key] = value
                self._stale.pop(key, None)

    def _close_db(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
