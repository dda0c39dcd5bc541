"""Section roles of abstracts whose labels were stripped, against the authors' own labels in
tests/gold/roles (split by source): sentence accuracy when the abstract is one paragraph,
section accuracy when its paragraph breaks are kept — the role model beside the rule baseline."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.embed import Embedder
from kb.eval.gold import ROLE_SOURCES_V1, ROLE_SPLITS, ROLES_GOLD
from kb.text.roles import MODEL_ROLES, paragraph_roles, sentence_roles
from kb.text.sections import Labelled, infer_roles
from kb.text.sentences import split_sentences

_FIVE = {"setting": "methods", "design": "methods", "other": "background"}


@dataclass(frozen=True)
class RoleAbstract:
    """One gold abstract: its sections (role, text) and their sentences with the section's role."""

    id: str
    source: str
    split: str
    sections: tuple[tuple[str, str], ...]
    sentences: tuple[str, ...]
    roles: tuple[str, ...]
    paragraph_starts: tuple[bool, ...]
    #: per sentence, whether its section's label named two roles (its role is then NLM's choice)
    mixed: tuple[bool, ...] = ()


def _abstract(row: dict, split: str) -> RoleAbstract:
    sections, sentences, roles, starts, mixed = [], [], [], [], []
    for sec in row["sections"]:
        parts = [s.text for s in split_sentences(sec["text"])] or [sec["text"]]
        sections.append((sec["role"], sec["text"]))
        sentences += parts
        roles += [sec["role"]] * len(parts)
        starts += [i == 0 for i in range(len(parts))]
        mixed += [bool(sec.get("mixed"))] * len(parts)
    return RoleAbstract(row["id"], row["source"], split, tuple(sections), tuple(sentences),
                        tuple(roles), tuple(starts), tuple(mixed))


def roles_gold(split: str, folder: Path = ROLES_GOLD, *, sources: tuple[str, ...] | None = None
               ) -> list[RoleAbstract]:
    """Gold abstracts of a split ('tune', 'heldout', 'all'), optionally of some sources only."""
    out = []
    for source, where in sorted(ROLE_SPLITS.items()):
        if split not in ("all", where) or (sources is not None and source not in sources):
            continue
        with gzip.open(folder / f"{source}.jsonl.gz", "rt", encoding="utf-8") as handle:
            out += [_abstract(json.loads(line), where) for line in handle if line.strip()]
    return out


@dataclass
class RoleScores:
    """Accuracy and confusion (gold role -> predicted role counts) on one split."""

    correct: int = 0
    total: int = 0
    confusion: Counter = field(default_factory=Counter)

    def add(self, gold: list[str], predicted: list[str]) -> None:
        for g, p in zip(gold, predicted, strict=True):
            g, p = _FIVE.get(g, g), _FIVE.get(p, p)
            self.total += 1
            self.correct += g == p
            self.confusion[(g, p)] += 1

    def merge(self, other: RoleScores) -> None:
        self.correct += other.correct
        self.total += other.total
        self.confusion.update(other.confusion)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def per_role(self) -> dict[str, tuple[float, float, float]]:
        """Precision, recall, F1 per role."""
        out = {}
        for role in MODEL_ROLES:
            tp = self.confusion[(role, role)]
            fp = sum(v for (g, p), v in self.confusion.items() if p == role and g != role)
            fn = sum(v for (g, p), v in self.confusion.items() if g == role and p != role)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            out[role] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        return out


SentenceRoler = Callable[[RoleAbstract], list[str]]


def rule_sentence_roles(abstract: RoleAbstract) -> list[str]:
    """The rule baseline on a one-paragraph abstract: cue phrases and position per sentence."""
    return infer_roles([Labelled(None, None, s) for s in abstract.sentences])


def model_sentence_roles(embedder: Embedder | None) -> SentenceRoler:
    """The role model on a one-paragraph abstract (with sentence vectors when given)."""
    def run(abstract: RoleAbstract) -> list[str]:
        texts = list(abstract.sentences)
        vectors = embedder.encode(texts) if embedder is not None else None
        return sentence_roles(texts, None, vectors, embedder.model_id if embedder else None)
    return run


def score_sentences(abstracts: list[RoleAbstract], roler: SentenceRoler) -> RoleScores:
    """Sentence accuracy with all of each abstract run together as one paragraph."""
    scores = RoleScores()
    for abstract in abstracts:
        scores.add(list(abstract.roles), roler(abstract))
    return scores


def score_paragraphs(abstracts: list[RoleAbstract], *, rules: bool = False) -> RoleScores:
    """Section accuracy with paragraph breaks kept and labels stripped: the rules of
    kb.text.sections (what sections use) or the sentence model averaged per paragraph."""
    scores = RoleScores()
    for abstract in abstracts:
        texts = [text for _, text in abstract.sections]
        if rules:
            predicted = infer_roles([Labelled(None, None, t) for t in texts])
        else:
            sentences = [[s.text for s in split_sentences(t)] or [t] for t in texts]
            predicted = paragraph_roles(sentences, [None] * len(texts))
        scores.add([role for role, _ in abstract.sections], predicted)
    return scores


def roles_report() -> str:
    """Per split: sentence accuracy of the role model and the rule baseline on one-paragraph
    abstracts, section accuracy with paragraph breaks kept, the model's per-role P / R / F1, and
    the model's sentence accuracy per source (and over the first version's sources alone)."""
    lines = ["section roles vs tests/gold/roles (labels stripped; 5 roles)", ""]
    for split in ("tune", "heldout"):
        gold = roles_gold(split)
        by_source: dict[str, RoleScores] = {}
        for source in sorted({a.source for a in gold}):
            by_source[source] = score_sentences([a for a in gold if a.source == source],
                                                model_sentence_roles(None))
        model, first = RoleScores(), RoleScores()
        for source, scores in by_source.items():
            model.merge(scores)
            if source in ROLE_SOURCES_V1:
                first.merge(scores)
        rules = score_sentences(gold, rule_sentence_roles)
        lines += [f"[{split}] {len(gold)} abstracts, {model.total} sentences",
                  f"  sentences  model {model.accuracy:.3f}   rules {rules.accuracy:.3f}"
                  f"   (first-version sources only: model {first.accuracy:.3f})",
                  f"  sections   model {score_paragraphs(gold).accuracy:.3f}   "
                  f"rules {score_paragraphs(gold, rules=True).accuracy:.3f}"]
        for role, (p, r, f) in model.per_role().items():
            lines.append(f"    {role:<12} P {p:.2f}  R {r:.2f}  F1 {f:.2f}")
        lines.append("  by source: " + ", ".join(f"{source} {scores.accuracy:.3f}"
                                                 for source, scores in by_source.items()))
        lines.append("")
    return "\n".join(lines)
