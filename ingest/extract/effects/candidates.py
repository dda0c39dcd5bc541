"""Candidate effects: the independent regex passes that propose spans (effects and blocks) with
their Effect fields, each pass gated by a cheap substring test."""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ingest.extract.effects.patterns import (
    _MEASURE_CANON_RE,
    _SUBGROUP_TAIL_RE,
    BARE_CI_RE,
    CONTEXT_KEY_RE,
    CONTEXT_LEAD_RE,
    CONTEXT_MEASURES,
    CONTEXT_NUM_RE,
    COUNT_BLOCKERS_RE,
    COUNT_EXCEPT_RE,
    COUNT_RES,
    DURATION_BLOCK_RE,
    GATE_CI,
    GATE_CONTEXT,
    GATE_DIGIT,
    GATE_LETTER,
    GATE_N,
    GATE_PER,
    GATE_PERCENT,
    GATE_PROPORTION,
    GATE_THRESHOLD,
    GATE_TIME,
    GATE_YEAR,
    N_BLOCK_RE,
    NAMED_RE,
    P_RE,
    P_RELATIONS,
    PERCENT_RE,
    PRIO_BARE_CI,
    PRIO_BLOCK_N,
    PRIO_BLOCK_SOFT,
    PRIO_BLOCK_THRESHOLD,
    PRIO_CONTEXT,
    PRIO_COUNT,
    PRIO_NAMED,
    PRIO_P,
    PRIO_PERCENT,
    PRIO_PROPORTION,
    PROPORTION_RES,
    RATE_PER_RE,
    SUBGROUP_BEFORE_RE,
    SUBGROUP_STOP,
    THRESHOLD_RE,
    WORD_PERCENT_RE,
    YEAR_BLOCK_RE,
    Gate,
)
from ingest.extract.numbers import word_value
from kb.text.sentences import split_sentences

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A proposed effect (or a block when `measure` is None and `block` is set)."""

    start: int
    end: int
    prio: int
    measure: str | None = None
    fields: dict = field(default_factory=dict)
    block: bool = False
    inherit: bool = False
    trend: bool = False


def _num(raw: str | None) -> float | None:
    """'−2.3' -> -2.3, '247,887' -> 247887.0, '.03' -> 0.03, '3 × 10−5' -> 3e-05; else None."""
    if not raw:
        return None
    if raw.isascii() and raw.replace(".", "", 1).isdigit():
        return float(raw)  # fast path: plain '12' or '0.47'
    s = re.sub(r"\s", "", raw).replace("−", "-").replace(",", "").replace("<sup>", "")
    s = s.replace("</sup>", "")
    sci = re.match(r"^(-?[0-9.]{1,30})[×x*·]10\^?([-–]?[0-9]{1,3})$", s)
    if sci:
        s = f"{sci.group(1)}e{sci.group(2).replace('–', '-')}"
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _canonical_measure(raw: str) -> str:
    """Canonical measure name of a matched measure word or symbol."""
    raw = re.sub(r"\s{1,4}", " ", raw.strip())
    for pattern, canonical in _MEASURE_CANON_RE:
        if pattern.fullmatch(raw):
            return canonical
    return raw


def _first(groups: dict[str, str | None], *names: str) -> str | None:
    """The first non-empty group among names."""
    for name in names:
        if groups.get(name):
            return groups[name]
    return None


def _ci_fields(g: dict[str, str | None]) -> dict:
    """ci_low/ci_high/ci_level and p/p_relation from the CI and p groups of a match."""
    out: dict = {}
    if not any(g.get(k) for k in ("loa", "lob", "loc", "pa", "pb", "pq", "pt")):
        return out
    lo, hi = _num(_first(g, "loa", "lob", "loc")), _num(_first(g, "hia", "hib", "hic"))
    if lo is not None and hi is not None:
        out["ci_low"], out["ci_high"] = min(lo, hi), max(lo, hi)
        out["ci_level"] = _num(_first(g, "lvla", "lvlb", "lvba", "lvbb"))
    p = _num(_first(g, "pa", "pb", "pq", "pt"))
    rel = _first(g, "rela", "relb", "relq", "relt")
    if p is not None and rel:
        out["p"], out["p_relation"] = p, P_RELATIONS.get(rel.strip(), "=")
    return out


def _range(v1: float | None, v2: float | None) -> dict:
    """value / value_high of a value or a range, lower first."""
    if v1 is not None and v2 is not None:
        return {"value": min(v1, v2), "value_high": max(v1, v2)}
    return {"value": v1 if v1 is not None else v2}


def _named(text: str) -> Iterator[Candidate]:
    """'OR 6.4, 95% CI 2.5-16.4', 'Manager OR 1.76 to 2.85', 'β = 0.21', 'HR 0.72 (1.1-1.6)'."""
    for m in NAMED_RE.finditer(text):
        g = m.groupdict()
        v1, v2 = _num(_first(g, "va", "v1")), _num(_first(g, "vb", "v2"))
        if v1 is None:
            continue
        fields = {**_range(v1, v2), **_ci_fields(g)}
        if fields.get("value_high") is not None and "ci_low" in fields:
            continue  # "OR 1.2-1.5 (1.0-2.0)" is ambiguous; let other readings try
        measure = _canonical_measure(_first(g, "wm", "sm") or "")
        start = m.start()
        sub = _subgroup_before(text, start)
        if sub:
            fields["subgroup"], start = sub
        yield Candidate(start, m.end(), PRIO_NAMED, measure, fields)


def _subgroup_before(text: str, start: int) -> tuple[str, int] | None:
    """'(Manager OR ...' -> ('Manager', start of 'Manager'): one word opening a clause."""
    window = text[max(0, start - 40):start]
    m = SUBGROUP_BEFORE_RE.search(window)
    if not m or m.group(1).lower().rstrip(".") in SUBGROUP_STOP:
        return None
    return m.group(1), start - len(window) + m.start(1)


def _p_values(text: str) -> Iterator[Candidate]:
    """Stand-alone p-values: measure 'p', value None."""
    for m in P_RE.finditer(text):
        p = _num(m.group("ps"))
        if p is None:
            continue
        rel = P_RELATIONS.get(m.group("rels"), "=")
        yield Candidate(m.start(), m.end(), PRIO_P, "p", {"p": p, "p_relation": rel},
                        trend=bool(m.group("trends")))


def _percents(text: str) -> Iterator[Candidate]:
    """'66%', '(72%)', '10–20%', '38.9% (95% CI 28.6 to 49.8)', 'Seventy percent'."""
    for m in PERCENT_RE.finditer(text):
        g = m.groupdict()
        fields = {**_range(_num(g["v1"]), _num(g["v2"])), **_ci_fields(g)}
        if fields.get("value") is not None:
            yield Candidate(m.start(), m.end(), PRIO_PERCENT, "percent", fields)
    for m in WORD_PERCENT_RE.finditer(text):
        yield Candidate(m.start(), m.end(), PRIO_PERCENT, "percent",
                        {"value": float(word_value(m.group("w")) or 0)})


def _proportions(text: str) -> Iterator[Candidate]:
    """'1 in 5' -> proportion 0.2; 'one out of four' -> 0.25."""
    for regex in PROPORTION_RES:
        for m in regex.finditer(text):
            g = m.groupdict()
            a = _num(g["a"]) if g.get("a") else word_value(g.get("aw"))
            b = _num(g["b"]) if g.get("b") else word_value(g.get("bw"))
            if not a or not b or a > b or 1900 <= b <= 2100:
                continue
            yield Candidate(m.start(), m.end(), PRIO_PROPORTION, "proportion",
                            {"value": round(a / b, 4)})


def _rates_per(text: str) -> Iterator[Candidate]:
    """'5.2 per 1000 person-years' -> rate 5.2."""
    for m in RATE_PER_RE.finditer(text):
        value = _num(m.group("v"))
        if value is not None:
            yield Candidate(m.start(), m.end(), PRIO_PROPORTION, "rate", {"value": value})


def _bare_cis(text: str) -> Iterator[Candidate]:
    """'0.83 (95% CI, 0.59 to 1.16)': the measure is filled in later from context."""
    for m in BARE_CI_RE.finditer(text):
        g = m.groupdict()
        fields = {"value": _num(g["v1"]), **_ci_fields(g)}
        if fields["value"] is not None and "ci_low" in fields:
            yield Candidate(m.start(), m.end(), PRIO_BARE_CI, None, fields, inherit=True)


def _blocks(regex: re.Pattern[str], prio: int) -> Callable[[str], Iterator[Candidate]]:
    """A pass proposing the matches of regex as spans that are not effects."""

    def run(text: str) -> Iterator[Candidate]:
        for m in regex.finditer(text):
            yield Candidate(m.start(), m.end(), prio, block=True)

    return run


def _count_value(m: re.Match[str]) -> float | None:
    """The count of a count match: digits or number words."""
    g = m.groupdict()
    if g.get("n"):
        return _num(g["n"])
    value = word_value(g.get("w"))
    return float(value) if value else None


def _counts(text: str) -> Iterator[Candidate]:
    """'22 pilots', 'Three pilots', '503 reported CAM use', 'none of the patients except 1'."""
    for m in COUNT_EXCEPT_RE.finditer(text):
        value = _count_value(m)
        if value is not None:
            yield Candidate(m.start(), m.end(), PRIO_PROPORTION, "count", {"value": value})
    for regex in COUNT_RES:
        for m in regex.finditer(text):
            value = _count_value(m)
            if value is None or COUNT_BLOCKERS_RE.search(text[max(0, m.start() - 24):m.start()]):
                continue
            end = m.start() + len(m.group(0).rstrip())
            yield Candidate(m.start(), end, PRIO_COUNT, "count", {"value": value})


class Sentences:
    """Sentence boundaries of a text (the one splitter, kb.text.sentences), for context look-ups
    limited to one sentence."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [s.start for s in split_sentences(text)][1:]

    def start_of(self, pos: int) -> int:
        """Start offset of the sentence holding pos."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[i] if i >= 0 else 0

    def index_of(self, pos: int) -> int:
        """Sentence number of pos."""
        return bisect.bisect_right(self.starts, pos)


def _context_measure(sentences: Sentences, pos: int) -> str | None:
    """The mean/median/rate keyword closest before pos in its sentence (≤ 400 chars back)."""
    start = max(sentences.start_of(pos), pos - 400)
    last = None
    for m in CONTEXT_KEY_RE.finditer(sentences.text, start, pos):
        last = m.group("k").lower()
    if last is None:
        return None
    for pattern, measure in CONTEXT_MEASURES:
        if re.fullmatch(pattern, last):
            return measure
    return None


def _context_stats(text: str, sentences: Sentences) -> Iterator[Candidate]:
    """'57 μg', '0.20 with terbutaline', 'was 3.4' in a sentence about a mean, median or rate."""
    for m in CONTEXT_NUM_RE.finditer(text):
        lead = CONTEXT_LEAD_RE.search(text[max(0, m.start() - 12):m.start()])
        if not (m.group("unit") or m.group("with") or lead):
            continue
        measure = _context_measure(sentences, m.start())
        value = _num(m.group("v"))
        if measure is None or value is None:
            continue
        fields: dict = {"value": value}
        if m.group("with"):
            fields["subgroup"] = _clean_subgroup(m.group("arm"))
        end = m.end() if (m.group("with") or m.group("unit")) else m.end("v")
        yield Candidate(m.start(), end, PRIO_CONTEXT, measure, fields)


def _clean_subgroup(raw: str) -> str | None:
    """'the budesonide maintenance therapy' -> 'budesonide maintenance'."""
    s = re.sub(r"^(?:the|a|an)\s{1,4}", "", raw.strip(), flags=re.IGNORECASE)
    s = _SUBGROUP_TAIL_RE.sub("", s).strip()
    return s or None



def _passes(sentences: Sentences) -> tuple[tuple[Gate, Callable], ...]:
    """(gate, pass) pairs: a pass runs only when its gate occurs somewhere in the text."""
    return (
        (GATE_DIGIT, _named), (GATE_DIGIT, _p_values), (GATE_PERCENT, _percents),
        (GATE_PROPORTION, _proportions), (GATE_PER, _rates_per), (GATE_CI, _bare_cis),
        (GATE_N, _blocks(N_BLOCK_RE, PRIO_BLOCK_N)),
        (GATE_THRESHOLD, _blocks(THRESHOLD_RE, PRIO_BLOCK_THRESHOLD)),
        (GATE_YEAR, _blocks(YEAR_BLOCK_RE, PRIO_BLOCK_SOFT)),
        (GATE_TIME, _blocks(DURATION_BLOCK_RE, PRIO_BLOCK_SOFT)),
        (GATE_LETTER, _counts), (GATE_CONTEXT, lambda text: _context_stats(text, sentences)),
    )


def candidates(text: str, sentences: Sentences) -> list[Candidate]:
    """All candidates of all passes; a pass that fails is logged and skipped."""
    out: list[Candidate] = []
    lowered = text.lower()
    for gate, run in _passes(sentences):
        if not any(needle in lowered for needle in gate):
            continue
        try:
            out.extend(run(text))
        except Exception:  # a bug in one pass must not lose the others
            log.exception("effect pass failed on text of length %d", len(text))
    return out

