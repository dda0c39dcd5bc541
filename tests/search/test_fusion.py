"""Fusion (kb.search.fusion): reciprocal rank, and record-level fusion by scores or ranks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.search.fusion import fuse, fuse_records, score_fuse, standardised
from kb.search.tuning import Tuning


def test_standardised_has_mean_zero_and_unit_spread() -> None:
    z = standardised({1: 1.0, 2: 2.0, 3: 3.0})
    assert z[2] == pytest.approx(0.0)
    assert z[3] == pytest.approx(-z[1]) == pytest.approx(1.2247, abs=1e-4)


def test_standardised_equal_scores_are_all_zero() -> None:
    assert standardised({4: 0.7, 5: 0.7}) == {4: 0.0, 5: 0.0}
    assert standardised({}) == {}


def test_a_far_ahead_keyword_match_beats_a_slightly_closer_meaning_match() -> None:
    # record 1 is far ahead on keywords, record 2 barely ahead in meaning: ranks would tie them
    keywords = {1: 30.0, 2: 5.0, 3: 4.0, 4: 3.0}
    meaning = {2: 0.61, 1: 0.60, 3: 0.30, 4: 0.29}
    fused = score_fuse(keywords, meaning, [], keyword_share=0.5, findings_bonus=0.0)
    assert [r for r, _ in fused][:2] == [1, 2]


def test_an_item_missing_from_an_arm_takes_its_lowest_score() -> None:
    fused = dict(score_fuse({1: 2.0, 2: 1.0}, {1: 0.9, 3: 0.5}, [], keyword_share=0.5,
                            findings_bonus=0.0))
    assert fused[3] == pytest.approx(0.5 * -1.0 + 0.5 * -1.0)
    assert fused[1] == pytest.approx(1.0)


def test_findings_bonus_orders_records_found_only_through_findings() -> None:
    fused = score_fuse({}, {}, [7, 5, 7, 9], keyword_share=0.5, findings_bonus=0.2)
    assert [r for r, _ in fused] == [7, 5, 9]
    assert fused[0][1] == pytest.approx(0.2) and fused[1][1] == pytest.approx(0.1)


def test_ties_are_broken_by_the_key() -> None:
    fused = score_fuse({}, {3: 0.5, 1: 0.5, 2: 0.5}, [], keyword_share=0.5, findings_bonus=0.0,
                       key=lambda r: -r)
    assert [r for r, _ in fused] == [3, 2, 1]


@given(st.dictionaries(st.integers(0, 50), st.floats(-50, 50), max_size=30),
       st.dictionaries(st.integers(0, 50), st.floats(-1, 1), max_size=30),
       st.lists(st.integers(0, 50), max_size=20), st.floats(0, 1))
def test_every_candidate_once_best_first(keywords: dict[int, float], meaning: dict[int, float],
                                         findings: list[int], share: float) -> None:
    fused = score_fuse(keywords, meaning, findings, keyword_share=share, findings_bonus=0.2)
    items = [r for r, _ in fused]
    assert sorted(items) == sorted(set(keywords) | set(meaning) | set(findings))
    scores = [s for _, s in fused]
    assert scores == sorted(scores, reverse=True)


def test_fuse_records_by_scores_and_by_ranks() -> None:
    """Both backends rank records through fuse_records: by standardised scores (the default)
    a record far ahead on keywords leads; by reciprocal rank the arms' ranks alone count."""
    keywords, keyword_scores = [1, 2, 3], {1: 30.0, 2: 5.0, 3: 4.0}
    meaning, cosines = [2, 1, 4], {2: 0.61, 1: 0.60, 4: 0.2}
    by_scores = fuse_records([3], keywords, keyword_scores, meaning, cosines, Tuning(), key=lambda r: r)
    assert [r for r, _ in by_scores] == [1, 2, 3, 4]
    assert by_scores == score_fuse(keyword_scores, cosines, [3], keyword_share=0.5, findings_bonus=0.2,
                                   key=lambda r: r)
    by_ranks = fuse_records([3], keywords, keyword_scores, meaning, cosines, Tuning(record_fusion="rrf"),
                            key=lambda r: r)
    assert by_ranks == fuse([[3], keywords, meaning], k=60)
    assert [r for r, _ in by_ranks] == [1, 2, 3, 4]
