"""Finding and effect rows: source labels, what an effect is about, strength, provenance."""

from __future__ import annotations

from kb.model.schema import Author, Effect, Finding, Record, Section
from kb.synthesis.evidence import (
    RATIO_MEASURES,
    effect_context,
    effect_rows,
    finding_ref,
    source_label,
)
from tests.golden import frozen


def _effect(text: str, **kw) -> Effect:
    return Effect(measure="OR", value=1.5, text=text, **kw)


def test_source_label_falls_back_from_authors_to_title_to_a_marked_stand_in_never_the_id() -> None:
    assert source_label(frozen("chuang-2025-collaboration-strategies")) == "Chuang et al., 2025"
    assert source_label(frozen("john-snow-discussion-paper")) == "John Snow, Inc., n.d."
    titled = Record(id="t", title="A fairly long report title about whole person care pilots",
                    year=2019)
    assert source_label(titled) == "A fairly long report title about whole…, 2019"
    assert source_label(Record(id="bare-id")) == "[no title] no text, n.d."
    one = Record(id="o", authors=[Author(family="Lee", given="Ann")], year=2020)
    assert source_label(one) == "Lee, 2020"


def test_effect_context_is_the_subgroup_or_the_words_before_it() -> None:
    text = "Participation was positively associated with pilot participation (OR 6.4, 95% CI 2.5-16.4)"
    assert effect_context(text, _effect("OR 6.4, 95% CI 2.5-16.4")) == "pilot participation"
    assert effect_context(text, _effect("OR 6.4", subgroup="Manager")) == "Manager"
    assert effect_context(text, _effect("OR 9.9")) == ""          # not found in the text
    assert effect_context("OR 2 at start", _effect("OR 2")) == ""
    # No link word close enough: the last six words.
    long = "one two three four five six seven eight OR 2"
    assert effect_context(long, _effect("OR 2")) == "three four five six seven eight"


def test_effect_rows_filter_measures_and_keep_order() -> None:
    rows = effect_rows(frozen("improve-integration-health"))
    assert [r.effect.measure for r in rows] == ["percent"] + ["OR"] * 7
    ratios = effect_rows(frozen("improve-integration-health"), RATIO_MEASURES)
    assert len(ratios) == 7 and ratios[3].is_range and not ratios[0].is_range
    assert effect_rows(Record(id="none")) == []


def test_strength_and_provenance() -> None:
    text = "OR 2 (95% CI 1-4)"
    record = Record(id="r", abstract=[Section(role="results", label="RESULTS", text=text)])
    with_ci = Finding(id="f0-0", kind="conclusion", text=text, section=0, span=(0, len(text)),
                      effects=[_effect(text, ci_low=1, ci_high=4)])
    result = Finding(id="f0-1", kind="result", text="x", section=0, span=(0, 1), confidence=0.9)
    a, b = finding_ref(record, with_ci), finding_ref(record, result)
    assert a.strength() > b.strength()
    assert a.provenance() == "r, section 0 (RESULTS), characters 0–17"
    orphan = Finding(id="f9-0", kind="result", text="x", section=9, span=(0, 1))
    assert finding_ref(record, orphan).section_label == "UNKNOWN"
