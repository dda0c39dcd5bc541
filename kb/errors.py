"""The error family of Evidence KB: every failure a user can cause is a KBError."""

from __future__ import annotations

from pathlib import Path


class KBError(Exception):
    """Base class: a problem the user can understand and act on."""


class IngestError(KBError):
    """An input file (or one record inside it) could not be ingested."""

    def __init__(self, source: str | Path, reason: str, *, line: int | None = None) -> None:
        self.source = str(source)
        self.reason = reason
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


class RecordError(KBError):
    """A stored record file is invalid or cannot be written."""


class RecordNotFound(KBError, KeyError):
    """No record with the given id exists in the knowledge base."""

    def __init__(self, record_id: str) -> None:
        self.record_id = record_id
        super().__init__(record_id)

    def __str__(self) -> str:
        return f"no record with id '{self.record_id}' (see `kb list`)"


class IndexStaleError(KBError):
    """The derived index does not match records/ and could not be rebuilt."""


class LockTimeout(KBError):
    """Another process holds the knowledge-base writer lock."""
