"""Study design labels stated in the abstract ("a qualitative study", "cluster randomised trial")."""

from __future__ import annotations

import re

from ingest.extract.study.scope import (
    Sentence,
    Spans,
)
from ingest.extract.study.tables import (
    DESIGN_LEXICON,
    DESIGN_NORMALISE,
    DESIGN_ROLES,
)
from kb.text.prefilter import Prefiltered, lowered

_DESIGN_COMPILED = [
    (family, Prefiltered(re.compile(pattern, re.I)), label, generic)
    for family, pattern, label, generic in DESIGN_LEXICON
]


def _normalise_design(words: str) -> str:
    """Lower-case matched design words and apply DESIGN_NORMALISE."""
    label = words.lower().strip()
    for pattern, repl in DESIGN_NORMALISE:
        label = re.sub(pattern, repl, label)
    return label.strip()


def _design_hits(text: str) -> list[tuple[int, str, str, bool]]:
    """(start, family, label, generic) of non-overlapping lexicon matches, table order first."""
    taken = Spans()
    hits = []
    low = lowered(text)
    for family, rx, label, generic in _DESIGN_COMPILED:
        for m in rx.finditer(text, low):
            if taken.claim(m.start(), m.end()):
                hits.append((m.start(), family, label or _normalise_design(m.group()), generic))
    return hits


def extract_design(sentences: list[Sentence]) -> list[str]:
    """Design labels in order of appearance, deduplicated, generic ones only if alone."""
    found: list[tuple[int, int, str, str, bool]] = []
    for i, sent in enumerate(sentences):
        if sent.role in DESIGN_ROLES:
            found.extend((i, start, fam, lab, gen) for start, fam, lab, gen in _design_hits(sent.text))
    specific = {fam for _, _, fam, _, gen in found if not gen}
    labels: list[str] = []
    for _, _, fam, label, generic in sorted(found):
        if generic and fam in specific:
            continue
        if label not in labels:
            labels.append(label)
    return labels


def design_families(text: str) -> set[str]:
    """The design families (DESIGN_LEXICON's first column: trial, cohort, qualitative, …) named
    anywhere in a text."""
    return {family for _, family, _, _ in _design_hits(text)}
