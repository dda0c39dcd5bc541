"""The record-level arms of search on both backends: a record is ranked by its findings, its
whole text's keywords and its best sentence's meaning together, so a record without findings
(or whose findings do not match) is found through its other text, on a folder and on
PostgreSQL alike; filters keep records without a passing finding out (fake embedder)."""

from __future__ import annotations

import pytest

from kb.model.schema import Finding, Record, Section
from kb.ops.migrate import migrate
from kb.search.backend import open_search_index
from kb.search.types import SearchFilters, SearchResponse
from kb.store import RecordStore, Store
from tests.conftest import ROOT

BRAIDED = "county-2024-braided-funding"
BRAIDED_SENTENCE = ("Counties that braided Medicaid and housing funds sustained navigation programmes longer "
                    "than counties relying on grants alone.")
FERRY = "ortiz-2023-island-clinics"
FERRY_METHODS = "We interviewed ferry captains about dialysis transport schedules."
FERRY_FINDING = "Attendance at island clinics rose after the timetable change."


def _records() -> list[Record]:
    braided = Record(id=BRAIDED, title="Braided funding for housing navigation in county health systems",
                     year=2024, abstract=[Section(role="setting", text=BRAIDED_SENTENCE)])
    ferry = Record(id=FERRY, title="Island clinic access", year=2023, abstract=[
        Section(role="methods", text=FERRY_METHODS), Section(role="results", text=FERRY_FINDING)],
        findings=[Finding(id="f1", kind="outcome", text=FERRY_FINDING, section=1, role="results",
                          span=(0, len(FERRY_FINDING)))])
    return [braided, ferry]


@pytest.fixture
def loaded(backend_store: RecordStore, tmp_path) -> RecordStore:
    """The backend under test holding the shipped records and the two records above."""
    migrate(Store(ROOT), backend_store)
    for record in _records():
        backend_store.insert(record)
    return backend_store


def _search(store: RecordStore, query: str, **kw) -> SearchResponse:
    index = open_search_index(store)
    try:
        return index.search(query, **kw)
    finally:
        index.close()


def test_a_record_without_findings_is_found_by_its_words(loaded: RecordStore) -> None:
    response = _search(loaded, "braided funding", k=10)
    top = response.groups[0]
    assert top.record_id == BRAIDED and top.hits == []
    assert [c.text for c in top.context] == [BRAIDED_SENTENCE]
    # the record with the finding that says it is still found, with that finding matched
    chuang = next(g for g in response.groups if g.record_id == "chuang-2025-collaboration-strategies")
    assert any(h.matched and "braided" in h.text for h in chuang.hits)


def test_a_record_is_found_by_the_meaning_of_a_methods_sentence(loaded: RecordStore) -> None:
    response = _search(loaded, "ferry captains dialysis transport", k=10, mode="dense")
    group = next(g for g in response.groups if g.record_id == FERRY)
    assert [c.text for c in group.context] == [FERRY_METHODS]
    assert group.context[0].similarity is not None and group.context[0].similarity > 0.5
    # it answers with its own finding closest to the query, marked as not matched itself
    assert [(h.text, h.matched) for h in group.hits] == [(FERRY_FINDING, False)]


def test_filters_keep_records_without_a_passing_finding_out(loaded: RecordStore) -> None:
    strategies = _search(loaded, "braided funding", k=30, filters=SearchFilters(kinds=["strategy"]))
    assert strategies.groups and BRAIDED not in [g.record_id for g in strategies.groups]
    assert all(h.kind == "strategy" for g in strategies.groups for h in g.hits)
    only = _search(loaded, "braided funding", k=10, filters=SearchFilters(record_ids=[BRAIDED]))
    assert only.groups == []
    outcomes = _search(loaded, "ferry captains dialysis transport", k=10, mode="dense",
                       filters=SearchFilters(kinds=["outcome"]))
    assert FERRY in [g.record_id for g in outcomes.groups]


def test_keyword_only_search_ranks_records_by_their_whole_text(loaded: RecordStore) -> None:
    response = _search(loaded, "dialysis transport schedules", k=5, mode="lexical")
    assert response.groups[0].record_id == FERRY
    assert [c.text for c in response.groups[0].context] == [FERRY_METHODS]
