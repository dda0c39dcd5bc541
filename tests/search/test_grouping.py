"""Search groups ranked by their best hit, strong hits first inside a group: hand-built groups,
then a real index over the shipped records (fake embedder, so the keyword arm decides)."""

from __future__ import annotations

import pytest

from kb.search.grouping import strong_first
from kb.search.hybrid import search
from kb.search.index import Index
from kb.search.types import FindingHit, RecordGroup
from tests.search.conftest import shipped_index


def _hit(fid: str, score: float, *, terms: tuple[str, ...] = (), context: tuple[str, ...] = (),
         similarity: float | None = None) -> FindingHit:
    return FindingHit(record_id="r", finding_id=fid, kind="result", text=fid, section=0,
                      span=(0, 1), score=score, similarity=similarity,
                      matched_terms=list(terms), context_terms=list(context))


def _group(rid: str, hits: list[FindingHit]) -> RecordGroup:
    return RecordGroup(record_id=rid, title=rid, authors="", year=None, venue=None,
                       resource_type=None, citation=rid, score=hits[0].score, hits=hits)


def test_hit_strength_in_three_bands() -> None:
    assert _hit("a", 1, terms=("funds",)).strength == 2
    assert _hit("a", 1, similarity=0.50).strength == 2
    assert _hit("a", 1, similarity=0.35).strength == 1
    assert _hit("a", 1, context=("funds",), similarity=0.12).strength == 0


def test_weak_title_only_hits_never_rank_above_strong_hits_of_the_next_record() -> None:
    title_only = _group("first", [_hit("t1", 0.05, context=("braided",)),
                                  _hit("t2", 0.04, context=("braided",))])
    mixed = _group("second", [_hit("w", 0.045, context=("funds",)),
                              _hit("s", 0.04, terms=("funds",))])
    strong = _group("third", [_hit("x", 0.03, similarity=0.61)])
    ordered = strong_first([title_only, mixed, strong])
    assert [g.record_id for g in ordered] == ["second", "third", "first"]
    assert [h.finding_id for h in ordered[0].hits] == ["s", "w"]   # strong first in a group
    assert [h.finding_id for h in ordered[2].hits] == ["t1", "t2"]  # ties keep fused order


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    return shipped_index(tmp_path_factory, "grouping")


# In fused order these three put a weak hit above a strong one of the same record.
@pytest.mark.parametrize("query, mode", [("rural pilots sustainability", "lexical"),
                                         ("social services integration", "lexical"),
                                         ("data sharing barriers", "hybrid"),
                                         ("braided funding", "hybrid")])
def test_real_groups_rank_by_best_hit_and_show_strong_hits_first(index: Index, query: str,
                                                                  mode: str) -> None:
    groups = search(index, query, k=10, mode=mode).groups  # type: ignore[arg-type]
    assert groups
    strengths = [g.strength for g in groups]
    assert strengths == sorted(strengths, reverse=True)
    for group in groups:
        inside = [h.strength for h in group.hits]
        assert inside == sorted(inside, reverse=True), (group.record_id, inside)


def test_braided_funding_shows_the_finding_that_says_it_before_title_matches(index: Index) -> None:
    groups = search(index, "braided funding", k=10, mode="lexical").groups
    chuang = next(g for g in groups if g.record_id == "chuang-2025-collaboration-strategies")
    assert chuang.hits[0].text == "used braided funds"
    assert chuang.hits[0].matched_terms == ["braided", "funds"]
    weak = [h for h in chuang.hits if h.strength == 0]
    assert weak and all(not h.matched_terms and h.context_terms for h in weak)


def test_a_record_found_through_a_strong_context_sentence_is_not_weak() -> None:
    from kb.search.types import ContextHit

    weak_hits = _group("methods", [_hit("m", 0.01, similarity=0.12)])
    weak_hits.context = [ContextHit(text="we measured braided funding", section=1, span=(0, 5),
                                    matched_terms=["braided"])]
    title_only = _group("title", [_hit("t", 0.05, context=("braided",))])
    assert weak_hits.strength == 2 and title_only.strength == 0
    assert [g.record_id for g in strong_first([title_only, weak_hits])] == ["methods", "title"]
