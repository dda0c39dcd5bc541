"""Which records changed since a reader last looked, without listing records/: the writes one
folder store made in this process, chained by the records folder's modification time.

Every write of a record file (a temp file renamed into place) or a deletion changes the
folder's mtime. The journal notes the mtime before and after each of its own writes; when the
chain from a reader's token to the folder's present mtime is unbroken, the records the journal
names are the only ones that changed. When anything else touched the folder (another process,
a hand edit that renamed a file), the chain breaks and the reader is told to scan. A file edited
in place leaves the folder's mtime alone, so a reader that relies on the journal still scans
now and then (kb.search.live)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class ChangeToken(BaseModel):
    """Where a reader last looked: the store's state then and how many of its writes it saw."""

    model_config = ConfigDict(frozen=True)

    state: tuple[int | str, ...] = ()
    writes: int = 0


class Changes(BaseModel):
    """What changed since a token: the new token, and the ids of the records that may have
    changed — None when the store cannot tell (then compare fingerprints)."""

    token: ChangeToken
    ids: list[str] | None = None


class WriteJournal:
    """The writes made through one folder store object, each with the folder's mtime around it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._entries: list[tuple[int, int, str | None]] = []
        self._lock = threading.Lock()

    def _mark(self) -> int:
        try:
            return self.folder.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    @contextmanager
    def writing(self, record_id: str | None) -> Iterator[None]:
        """Around one write to the folder (record_id None: not a record, e.g. _decisions.json)."""
        with self._lock:
            before = self._mark()
            try:
                yield
            finally:
                self._entries.append((before, self._mark(), record_id))

    def since(self, token: ChangeToken | None) -> Changes:
        """The records written since `token` (None: a first look, so unknown)."""
        with self._lock:
            now = ChangeToken(state=(self._mark(),), writes=len(self._entries))
            entries = self._entries[token.writes:] if token is not None else []
        if token is None or len(token.state) != 1 or token.writes > now.writes:
            return Changes(token=now)
        mark, ids = token.state[0], []
        for before, after, record_id in entries:
            if before != mark:  # something else wrote between two of our writes
                return Changes(token=now)
            mark = after
            if record_id is not None:
                ids.append(record_id)
        if mark != now.state[0]:  # … or after the last of them
            return Changes(token=now)
        return Changes(token=now, ids=sorted(set(ids)))
