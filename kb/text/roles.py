"""Section roles of unlabelled text, sentence by sentence: a linear model over the words of each
sentence, role cue phrases of it and its neighbours, position, objective wordings of it and its
neighbours, what the rest of the abstract holds (the strongest cue of each role before and after it)
and (when the embedder it was trained with is in use) sentence vectors, decoded over the whole
abstract in role order (background → objective → methods → results → conclusions; a step back costs).

Trained by `benchmarks/train_models.py` on the tune sources of tests/gold/roles (labels stripped);
the model is `role_model.json` + `role_model.npz` beside this file. The cue phrases below are
features, not the decision; `cue_role_scores` is also what the rule baseline used.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from kb.text.linear import ModelFile, Variant, load_model
from kb.text.prefilter import Prefiltered, lowered

MODEL_STEM = Path(__file__).with_name("role_model")
#: the roles the model tells apart (setting and design come only from authors' labels)
MODEL_ROLES = ("background", "objective", "methods", "results", "conclusions")

CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "background": (
        (r"^(?:despite|although|while|given)\b", 1.0), (r"\blittle is known\b", 2.0),
        (r"\b(?:is|are) (?:a|an|the) (?:leading|major|common|growing|key)\b", 1.5),
        (r"\bhas been\b|\bhave been\b|\bincreasing(?:ly)?\b|\bgrowing\b", 0.5),
    ),
    "objective": (
        (r"^to [a-z]+\b", 3.0), (r"\b(?:we|this study|this paper|the study) (?:aim|aimed|sought|seek)", 2.5),
        (r"\b(?:objective|aim|purpose) (?:of|was|is)\b", 2.5), (r"^we (?:examine|assess|explore)", 1.5),
    ),
    "setting": (
        (r"\bwas an? [\w\s,\-]{0,60}(?:intervention|program|programme|initiative|pilot)\b", 2.0),
        (r"\bdata (?:included|sources?)\b", 2.0), (r"\b(?:implemented|served|enrolled)\b", 1.0),
        (r"\b(?:counties|hospitals|clinics|sites|states|pilots)\b", 0.5),
        (r"\bsetting\b|\bconducted in\b", 1.0),
    ),
    "design": (
        (r"\b(?:qualitative|quantitative|mixed[- ]methods?|cross-sectional|cohort|randomi[sz]ed|"
         r"case[- ]control|retrospective|prospective|longitudinal) (?:study|design|analysis|trial)\b", 1.5),
        (r"\bstudy design\b|\bevaluation\b", 1.0),
    ),
    "methods": (
        (r"\bdata (?:were|was) (?:collected|obtained|drawn|extracted)\b", 2.0),
        (r"\bwe (?:used|analy[sz]ed|conducted|interviewed|surveyed|coded|estimated)\b", 1.5),
        (r"\b(?:interviews?|surveys?|regression|thematic|coded|measured|questionnaire)\b", 0.7),
        (r"\bbased on (?:\w+ )?(?:interviews|surveys|data|focus groups|a review)\b", 1.5),
        (r"\banaly[sz]e[sd]?\b", 0.7), (r"\b(?:was|were) used to\b", 1.5),
        (r"\b(?:scale|subscale|inventory|checklist|questionnaire)s?\b", 1.0),
    ),
    "results": (
        (r"\b\d+(?:\.\d+)?\s?%|(?-i:\b(?:a?OR|RR|HR|CI)\b)|\bp\s?[<=]", 1.5),
        (r"\b(?:identified|found|reported|were associated|was associated|increased|decreased|"
         r"improved|reduced|included|compared (?:to|with)|significantly)\b", 1.0),
        (r"\b(?:indicated|showed|revealed|demonstrated|exhibited|yielded|produced|effect sizes?)\b", 1.0),
        (r"^(?:of|among|across|overall|in total)\b", 0.8),
    ),
    "conclusions": (
        (r"\b(?:suggests?|conclude|implications?|necessary|needed|should|must|demonstrate|"
         r"these (?:findings|results)|our (?:findings|results|study|analysis))\b", 1.5),
        (r"\b(?:may|could|can) (?:help|inform|support|be)\b", 0.7),
    ),
}
_COMPILED = {role: [(Prefiltered(re.compile(p, re.I)), w) for p, w in cues] for role, cues in CUES.items()}
_SHAPES = tuple(Prefiltered(re.compile(p, re.I)) for p in (
    r"\d", r"\d\s?%", r"\bp\s?[<=>]|\bp-?value", r"\bci\b|confidence interval", r"\bn\s?=\s?\d",
    r"\bwe\b", r"\b(?:will|would)\b", r"\b(?:may|might|could|can)\b", r"\b(?:should|must|need)",
    r"\b(?:is|are)\b", r"\b(?:was|were)\b", r"\b\w+ed\b", r"\?$", r"^\(?\d+\)?$",
    r"\b(?:versus|vs\.?|compared)\b", r"\b(?:randomi[sz]ed|allocated|assigned)\b",
))


#: wordings of an objective sentence (issue 14: held-out objective recall was the weakest role),
#: used as features of a sentence and of its neighbours; chosen by cross-source CV on tune
OBJECTIVE_CUES = tuple(Prefiltered(re.compile(p, re.I)) for p in (
    r"\b(?:we|this study|this paper|the study|this review|this trial|the present study|this analysis)\s+"
    r"(?:aim|aimed|aims|sought|seek|seeks|intend|intended|set out|attempt|attempted)\b",
    r"\b(?:the|our|main|primary|principal)\s+(?:aim|purpose|objective|goal)s?\s+(?:of|was|were|is|are)\b",
    r"^(?:to|in order to)\s+(?:assess|evaluate|determine|examine|investigate|compare|describe|explore|"
    r"identify|estimate|test|measure|quantify|characteri[sz]e|develop|analy[sz]e|understand)\b",
    r"\b(?:we|this study|this paper|this review|the present study)\s+(?:assess|assessed|evaluate|evaluated|"
    r"examine|examined|investigate|investigated|explore|explored|compare|compared|describe|described|"
    r"report|hypothesi[sz]ed|test|tested)\b",
    r"\bwas (?:to|designed to)\s+(?:assess|evaluate|determine|examine|investigate|compare|describe|explore|"
    r"identify|estimate|test)\b",
    r"\b(?:hypothesi[sz]e|hypothesis)\b",
    r"\b(?:whether|the (?:effect|impact|efficacy|effectiveness) of)\b",
))
_DIGIT = re.compile(r"\d")


def objective_flags(text: str) -> list[float]:
    """Which of OBJECTIVE_CUES the start of a text (400 characters) matches, as 0/1."""
    head = text[:400]
    low = lowered(head)
    return [1.0 if rx.test(head, low) else 0.0 for rx in OBJECTIVE_CUES]


def document_context(texts: list[str]) -> np.ndarray:
    """What the rest of the abstract says, per sentence: whether an objective wording came before;
    per role of CUES, the strongest cue among the sentences before and among those after; the share
    of the sentences before and of those after that hold a number. Computed over the whole
    sequence (a window of it would see less)."""
    n = len(texts)
    objective = np.array([max(objective_flags(t), default=0.0) for t in texts], np.float32)
    cues = np.array([cue_role_scores(t) for t in texts], np.float32).reshape(n, len(CUES))
    digits = np.array([1.0 if _DIGIT.search(t) else 0.0 for t in texts], np.float32)
    seen = np.zeros(n, np.float32)
    before, after = np.zeros_like(cues), np.zeros_like(cues)
    for i in range(1, n):
        seen[i] = max(seen[i - 1], objective[i - 1])
        before[i] = np.maximum(before[i - 1], cues[i - 1])
    for i in range(n - 2, -1, -1):
        after[i] = np.maximum(after[i + 1], cues[i + 1])
    csum = np.concatenate([[0.0], np.cumsum(digits)])
    idx = np.arange(n)
    share_before = np.where(idx > 0, csum[idx] / np.maximum(idx, 1), 0.0)
    rest = n - idx - 1
    share_after = np.where(rest > 0, (csum[n] - csum[idx + 1]) / np.maximum(rest, 1), 0.0)
    return np.hstack([seen[:, None], before, after, share_before[:, None], share_after[:, None]]
                     ).astype(np.float32)


CONTEXT_SIZE = 1 + 2 * len(CUES) + 2


def cue_role_scores(text: str) -> list[float]:
    """How strongly a text's wording suggests each role of CUES, in CUES order."""
    head = text[:600]
    low = lowered(head)
    return [sum(w for rx, w in _COMPILED[role] if rx.test(head, low)) for role in CUES]


