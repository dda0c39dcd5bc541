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


class RecordExists(KBError):
    """A new record's id is already taken (another writer may have just used it)."""

    def __init__(self, record_id: str) -> None:
        self.record_id = record_id
        super().__init__(f"a record with id '{record_id}' already exists")


class IdentifierTaken(KBError):
    """Another record already carries this identifier (a DOI is unique in a team database)."""

    def __init__(self, field: str, value: str, record_id: str) -> None:
        self.field, self.value, self.record_id = field, value, record_id
        super().__init__(f"record '{record_id}' already has {field.upper()} {value}")


class ReadOnlyError(KBError):
    """The user's role may read this knowledge base but not change it."""


class StorageError(KBError):
    """The knowledge base's storage (e.g. its database) cannot be reached or used."""
