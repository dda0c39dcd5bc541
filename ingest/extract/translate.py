"""Give each finding its counterpart in a translation: the aligned sentence of the aligned
section, or the whole section when sentences cannot be matched."""

from __future__ import annotations

import re

from kb.model.schema import Finding, Section
from kb.text.sentences import split_sentences

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def aligned_translation(abstract: list[Section], translated: list[Section], index: int
                        ) -> Section | None:
    """The translated section aligned to abstract[index]: the same position when both have as
    many sections, else the same rank among the sections of the same role."""
    if len(translated) == len(abstract):
        return translated[index]
    role = abstract[index].role
    rank = sum(1 for s in abstract[:index] if s.role == role)
    same = [t for t in translated if t.role == role]
    return same[rank] if rank < len(same) else None


def _best_sentence(source: list[str], target: list[str], i: int) -> int | None:
    if len(source) == len(target):
        return i
    anchors = _numbers(source[i])
    if not anchors:
        return None
    scores = [len(anchors & _numbers(t)) / len(anchors | _numbers(t)) for t in target]
    best = max(range(len(target)), key=lambda j: (scores[j], -abs(j - i)))
    return best if scores[best] > 0.3 else None


def translate_finding(finding: Finding, abstract: list[Section], translated: list[Section]) -> str | None:
    """The translated text for a finding, or None when no aligned section exists."""
    if finding.section >= len(abstract):
        return None
    other = aligned_translation(abstract, translated, finding.section)
    if other is None:
        return None
    source = split_sentences(abstract[finding.section].text)
    target = [s.text for s in split_sentences(other.text)]
    start = finding.sentence_span[0] if finding.sentence_span else finding.span[0]
    i = next((k for k, s in enumerate(source) if s.start <= start < s.end + 1), None)
    if i is None or not target:
        return other.text
    j = _best_sentence([s.text for s in source], target, i)
    return target[j] if j is not None else other.text