def _own_features(text: str) -> list[float]:
    cues = cue_role_scores(text)
    words = len(text.split())
    low = lowered(text)
    return [*cues, *(1.0 if rx.test(text, low) else 0.0 for rx in _SHAPES), math.log1p(words)]


OWN_SIZE = len(_own_features("x"))
N_POSITION = 9


def _position(i: int, n: int, para_start: bool, trailing: int) -> list[float]:
    total = n + trailing
    rel = i / (total - 1) if total > 1 else 0.0
    return [rel, rel * rel, float(i == 0), float(i == 1), float(i == total - 1), float(i == total - 2),
            float(para_start), math.log1p(total), 1.0 / total]


def sequence_features(model: ModelFile, variant: Variant, texts: list[str],
                      paragraph_starts: list[bool] | None = None, vectors: np.ndarray | None = None,
                      *, trailing: int = 0, offset: int = 0, total: int | None = None,
                      context: np.ndarray | None = None) -> np.ndarray:
    """The feature matrix of a run of sentences for one variant of the role model: own words, cues
    and shape; the previous and next sentence's cues and shape; position; if the model file asks for
    them, objective wordings of the sentence and its neighbours and the document context; vectors if used. The run may be a window
    texts[offset:offset+len] of a longer sequence of `total` sentences (its first and last rows then
    serve only as neighbours of the others); `context` is then document_context of the whole
    sequence, sliced like the window."""
    n = len(texts)
    total = n if total is None else total
    starts = paragraph_starts or [offset + i == 0 for i in range(n)]
    bag = model.bag(texts)
    own = np.array([_own_features(t) for t in texts], dtype=np.float32).reshape(n, OWN_SIZE)
    pad_own = np.zeros((1, OWN_SIZE), np.float32)
    prev_own, next_own = np.vstack([pad_own, own[:-1]]), np.vstack([own[1:], pad_own])
    position = np.array([_position(offset + i, total, starts[i], trailing) for i in range(n)], np.float32)
    # neighbours by their cues and shape only: their words made the model copy its neighbour's role
    blocks = [bag, own, prev_own, next_own, position.reshape(n, N_POSITION)]
    extra = feature_blocks(model)
    if "objective" in extra:
        flags = np.array([objective_flags(t) for t in texts], np.float32).reshape(n, len(OBJECTIVE_CUES))
        pad_flags = np.zeros((1, len(OBJECTIVE_CUES)), np.float32)
        blocks += [flags, np.vstack([pad_flags, flags[:-1]]), np.vstack([flags[1:], pad_flags])]
    if "context" in extra:
        ctx = document_context(texts) if context is None else context
        blocks.append(ctx.reshape(n, CONTEXT_SIZE))
    if variant.uses_vectors:
        if vectors is None:
            raise ValueError("this role model variant needs sentence vectors")
        pad = np.zeros((1, vectors.shape[1]), np.float32)
        blocks += [vectors, np.vstack([pad, vectors[:-1]]), np.vstack([vectors[1:], pad])]
    return np.hstack(blocks)


