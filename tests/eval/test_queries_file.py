"""Shape checks of the hand-judged search query set (tests/data/queries.json), without the corpus."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest

from kb.eval.search import QUERIES_FILE, load_queries

LANGS = {"en", "zh"}
SPLITS = {"tune", "heldout"}
TAGS = {"theme", "acronym", "chinese", "paraphrase", "keyword", "broad", "narrow"}
CJK = re.compile(r"[\u4e00-\u9fff]")
#: No word boundaries: in Chinese text the acronym runs straight into the hanzi ("WPC试点").
ACRONYM = re.compile(r"WPC|SSO|CalAIM|PCHH|SDOH|BH")


@pytest.fixture(scope="module")
def queries() -> list[dict[str, Any]]:
    raw = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    assert raw["version"] == 1 and raw["corpus"]
    return raw["queries"]


def test_loads_with_the_evaluation_models() -> None:
    assert len(load_queries().queries) >= 36


def test_ids_unique_and_enough_queries(queries: list[dict[str, Any]]) -> None:
    ids = [q["id"] for q in queries]
    assert len(ids) >= 36
    assert len(set(ids)) == len(ids)
    assert len({q["query"].strip().lower() for q in queries}) == len(queries)


def test_fields_are_valid(queries: list[dict[str, Any]]) -> None:
    for q in queries:
        assert q["lang"] in LANGS, q["id"]
        assert q["split"] in SPLITS, q["id"]
        assert q["tags"] and set(q["tags"]) <= TAGS, q["id"]
        assert q["query"].strip(), q["id"]


def test_every_query_has_a_direct_answer_and_clean_judgments(queries: list[dict[str, Any]]) -> None:
    for q in queries:
        grades = [j["grade"] for j in q["relevant"]]
        assert 2 in grades, f"{q['id']} has no grade-2 finding"
        assert set(grades) <= {1, 2}, q["id"]
        pairs = [(j["record"], j["finding"]) for j in q["relevant"]]
        assert len(set(pairs)) == len(pairs), f"{q['id']} judges a finding twice"
        assert all(r.strip() and f.strip() for r, f in pairs), q["id"]


def test_language_matches_text_and_chinese_tag(queries: list[dict[str, Any]]) -> None:
    for q in queries:
        has_cjk = bool(CJK.search(q["query"]))
        assert has_cjk == (q["lang"] == "zh"), q["id"]
        assert ("chinese" in q["tags"]) == (q["lang"] == "zh"), q["id"]


def test_acronym_queries_use_an_acronym(queries: list[dict[str, Any]]) -> None:
    for q in queries:
        if "acronym" in q["tags"]:
            assert ACRONYM.search(q["query"]), q["id"]


def test_minimum_mix(queries: list[dict[str, Any]]) -> None:
    assert sum(q["lang"] == "zh" for q in queries) >= 6
    assert sum("acronym" in q["tags"] for q in queries) >= 5
    tags = Counter(t for q in queries for t in q["tags"])
    assert all(tags[t] > 0 for t in TAGS), tags


def test_splits_are_balanced(queries: list[dict[str, Any]]) -> None:
    def split_counts(group: list[dict[str, Any]]) -> tuple[int, int]:
        c = Counter(q["split"] for q in group)
        return c["tune"], c["heldout"]

    tune, held = split_counts(queries)
    assert abs(tune - held) <= 2
    for tag in ("chinese", "acronym"):
        tune, held = split_counts([q for q in queries if tag in q["tags"]])
        assert abs(tune - held) <= 1, tag


def test_file_keeps_chinese_unescaped() -> None:
    text = QUERIES_FILE.read_text(encoding="utf-8")
    assert CJK.search(text) and "\\u" not in text
