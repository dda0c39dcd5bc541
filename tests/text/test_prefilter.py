"""Regex prefilters: the literals they require, and that they never hide a match."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.text.prefilter import Prefiltered, alternatives_of, lowered, needs_of
from kb.text.sentences import split_sentences
from tests.conftest import GOLD


def test_needs_are_what_every_match_contains() -> None:
    assert needs_of(re.compile(r"\bscoping review\b", re.I)) == (("scoping review",),)
    assert needs_of(re.compile(r"\b(?:is|are) (?:a|an|the) (?:leading|major)\b")) == (
        ("are", "is"), ("leading", "major"), ("a", "an", "the"))
    # a sequence requires all of its parts; a branch one of its alternatives
    assert needs_of(re.compile(r"(\d+) in the (?:\w+ )?(?:group|arm)")) == (
        (" in the ",), ("arm", "group"))
    assert needs_of(re.compile(r"(?-i:\bDelphi\b)", re.I)) == (("delphi",),)
    assert needs_of(re.compile(r"(?:19|20)\d{2}")) == (("19", "20"),)


def test_nothing_known_means_no_prefilter() -> None:
    for pattern in (r"\d+", r"(?:abc)?x?", r"a|\d", r"[A-Z][a-z]+"):
        assert needs_of(re.compile(pattern)) == ()
        assert Prefiltered(re.compile(pattern)).may_match("")


def test_a_text_without_the_literals_is_skipped_and_one_with_them_is_searched() -> None:
    rx = Prefiltered(re.compile(r"\bfocus groups?\b", re.I))
    assert not rx.may_match(lowered("We interviewed staff."))
    assert rx.search("Two FOCUS GROUPS met.", lowered("Two FOCUS GROUPS met.")) is not None
    assert list(rx.finditer("none here", lowered("none here"))) == []


def test_case_folding_lookalikes_turn_prefilters_off() -> None:
    rx = Prefiltered(re.compile(r"survey", re.I))
    for text in ("ſurvey", "SURVEY \u212a", "İ survey", "ı"):  # re.I matches what lower() does not
        assert lowered(text) is None
        assert rx.may_match(lowered(text))
    assert rx.search("ſurvey", lowered("ſurvey")) is not None  # the regex itself decides


_PATTERNS = [re.compile(p, f) for p, f in (
    (r"\bcluster[- ]randomi[sz]ed\b[\w\s,\-]{0,30}?\btrials?\b", re.I),
    (r"\b(?:identified|found|were associated|was associated)\b", re.I),
    (r"\b\d+(?:\.\d+)?\s?%|(?-i:\b(?:a?OR|RR|HR|CI)\b)|\bp\s?[<=]", re.I),
    (r"(?<!non-)(?<!non)\brandomi[sz]ed\b|\brandomly (?:assigned|allocated)\b", re.I),
    (r"(?P<n>\d+)\s*(?:/|\s+per\s+)(?P<unit>group|arm|site)\b", 0),
    (r"^to [a-z]+\b", re.I),
)]
_WORDS = ["cluster", "randomized", "Randomised", "trial", "trials", "identified", "FOUND", "was",
          "associated", "OR", "or", "p", "<", "=", "%", "12", "non-", "randomly", "assigned",
          "per", "group", "/", "site", "to", "To", "ſ", "İ", "\u212a", ",", "-", " ", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=4)), max_size=30),
       st.sampled_from(_PATTERNS))
def test_prefiltered_search_equals_the_regex(parts: list[str], rx: re.Pattern[str]) -> None:
    text = " ".join(parts)
    gated = Prefiltered(rx)
    found = gated.search(text, lowered(text))
    plain = rx.search(text)
    assert (found and found.span()) == (plain and plain.span())
    assert [m.span() for m in gated.finditer(text, lowered(text))] == [m.span() for m in rx.finditer(text)]


def test_an_alternation_without_literals_is_tested_alternative_by_alternative() -> None:
    rx = Prefiltered(re.compile(r"^\d+ were included|\bmedian follow-up\b|\d{4}", re.I))
    assert rx.needs == () and len(rx.parts) == 3
    assert [p.needs for p in rx.parts[:2]] == [((" were included",),), (("median follow-up",),)]
    for text in ("12 were included.", "The MEDIAN follow-up was long", "in 2020", "none", "a 12 were included"):
        assert rx.test(text, lowered(text)) == bool(rx.regex.search(text)), text
    assert [p.pattern for p in alternatives_of(re.compile(r"a[|\]]b|c(d|e)|\|f|[]|]x"))] == [
        r"a[|\]]b", "c(d|e)", r"\|f", "[]|]x"]
    assert alternatives_of(re.compile(r"(?i)a|b")) == []  # a global flag would stay with 'a' alone


def test_project_prefilters_never_hide_a_match_on_gold_abstracts() -> None:
    from ingest.extract import findings, kinds
    from ingest.extract.study import periods, samples
    from ingest.extract.study.design import _DESIGN_COMPILED
    from kb.text.roles import _COMPILED, _SHAPES

    gated = [rx for _, rx, _, _ in _DESIGN_COMPILED] + [rx for cues in _COMPILED.values() for rx, _ in cues]
    gated += [*_SHAPES, *kinds._CUES, *kinds._SHAPES, *kinds._CONTRAST, *(rx for _, rx in findings._KIND_CUES),
              findings._NOT_A_FINDING, findings._RESULT, findings._OUTCOME, *(rx for rx, _ in periods._PERIOD_COMPILED),
              samples._N_EQUALS_P, samples._N_OF_M_P, samples._IN_GROUP_P, samples._PER_GROUP_P, samples._COMPOUND_P]
    gated += [part for rx in list(gated) for part in rx.parts]
    texts = [s.text for path in sorted((GOLD / "findings").glob("*.json"))
             for s in split_sentences(json.loads(path.read_text(encoding="utf-8"))["abstract"])]
    assert len(texts) > 200
    hits = 0
    for rx in gated:
        for text in texts:
            if rx.regex.search(text):
                hits += 1
                assert rx.may_match(lowered(text)), (rx.regex.pattern, text)
            assert rx.test(text, lowered(text)) == bool(rx.regex.search(text))
    assert hits > 100
