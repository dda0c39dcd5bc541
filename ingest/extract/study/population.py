"""The population studied ("Medicaid enrollees", "adults aged 50-75 with diabetes")."""

from __future__ import annotations

import re

from ingest.extract.study.samples import (
    _NP_TOKEN,
    _NUM_RX,
    noun_phrase_after,
)
from ingest.extract.study.scope import (
    Sentence,
)
from ingest.extract.study.tables import (
    ADJECTIVE_ENDINGS,
    MAX_POPULATION,
    NOT_A_SAMPLE,
    NP_STOP,
    PERSON_HEADS,
    POPULATION_FOLLOWERS,
    POPULATION_ROLES,
)
from kb.model.schema import SampleSize
from kb.text.prefilter import Prefiltered, lowered

_POP_CUE = re.compile(r"\b(?:for|among|of|in|including|enrolled|recruited|involving)\s+", re.I)
_POP_LEAD = re.compile(r"(?:(?:the|a|an|all|eligible)\s+)*", re.I)
_POP_AGE = re.compile(r"\s*\(?(?:aged|ages)\s+\d+(?:\s*(?:-|–|to)\s*\d+)?(?:\s*(?:years?|y))?"
                      r"(?:\s+(?:and|or)\s+(?:older|over|above))?", re.I)
_POP_WITH = re.compile(r"\s+with\b")
_WORD = re.compile(r"\s+([A-Za-z][\w\-]*)(?![\w\-'’])")
_NOT_A_SAMPLE = Prefiltered(NOT_A_SAMPLE)


def _population_tail(text: str, end: int) -> int:
    """Extend a population phrase over 'aged 65 and older', then 'with mild asthma' (<= 3 words)."""
    m = _POP_AGE.match(text, end)
    if m and "(" not in m.group():
        end = m.end()
    m = _POP_WITH.match(text, end)
    if not m:
        return end
    tail, pos, last = end, m.end(), ""
    for _ in range(3):
        w = _WORD.match(text, pos)
        if not w or w.group(1).lower() in NP_STOP or w.group(1).lower() == "and":
            break
        tail, pos, last = w.end(), w.end(), w.group(1)
    if last and not last.isupper() and last.lower().endswith(ADJECTIVE_ENDINGS):
        return end
    return tail


def _ends_phrase(text: str, end: int) -> bool:
    """Whether a person head at end closes its noun phrase (not 'family tension')."""
    nxt = _NP_TOKEN.search(text, end)
    word = nxt.group().lower() if nxt else ""
    return not word or not word[0].isalpha() or word in NP_STOP or word in POPULATION_FOLLOWERS


def populations_in(text: str) -> list[str]:
    """Population phrases after 'for', 'among', 'of', 'in' … whose head is a person noun."""
    if _NOT_A_SAMPLE.test(text, lowered(text)):
        return []
    found = []
    for cue in _POP_CUE.finditer(text):
        start = _POP_LEAD.match(text, cue.end()).end()
        num = _NUM_RX.match(text, start)
        start = num.end() if num else start
        np = noun_phrase_after(text, start, max_tokens=5)
        if not np or np[1].split()[-1].lower() not in PERSON_HEADS or not _ends_phrase(text, np[0]):
            continue
        end = _population_tail(text, np[0])
        found.append(text[start:end].strip(" ,\u2009\u00a0"))
    return found


def _maximal(phrases: list[str]) -> list[str]:
    """Distinct phrases, dropping any contained in a longer one ('patients' in 'patients with DM')."""
    out: list[str] = []
    for phrase in phrases:
        low = phrase.lower()
        if any(re.search(rf"(?<!\w){re.escape(low)}(?!\w)", other.lower()) for other in phrases
               if len(other) > len(phrase)):
            continue
        if low not in {o.lower() for o in out}:
            out.append(phrase)
    return out


def extract_population(sentences: list[Sentence], sizes: list[SampleSize]) -> list[str]:
    """Short population phrases from cue patterns and from person-headed sample units."""
    phrases: list[str] = []
    for sent in sentences:
        if sent.role in POPULATION_ROLES:
            phrases.extend(populations_in(sent.text))
    phrases.extend(s.unit for s in sizes if s.unit and s.unit.split()[-1].lower() in PERSON_HEADS)
    unique = list(dict.fromkeys(p for p in phrases if p and len(p.split()) <= 8))
    return _maximal(unique[:MAX_POPULATION * 4])[:MAX_POPULATION]
