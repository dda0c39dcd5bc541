"""Data-collection and program periods ("2016-2021", "July-September 2023")."""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.citation import MONTHS
from ingest.extract.study.samples import (
    noun_phrase_after,
)
from ingest.extract.study.scope import (
    Sentence,
    Spans,
)
from ingest.extract.study.tables import (
    FLOW_CUES,
    PERIOD_CONTEXT_AFTER,
    PERIOD_CONTEXT_BEFORE,
    PERIOD_ROLES,
    SEARCH_SENTENCE,
)
from kb.text.prefilter import Prefiltered, lowered

_MONTH_RX = r"\b(?:%s)\b\.?" % "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR_CORE = r"(?:19|20)\d{2}"
_YEAR = rf"(?<![\w.,/\-]){_YEAR_CORE}(?![\w%]|[.,]\d)"
_DASH = r"\s*(?:-|–|—|to|through|until|till)\s*"


def _ym(year: str, month: str | int) -> str:
    """'2023', 'July' -> '2023-07'."""
    number = month if isinstance(month, int) else MONTHS[month.lower().rstrip(".")]
    return f"{year}-{number:02d}"


def _two_digit_end(y1: str, y2: str) -> str:
    """'2018', '19' -> '2019'."""
    return y1[:2] + y2 if len(y2) == 2 else y2


#: Period patterns (first match wins where they overlap) and how each becomes a period string.
PERIOD_PATTERNS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (rf"(?:\bbetween\s+(?P<m1>{_MONTH_RX})(?:\s+(?P<y1>{_YEAR}))?\s+and\s+|(?:\bfrom\s+)?"
     rf"(?P<m1b>{_MONTH_RX})(?:\s+(?P<y1b>{_YEAR}))?{_DASH})(?P<m2>{_MONTH_RX}),?\s+(?P<y2>{_YEAR})",
     lambda m: f"{_ym(m['y1'] or m['y1b'] or m['y2'], m['m1'] or m['m1b'])}/{_ym(m['y2'], m['m2'])}"),
    (rf"\bbetween\s+(?P<a>0?[1-9]|1[0-2])\s+and\s+(?P<b>0?[1-9]|1[0-2])/(?P<y>{_YEAR_CORE})\b",
     lambda m: f"{_ym(m['y'], int(m['a']))}/{_ym(m['y'], int(m['b']))}"),
    (rf"(?<![\d/])(?P<a>0?[1-9]|1[0-2])/(?P<y1>{_YEAR_CORE}){_DASH}(?P<b>0?[1-9]|1[0-2])/"
     rf"(?P<y2>{_YEAR_CORE})\b",
     lambda m: f"{_ym(m['y1'], int(m['a']))}/{_ym(m['y2'], int(m['b']))}"),
    (rf"(?:\bbetween\s+(?P<y1>{_YEAR})\s+and\s+|(?:\bfrom\s+)?(?P<y1b>{_YEAR})(?:{_DASH}|/))"
     rf"(?P<y2>{_YEAR_CORE}(?![\w%]|[.,]\d)|\d{{2}}(?![\w.,%]))",
     lambda m: f"{m['y1'] or m['y1b']}-{_two_digit_end(m['y1'] or m['y1b'], m['y2'])}"),
    (rf"\b(?P<m1>{_MONTH_RX})\s+(?:\d{{1,2}},?\s+)?(?P<y1>{_YEAR})",
     lambda m: _ym(m["y1"], m["m1"])),
    (rf"(?P<y1>{_YEAR})", lambda m: m["y1"]),
)
_PERIOD_COMPILED = [(Prefiltered(re.compile(p, re.I)), build) for p, build in PERIOD_PATTERNS]
_SEARCH_SENTENCE, _FLOW_CUES = Prefiltered(SEARCH_SENTENCE), Prefiltered(FLOW_CUES)


def _period_is_context(text: str, m: re.Match[str]) -> bool:
    """Dates that are not study periods: copyright, launches, '2000 patients', search limits."""
    after = text[m.end():m.end() + 40].lstrip()
    before = text[max(0, m.start() - 30):m.start()]
    if PERIOD_CONTEXT_AFTER.search(after) or PERIOD_CONTEXT_BEFORE.search(before):
        return True
    np = noun_phrase_after(text, m.end(), max_tokens=2)
    return np is not None and not re.search(r"[-–/]|between|from|and", m.group(), re.I)


def periods_in(text: str) -> list[str]:
    """Normalised periods in one sentence, in order of appearance."""
    low = lowered(text)
    if _SEARCH_SENTENCE.test(text, low):
        return []
    taken = Spans()
    found: list[tuple[int, str]] = []
    for rx, build in _PERIOD_COMPILED:
        for m in rx.finditer(text, low):
            if taken.claim(m.start(), m.end()) and not _period_is_context(text, m):
                found.append((m.start(), build(m)))
    return [p for _, p in sorted(found)]


def extract_periods(sentences: list[Sentence]) -> list[str]:
    """Data-collection / program periods as YYYY, YYYY-YYYY, YYYY-MM or YYYY-MM/YYYY-MM."""
    periods: list[str] = []
    for sent in sentences:
        use = sent.role in PERIOD_ROLES or (sent.role == "results" and _FLOW_CUES.test(sent.text, lowered(sent.text)))
        for period in periods_in(sent.text) if use else []:
            if period not in periods:
                periods.append(period)
    return periods