def feature_blocks(model: ModelFile) -> frozenset[str]:
    """The optional feature blocks a model file was trained with ("objective", "context"),
    as its JSON records them; the fixed blocks are always there."""
    return frozenset(model.meta.get("feature_blocks", ()))


def role_model() -> ModelFile:
    """The shipped role model."""
    return load_model(MODEL_STEM)


#: decoding cost of stepping back to an earlier role (chosen by cross-source CV on tune: 4 beat
#: 0.5 / 1 / 2 and a transition matrix learned on tune, which counts the context twice since the
#: emissions already see the neighbours, the position and the document context)
BACKWARD_PENALTY = 4.0


def _order_steps(backward: float) -> np.ndarray:
    order = np.arange(len(MODEL_ROLES))
    return np.where(order[None, :] >= order[:, None], 0.0, -backward)


def viterbi(emissions: np.ndarray, start: np.ndarray, step: np.ndarray,
            allowed: list[set[int] | None] | None = None) -> list[int]:
    """Best class path for per-item log scores (items × classes) and log transition scores;
    `allowed[i]` restricts item i to some classes (e.g. a labelled paragraph)."""
    n, k = emissions.shape
    if n == 0:
        return []
    mask = np.zeros((n, k))
    for i, keep in enumerate(allowed or [None] * n):
        if keep is not None:
            mask[i] = [0.0 if c in keep else -1e9 for c in range(k)]
    score = start + emissions[0] + mask[0]
    back = np.zeros((n, k), dtype=np.int64)
    for i in range(1, n):
        cand = score[:, None] + step  # previous × next
        back[i] = cand.argmax(axis=0)
        score = cand.max(axis=0) + emissions[i] + mask[i]
    path = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


