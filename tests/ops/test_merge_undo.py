"""Merges keep the merged-away record (records/_merged.<id>.json) so `kb dedup --undo` restores it, and a
librarian's 'not duplicates' decision is honoured at import."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kb.cli import main
from kb.dedup.decisions import load_decisions
from kb.dedup.history import merged_ids
from kb.ops.duplicates import mark_not_duplicate, merge_pair, undo_merge
from kb.ops.enrich import Enricher
from kb.ops.pipeline import ingest_bytes
from kb.store import Store


def _ris(title: str, pages: str, extra: str = "") -> str:
    return (f"TY  - JOUR\nTI  - {title}\nAU  - Doe, Jane\nAU  - Roe, Richard\nPY  - 2020\n"
            f"T2  - Health Affairs\nVL  - 39\nSP  - {pages}\n{extra}ER  - \n\n")


TITLE = "Peer navigation and hospital use among older adults"
TWO = _ris(TITLE, "100") + _ris(TITLE, "200", "KW  - navigation\n")


def _run(home: Path, *args: str):
    return CliRunner().invoke(main, ["--kb", str(home), *args])


def test_undo_of_a_hand_merge_restores_both_records(store: Store) -> None:
    ingest_bytes(TWO.encode(), "two.ris", store)
    first, second = store.ids()
    before = store.path_of(first).read_bytes(), store.path_of(second).read_bytes()
    merge_pair(store, first, second, Enricher(store.home))
    assert store.ids() == [first] and merged_ids(store) == [second]
    listed = _run(store.home, "dedup", "--merged")
    assert listed.exit_code == 0 and f"{second}\tmerged into {first}" in listed.output
    result = _run(store.home, "dedup", "--undo", second)
    assert result.exit_code == 0, result.output
    assert (store.path_of(first).read_bytes(), store.path_of(second).read_bytes()) == before
    assert merged_ids(store) == []
    decisions = load_decisions(store)
    assert decisions.merged == [] and decisions.is_not_duplicate(first, second)
    assert "no merge of" in _run(store.home, "dedup", "--undo", second).output


def test_undo_of_an_import_merge_brings_the_imported_version_back(store: Store) -> None:
    doi = "DO  - 10.1000/peer.2020\n"
    ingest_bytes(_ris(TITLE, "100", doi).encode(), "first.ris", store)
    (only,) = store.ids()
    before = store.path_of(only).read_bytes()
    report = ingest_bytes(_ris("Peer navigation - Health Affairs", "100", doi + "KW  - web\n").encode(),
                          "capture.ris", store)
    assert report.counts() == {"merged": 1} and store.ids() == [only]
    (kept,) = merged_ids(store)
    assert f"kb dedup --undo {kept}" in report.outcomes[0].message
    assert "web" in store.load(only).keywords
    done = undo_merge(store, kept, Enricher(store.home))
    assert done.kept_restored and store.path_of(only).read_bytes() == before
    assert store.load(kept).keywords == ["web"] and len(store.load(kept).sources) == 1


def test_undo_keeps_a_record_edited_after_the_merge(store: Store) -> None:
    ingest_bytes(TWO.encode(), "two.ris", store)
    first, second = store.ids()
    merged = merge_pair(store, first, second, Enricher(store.home))
    store.save(merged.model_copy(update={"keywords": [*merged.keywords, "curated"]}))
    done = undo_merge(store, second, Enricher(store.home))
    assert not done.kept_restored and "curated" in store.load(first).keywords
    assert sorted(store.ids()) == sorted([first, second])


def test_not_duplicate_decision_is_honoured_at_import(store: Store) -> None:
    ingest_bytes(TWO.encode(), "two.ris", store)  # pages differ: two records, a possible pair
    first, second = store.ids()
    mark_not_duplicate(store, first, second)
    # a third export of the same item without pages is a duplicate of both: the importer must
    # not pick one of the two the librarian said are different publications
    third = (f"TY  - JOUR\nTI  - {TITLE}\nAU  - Doe, Jane\nAU  - Roe, Richard\nPY  - 2020\n"
             "T2  - Health Affairs\nVL  - 39\nAB  - " + "Peer navigators met older adults. " * 5 + "\nER  - \n")
    report = ingest_bytes(third.encode(), "third.ris", store)
    assert report.counts() == {"new": 1}, report.outcomes
    assert "marked as different publications" in report.outcomes[0].message
    assert len(store.ids()) == 3
