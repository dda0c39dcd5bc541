"""Where records live, behind one interface (kb.store.base.RecordStore) with two backends: a
folder of JSON files (kb.store.folder, the default) and a PostgreSQL database for a team
(kb.store.postgres, chosen by --db URL or KB_DATABASE_URL). `open_store` picks one."""

from __future__ import annotations

from pathlib import Path

from kb.config import database_url, kb_home
from kb.store.base import Backend, RecordStore
from kb.store.files import atomic_write, atomic_write_with, describe_validation_error, serialize, synced_together
from kb.store.folder import Store

FolderStore = Store

__all__ = ["Backend", "FolderStore", "RecordStore", "Store", "atomic_write", "atomic_write_with",
           "describe_validation_error", "open_store", "serialize", "synced_together"]


def open_store(home: str | Path | None = None, db: str | None = None) -> RecordStore:
    """The knowledge base to work on: the PostgreSQL database of `db` or KB_DATABASE_URL when
    one is given (derived caches then live under `home`/.kb/), else the folder `home`
    (default: KB_HOME, ./ or the repository)."""
    folder = kb_home(home)
    url = database_url(db)
    if url:
        from kb.store.postgres import PostgresStore

        return PostgresStore(url, folder)
    return Store(folder)
