"""Search relevance metrics and judging (pure), and the evaluation on the shipped records."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kb.eval.search import (
    Judgment,
    Query,
    evaluate,
    format_table,
    grade_of,
    load_queries,
    query_metrics,
)
from kb.search.index import Index
from kb.search.types import FindingHit


def _query(*grades: int) -> Query:
    return Query(id="q", query="x", lang="en", split="tune",
                 relevant=[Judgment(record=f"r{i}", finding=f"finding {i}", grade=g)
                           for i, g in enumerate(grades)])


def test_metrics_of_a_ranked_list() -> None:
    query = _query(2, 1)
    recall, rr, ndcg = query_metrics([0, 2, 0, 1, 0], query)
    assert recall == 1.0 and rr == 0.5
    ideal = 3 / math.log2(2) + 1 / math.log2(3)
    assert ndcg == pytest.approx((3 / math.log2(3) + 1 / math.log2(5)) / ideal)
    assert query_metrics([], query) == (0.0, 0.0, 0.0)
    assert query_metrics([2, 1], query)[2] == pytest.approx(1.0)


def test_recall_at_5_is_capped_at_five_relevant() -> None:
    many = _query(*([1] * 8))
    assert query_metrics([1, 1, 1, 1, 1, 0, 0], many)[0] == 1.0


def test_grade_of_matches_record_and_text() -> None:
    query = _query(2)
    hit = FindingHit(record_id="r0", finding_id="f", kind="result", text="finding  0", section=0,
                     span=(0, 9), score=1.0)
    assert grade_of(hit, query) == 2
    assert grade_of(hit.model_copy(update={"record_id": "r9"}), query) == 0
    assert grade_of(hit.model_copy(update={"text": "something else"}), query) == 0


def test_queries_file_loads() -> None:
    queries = load_queries()
    assert len(queries.queries) >= 36


def test_evaluate_on_shipped_records(shipped_copy: Path) -> None:
    shipped = {"chuang-2025-collaboration-strategies", "improve-integration-health",
               "john-snow-discussion-paper", "safaeinili-2025-assess-multi-level"}
    queries = [q for q in load_queries().queries if {j.record for j in q.relevant} <= shipped]
    scores = evaluate(Index.open(shipped_copy, multilingual=False), queries)
    by = {(s.mode, s.group): s for s in scores}
    assert by[("hybrid", "all")].n == len(queries) >= 10
    for mode in ("dense", "lexical", "hybrid"):
        s = by[(mode, "all")]
        assert 0.0 <= s.recall_at_5 <= 1.0 and 0.0 <= s.mrr <= 1.0
    # the keyword arm does not depend on the (fake) embedder: hold it to its measured level
    assert by[("lexical", "all")].recall_at_5 >= 0.55 and by[("lexical", "all")].mrr >= 0.85
    assert "hybrid" in format_table(scores)


@pytest.mark.model
def test_hybrid_beats_each_arm_with_the_real_model(shipped_copy: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_EMBEDDER", "model")
    shipped = {"chuang-2025-collaboration-strategies", "improve-integration-health",
               "john-snow-discussion-paper", "safaeinili-2025-assess-multi-level"}
    queries = [q for q in load_queries().queries if {j.record for j in q.relevant} <= shipped]
    by = {(s.mode, s.group): s for s in evaluate(Index.open(shipped_copy), queries)}
    hybrid = by[("hybrid", "all")]
    for arm in ("dense", "lexical"):
        assert hybrid.ndcg_at_10 >= by[(arm, "all")].ndcg_at_10, arm
    assert hybrid.recall_at_5 >= 0.6
