"""The kind of a finding, learned: a softmax over the words and word pairs of its text, the cue
phrases of `ingest.extract.lexicon` (as features, not as the decision), its section role, and whether
it carries numbers, effect sizes or an intervention contrast (comparison and change words, an
intervention word beside an effect size or a change), and where in the abstract it sits. Trained by
`benchmarks/train_models.py` on the tune split of tests/gold/kinds; the model is
`kind_model.json` (classes, vocabulary, training data hash, scores) + `kind_model.npz` (weights)
beside this file. Its classes are the seven finding kinds and `none` (not a finding): one softmax over
the eight, or two stages (finding or not, then which kind) when the file holds a FINDING_STAGE variant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.extract import lexicon as lx
from ingest.extract.study.design import design_families
from kb.text.linear import LEXICAL, ModelFile, load_model
from kb.text.prefilter import Prefiltered, lowered

MODEL_STEM = Path(__file__).with_name("kind_model")
NONE = "none"
#: the variant of a two-stage model that tells findings (class `finding`) from `none`; the
#: lexical variant then holds only the seven kinds
FINDING_STAGE = "finding-stage"
FINDING = "finding"
WINDOW = 256
#: section roles the model tells apart; any other role counts as "other"
ROLES = ("results", "conclusions")
_CUES = tuple(Prefiltered(rx) for rx in (lx.RECOMMENDATION, lx.BARRIER, lx.STRATEGY, lx.FACILITATOR,
                                         lx.OUTCOME, lx.RESULT, lx.NOT_A_FINDING))
_COMPARISON = r"\b(?:compared (?:with|to)|versus|vs\.?|than|relative to)\b"
_SHAPES = tuple(Prefiltered(re.compile(p, re.I)) for p in (
    r"\d", r"\d\s?%", r"\bp\s?[<=>]", r"\b(?:95|99|90)\s?%|\bci\b|confidence interval",
    r"(?-i:\b(?:a?[OHI]RR?|RD|MD|SMD)\b)|odds ratio|hazard ratio|relative risk",
    r"\b(?:intervention|control|placebo|usual care|arms?|randomi[sz]ed|treatment) (?:group|arm)s?\b",
    _COMPARISON,
    r"\b(?:after|before|following|pre|post)[- ](?:the )?(?:intervention|program|implementation|enrol)",
    r"\b(?:no|not) (?:significant(?:ly)?|statistically) ?(?:differ|difference|change|effect)?",
    r"\b(?:should|must|need(?:s|ed)? to|warrant|recommend)", r"\b(?:may|might|could|suggest)",
    r"\b(?:we|our)\b", r"^\W*[A-Z][^.!?]{0,80}$",
))
_SHAPE_COMPARISON = 6  # the index of _COMPARISON among _SHAPES
#: what separates an intervention `outcome` from another `result` (and interpretation from finding)
_CHANGE = Prefiltered(re.compile(
    r"\b(?:reduc|decreas|increas|improv|lower|declin|fell|rose|drop|shorten|prevent|avert|sav)\w*", re.I))
_INTERVENTION = Prefiltered(re.compile(
    r"\b(?:intervention|program(?:me)?|policy|policies|initiative|pilot|implementation|expansion|model|"
    r"treatment|therapy|trial|randomi[sz]|placebo|control|usual care|arm|group|mandate|reform|exposure|"
    r"exposed)\w*", re.I))
_EFFECT_SIZE = Prefiltered(re.compile(
    r"(?-i:\b(?:a?OR|a?HR|a?RR|IRR|RD|MD|SMD|NNT|DiD)\b)|difference-in-difference|odds|hazard", re.I))
_CONTRAST = (_CHANGE, _INTERVENTION, _EFFECT_SIZE, *(Prefiltered(re.compile(p, re.I)) for p in (
    r"\b(?:higher|lower|fewer|more|less|greater|smaller|larger|shorter|longer|better|worse)\b",
    r"\bfrom \S+ ?%? to \S+",
    r"\b(?:no|not|did not|without) (?:\w+ ){0,3}(?:differ|change|effect|improv|reduc|increas)\w*",
    r"\bassociat\w+ with\b",
    r"\b(?:prevalen|proportion|percent of|most|majority|common|frequen|median|mean|average|range)\w*",
    r"\b(?:themes?|participants|respondents|interviewees|stakeholders|staff|providers|partners|leaders) "
    r"(?:\w+ ){0,2}(?:described|reported|noted|expressed|identified|perceived|cited|mentioned|recogni[sz]ed)",
    r"\b(?:highlight|opportunit|would benefit|future|further research|policymakers|should|need|warrant|"
    r"consider|implication)\w*",
    r"\b(?:suggest|indicat|demonstrat|show|support)\w*",
    r"\b(?:effective|efficacy|effectiveness|efficacious|safe|well tolerated|tolerab)\w*",
)))


#: design families (ingest.extract.study.design) grouped into what they say about a finding's kind:
#: an abstract of a trial or program evaluation reports outcomes, a survey or cohort mostly results
DESIGN_GROUPS = {
    "interventional": {"trial", "blinding", "quasi", "did", "its", "psm"},
    "review": {"review", "meta"},
    "observational": {"cohort", "case-control", "cross-sectional", "longitudinal", "observational",
                      "ecological", "registry", "secondary", "regression", "multivariate", "survey"},
    "qualitative": {"qualitative", "content", "thematic", "grounded", "interviews", "delphi", "mixed"},
}
_PROGRAM = re.compile(r"\b(?:intervention|program(?:me)?|policy|initiative|pilot|implementation|"
                      r"randomi[sz]ed|placebo|usual care|quality improvement|double-blind|regimen|"
                      r"treated with|efficacy|\d+(?:\.\d+)? ?mg)s?\b", re.I)


def abstract_context(text: str) -> frozenset[str]:
    """What the whole abstract says about its study: the DESIGN_GROUPS it names, and `program`
    when it speaks of an intervention, program, policy or drug regimen at least twice."""
    families = design_families(text)
    named = {group for group, members in DESIGN_GROUPS.items() if families & members}
    if len(_PROGRAM.findall(text)) >= 2:
        named.add("program")
    return frozenset(named)


@dataclass(frozen=True)
class KindInput:
    """What the kind model reads of one finding candidate."""

    text: str
    role: str
    bullet: bool = False
    has_effects: bool = False
    position: float = 0.5  # share of the abstract's text before it (abstract_position)
    context: frozenset[str] = frozenset()  # abstract_context of its abstract


def abstract_position(section_lengths: list[int], section: int, start: int) -> float:
    """Where a sentence starting at `start` of section `section` sits in the abstract, 0 to 1."""
    before = sum(section_lengths[:section]) + start
    return min(max(before / max(sum(section_lengths), 1), 0.0), 1.0)


def _dense(item: KindInput) -> list[float]:
    text = " ".join(item.text.split())
    low = lowered(text)
    role = item.role if item.role in ROLES else "other"
    intervention = _INTERVENTION.test(text, low)
    pos = item.position
    contrast = (_CHANGE.test(text, low) or _EFFECT_SIZE.test(text, low)
                or _SHAPES[_SHAPE_COMPARISON].test(text, low))
    trialish = bool(item.context & {"interventional", "program"})
    return [
        *(1.0 if g in item.context else 0.0 for g in (*DESIGN_GROUPS, "program")),
        float(trialish and contrast), float(trialish and intervention and contrast),
        float("observational" in item.context and contrast and not trialish),
        *(1.0 if rx.test(text, low) else 0.0 for rx in _CUES),
        *(1.0 if rx.test(text, low) else 0.0 for rx in _SHAPES),
        *(1.0 if rx.test(text, low) else 0.0 for rx in _CONTRAST),
        float(intervention and _EFFECT_SIZE.test(text, low)),
        float(intervention and _CHANGE.test(text, low)),
        float(intervention and any(c.isdigit() for c in text)),
        *(1.0 if role == r else 0.0 for r in (*ROLES, "other")),
        float(item.bullet), float(item.has_effects), min(len(text.split()), 80) / 40.0,
        pos, pos * pos, float(pos > 0.8),
    ]


DENSE_SIZE = len(_dense(KindInput("x", "results")))


def kind_features(model: ModelFile, items: list[KindInput]) -> np.ndarray:
    """Feature rows: the n-gram bag over the model's vocabulary, then the dense features."""
    dense = np.array([_dense(i) for i in items], dtype=np.float32).reshape(len(items), DENSE_SIZE)
    return np.hstack([model.bag([i.text for i in items]), dense])


