"""Finding kinds against the hand-labelled candidate sentences of tests/gold/kinds (split by
source): each gold sentence gets the kind of the extracted finding that sits in it, or `none`;
per-kind precision / recall / F1, the confusion matrix, kind accuracy and macro-F1 over kinds."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extract import lexicon as lx
from ingest.extract.effects import effect_spans
from ingest.extract.findings import FINDING_ROLES, sentence_roles
from ingest.extract.kinds import KindInput, abstract_context, abstract_position
from ingest.extract.run import extract_findings
from ingest.prose import build_abstract
from kb.eval.gold import KINDS_GOLD
from kb.eval.metrics import PRF
from kb.model.schema import FINDING_KINDS, Finding
from kb.text.sentences import split_sentences

NONE = "none"
LABELS = (*FINDING_KINDS, NONE)


@dataclass(frozen=True)
class GoldSentence:
    """One labelled candidate sentence: offsets into its abstract's text and its kinds."""

    sid: str
    start: int
    end: int
    text: str
    kind: str
    kind2: str | None


@dataclass(frozen=True)
class KindAbstract:
    """One gold abstract of the kinds set with its labelled sentences in text order."""

    id: str
    source: str
    split: str
    text: str
    sentences: tuple[GoldSentence, ...]

    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n")


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def kinds_gold(split: str, folder: Path = KINDS_GOLD) -> list[KindAbstract]:
    """The gold abstracts of a split ('tune', 'heldout', 'all') with labels_final.jsonl's kinds."""
    labels = {row["sid"]: row for row in _jsonl(folder / "labels_final.jsonl")}
    by_abstract: dict[str, list[GoldSentence]] = {}
    for row in _jsonl(folder / "sentences.jsonl"):
        lab = labels[row["sid"]]
        by_abstract.setdefault(row["abstract_id"], []).append(GoldSentence(
            row["sid"], row["start"], row["end"], row["text"], lab["kind"], lab.get("kind2")))
    out = []
    for row in _jsonl(folder / "abstracts.jsonl"):
        if split in ("all", row["split"]):
            sents = sorted(by_abstract.get(row["id"], []), key=lambda s: s.start)
            out.append(KindAbstract(row["id"], row["source"], row["split"], row["text"], tuple(sents)))
    return out


def kinds_of_sentences(abstract: KindAbstract, findings: list[Finding], texts: list[str]) -> list[str]:
    """Per gold sentence, the kind of the first finding located inside it (else `none`);
    `texts` are the findings' section texts, found in the abstract in reading order."""
    out = [NONE] * len(abstract.sentences)
    at = 0
    for finding, text in zip(findings, texts, strict=True):
        pos = abstract.text.find(text, at)
        if pos < 0:
            pos = abstract.text.find(text)
        if pos < 0:
            continue
        at = pos
        for i, sent in enumerate(abstract.sentences):
            if sent.start <= pos < sent.end and out[i] == NONE:
                out[i] = finding.kind
                break
    return out


Predictor = Callable[[KindAbstract], list[str]]


def extractor_kinds(kinds: str = "model") -> Predictor:
    """What the extractor says of each gold sentence of an abstract (`kinds`: model or rules)."""
    def run(abstract: KindAbstract) -> list[str]:
        findings = extract_findings(build_abstract(abstract.paragraphs()).sections, kinds=kinds)
        return kinds_of_sentences(abstract, findings, [f.text for f in findings])
    return run


