"""Fault injection (issue 17): a real `kb ingest` or `kb dedup --merge` dies with os._exit at a
named point; afterwards no record is partial or lost once the command is run again, the index
agrees with records/ the next time it is opened, and a merge decision is never lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.config import DECISIONS_FILE
from kb.store import Store
from tests.faults import CRASH_CODE, audit, ris_export, run_kb

RECORDS = 8


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """An export, and the titles a clean ingest of it stores."""
    folder = tmp_path_factory.mktemp("clean")
    export = ris_export(folder / "export.ris", RECORDS)
    home = folder / "kb"
    (home / "records").mkdir(parents=True)
    assert run_kb(home, "ingest", str(export)).returncode == 0
    return export, {r.title for r in Store(home).load_all()}


def _home_with_index(tmp_path: Path, export: Path) -> Path:
    """A knowledge base with an index and half of another export already in it."""
    home = tmp_path / "kb"
    (home / "records").mkdir(parents=True)
    first = ris_export(tmp_path / "first.ris", 3, start=100)
    assert run_kb(home, "ingest", str(first)).returncode == 0
    assert run_kb(home, "search", "care coordination", "--mode", "lexical").returncode == 0
    return home


@pytest.mark.parametrize(("point", "nth"), [
    ("after-record-write", 1), ("after-record-write", RECORDS // 2), ("after-record-write", RECORDS),
    ("after-index-commit", 1), ("after-vector-save", 1),
])
def test_an_ingest_killed_at_a_named_point_loses_nothing(tmp_path: Path, clean: tuple[Path, set[str]],
                                                         point: str, nth: int) -> None:
    export, titles = clean
    home = _home_with_index(tmp_path, export)
    before = {r.title for r in Store(home).load_all()}
    crashed = run_kb(home, "ingest", str(export), crash=point, nth=nth)
    assert crashed.returncode == CRASH_CODE, crashed.stderr
    after_crash = audit(home, before)
    assert (after_crash.partial, after_crash.lost, after_crash.stale_index) == (0, 0, 0), after_crash.problems
    rerun = run_kb(home, "ingest", str(export))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    final = audit(home, before | titles)
    assert (final.partial, final.lost, final.stale_index) == (0, 0, 0), final.problems
    assert final.records == len(before | titles)


@pytest.mark.parametrize("point", ["inside-merge", "after-merge-decision"])
def test_a_merge_killed_midway_keeps_both_records_or_its_decision(tmp_path: Path, point: str) -> None:
    home = tmp_path / "kb"
    (home / "records").mkdir(parents=True)
    first, second = ris_export(tmp_path / "a.ris", 1), ris_export(tmp_path / "b.ris", 1, start=1)
    assert run_kb(home, "ingest", str(first), str(second)).returncode == 0
    keep, other = Store(home).ids()
    titles = {r.title for r in Store(home).load_all()}
    crashed = run_kb(home, "dedup", "--merge", keep, other, crash=point)
    assert crashed.returncode == CRASH_CODE, crashed.stderr
    ids = Store(home).ids()
    decisions_path = home / "records" / DECISIONS_FILE
    decided = decisions_path.exists() and {"kept": keep, "merged": other} in json.loads(
        decisions_path.read_text())["merged"]
    assert other in ids or decided  # never the other record gone without its decision
    assert keep in ids
    state = audit(home)
    assert (state.partial, state.stale_index) == (0, 0), state.problems
    if other in ids:  # the merge can simply be run again
        assert run_kb(home, "dedup", "--merge", keep, other).returncode == 0
    assert Store(home).ids() == [keep]
    kept = Store(home).load(keep)
    assert kept.title in titles and len(kept.sources) == 2


@pytest.mark.parametrize("point", ["after-index-commit", "after-vector-save"])
def test_a_reindex_killed_after_its_commit_leaves_no_stale_index(tmp_path: Path, clean: tuple[Path, set[str]],
                                                                 point: str) -> None:
    """The reported case: the same number of findings under new ids (an edit, retag or
    re-extract re-indexes a record), killed between the SQLite COMMIT and the vector save."""
    export, _ = clean
    home = _home_with_index(tmp_path, export)
    store = Store(home)
    record = store.load(store.ids()[0])
    store.save(record.model_copy(update={"findings": [
        f.model_copy(update={"text": f.text + " again"}) for f in record.findings]}))
    crashed = run_kb(home, "reindex", crash=point)
    assert crashed.returncode == CRASH_CODE, crashed.stderr
    state = audit(home)
    assert state.stale_index == 0, state.problems
