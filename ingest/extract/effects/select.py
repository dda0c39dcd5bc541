"""Choosing among candidate effects (priority, position, overlap) and the context passes that
fill in inherited measures, bracketed p-values and list subgroups; the public `effect_spans`."""

from __future__ import annotations

import logging
import re

from ingest.extract.effects.candidates import (
    Candidate,
    Sentences,
    _context_measure,
    candidates,
)
from ingest.extract.effects.patterns import (
    _LIST_CUTS_RE,
    _LIST_LEADERS_RE,
    INHERITABLE,
)
from kb.model.schema import Effect

log = logging.getLogger(__name__)


def _select(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Accept candidates by priority, then position, longest first; drop overlaps and blocks."""
    taken = bytearray(len(text) + 1)
    kept: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.prio, c.start, c.start - c.end)):
        if c.end <= c.start or any(taken[c.start:c.end]):
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        if not c.block:
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _resolve_inherited(kept: list[Candidate], sentences: Sentences) -> None:
    """Give a bare 'value (95% CI ...)' the ratio measure before it in its sentence, else the
    mean/median/rate the sentence is about, else 'count' (people out of a denominator)."""
    last: dict[int, str] = {}
    for c in kept:
        sentence = sentences.index_of(c.start)
        if c.inherit:
            c.measure = (last.get(sentence) or _context_measure(sentences, c.start) or "count")
        if c.measure in INHERITABLE:
            last[sentence] = c.measure


BRACKET_RE = re.compile(r"[()\[\]]")


def _enclosing_brackets(text: str, positions: list[int]) -> list[int]:
    """For each of the sorted positions, the offset of the innermost bracket open there, or -1.

    One sweep over the brackets up to the last position: linear in the text length."""
    out: list[int] = []
    stack: list[int] = []
    brackets = BRACKET_RE.finditer(text, 0, positions[-1] if positions else 0)
    bracket = next(brackets, None)
    for pos in positions:
        while bracket is not None and bracket.start() < pos:
            if bracket.group() in "([":
                stack.append(bracket.start())
            elif stack:
                stack.pop()
            bracket = next(brackets, None)
        out.append(stack[-1] if stack else -1)
    return out


def _attach_bracket_p(text: str, kept: list[Candidate]) -> list[Candidate]:
    """'(p &lt; .001, η2 = 0.069)': a p alone in a bracket with one estimate belongs to it."""
    if not any(c.measure == "p" and not c.trend for c in kept):
        return kept
    groups: dict[int, list[Candidate]] = {}
    for c, group in zip(kept, _enclosing_brackets(text, [c.start for c in kept]), strict=True):
        if group >= 0:
            groups.setdefault(group, []).append(c)
    dropped: set[int] = set()
    for members in groups.values():
        ps = [c for c in members if c.measure == "p"]
        if len(members) != 2 or len(ps) != 1 or ps[0].trend:
            continue
        p, est = ps[0], next(c for c in members if c is not ps[0])
        if "p" in est.fields:
            continue
        est.fields.update(p=p.fields["p"], p_relation=p.fields["p_relation"])
        est.start, est.end = min(est.start, p.start), max(est.end, p.end)
        dropped.add(id(p))
    return [c for c in kept if id(c) not in dropped]


def _list_item_before(text: str, paren: int) -> str | None:
    """'..., body-based (' -> 'body-based': the list item written before a '(NN%)'."""
    window = text[max(0, paren - 80):paren]
    cut = max(window.rfind(ch) for ch in ",:;()[]")
    item = window[cut + 1:]
    for m in _LIST_CUTS_RE.finditer(item):
        item = item[m.end():]
    item = _LIST_LEADERS_RE.sub("", item.strip()).strip()
    if not item or len(item.split()) > 6 or re.search(r"[0-9%=<>]", item):
        return None
    return item


def _list_subgroups(text: str, kept: list[Candidate], sentences: Sentences) -> None:
    """'diet-based (30.7%), body-based (25.1%)': list items become the percents' subgroups."""
    items: dict[int, list[tuple[Candidate, str]]] = {}
    for c in kept:
        if c.measure != "percent" or c.start == 0 or text[c.start - 1] != "(":
            continue
        item = _list_item_before(text, c.start - 1)
        if item:
            items.setdefault(sentences.index_of(c.start), []).append((c, item))
    for pairs in items.values():
        if len(pairs) >= 2:
            for c, item in pairs:
                c.fields.setdefault("subgroup", item)


def _to_effect(text: str, c: Candidate) -> tuple[int, int, Effect] | None:
    """The (start, end, Effect) of an accepted candidate, span trimmed of whitespace."""
    start, end = c.start, c.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or not c.measure:
        return None
    fields = {k: v for k, v in c.fields.items() if v is not None}
    for attempt in (fields, {k: v for k, v in fields.items() if k != "subgroup"}):
        try:
            return start, end, Effect(measure=c.measure, text=text[start:end], **attempt)
        except Exception:  # noqa: BLE001 - pydantic validation of an odd field (a lone surrogate) must not escape
            log.warning("effect %r at %d: invalid fields %r", c.measure, start, attempt)
    return None



def effect_spans(text: str) -> list[tuple[int, int, Effect]]:
    """Every quantitative effect in text as (start, end, Effect), in text order.

    `text[start:end] == effect.text` always holds. Never raises for a str input.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        sentences = Sentences(text)
        kept = _select(text, candidates(text, sentences))
        _resolve_inherited(kept, sentences)
        kept = _attach_bracket_p(text, kept)
        _list_subgroups(text, kept, sentences)
    except Exception:
        log.exception("effect extraction failed on text of length %d", len(text))
        return []
    spans = (_to_effect(text, c) for c in kept)
    return sorted((s for s in spans if s is not None), key=lambda s: (s[0], s[1]))


def parse_effects(text: str) -> list[Effect]:
    """Every quantitative effect in a sentence, in text order, each with its verbatim text."""
    return [effect for _, _, effect in effect_spans(text)]
