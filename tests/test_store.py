"""Record store: byte-stable saving, atomic writes, validation errors naming file and field."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kb.errors import RecordError, RecordNotFound
from kb.model.ids import base_id, unique_id
from kb.model.schema import Author, Record, Section
from kb.store import Store, serialize


def _record(rid: str = "smith-2020-housing-first") -> Record:
    return Record(id=rid, title="Housing first", year=2020, authors=[Author(family="Smith", given="Ann")],
                  abstract=[Section(role="results", text="It worked.")])


def test_save_twice_is_byte_identical(store: Store) -> None:
    assert store.save(_record()) is True
    first = store.path_of("smith-2020-housing-first").read_bytes()
    assert store.save(store.load("smith-2020-housing-first")) is False
    assert store.path_of("smith-2020-housing-first").read_bytes() == first
    assert first.endswith(b"}\n") and first == serialize(_record()).encode()


def test_failed_write_leaves_the_old_file(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save(_record())
    before = store.path_of("smith-2020-housing-first").read_bytes()

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    changed = _record().model_copy(update={"title": "Changed"})
    with pytest.raises(OSError):
        store.save(changed)
    assert store.path_of("smith-2020-housing-first").read_bytes() == before
    assert not list(store.records.glob("*.tmp"))


def test_invalid_file_names_file_and_field(store: Store) -> None:
    store.save(_record())
    path = store.path_of("smith-2020-housing-first")
    data = json.loads(path.read_text())
    data["year"] = "next year"
    path.write_text(json.dumps(data))
    with pytest.raises(RecordError, match=r"smith-2020-housing-first\.json: field 'year'"):
        store.load_all()
    assert any("field 'year'" in p for p in store.iter_problems())


def test_unknown_field_is_rejected(store: Store) -> None:
    path = store.records / "x.json"
    path.write_text(json.dumps({"id": "x", "colour": "red"}))
    with pytest.raises(RecordError, match="field 'colour'"):
        store.load_all()


def test_not_json_is_reported(store: Store) -> None:
    (store.records / "y.json").write_text("{oops")
    with pytest.raises(RecordError, match=r"y\.json: not valid JSON"):
        store.load_all()


def test_unknown_and_unsafe_ids(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        store.load("nope")
    with pytest.raises(RecordNotFound):
        store.load("../../etc/passwd")


def test_ids_are_readable_and_unique() -> None:
    record = Record(title="Collaboration strategies for bridging health", year=2025,
                    authors=[Author(family="Chuang", initials="E")])
    assert base_id(record) == "chuang-2025-collaboration-strategies"
    assert unique_id("a", {"a", "a-2"}) == "a-3"
    assert base_id(Record()) == "record"


def test_check_detects_a_changed_source(store: Store, seeds: list[Path]) -> None:
    from kb.ops.pipeline import ingest_paths

    ingest_paths(seeds[3:4], store)
    assert list(store.iter_problems()) == []
    source = next(store.sources.iterdir())
    source.write_text("tampered")
    assert any("was changed" in p for p in store.iter_problems())


def test_lock_is_exclusive(store: Store) -> None:
    from kb.errors import LockTimeout

    with store.lock():
        other = Store(store.home)
        with pytest.raises(LockTimeout), other.lock(timeout=0.1):
            pass


def test_writes_inside_synced_together_sync_their_folder_once_at_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.store import files

    synced: list[Path] = []
    monkeypatch.setattr(files, "fsync_dir", synced.append)
    files.atomic_write(tmp_path / "alone.json", b"{}")
    assert synced == [tmp_path]  # outside a block: every write syncs its folder
    synced.clear()
    with files.synced_together():
        for i in range(5):
            files.atomic_write(tmp_path / f"r{i}.json", b"{}")
            assert (tmp_path / f"r{i}.json").read_bytes() == b"{}"  # in place at once
        with files.synced_together():  # nested: the outer block's end syncs it
            files.atomic_write(tmp_path / "sub" / "x.json", b"{}")
        assert synced == []
    assert synced == [tmp_path, tmp_path / "sub"]


def test_an_ingest_syncs_the_records_folder_once_a_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.ops.pipeline import CHUNK, ingest_bytes
    from kb.store import files

    synced: list[Path] = []
    monkeypatch.setattr(files, "fsync_dir", synced.append)
    store = Store(tmp_path / "kb")
    entries = "".join(f"TY  - JOUR\nTI  - Peer navigation study number {i} in county clinics\n"
                      f"AU  - Doe{i}, Jane\nPY  - 2020\nAB  - We followed {i + 10} adults.\nER  - \n"
                      for i in range(CHUNK + 3))
    assert ingest_bytes(entries.encode(), "many.ris", store).counts() == {"new": CHUNK + 3}
    assert synced.count(store.records) <= 4, synced  # one a chunk (two), not one a record (67)
