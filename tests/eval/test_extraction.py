"""Helpers for scoring extraction on the seed gold only."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from kb.eval.extraction import evaluate_findings
from kb.eval.gold import FINDINGS_GOLD as GOLD_DIR
from tests.conftest import SEEDS


def seed_scores():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present beside the repository")
    with tempfile.TemporaryDirectory() as tmp:
        for path in GOLD_DIR.glob("seed_*.json"):
            (Path(tmp) / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        assert len(list(Path(tmp).glob("*.json"))) == 5
        return evaluate_findings("tune", gold_dir=Path(tmp))


def test_seed_003_effects_are_all_exact() -> None:
    from ingest.extract.run import extract_findings
    from kb.eval.extraction import gold_sections, match

    gold = json.loads((GOLD_DIR / "seed_003.json").read_text(encoding="utf-8"))
    sections = gold_sections(gold)
    if sections is None:
        pytest.skip("../shared/seeds is not present beside the repository")
    predicted = extract_findings(sections)
    pairs = match(predicted, gold["findings"])
    assert len(pairs) == len(gold["findings"])
    keys = ("measure", "value", "value_high", "ci_low", "ci_high", "ci_level", "subgroup")
    for i, j in pairs:
        got = [{k: getattr(e, k) for k in keys} for e in predicted[i].effects]
        want = [{k: e[k] for k in keys} for e in gold["findings"][j]["effects"]]
        assert got == want, predicted[i].text
