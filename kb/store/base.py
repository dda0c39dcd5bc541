"""The storage interface every backend implements (folder files or PostgreSQL): records,
their raw sources, curated documents such as the duplicate decisions, and how writers meet."""

from __future__ import annotations

from collections.abc import Callable, Collection, Container, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from kb.model.schema import Record
from kb.store.journal import Changes, ChangeToken

Backend = Literal["folder", "postgresql"]
Change = Callable[[Record], Record]


@runtime_checkable
class RecordStore(Protocol):
    """Where the records of one knowledge base live.

    `home` is a local folder for derived, rebuildable data (`cache_dir`: embeddings, dedup keys);
    `location` names the truth (a folder, or a database URL without its password)."""

    backend: Backend
    home: Path

    @property
    def location(self) -> str: ...

    @property
    def cache_dir(self) -> Path: ...

    # -- reading ---------------------------------------------------------------------------------
    def ids(self) -> list[str]: ...

    def load(self, record_id: str) -> Record: ...

    def load_all(self) -> list[Record]: ...

    def readable(self) -> tuple[list[Record], list[str]]:
        """Every record that loads, and one line per record that does not."""
        ...

    def fingerprint(self) -> tuple:
        """A value that changes whenever any record is added, changed or removed."""
        ...

    def changes_since(self, token: ChangeToken | None) -> Changes:
        """The ids of the records that changed since `token`, when the store can tell cheaply
        (ids None when it cannot: then compare fingerprints)."""
        ...

    def stamps(self) -> dict[str, str]:
        """id → a stamp that changes whenever that record changes."""
        ...

    def stamp(self, record_id: str) -> str: ...

    def source_bytes(self, sha: str) -> bytes | None: ...

    def source_text(self, sha: str) -> str | None: ...

    def source_hashes(self) -> list[str]: ...

    def source_suffix(self, sha: str) -> str | None:
        """The file suffix a kept source was saved with ('.ris', '.xml.gz', …)."""
        ...

    def iter_problems(self) -> Iterator[str]: ...

    def read_document(self, name: str) -> bytes | None:
        """A curated document such as _decisions.json (None when there is none)."""
        ...

    def can_write(self) -> bool:
        """Whether this user may change the knowledge base (a database role may only read)."""
        ...

    def stored_meanwhile(self, dois: Collection[str], *, known: Container[str] = ()) -> list[Record]:
        """The stored records with any of these DOIs that another writer may have added since a
        batch read the store, except those whose id is `known`: a database's writers run at
        once, so it returns every such record; a folder's writers take turns under its lock (a
        batch has seen every record), so it returns none."""
        ...

    # -- writing ---------------------------------------------------------------------------------
    def lock(self, timeout: float = ...) -> AbstractContextManager[None]:
        """Serialise writers where the backend needs it (the folder); the database's own
        transactions and constraints do it for PostgreSQL."""
        ...

    def save(self, record: Record) -> bool:
        """Write a record (new or replacing); False when nothing changed."""
        ...

    def insert(self, record: Record) -> None:
        """Add a new record: RecordExists when its id is taken, IdentifierTaken when another
        record already has its DOI."""
        ...

    def update(self, record_id: str, change: Change) -> tuple[Record, bool]:
        """Apply `change` to the stored record as one step no other writer can interleave with
        (the new record may have another id: the old one is then removed); returns it and
        whether anything was written."""
        ...

    def delete(self, record_id: str) -> None: ...

    def save_source(self, data: bytes, suffix: str) -> str: ...

    def save_source_file(self, path: Path, sha: str, suffix: str) -> None: ...

    def write_document(self, name: str, data: bytes) -> None: ...

    def close(self) -> None: ...
