"""`kb dedup`: list possible duplicates, merge a pair, mark a pair as not duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kb.cli import main
from kb.config import DECISIONS_FILE as FILE_NAME
from kb.dedup.decisions import load_decisions
from kb.ops.duplicates import candidate_pairs
from kb.ops.pipeline import ingest_bytes
from kb.store import Store

# Same study twice with different page information (a possible duplicate, not merged on import)
# and an unrelated one.
RIS = """TY  - JOUR
TI  - Peer navigation and hospital use among older adults
AU  - Doe, Jane
PY  - 2020
T2  - Health Affairs
SP  - 100
EP  - 110
ER  - 

TY  - JOUR
TI  - Peer navigation and hospital use among older adults
AU  - Doe, Jane
PY  - 2020
T2  - Health Affairs
SP  - 200
EP  - 210
KW  - navigation
ER  - 

TY  - JOUR
TI  - Braided funding for whole-person care pilots
AU  - Roe, Richard
PY  - 2019
ER  - 
"""


def _run(home: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--kb", str(home), *args], input=input)


def _kb(store: Store) -> list[str]:
    report = ingest_bytes(RIS.encode(), "three.ris", store)
    assert report.counts() == {"new": 3}
    assert "possible duplicate of doe-2020-peer-navigation" in report.outcomes[1].message
    return store.ids()


def test_listing_and_not_duplicate_is_remembered(store: Store) -> None:
    _kb(store)
    pairs = candidate_pairs(store)
    assert [(p.a, p.b, p.decision) for p in pairs] == [
        ("doe-2020-peer-navigation", "doe-2020-peer-navigation-2", "possible")]
    listed = _run(store.home, "dedup", "--json")
    assert json.loads(listed.output.splitlines()[0])["b"] == "doe-2020-peer-navigation-2"
    result = _run(store.home, "dedup", "--not-duplicate", "doe-2020-peer-navigation-2", "doe-2020-peer-navigation")
    assert result.exit_code == 0, result.output
    assert load_decisions(store).not_duplicates == [("doe-2020-peer-navigation", "doe-2020-peer-navigation-2")]
    assert candidate_pairs(store) == []
    assert "doe-2020-peer-navigation" in store.ids()  # the decisions file is not a record
    assert _run(store.home, "check").exit_code == 0


def test_merge_folds_one_record_into_the_other(store: Store) -> None:
    _kb(store)
    result = _run(store.home, "dedup", "--merge", "doe-2020-peer-navigation", "doe-2020-peer-navigation-2")
    assert result.exit_code == 0, result.output
    assert store.ids() == ["doe-2020-peer-navigation", "roe-2019-braided-funding"]
    kept = store.load("doe-2020-peer-navigation")
    assert kept.keywords == ["navigation"]
    assert "pages" in {f.field for f in kept.review.flags if f.code == "merge-conflict"}
    saved = json.loads((store.records / FILE_NAME).read_text())
    assert saved["merged"] == [{"kept": "doe-2020-peer-navigation", "merged": "doe-2020-peer-navigation-2"}]
    again = ingest_bytes(RIS.encode(), "three.ris", store)  # the merged-away record stays merged
    assert again.counts() == {"unchanged": 3} and len(store.ids()) == 2


def test_bad_requests_are_one_line(store: Store) -> None:
    _kb(store)
    assert "no record with id 'nope'" in _run(store.home, "dedup", "--merge", "nope", "roe-2019-braided-funding").output
    same = _run(store.home, "dedup", "--not-duplicate", "roe-2019-braided-funding", "roe-2019-braided-funding")
    assert same.exit_code == 1 and "two different record ids" in same.output


def test_review_queue_takes_one_key_per_pair_and_undoes_the_last_merge(store: Store) -> None:
    _kb(store)
    shown = _run(store.home, "dedup", "--review", input="s")
    assert shown.exit_code == 0, shown.output
    assert "pair 1 of 1 · possible" in shown.output
    pages = next(line for line in shown.output.splitlines() if "Pages" in line)
    assert "≠" in pages and "100-110" in pages and "200-210" in pages
    assert store.ids() == ["doe-2020-peer-navigation", "doe-2020-peer-navigation-2", "roe-2019-braided-funding"]

    merged = _run(store.home, "dedup", "--review", input="b")  # A merged into B
    assert "merged doe-2020-peer-navigation into doe-2020-peer-navigation-2" in merged.output
    assert store.ids() == ["doe-2020-peer-navigation-2", "roe-2019-braided-funding"]
    undone = _run(store.home, "dedup", "--undo", "doe-2020-peer-navigation")
    assert undone.exit_code == 0, undone.output
    assert len(store.ids()) == 3 and candidate_pairs(store) == []  # the undo says: not duplicates


def test_review_queue_undo_key_restores_before_the_next_decision(store: Store) -> None:
    _kb(store)
    ingest_bytes(_third_version().encode(), "third.ris", store)
    before = store.ids()
    result = _run(store.home, "dedup", "--review", input="munq")
    assert result.exit_code == 0, result.output
    assert "merged doe-2020-peer-navigation-2 into doe-2020-peer-navigation" in result.output
    assert "restored doe-2020-peer-navigation-2" in result.output
    assert "remembered: doe-2020-peer-navigation and doe-2020-peer-navigation-3 are not duplicates" in result.output and "pair 2 of 3" in result.output
    assert store.ids() == before
    # pair 1 merged then undone (the undo remembers it as not duplicates), pair 2 marked not
    # duplicates after the undo, pair 3 left for later by quitting
    assert [(p.a, p.b) for p in candidate_pairs(store)] == [
        ("doe-2020-peer-navigation-2", "doe-2020-peer-navigation-3")]


def _third_version() -> str:
    """The first record again with other pages: a third possible duplicate of it."""
    return RIS.split("ER  - ")[0].replace("SP  - 100", "SP  - 300").replace("EP  - 110", "EP  - 310") + "ER  - \n"


def test_merge_above_previews_then_merges_chains_into_one_record(store: Store) -> None:
    _kb(store)
    ingest_bytes(_third_version().encode(), "third.ris", store)
    pairs = candidate_pairs(store)
    assert len(pairs) == 3  # three versions of one title: every pair of them
    declined = _run(store.home, "dedup", "--merge-above", "0", input="n\n")
    assert "3 of 3 pair(s) score 0 or more" in declined.output and len(store.ids()) == 4
    none = _run(store.home, "dedup", "--merge-above", "101", "--yes")
    assert "0 of 3 pair(s)" in none.output and len(store.ids()) == 4
    done = _run(store.home, "dedup", "--merge-above", "0", "--yes")
    assert done.exit_code == 0, done.output
    assert "2 merge(s)" in done.output and "already one record" in done.output
    assert store.ids() == ["doe-2020-peer-navigation", "roe-2019-braided-funding"]
