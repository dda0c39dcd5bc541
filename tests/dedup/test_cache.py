"""The dedup-key cache in .kb/: record files are read again only when they changed, and a new
record's duplicates are looked up in its tables as an in-memory index over every key finds them."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
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
    with sqlite3.connect(cache_file) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (4,)
    reads: list[Path] = []
    original = Store.load_file
    monkeypatch.setattr(Store, "load_file", lambda self, path: reads.append(path) or original(self, path))
    cache = KeyCache(store)
    keys = cache.index().keys
    assert len(keys) == 4 and reads == []
    assert all(len(cache.sources(i)) == 1 for i in keys)
    changed = store.load(store.ids()[0])
    store.save(changed.model_copy(update={"keywords": ["edited"]}))
    reads.clear()
    KeyCache(store).index()
    assert [p.stem for p in reads] == [changed.id]


def test_a_broken_cache_is_rebuilt(store: Store) -> None:
    ingest_bytes(NBIB.encode(), "four.nbib", store)
    (store.home / ".kb" / CACHE_NAME).write_bytes(b"not a database " * 200)
    keys = KeyCache(store).index().keys
    assert len(keys) == 4
    again = ingest_bytes(NBIB.encode(), "four.nbib", store)
    assert again.counts() == {"unchanged": 4}


def test_a_cache_of_the_version_before_is_replaced(store: Store) -> None:
    ingest_bytes(NBIB.encode(), "four.nbib", store)
    legacy = store.home / ".kb" / "dedup_keys.json"
    legacy.write_text('{"version": 3, "records": {}}')
    keys = KeyCache(store).index().keys
    assert len(keys) == 4 and not legacy.exists()


def test_the_tables_answer_as_an_index_over_every_key_would(store: Store) -> None:
    """Records with shared DOIs, titles and first author + year: for each probe, the stored
    lookup finds exactly the matches DedupIndex finds over all keys."""
    from kb.dedup.index import DedupIndex
    from kb.dedup.keys import key_of

    rng = random.Random(7)
    words = ["navigation", "housing", "medicaid", "outreach", "screening", "telehealth"]
    entries = []
    for i in range(60):
        a, b = rng.choice(words), rng.choice(words)
        doi = f"DO  - 10.5555/dup.{rng.randint(0, 15)}\n" if rng.random() < 0.5 else ""
        entries.append(f"TY  - JOUR\nTI  - {a.title()} and {b} for adults in county {i % 9}\n"
                       f"AU  - {rng.choice(['Doe', 'Lee', 'Kim'])}, Ann\nPY  - {2018 + i % 4}\n{doi}"
                       f"AB  - We studied {i} adults.\nER  - \n")
    ingest_bytes("".join(entries[:40]).encode(), "base.ris", store)
    stored = KeyCache(store).index()
    memory = DedupIndex.from_records(store.load(i) for i in store.ids())
    assert len(stored) == len(memory) == len(store.ids())
    probes = ingest_bytes("".join(entries[40:]).encode(), "probe.ris", store, dry_run=True).records
    assert sum(bool(memory.matches(key_of(p))) for p in probes) >= 5  # the probes do find some
    for probe in probes:
        key = key_of(probe)
        assert [m.record_id for m in stored.matches(key)] == [m.record_id for m in memory.matches(key)]
        assert [k.id for k in stored.candidates(key)] == [k.id for k in memory.candidates(key)]


def test_a_batch_sees_its_own_records_before_they_are_written(store: Store) -> None:
    from kb.dedup.keys import key_of

    ingest_bytes(NBIB.encode(), "four.nbib", store)
    cache = KeyCache(store)
    index = cache.index()
    record = store.load(store.ids()[0])
    renamed = record.model_copy(update={"id": "renamed-copy"})
    store.save(renamed)
    index.add(key_of(renamed))
    cache.refresh(renamed)
    assert "renamed-copy" in index.keys and len(index) == 5
    assert "renamed-copy" in {m.record_id for m in index.matches(key_of(record))}
    index.remove(record.id)
    cache.forget(record.id)
    assert record.id not in index.keys
    assert record.id not in {m.record_id for m in index.matches(key_of(renamed))}
    assert cache.sources("renamed-copy") == {s.sha256 for s in renamed.sources}
    cache.save()
    with sqlite3.connect(store.home / ".kb" / CACHE_NAME) as db:
        ids = {i for (i,) in db.execute("SELECT id FROM entries")}
    assert "renamed-copy" in ids and record.id not in ids


def test_a_first_cache_is_made_without_a_warning(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with caplog.at_level(logging.WARNING):
        assert ingest_bytes(NBIB.encode(), "four.nbib", store).counts() == {"new": 4}
    assert not [r for r in caplog.records if CACHE_NAME in r.getMessage()]


def test_the_tables_list_the_same_pairs_as_an_index_over_every_record(store: Store,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The review queue's pairs come from the key tables without reading a record, and are the
    pairs DedupIndex lists over the loaded records; a batch's own change shows at once."""
    from kb.dedup.index import DedupIndex

    rng = random.Random(11)
    words = ["navigation", "housing", "medicaid", "outreach", "screening"]
    ris = "".join(
        f"TY  - JOUR\nTI  - {rng.choice(words).title()} and {rng.choice(words)} for adults in county {i % 6}\n"
        f"AU  - {rng.choice(['Doe', 'Lee'])}, Ann\nPY  - {2019 + i % 2}\n"
        + (f"DO  - 10.5555/p.{rng.randint(0, 9)}\n" if rng.random() < 0.4 else "")
        + f"AB  - We studied {i} adults.\nER  - \n" for i in range(50))
    ingest_bytes(ris.encode(), "base.ris", store)
    memory = [(a, m.record_id, m.decision, m.score)
              for a, m in DedupIndex.from_records(store.load(i) for i in store.ids()).pairs()]
    assert len(memory) >= 5
    KeyCache(store).index()  # bring the tables up to date; from here on no record is read
    monkeypatch.setattr(Store, "load_file", lambda self, path: pytest.fail(f"read {path.name}"))
    cache = KeyCache(store)
    index = cache.index()
    assert [(a, m.record_id, m.decision, m.score) for a, m in index.pairs()] == memory
    first = index.keys[memory[0][0]]
    index.add(replace(first, id="zz-copy"))
    index.remove(memory[0][1])
    cache.forget(memory[0][1])  # as a merge does: the index and the cache both told
    pairs = {(a, m.record_id) for a, m in index.pairs()}
    assert (first.id, "zz-copy") in pairs and not any(memory[0][1] in p for p in pairs)
