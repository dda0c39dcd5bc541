"""Warm a long-lived search index in the background: open (or build) the index and load the
embedding models on a daemon thread as soon as a serving process starts, so its first page
needs none of it and its first search finds everything loaded. The state is readable at any
time (loading / partial / ready / failed) for a status line beside the search box.

A folder's index opens first without its multilingual space (kb.search.live, multilingual_later):
searches start as soon as the English model and spaces are in ("partial"), and the multilingual
model — the slowest to load — joins when loaded ("ready"); from then on every answer is the one
the full index gives. One warm-up per knowledge base and process (shared_warmup): `kb app` starts
it before Streamlit serves, and the app script, run in that same process, picks it up."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from kb.config import multilingual_enabled
from kb.embed import Embedder, get_multilingual_embedder
from kb.errors import KBError
from kb.search.live import LiveIndex
from kb.store import RecordStore

log = logging.getLogger(__name__)
WARM_QUERY = "warm up the search models"
State = Literal["loading", "partial", "ready", "failed"]
LOADING = "Loading the search index and models — searches start when ready"
PARTIAL = ("Searching by English meaning and keywords; the multilingual model (Chinese queries by "
           "meaning) is still loading — results are complete once it has")
FAILURES = (KBError, OSError, RuntimeError, ValueError, ImportError)  # a damaged file, a model that fails


class WarmStatus(BaseModel):
    """Where the warm-up is: its state, what it says to a reader, seconds spent so far;
    `searchable`: searches can run (partial or ready)."""

    state: State
    message: str
    seconds: float
    searchable: bool = False


class Warmup:
    """Loads `live` (index + every embedding space's model) on a background thread; when `live`
    opens without its multilingual space, `multilingual` is loaded after the rest and joins it."""

    def __init__(self, live: LiveIndex, multilingual: Embedder | None = None) -> None:
        self.live = live
        self.multilingual = None
        if live.multilingual_pending:
            self.multilingual = multilingual or get_multilingual_embedder()
        self._searchable = threading.Event()
        self._done = threading.Event()
        self._settled = threading.Event()  # searchable, or finished without getting there
        self._error: str | None = None
        self._started = time.perf_counter()
        self._seconds: float | None = None
        self._thread = threading.Thread(target=self._run, name="kb-warmup", daemon=True)

    def start(self) -> Warmup:
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.live.search(WARM_QUERY, k=1)  # opens the index and encodes with its models
            self.live.facets()  # what the search page's filters offer, kept until records change
            self._searchable.set()
            self._settled.set()
            log.info("search warm-up: searches can run after %.1f s", time.perf_counter() - self._started)
            if self.multilingual is not None:
                self.multilingual.encode([WARM_QUERY])  # loads the model, outside the index lock
                self.live.add_multilingual(self.multilingual)
                self.live.search(WARM_QUERY, k=1)
                log.info("search warm-up: the multilingual space joined after %.1f s",
                         time.perf_counter() - self._started)
        except FAILURES as err:
            self._error = str(err) if isinstance(err, KBError) else f"{type(err).__name__}: {err}"
            log.warning("search warm-up failed: %s", self._error)
            self.live.without_multilingual()  # English search goes on, kept up to date
        finally:
            self._seconds = time.perf_counter() - self._started
            self._done.set()
            self._settled.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the warm-up finished (True) or `timeout` seconds passed (False)."""
        return self._done.wait(timeout)

    def wait_searchable(self, timeout: float | None = None) -> bool:
        """Block until searches can run (partial or ready) or the warm-up ended; False when
        `timeout` seconds passed first."""
        return self._settled.wait(timeout)

    def status(self) -> WarmStatus:
        seconds = self._seconds if self._seconds is not None else time.perf_counter() - self._started
        searchable = self._searchable.is_set()
        if not self._done.is_set():
            return WarmStatus(state="partial" if searchable else "loading", seconds=seconds,
                              message=PARTIAL if searchable else LOADING, searchable=searchable)
        if self._error:
            what = "multilingual model" if searchable else "search index"
            return WarmStatus(state="failed", seconds=seconds, searchable=searchable,
                              message=f"The {what} could not be loaded: {self._error}")
        return WarmStatus(state="ready", seconds=seconds, searchable=True,
                          message=f"Search ready ({seconds:.1f} s)")


def start_warmup(live: LiveIndex, multilingual: Embedder | None = None) -> Warmup:
    """A started warm-up of `live`."""
    return Warmup(live, multilingual).start()


_SHARED: dict[str, Warmup] = {}
_SHARED_LOCK = threading.Lock()


def shared_warmup(store: RecordStore) -> Warmup:
    """This process's warm-up of the knowledge base of `store`, started on the first call (by
    `kb app` before Streamlit serves, else by the app's first page); later calls for the same
    knowledge base return it, whichever store object they pass."""
    key = f"{store.backend}:{Path(store.home).resolve()}"
    with _SHARED_LOCK:
        warm = _SHARED.get(key)
        if warm is None:
            later = multilingual_enabled() and store.backend == "folder"
            live = LiveIndex(store, multilingual_later=later)
            warm = _SHARED[key] = start_warmup(live, get_multilingual_embedder() if later else None)
        return warm