#: sentences scored per window, so memory stays bounded and time linear in the text's length
WINDOW = 256


def sentence_log_proba(texts: list[str], paragraph_starts: list[bool] | None = None,
                       vectors: np.ndarray | None = None, model_id: str | None = None,
                       *, trailing: int = 0) -> np.ndarray:
    """Per sentence, the log probability of each of MODEL_ROLES (before decoding)."""
    model = role_model()
    variant = model.variant(model_id if vectors is not None else None)
    n = len(texts)
    starts = paragraph_starts or [i == 0 for i in range(n)]
    order = [variant.classes.index(r) for r in MODEL_ROLES]
    out = np.zeros((n, len(MODEL_ROLES)))
    context = document_context(texts) if "context" in feature_blocks(model) else None
    for a in range(0, n, WINDOW):
        b = min(n, a + WINDOW)
        lo, hi = max(0, a - 1), min(n, b + 1)
        x = sequence_features(model, variant, texts[lo:hi], starts[lo:hi],
                              None if vectors is None else vectors[lo:hi],
                              trailing=trailing, offset=lo, total=n,
                              context=None if context is None else context[lo:hi])
        out[a:b] = variant.log_proba(x)[a - lo:a - lo + (b - a)][:, order]
    return out


def sentence_roles(texts: list[str], paragraph_starts: list[bool] | None = None,
                   vectors: np.ndarray | None = None, model_id: str | None = None) -> list[str]:
    """A role per sentence of an unlabelled abstract, read as one sequence."""
    if not texts:
        return []
    emissions = sentence_log_proba(texts, paragraph_starts, vectors, model_id)
    start = np.zeros(len(MODEL_ROLES))
    return [MODEL_ROLES[c] for c in viterbi(emissions, start, _order_steps(BACKWARD_PENALTY))]


def paragraph_roles(paragraphs: list[list[str]], fixed: list[str | None], *,
                    trailing: int = 0) -> list[str]:
    """A role per paragraph (each a list of sentences): the sentence model's mean log
    probabilities per paragraph, decoded in abstract order; a fixed role (from a label) stays."""
    texts = [s for para in paragraphs for s in para]
    if not texts:
        return [f or "other" for f in fixed]
    starts = [j == 0 for para in paragraphs for j in range(len(para))]
    logp = sentence_log_proba(texts, starts, trailing=trailing)
    rows, at = [], 0
    for para in paragraphs:
        rows.append(logp[at:at + len(para)].mean(axis=0) if para else np.zeros(len(MODEL_ROLES)))
        at += len(para)
    emissions = np.vstack(rows)
    start = np.zeros(len(MODEL_ROLES))
    # paragraphs, unlike sentences, rarely go back to an earlier role or repeat one
    para_step = _order_steps(8.0) + np.where(np.eye(len(MODEL_ROLES)) > 0, -0.3, 0.0)
    allowed = [None if f is None else {MODEL_ROLES.index(_MODEL_ROLE.get(f, f))}
               if _MODEL_ROLE.get(f, f) in MODEL_ROLES else None for f in fixed]
    path = viterbi(emissions, start, para_step, allowed)
    return [f if f is not None else MODEL_ROLES[c] for f, c in zip(fixed, path, strict=True)]


_MODEL_ROLE = {"setting": "methods", "design": "methods"}
