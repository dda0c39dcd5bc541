"""The role model for unlabelled abstracts: decoding, bounded windows, quality on the roles gold."""

from __future__ import annotations

import numpy as np

from kb.eval.roles import model_sentence_roles, roles_gold, rule_sentence_roles, score_sentences
from kb.text.roles import (
    MODEL_ROLES,
    WINDOW,
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


def test_a_plain_abstract_reads_in_order() -> None:
    texts = ["Readmissions are a major burden for health systems.",
             "We aimed to assess whether a transitional care program reduced readmissions.",
             "We conducted a randomized trial in 12 hospitals and analyzed 30-day readmissions.",
             "Readmissions fell from 18% to 12% in the intervention arm (RR 0.67, 95% CI 0.5-0.9).",
             "Transitional care programs should be considered by hospitals."]
    assert sentence_roles(texts) == ["background", "objective", "methods", "results", "conclusions"]


def test_windows_give_what_the_whole_sequence_gives() -> None:
    texts = [f"Outcome {i} improved by {i}% in the program group." for i in range(WINDOW + 40)]
    model = role_model()
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