@dataclass
class KindScores:
    """Confusion (gold, predicted) over LABELS on one split, and what follows from it."""

    confusion: Counter = field(default_factory=Counter)
    second_ok: int = 0  # kind errors where the prediction is the gold's second kind

    def add(self, gold: list[GoldSentence], predicted: list[str]) -> None:
        for g, p in zip(gold, predicted, strict=True):
            self.confusion[(g.kind, p)] += 1
            self.second_ok += g.kind != p and p == g.kind2

    def per_kind(self) -> dict[str, PRF]:
        out = {}
        for label in LABELS:
            tp = self.confusion[(label, label)]
            fp = sum(v for (g, p), v in self.confusion.items() if p == label and g != label)
            fn = sum(v for (g, p), v in self.confusion.items() if g == label and p != label)
            out[label] = PRF(tp, fp, fn)
        return out

    @property
    def findings(self) -> PRF:
        """Finding / not-a-finding at the sentence level, whatever the kind."""
        c = self.confusion
        tp = sum(v for (g, p), v in c.items() if g != NONE and p != NONE)
        fp = sum(v for (g, p), v in c.items() if g == NONE and p != NONE)
        fn = sum(v for (g, p), v in c.items() if g != NONE and p == NONE)
        return PRF(tp, fp, fn)

    @property
    def kind_accuracy(self) -> float:
        """Right kind among sentences that are findings in the gold and were extracted."""
        found = [(g, p) for (g, p), v in self.confusion.items() if g != NONE and p != NONE for _ in range(v)]
        return sum(g == p for g, p in found) / len(found) if found else 1.0

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the seven kinds (`none` not among them) present in gold or predictions."""
        per = self.per_kind()
        used = [k for k in FINDING_KINDS if per[k].tp + per[k].fp + per[k].fn]
        return sum(per[k].f1 for k in used) / len(used) if used else 1.0

    @property
    def accuracy(self) -> float:
        """All sentences, `none` included."""
        total = sum(self.confusion.values())
        return sum(v for (g, p), v in self.confusion.items() if g == p) / total if total else 1.0


def evaluate_kinds(split: str, predictor: Predictor | None = None,
                   folder: Path = KINDS_GOLD) -> KindScores:
    """Kind scores of a predictor (default: the extractor with the kind model) on a split."""
    predictor = predictor or extractor_kinds()
    scores = KindScores()
    for abstract in kinds_gold(split, folder):
        scores.add(list(abstract.sentences), predictor(abstract))
    return scores


def confusion_table(scores: KindScores) -> list[str]:
    """The confusion matrix as text rows (gold down, predicted across)."""
    short = {label: label[:5] for label in LABELS}
    head = "gold \\ pred    " + " ".join(f"{short[p]:>5}" for p in LABELS)
    rows = [head]
    for g in LABELS:
        rows.append(f"{g:<15}" + " ".join(f"{scores.confusion[(g, p)]:>5}" for p in LABELS))
    return rows


@dataclass(frozen=True)
class KindRow:
    """A gold sentence as the kind model sees it in extraction (training and scoring row):
    `candidate` says whether extraction would classify it at all (results / conclusions role)."""

    item: KindInput
    gold: GoldSentence
    candidate: bool
    source: str


def kind_rows(abstract: KindAbstract) -> list[KindRow]:
    """Every gold sentence of an abstract with the role, effects and text extraction gives it
    (sentences extraction does not see, e.g. a bare heading, are left out)."""
    sections = build_abstract(abstract.paragraphs()).sections
    lengths = [len(section.text) for section in sections]
    context = abstract_context("\n\n".join(section.text for section in sections))
    out, at = [], 0
    for index, section in enumerate(sections):
        if section.bullet:
            units = [(section.text, "results", bool(effect_spans(section.text)), 0)]
        else:
            sents = split_sentences(section.text)
            roles = sentence_roles(section, sents, len(sections))
            units = [(s.text, r, bool(effect_spans(s.text)), s.start) for s, r in zip(sents, roles, strict=True)]
        for text, role, effects, start in units:
            pos = abstract.text.find(text, at)
            gold = next((g for g in abstract.sentences if g.start <= pos < g.end), None) if pos >= 0 else None
            if gold is None:
                continue
            at = pos
            item = KindInput(text, role, section.bullet, effects, abstract_position(lengths, index, start),
                             context)
            candidate = role in FINDING_ROLES and not lx.NOT_A_FINDING.search(" ".join(text.split()))
            out.append(KindRow(item, gold, candidate, abstract.source))
    return out
