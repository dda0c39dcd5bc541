"""The role model for unlabelled abstracts: decoding, bounded windows, quality on the roles gold."""

from __future__ import annotations

import numpy as np
import pytest

from kb.eval.roles import model_sentence_roles, roles_gold, rule_sentence_roles, score_sentences
from kb.text import roles
from kb.text.linear import LEXICAL, ModelFile, Variant
from kb.text.roles import (
    CUES,
    MODEL_ROLES,
    OBJECTIVE_CUES,
    WINDOW,
    document_context,
    objective_flags,
    role_model,
    sentence_log_proba,
    sentence_roles,
    sequence_features,
    viterbi,
)


def test_viterbi_follows_transitions_and_masks() -> None:
    emissions = np.log(np.array([[0.6, 0.4], [0.4, 0.6], [0.6, 0.4]]))
    stay = np.log(np.array([[0.9, 0.1], [0.1, 0.9]]))
    assert viterbi(emissions, np.log([0.5, 0.5]), stay) == [0, 0, 0]
    assert viterbi(emissions, np.log([0.5, 0.5]), stay, [None, {1}, None]) == [1, 1, 1]


def test_model_file_records_where_it_came_from() -> None:
    meta = role_model().meta
    assert len(meta["training_data_sha256"]) == 64
    assert set(meta["scores"]) == {"tune", "heldout"}


@pytest.mark.xfail(strict=True, reason=(
    "known miss since issue 14 r: trained on more authors' labels (scifact-inline-labels), the model "
    "reads an aim that follows a background sentence as background (authors often end Background "
    "with their aim) and, in a five-sentence abstract, the results sentence as methods; held-out "
    "results recall rose 0.87 -> 0.91 all the same"))
def test_a_plain_abstract_reads_in_order() -> None:
    texts = ["Readmissions are a major burden for health systems.",
             "We aimed to assess whether a transitional care program reduced readmissions.",
             "We conducted a randomized trial in 12 hospitals and analyzed 30-day readmissions.",
             "Readmissions fell from 18% to 12% in the intervention arm (RR 0.67, 95% CI 0.5-0.9).",
             "Transitional care programs should be considered by hospitals."]
    assert sentence_roles(texts) == ["background", "objective", "methods", "results", "conclusions"]


def test_objective_wordings_are_flagged() -> None:
    assert sum(objective_flags("We aimed to assess whether navigation reduced readmissions.")) >= 2
    assert objective_flags("To evaluate the effect of a transitional care program.")[2] == 1.0
    assert objective_flags("Readmissions fell by 20% in the navigation arm.") == [0.0] * len(OBJECTIVE_CUES)


def test_document_context_looks_before_and_after() -> None:
    texts = ["Readmissions are a major burden.", "We aimed to assess a program.",
             "Readmissions fell by 20%.", "Programs should be funded."]
    ctx = document_context(texts)
    k = len(CUES)
    assert ctx.shape == (4, 1 + 2 * k + 2)
    assert ctx[:, 0].tolist() == [0.0, 0.0, 1.0, 1.0]  # an objective wording came before
    results = list(CUES).index("results")
    assert ctx[0, 1 + results] == 0.0 and ctx[3, 1 + results] > 0.0  # strongest results cue before
    assert ctx[0, 1 + k + results] > 0.0 and ctx[3, 1 + k + results] == 0.0  # ... and after
    assert np.allclose(ctx[:, -2], [0.0, 0.0, 0.0, 1 / 3])  # share of sentences before with a number
    assert np.allclose(ctx[:, -1], [1 / 3, 0.5, 0.0, 0.0])  # ... and after


def _with_blocks(blocks: list[str]) -> ModelFile:
    """The shipped model's vocabulary with random weights over the features of some blocks."""
    shipped = role_model()
    shell = ModelFile(meta={"feature_blocks": blocks}, vocabulary=shipped.vocabulary)
    probe = Variant(LEXICAL, (), np.zeros((0, 0)), np.zeros(0), np.zeros(0), np.zeros(0))
    width = sequence_features(shell, probe, ["x"]).shape[1]
    rng = np.random.default_rng(14)
    variant = Variant(LEXICAL, MODEL_ROLES, rng.normal(size=(len(MODEL_ROLES), width)),
                      np.zeros(len(MODEL_ROLES)), np.zeros(width), np.ones(width))
    return ModelFile(meta=shell.meta, vocabulary=shipped.vocabulary, variants={LEXICAL: variant})


@pytest.mark.parametrize("blocks", [None, [], ["objective", "context"]])
def test_windows_give_what_the_whole_sequence_gives(blocks: list[str] | None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if blocks is not None:
        monkeypatch.setattr(roles, "role_model", lambda: _with_blocks(blocks))
    # the first sentence's objective wording and the last one's number reach every window
    texts = ["We aimed to assess a program."] + [
        f"Outcome {i} improved in the program group." for i in range(WINDOW + 40)] + ["It fell by 3%."]
    model = roles.role_model()
    variant = model.variant(None)
    order = [variant.classes.index(r) for r in MODEL_ROLES]
    whole = variant.log_proba(sequence_features(model, variant, texts))[:, order]
    assert np.allclose(sentence_log_proba(texts), whole)


def test_held_out_sources_beat_the_rule_baseline() -> None:
    gold = roles_gold("heldout", sources=("plos-starter-corpus", "pubmed-export-fixtures",
                                          "academic-site-oldmeadow"))
    model = score_sentences(gold, model_sentence_roles(None)).accuracy
    rules = score_sentences(gold, rule_sentence_roles).accuracy
    assert model >= rules + 0.10 and model >= 0.75, (model, rules)  # measured 0.80 vs 0.59
