"""Hybrid search over the shipped records (fake embedder): fusion, expansion, Chinese, filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.search.hybrid import fuse, rank_records, search
from kb.search.index import Index
from kb.search.types import SearchFilters, SearchResponse
from tests.search.conftest import shipped_index

CHUANG = "chuang-2025-collaboration-strategies"
SAFAEINILI = "safaeinili-2025-assess-multi-level"
SNOW = "john-snow-discussion-paper"
SSO = "improve-integration-health"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    return shipped_index(tmp_path_factory, "search")


def test_fuse_reciprocal_rank() -> None:
    fused = fuse([[1, 2, 3], [3, 1]], k=60)
    assert [i for i, _ in fused] == [1, 3, 2]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)
    assert [i for i, _ in fuse([[5], [6]], key=lambda i: -i)] == [6, 5]  # tie → key


def test_finds_braided_funding_first(index: Index) -> None:
    response = search(index, "braided funds")
    top = response.hits()[0]
    assert (top.record_id, top.text) == (CHUANG, "used braided funds")
    assert [top.text[s:e] for s, e in top.highlights] == ["braided", "funds"]
    assert top.lexical_rank == 1 and "braided" in top.why()


def test_results_grouped_by_record(index: Index) -> None:
    query = "pilots sustainability funding leadership"
    response = search(index, query, k=12)
    ids = [g.record_id for g in response.groups]
    assert len(ids) == len(set(ids))
    # the groups are the best records (all four shipped ones), in record order by strength band
    assert sorted(ids) == sorted(rank_records(index, query, k=12))
    matched = [h for h in response.hits() if h.matched]
    assert matched and all(n <= 12 for n in _matched_per_record(response))
    assert [h.score for h in matched] == sorted((h.score for h in matched), reverse=True)
    for group in response.groups:
        assert all(h.record_id == group.record_id for h in group.hits)
        keys = [(-h.strength, -h.score) for h in group.hits if h.matched]
        assert keys == sorted(keys)  # each record's strong findings first, best first
    # records in the order of their fused record score within a strength band
    for band in {g.strength for g in response.groups}:
        scores = [g.score for g in response.groups if g.strength == band]
        assert scores == sorted(scores, reverse=True)


def _matched_per_record(response: SearchResponse) -> list[int]:
    return [sum(1 for h in g.hits if h.matched) for g in response.groups]


def test_acronym_expansion_both_ways(index: Index) -> None:
    wpc = search(index, "WPC sustainability", mode="lexical")
    assert any(e.startswith("WPC → Whole Person Care") for e in wpc.expansions)
    spelled = search(index, "whole person care sustainability", mode="lexical")
    assert "Whole Person Care → WPC" in spelled.expansions
    assert spelled.hits()[0].record_id == SAFAEINILI  # its findings say "WPC", not the words
    sso = search(index, "social services organizations contracted", mode="lexical")
    assert sso.hits()[0].record_id == SSO


def test_chinese_query_reaches_english_finding(index: Index) -> None:
    response = search(index, "数据共享")
    top = response.hits()[0]
    assert top.text == "Data sharing is necessary but not sufficient for systems alignment"
    assert [top.translation_zh[s:e] for s, e in top.highlights_zh] == ["数据共享"]
    assert search(index, "农村地区").hits()[0].themes.count("rural") == 1


@pytest.mark.parametrize("filters, check", [
    (SearchFilters(kinds=["barrier"]), lambda h, g: h.kind == "barrier"),
    (SearchFilters(kinds=["facilitator", "strategy"]), lambda h, g: h.kind in ("facilitator", "strategy")),
    (SearchFilters(themes=["financial-flexibility"]), lambda h, g: "financial-flexibility" in h.themes),
    (SearchFilters(year_to=2024), lambda h, g: False),  # no dated record before 2025
    (SearchFilters(year_from=2025, year_to=2025), lambda h, g: g.year == 2025),
    (SearchFilters(languages=["zh"]), lambda h, g: g.record_id in (CHUANG, SAFAEINILI)),
    (SearchFilters(resource_types=["discussion-paper"]), lambda h, g: g.record_id == SNOW),
    (SearchFilters(designs=["Qualitative"]), lambda h, g: g.record_id in (CHUANG, SAFAEINILI)),
    (SearchFilters(populations=["SSO"]), lambda h, g: g.record_id == SSO),
    (SearchFilters(record_ids=[SNOW]), lambda h, g: g.record_id == SNOW),
])
def test_filters_narrow_results(index: Index, filters: SearchFilters, check) -> None:
    response = search(index, "funding partners pilots care integration", filters=filters, k=30)
    unfiltered = search(index, "funding partners pilots care integration", k=30)
    assert response.total_hits < unfiltered.total_hits
    for group in response.groups:
        for hit in group.hits:
            assert check(hit, group), (hit.record_id, hit.kind, hit.themes)


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown finding kind 'obstacle'"):
        SearchFilters(kinds=["obstacle"])


def test_find_the_paper_by_author(index: Index) -> None:
    response = search(index, "the paper by Chuang")
    assert response.record_matches[0].record_id == CHUANG
    assert response.record_matches[0].matched == "author"
    assert search(index, "braided funds").record_matches == []


@pytest.mark.parametrize("query", ["", "   ", "!!!", '"', "*", "NEAR(", "text:", "a AND OR NOT",
                                   '"unbalanced', "x" * 100_000, "barriers " * 20_000, "\x00\x01"])
def test_odd_queries_never_fail(index: Index, query: str) -> None:
    response = search(index, query)
    assert response.took_ms >= 0
    if not query.strip(" !\"*\x00\x01"):
        assert response.notice and not response.groups


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_any_text_is_a_safe_query(index: Index, query: str) -> None:
    response = search(index, query, k=5)
    for hit in response.hits():
        assert all(0 <= s < e <= len(hit.text) for s, e in hit.highlights)


def test_search_does_not_import_streamlit_or_click() -> None:
    import subprocess
    import sys

    code = ("import sys, kb.search.hybrid, kb.search.index; "
            "assert 'streamlit' not in sys.modules and 'click' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_modes(index: Index) -> None:
    lexical = search(index, "braided funds", mode="lexical")
    dense = search(index, "braided funds", mode="dense")
    assert all(h.dense_rank is None for h in lexical.hits())
    assert all(h.lexical_rank is None for h in dense.hits())
    assert dense.hits()[0].similarity is not None


def test_find_a_half_remembered_title(index: Index) -> None:
    response = search(index, "collaboration strategies bridging behavioral health and social services")
    assert response.record_matches[0].record_id == CHUANG
    assert response.record_matches[0].matched == "title"


@pytest.mark.model
def test_multilingual_space_reaches_untranslated_findings(shipped_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A Chinese query finds an English finding that has no Chinese translation."""
    monkeypatch.setenv("KB_EMBEDDER", "model")
    index = Index.open(shipped_copy)
    assert index.multilingual is not None
    response = search(index, "政治意愿", k=5)  # political will
    top = response.hits()[0]
    assert top.record_id == SNOW and top.text.startswith("Political will plays a pivotal role")
    assert top.translation_zh == "" and top.similarity_multilingual is not None
    assert top.similarity_multilingual >= 0.30 and "in meaning across languages" in top.why()


