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


def _run(home: Path, *args: str):
    return CliRunner().invoke(main, ["--kb", str(home), *args])


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
