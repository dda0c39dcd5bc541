"""The folder store's write journal: which records this process wrote since a token, and when
it cannot tell (something else touched records/)."""

from __future__ import annotations

import os
from pathlib import Path

from kb.store import Store


def _bump_folder_mtime(folder: Path) -> None:
    """What another process's write does to records/, a whole second later (file systems keep
    coarse clocks, so a test must not rely on two writes getting different times)."""
    later = folder.stat().st_mtime_ns + 1_000_000_000
    os.utime(folder, ns=(later, later))


def test_names_the_records_written_since_a_token(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    first = store.changes_since(None)
    assert first.ids is None  # a first look: unknown
    assert store.changes_since(first.token).ids == []
    one, two = (store.load(i) for i in store.ids()[:2])
    store.save(one.model_copy(update={"id": "copy-one"}))
    store.save(two.model_copy(update={"id": "copy-two"}))
    later = store.changes_since(first.token)
    assert later.ids == ["copy-one", "copy-two"]
    assert store.changes_since(later.token).ids == []
    store.delete("copy-one")
    assert store.changes_since(later.token).ids == ["copy-one"]


def test_a_write_by_anyone_else_breaks_the_chain(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    token = store.changes_since(None).token
    record = store.load(store.ids()[0])
    store.save(record.model_copy(update={"id": "copy-one"}))
    (store.records / "hand-made.json").write_bytes((store.records / "copy-one.json").read_bytes())
    _bump_folder_mtime(store.records)
    assert store.changes_since(token).ids is None
    # … also between two of our own writes
    token = store.changes_since(None).token
    _bump_folder_mtime(store.records)
    store.save(record.model_copy(update={"id": "copy-two"}))
    assert store.changes_since(token).ids is None


def test_another_store_object_cannot_tell(shipped_copy: Path) -> None:
    writer, reader = Store(shipped_copy), Store(shipped_copy)
    token = reader.changes_since(None).token
    writer.save(writer.load(writer.ids()[0]).model_copy(update={"id": "copy-one"}))
    _bump_folder_mtime(writer.records)
    assert reader.changes_since(token).ids is None