def kind_model() -> ModelFile:
    """The shipped kind model."""
    return load_model(MODEL_STEM)


def _stages(model: ModelFile, x: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """Class probabilities of feature rows: one softmax over the kinds and `none`, or, when the
    file holds a FINDING_STAGE variant, p(none) from it and p(kind) = (1 - p(none)) * p(kind |
    finding) from the kinds variant."""
    variant = model.variant(None)
    stage = model.variants.get(FINDING_STAGE)
    if stage is None:
        return variant.classes, variant.proba(x)
    p_none = stage.proba(x)[:, stage.classes.index(NONE)]
    return (*variant.classes, NONE), np.column_stack([(1.0 - p_none)[:, None] * variant.proba(x), p_none])


def kind_proba(items: list[KindInput]) -> tuple[tuple[str, ...], np.ndarray]:
    """The model's classes and, per item, the probability of each."""
    model = kind_model()
    variant = model.variant(None)
    classes = (*variant.classes, NONE) if FINDING_STAGE in model.variants else variant.classes
    proba = np.zeros((len(items), len(classes)))
    for a in range(0, len(items), WINDOW):  # bounded memory, time linear in the number of items
        proba[a:a + WINDOW] = _stages(model, kind_features(model, items[a:a + WINDOW]))[1]
    return classes, proba


def classify_kinds(items: list[KindInput]) -> list[tuple[str, float, float]]:
    """Per item: the most probable finding kind, its probability among the finding kinds, and
    the probability that the item is not a finding at all."""
    classes, proba = kind_proba(items)
    none = classes.index(NONE)
    kinds = [c for c in range(len(classes)) if c != none]
    out = []
    for row in proba:
        best = max(kinds, key=lambda c: row[c])
        rest = float(row[kinds].sum())
        out.append((classes[best], float(row[best] / rest) if rest else 0.0, float(row[none])))
    return out


def none_threshold() -> float:
    """p(none) at or above which a candidate is dropped (chosen on tune by the trainer)."""
    return float(kind_model().meta.get("none_threshold", 1.01))


__all__ = ["FINDING_STAGE", "LEXICAL", "KindInput", "abstract_context", "abstract_position", "classify_kinds", "kind_features", "kind_model", "none_threshold"]
