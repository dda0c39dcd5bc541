"""The store's housekeeping (issue 17, items 8 and 9): file modes follow the umask, stale temp
files are reported and removed by the next writer, orphan sources are reported, a reader does
not trip over a record a merge just deleted, and a writer waits for the lock saying so."""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest

from kb.errors import LockTimeout
from kb.model.schema import Record
from kb.store import Store
from kb.store.folder import STALE_TMP_S


def _record(record_id: str) -> Record:
    return Record(id=record_id, title=f"A study called {record_id}")


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_record_files_get_the_mode_the_umask_gives(store: Store, umask: int, mode: int) -> None:
    from kb.store.files import _file_mode

    old = os.umask(umask)
    _file_mode.cache_clear()
    try:
        store.save(_record("moded"))
        store.save_source(b"raw input", ".txt")
    finally:
        os.umask(old)
        _file_mode.cache_clear()
    assert (store.path_of("moded").stat().st_mode & 0o777) == mode
    assert all((p.stat().st_mode & 0o777) == mode for p in store.sources.iterdir())


def test_stale_temp_files_are_reported_then_removed_by_the_next_writer(store: Store) -> None:
    store.save(_record("kept"))
    stale = store.records / ".kept.json.abc123.tmp"
    stale.write_text("{partial")
    old = time.time() - STALE_TMP_S - 10
    os.utime(stale, (old, old))
    fresh = store.records / ".other.json.def456.tmp"
    fresh.write_text("{being written")
    problems = list(store.iter_problems())
    assert problems == [f"{stale}: a temporary file left by an interrupted write (the next write removes it)"]
    with store.lock():
        pass
    assert not stale.exists() and fresh.exists()


def test_orphan_sources_are_reported(store: Store) -> None:
    record = _record("with-source")
    store.save(record)
    sha = store.save_source(b"nobody refers to this", ".txt")
    assert list(store.iter_problems()) == [
        f"{store.sources / (sha + '.txt')}: a kept source that no record refers to (safe to delete)"]


def test_readers_skip_a_record_deleted_while_they_read(store: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for rid in ("one", "two", "three"):
        store.save(_record(rid))
    listed = store.ids()
    store.delete("two")  # a merge deletes it between listing and reading
    monkeypatch.setattr(Store, "ids", lambda self: listed)
    assert [r.id for r in store.load_all()] == ["one", "three"]
    assert list(store.iter_problems()) == []
    assert [name for name, _, _ in store.fingerprint()] == ["one.json", "three.json"]


def test_a_writer_waits_for_the_lock_and_says_so(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with Store(store.home).lock():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    try:
        with caplog.at_level(logging.WARNING), pytest.raises(LockTimeout, match="for more than 0 s"), \
                Store(store.home).lock(timeout=0.2):
            pass
        assert any("waiting for it" in r.getMessage() for r in caplog.records)
        threading.Timer(0.3, release.set).start()
        with Store(store.home).lock(timeout=10):
            entered = True
    finally:
        release.set()
        thread.join()
    assert entered
