"""Sentence segmentation: abbreviations, CIs, CJK, and agreement with pysbd."""

from __future__ import annotations

import json

import pysbd
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.text.sentences import split_sentences
from tests.conftest import GOLD


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_abbreviations_and_numbers_do_not_split() -> None:
    text = ("Lower rates of prior contracting (e.g. pilot participation) mattered. "
            "Odds were higher (OR 6.4, 95% CI 2.5-16.4), i.e. much higher. See Health Serv Res 60 Suppl 3. "
            "Smith J. et al. agreed.")
    assert _texts(text) == [
        "Lower rates of prior contracting (e.g. pilot participation) mattered.",
        "Odds were higher (OR 6.4, 95% CI 2.5-16.4), i.e. much higher.",
        "See Health Serv Res 60 Suppl 3.", "Smith J. et al. agreed."]


def test_spans_point_into_the_text() -> None:
    text = "  First one. Second one!  "
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_chinese_full_stops() -> None:
    assert _texts("试点采用了多种策略。网络分析确定了10个试点。") == ["试点采用了多种策略。", "网络分析确定了10个试点。"]


def test_agrees_with_pysbd_on_gold_abstracts() -> None:
    seg = pysbd.Segmenter(language="en", clean=False)
    agree = total = 0
    for path in sorted((GOLD / "findings").glob("*.json")):
        for para in json.loads(path.read_text(encoding="utf-8"))["abstract"].split("\n\n"):
            if "•" in para:
                continue
            total += 1
            agree += _texts(para) == [s.strip() for s in seg.segment(para) if s.strip()]
    assert agree / total >= 0.9, (agree, total)


def test_a_megabyte_is_split_whole() -> None:
    unit = "The program improved outcomes (OR 1.2, 95% CI 1.0-1.4). "
    text = (unit * 18000)[:1_000_000]
    sentences = split_sentences(text)
    assert len(sentences) == -(-len(text) // len(unit))  # every copy, the cut last one too
    assert all(text[s.start:s.end] == s.text for s in sentences[:100])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_never_crashes_and_spans_are_exact(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text
