"""The learned finding-kind model: its file, its decisions on plain cases, determinism."""

from __future__ import annotations

import numpy as np

from ingest.extract.kinds import (
    DENSE_SIZE,
    FINDING_STAGE,
    KindInput,
    _stages,
    abstract_context,
    abstract_position,
    classify_kinds,
    kind_features,
    kind_model,
    kind_proba,
)
from ingest.extract.run import extract_findings
from kb.model.schema import FINDING_KINDS, Section
from kb.text.linear import LEXICAL, ModelFile, Variant


def test_model_file_has_the_kinds_and_its_provenance() -> None:
    model = kind_model()
    classes, proba = kind_proba([KindInput("a b", "results")])
    assert set(classes) == {*FINDING_KINDS, "none"} and len(classes) == 8
    assert abs(float(proba.sum()) - 1.0) < 1e-9
    assert len(model.meta["training_data_sha256"]) == 64
    assert {"scores_tune", "scores_heldout", "cv_tune", "none_threshold"} <= set(model.meta)
    x = kind_features(model, [KindInput("a b", "results")])
    assert x.shape == (1, len(model.vocabulary) + DENSE_SIZE)


def test_intervention_effects_are_outcomes_and_calls_to_act_recommendations() -> None:
    items = [
        KindInput("Hospital days were reduced in the intervention arm compared with usual care "
                  "(IRR 0.71, 95% CI 0.58-0.87).", "results", has_effects=True),
        KindInput("Health systems should consider funding community health worker programs.", "conclusions"),
    ]
    assert [k for k, _, _ in classify_kinds(items)] == ["outcome", "recommendation"]


def test_confidence_is_a_probability_and_deterministic() -> None:
    section = Section(role="results", label="RESULTS", text=(
        "Readmissions fell from 18% to 12% after the program (p = 0.01). "
        "Staff turnover slowed referral follow-up."))
    first = extract_findings([section])
    assert first == extract_findings([section])
    assert all(0.0 <= f.confidence <= 1.0 for f in first)
    rules = extract_findings([section], kinds="rules")
    assert [f.span for f in rules][: len(first)] and {f.kind for f in rules} <= set(FINDING_KINDS)


def test_abstract_context_names_the_design_and_a_program() -> None:
    assert abstract_context("We conducted a cross-sectional survey of 300 clinics.") == {"observational"}
    trial = abstract_context("In this randomized trial, the intervention arm received the program.")
    assert {"interventional", "program"} <= trial
    assert abstract_context("Diabetes is common.") == frozenset()


def test_abstract_position_is_the_share_of_text_before() -> None:
    assert abstract_position([100, 100], 0, 0) == 0.0
    assert abstract_position([100, 100], 1, 50) == 0.75
    assert abstract_position([], 0, 5) == 1.0


def test_the_same_effect_reads_as_outcome_in_a_trial_and_result_in_a_survey() -> None:
    text = "Referrals were more frequent among clinics with a navigator (OR 2.1, 95% CI 1.3-3.4)."
    trial = abstract_context("In this randomized controlled trial, clinics were assigned to the "
                             "navigator program or usual care.")
    survey = abstract_context("We conducted a cross-sectional survey of clinic managers.")
    kinds = [k for k, _, _ in classify_kinds([KindInput(text, "results", has_effects=True, context=trial),
                                              KindInput(text, "results", has_effects=True, context=survey)])]
    assert kinds == ["outcome", "result"]


def test_two_stages_multiply_p_finding_into_the_kinds() -> None:
    one = np.ones(2)
    stage = Variant(FINDING_STAGE, ("finding", "none"), np.array([[0.0, 0.0], [1.0, 0.0]]), np.zeros(2),
                    np.zeros(2), one)
    kinds = Variant(LEXICAL, ("barrier", "result"), np.array([[0.0, 1.0], [0.0, 0.0]]), np.zeros(2),
                    np.zeros(2), one)
    model = ModelFile(meta={}, vocabulary={}, variants={LEXICAL: kinds, FINDING_STAGE: stage})
    classes, proba = _stages(model, np.array([[2.0, 0.0], [0.0, 3.0]]))
    assert classes == ("barrier", "result", "none")
    p_none = 1 / (1 + np.exp(-2.0))  # the first row: sigmoid(2); its kinds are even
    assert np.allclose(proba[0], [(1 - p_none) / 2, (1 - p_none) / 2, p_none])
    p_barrier = 1 / (1 + np.exp(-3.0))  # the second row: p(none) = 0.5
    assert np.allclose(proba[1], [0.5 * p_barrier, 0.5 * (1 - p_barrier), 0.5])
