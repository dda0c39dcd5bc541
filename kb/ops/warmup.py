"""Warm a long-lived search index in the background: open (or build) the index and load the
embedding models on a daemon thread as soon as a serving process starts, so its first page
needs none of it and its first search finds everything loaded. The state is readable at any
time (loading / ready / failed) for a status line beside the search box."""

from __future__ import annotations

import logging
import threading
import time
from typing import Literal

from pydantic import BaseModel

from kb.errors import KBError
from kb.search.live import LiveIndex

log = logging.getLogger(__name__)
WARM_QUERY = "warm up the search models"
State = Literal["loading", "ready", "failed"]


class WarmStatus(BaseModel):
    """Where the warm-up is: its state, what it says to a reader, seconds spent so far."""

    state: State
    message: str
    seconds: float


class Warmup:
    """Loads `live` (index + every embedding space's model) on a background thread."""

    def __init__(self, live: LiveIndex) -> None:
        self.live = live
        self._done = threading.Event()
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
            self.live.search(WARM_QUERY, k=1)  # opens the index and encodes with every model
        except KBError as err:
            self._error = str(err)
            log.warning("search warm-up failed: %s", err)
        except (OSError, RuntimeError, ValueError) as err:  # a damaged file, a model that fails
            self._error = f"{type(err).__name__}: {err}"
            log.warning("search warm-up failed: %s", self._error)
        finally:
            self._seconds = time.perf_counter() - self._started
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the warm-up finished (True) or `timeout` seconds passed (False)."""
        return self._done.wait(timeout)

    def status(self) -> WarmStatus:
        seconds = self._seconds if self._seconds is not None else time.perf_counter() - self._started
        if not self._done.is_set():
            return WarmStatus(state="loading", seconds=seconds,
                              message="Loading the search index and models — searches start when ready")
        if self._error:
            return WarmStatus(state="failed", seconds=seconds,
                              message=f"The search index could not be loaded: {self._error}")
        return WarmStatus(state="ready", seconds=seconds, message=f"Search ready ({seconds:.1f} s)")


def start_warmup(live: LiveIndex) -> Warmup:
    """A started warm-up of `live`."""
    return Warmup(live).start()