def test_an_enumerated_item_found_through_its_sentence_says_so(index: Index) -> None:
    response = search(index, "braided funds", k=10, mode="lexical")
    item = next(h for h in response.hits() if h.text == "leveraged WPC to support broader systems change")
    assert item.matched_terms == [] and item.context_terms == ["braided", "funds"]
    assert item.why() == "words in its sentence or title: braided, funds"
    assert item.similarity is None  # the meaning arm did not rank it


def test_the_count_of_findings_shown_counts_matched_ones_only(index: Index) -> None:
    response = search(index, "braided funding", k=10)
    matched = [h for h in response.hits() if h.matched]
    assert response.matched_shown() == len(matched) <= response.total_hits
    assert len(response.hits()) >= response.matched_shown()


@pytest.mark.parametrize("query", ["care coordination staff", "braided funds"])
def test_the_looser_keyword_query_is_skipped_only_when_it_cannot_count(index: Index,
                                                                        query: str) -> None:
    from kb.search.hybrid import index_vocabulary
    from kb.search.keyword import english_hits
    from kb.search.lexical import query_terms

    vocab, terms = index_vocabulary(index), query_terms(query)
    full = sorted(english_hits(vocab, terms, [], None, enough=10**6), key=lambda fs: (fs[1], fs[0]))
    skipped = 0
    for enough in (1, 2, 5, 50):
        cut = sorted(english_hits(vocab, terms, [], None, enough=enough), key=lambda fs: (fs[1], fs[0]))
        assert cut[:enough] == full[:enough]
        skipped += len(cut) < len(full)
    assert skipped  # the strict query filled a shallow ranking at least once
