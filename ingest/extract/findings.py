"""Findings: verbatim spans of results/conclusions sentences and summary bullets, split into
enumeration items and coordinated actions, each with a kind (strategy, barrier, …)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract import lexicon as lx
from kb.model.schema import Section
from kb.text.prefilter import Prefiltered, lowered
from kb.text.roles import sentence_roles as model_sentence_roles
from kb.text.sentences import Sentence

FINDING_ROLES = ("results", "conclusions")
_ENUM_MARK = re.compile(r"\((?:\d{1,2}|[a-h]|i{1,3}|iv|v|vi{0,3})\)\s*|(?<![\w(.,])\d{1,2}\)\s+")
_TRIM_END = re.compile(r"(?:[\s;,.:]|\band\b|\bor\b)+$")
_PAST = re.compile(r"\b(?:(?P<adv>[a-z]+ly)\s+)?(?P<verb>[a-z]{2,}ed|%s)\b" % "|".join(
    sorted(lx.PAST_VERB_EXCEPTIONS)))
_OUTCOME_VERBS = frozenset("reduced improved increased decreased lowered raised declined".split())
#: the cue lexicon with literal prefilters (kb.text.prefilter), in the order the rules try it
_KIND_CUES = tuple((kind, Prefiltered(rx)) for kind, rx in (
    ("recommendation", lx.RECOMMENDATION), ("barrier", lx.BARRIER), ("strategy", lx.STRATEGY),
    ("facilitator", lx.FACILITATOR)))
_OUTCOME, _RESULT, _NOT_A_FINDING = (Prefiltered(rx) for rx in (lx.OUTCOME, lx.RESULT, lx.NOT_A_FINDING))
_ENUM_INTRO_KIND = tuple((Prefiltered(rx), kind) for rx, kind in lx.ENUM_INTRO_KIND)


@dataclass(frozen=True)
class Candidate:
    """A finding before it becomes a schema Finding: where it is and what kind it is."""

    section: int
    role: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    kind: str
    confidence: float
    fixed: bool = False  # the kind comes from the list's structure ("Barriers were: (1) …")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = _TRIM_END.search(text, start, end)
    if m and m.end() == end:
        end = m.start()
    while start < end and text[start] in " ;,:":
        start += 1
    return start, end


def enumeration_items(text: str) -> list[tuple[int, int]]:
    """Item spans of '(1) …; (2) …' or 'intro: A; B; C' lists, else []."""
    marks = list(_ENUM_MARK.finditer(text))
    if len(marks) >= 2:
        bounds = [m.end() for m in marks] + [len(text)]
        starts = [m.start() for m in marks[1:]] + [len(text)]
        return [_trim(text, s, e) for s, e in zip(bounds, starts, strict=False)]
    colon = text.find(": ")
    if colon > 0 and text.count(";", colon) >= 2:
        parts, pos = [], colon + 2
        for piece in text[colon + 2:].split(";"):
            parts.append(_trim(text, pos, pos + len(piece)))
            pos += len(piece) + 1
        return [(s, e) for s, e in parts if e - s > 2]
    return []


def _verb_at_start(segment: str) -> bool:
    m = _PAST.match(segment)
    return bool(m) and m.group("verb") not in _OUTCOME_VERBS


def action_items(text: str) -> list[tuple[int, int]]:
    """Spans of coordinated actions: '… engaged partners …, used braided funds, and leveraged …'."""
    cuts = [(m.start(), m.end()) for m in re.finditer(r",\s+(?:and\s+)?", text)]
    segments = []
    pos = 0
    for cut_start, cut_end in cuts + [(len(text), len(text))]:
        segments.append((pos, cut_start))
        pos = cut_end
    run = [i for i in range(1, len(segments)) if _verb_at_start(text[segments[i][0]:segments[i][1]])]
    if len(run) < 2 or run != list(range(run[0], run[-1] + 1)) or run[-1] != len(segments) - 1:
        return []
    first_start, first_end = segments[run[0] - 1]
    verbs = [m for m in _PAST.finditer(text, first_start, first_end) if m.group("verb") not in _OUTCOME_VERBS]
    if not verbs:
        return []
    items = [(verbs[-1].start(), first_end)] + [segments[i] for i in run]
    return [_trim(text, s, e) for s, e in items]


def classify(text: str, role: str, *, bullet: bool = False, has_effects: bool = False,
             default: str | None = None) -> tuple[str, float]:
    """The rule baseline's kind of a finding and a confidence, from cue phrases, effects and
    section role (the learned model, ingest.extract.kinds, decides in extraction)."""
    text = " ".join(text.split())  # no-break and thin spaces read as plain spaces
    low = lowered(text)
    for kind, rx in _KIND_CUES:
        if rx.test(text, low):
            return kind, 0.7
    if default:
        return default, 0.6
    if has_effects:
        return "result", 0.8
    if _OUTCOME.test(text, low) and not _RESULT.test(text, low):
        return "outcome", 0.6
    if role == "results" and not bullet and _RESULT.test(text, low):
        return "result", 0.6
    if role == "conclusions" or bullet:
        return ("outcome", 0.5) if _OUTCOME.test(text, low) else ("conclusion", 0.5)
    return "result", 0.5


def _intro_kind(intro: str) -> str | None:
    low = lowered(intro)
    return next((kind for rx, kind in _ENUM_INTRO_KIND if rx.test(intro, low)), None)


def sentence_roles(section: Section, sentences: list[Sentence], n_sections: int) -> list[str]:
    """Per-sentence roles: the section's, or the role model's (kb.text.roles) when one unlabelled
    block holds the abstract."""
    if section.label or section.bullet or n_sections > 2 or len(sentences) < 3:
        return [section.role] * len(sentences)
    return model_sentence_roles([s.text for s in sentences])


def sentence_candidates(index: int, role: str, text: str, sentence: Sentence,
                        effect_starts: list[int], bullet: bool = False) -> list[Candidate]:
    """Findings of one sentence: one per enumeration item or action, else the sentence."""
    s, e = _trim(text, sentence.start, sentence.end)
    flat = " ".join(text[s:e].split())
    if _NOT_A_FINDING.test(flat, lowered(flat)):
        return []
    local = text[s:e]
    items = enumeration_items(local)
    default = _intro_kind(local[: items[0][0]]) if items else None
    if not items:
        items = action_items(local)
        default = "strategy" if items else None
    spans = [(s + a, s + b) for a, b in items] or [(s, e)]
    out = []
    for a, b in spans:
        has_effects = any(a <= x < b for x in effect_starts)
        kind, conf = classify(text[a:b], role, bullet=bullet, has_effects=has_effects, default=default)
        out.append(Candidate(index, role, a, b, s, e, kind, conf, fixed=default is not None))
    return out
