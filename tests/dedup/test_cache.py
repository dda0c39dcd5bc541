"""The dedup-key cache in .kb/: record files are read again only when they changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.config import DEDUP_KEYS as CACHE_NAME
from kb.dedup.cache import KeyCache
from kb.ops.pipeline import ingest_bytes
from kb.store import Store

NBIB = "".join(f"PMID- {700 + i}\nTI  - Study {i} of peer navigation in county clinics\nFAU - Doe, Jane\n"
               f"DP  - 2020\nAB  - We followed {i + 10} adults for a year.\n\n" for i in range(4))


def test_keys_come_from_the_cache_until_a_file_changes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ingest_bytes(NBIB.encode(), "four.nbib", store).counts() == {"new": 4}
    cache_file = store.home / ".kb" / CACHE_NAME
    assert len(json.loads(cache_file.read_text())["records"]) == 4
    reads: list[Path] = []
    original = Store.load_file
    monkeypatch.setattr(Store, "load_file", lambda self, path: reads.append(path) or original(self, path))
    keys, sources = KeyCache(store).load()
    assert len(keys) == 4 and reads == []
    changed = store.load(store.ids()[0])
    store.save(changed.model_copy(update={"keywords": ["edited"]}))
    reads.clear()
    KeyCache(store).load()
    assert [p.stem for p in reads] == [changed.id]
    assert all(len(s) == 1 for s in sources.values())


def test_a_broken_cache_is_rebuilt(store: Store) -> None:
    ingest_bytes(NBIB.encode(), "four.nbib", store)
    (store.home / ".kb" / CACHE_NAME).write_text("{not json")
    keys, _ = KeyCache(store).load()
    assert len(keys) == 4
    again = ingest_bytes(NBIB.encode(), "four.nbib", store)
    assert again.counts() == {"unchanged": 4}
