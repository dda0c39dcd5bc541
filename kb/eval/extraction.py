"""Measure extraction against the hand-written gold in tests/gold/findings: findings (fuzzy
text ≥ 90 and kind), effects, themes — per split (tune / heldout)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from ingest.extract.run import extract_findings
from ingest.extract.themes import tag_themes
from ingest.prose import build_abstract
from ingest.sniff import choose_parser
from kb.embed import Embedder
from kb.eval.gold import FINDINGS_GOLD, SEEDS_DIR, findings_gold
from kb.eval.metrics import PRF
from kb.model.schema import Finding, Section
from kb.model.taxonomy import Taxonomy

MATCH_THRESHOLD = 90.0


@dataclass
class FindingScores:
    """Extraction quality on one split."""

    files: int = 0
    findings: PRF = field(default_factory=PRF)
    kind_correct: int = 0
    kind_total: int = 0
    effects: PRF = field(default_factory=PRF)
    themes: PRF = field(default_factory=PRF)

    @property
    def kind_accuracy(self) -> float:
        return self.kind_correct / self.kind_total if self.kind_total else 1.0


def gold_sections(gold: dict) -> list[Section] | None:
    """Sections to extract from: the parsed seed file, else the gold abstract's paragraphs."""
    seed = gold["source"].get("seed")
    if seed:
        path = SEEDS_DIR / seed
        if not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
        return choose_parser(text).parse(text, source=seed)[0].abstract
    return build_abstract(gold["abstract"].split("\n\n")).sections


def match(predicted: list[Finding], gold: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (predicted index, gold index) with text similarity ≥ 90."""
    scored = sorted(((fuzz.ratio(p.text, g["text"]), i, j) for i, p in enumerate(predicted)
                     for j, g in enumerate(gold)), reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for score, i, j in scored:
        if score < MATCH_THRESHOLD:
            break
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _effect_key(e: dict) -> tuple:
    return tuple(None if e.get(k) is None else round(float(e[k]), 4)
                 for k in ("value", "value_high", "ci_low", "ci_high"))


def _score_file(scores: FindingScores, predicted: list[Finding], gold: list[dict],
                themes: list[list[str]] | None) -> None:
    pairs = match(predicted, gold)
    scores.findings.add(len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs))
    for i, j in pairs:
        scores.kind_total += 1
        scores.kind_correct += predicted[i].kind == gold[j]["kind"]
        mine = {_effect_key(e.model_dump()) for e in predicted[i].effects}
        theirs = {_effect_key(e) for e in gold[j]["effects"]}
        scores.effects.add(len(mine & theirs), len(mine - theirs), len(theirs - mine))
        if themes is not None and "themes" in gold[j]:
            got, want = set(themes[i]), set(gold[j]["themes"])
            scores.themes.add(len(got & want), len(got - want), len(want - got))


def evaluate_findings(split: str, taxonomy: Taxonomy | None = None,
                      embedder: Embedder | None = None, gold_dir: Path = FINDINGS_GOLD) -> FindingScores:
    """Scores of the extractor on a split (themes only when a taxonomy is given)."""
    scores = FindingScores()
    for _, gold in findings_gold(split, gold_dir):
        sections = gold_sections(gold)
        if sections is None:
            continue
        predicted = extract_findings(sections)
        themes = (tag_themes([f.text for f in predicted], taxonomy, embedder)
                  if taxonomy is not None else None)
        scores.files += 1
        _score_file(scores, predicted, gold["findings"], themes)
    return scores
