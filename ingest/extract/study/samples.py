"""Sample sizes: every stated n with its unit ("221 interviews", "n = 355", "26 pilots")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.extract.numbers import ALL_NUMBER_WORDS
from ingest.extract.study.scope import (
    Sentence,
    Spans,
)
from ingest.extract.study.tables import (
    COMPOUND_UNITS,
    FLOW_CUES,
    NOT_A_SAMPLE,
    NOT_PLURAL,
    NP_STOP,
    PERSON_HEADS,
    SAMPLE_HEADS,
    SAMPLE_ROLES,
    TWO_WORD_HEADS,
    UNIT_DROP,
    UNIT_LOOKBACK,
)
from kb.model.schema import SampleSize
from kb.text.prefilter import Prefiltered, lowered

_NUMBER_WORD_RX = "|".join(sorted(ALL_NUMBER_WORDS, key=len, reverse=True))
_TENS_RX = "|".join(w for w, n in ALL_NUMBER_WORDS.items() if n >= 20)
_UNITS_RX = "|".join(w for w, n in ALL_NUMBER_WORDS.items() if 1 <= n <= 9)
_NUM = (
    r"(?<![\w.,/\-–−])(?:\d{1,3}(?:,\d{3}){1,3}|\d{1,9})(?![\w]|[.,]\d|\s*%|\s*[-–]\s*\d|/\d)"
    rf"|(?<![\w\-])(?i:(?:{_TENS_RX})-(?:{_UNITS_RX})|{_NUMBER_WORD_RX})\b(?!-|\s+(?:percent|per cent)\b)"
)
_NUM_RX = re.compile(_NUM)
_N_EQUALS = re.compile(
    r"(?P<open>\(\s*)?(?P<body>\b[nN]\s*=\s*(?P<n>\d{1,3}(?:,\d{3}){1,3}|\d{1,9})(?!\d|[.,]\d))"
    r"(?P<close>\s*\))?")
_WORD_TOKEN = re.compile(r"[A-Za-z][\w'’\-]*")
_N_OF_M = re.compile(rf"(?P<n>{_NUM})\s+of\s+(?:the\s+)?(?P<m>{_NUM})\s+")
_IN_GROUP = re.compile(rf"(?P<n>{_NUM})\s+in\s+the\s+(?P<unit>(?:[\w\-]+\s+){{0,4}}?(?:group|arm))\b")
_PER_GROUP = re.compile(rf"(?P<n>{_NUM})\s*(?:/|\s+per\s+)(?P<unit>group|arm|site|condition)\b")
_COMPOUND = re.compile(rf"(?P<n>{_NUM})-(?P<unit>{'|'.join(COMPOUND_UNITS)})\b", re.I)
#: the patterns above with literal prefilters (kb.text.prefilter), for the per-sentence scans
_N_EQUALS_P, _N_OF_M_P, _IN_GROUP_P, _PER_GROUP_P, _COMPOUND_P = (
    Prefiltered(rx) for rx in (_N_EQUALS, _N_OF_M, _IN_GROUP, _PER_GROUP, _COMPOUND))
_NOT_A_SAMPLE, _FLOW_CUES = Prefiltered(NOT_A_SAMPLE), Prefiltered(FLOW_CUES)
_BARE_INHERIT = re.compile(rf"(?:,|\band)\s+(?P<n>{_NUM})(?=\s*\()")
_RATIO_BEFORE = re.compile(r"(?:\d\s+in|out\s+of|per|every)\s*$", re.I)
_YEAR_BEFORE = re.compile(r"\b(?:in|since|between|from|during|until|by|and|to)\s*$", re.I)
_NP_TOKEN = re.compile(r"[A-Za-z][\w'’\-]*|\S")


@dataclass(frozen=True)
class _Mention:
    """A sample-size mention found in one sentence."""

    start: int
    end: int
    n: int
    unit: str | None


def _to_int(token: str) -> int | None:
    """'247,887' -> 247887, 'Ten' -> 10; None for anything else."""
    token = token.strip().lower()
    if token in ALL_NUMBER_WORDS:
        return ALL_NUMBER_WORDS[token]
    tens, _, units = token.partition("-")
    if tens in ALL_NUMBER_WORDS and units in ALL_NUMBER_WORDS:
        return ALL_NUMBER_WORDS[tens] + ALL_NUMBER_WORDS[units]
    digits = token.replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) <= 12 else None


def _is_plural_word(word: str) -> bool:
    """A lower-case-ish plural noun that is not a unit head (ends a noun phrase)."""
    low = word.lower()
    if word.isupper() or low in NOT_PLURAL or low in SAMPLE_HEADS:
        return False
    return low.endswith("s") and not low.endswith(("ss", "us", "is", "ous"))


def _head_at(tokens: list[str], i: int) -> bool:
    """Whether tokens[i] (with the previous token) is a unit head."""
    low = re.sub(r"['’]s?$", "", tokens[i].lower())
    pair = f"{tokens[i - 1].lower()} {tokens[i].lower()}" if i else ""
    return low in SAMPLE_HEADS or pair in TWO_WORD_HEADS


def noun_phrase_after(text: str, pos: int, *, max_tokens: int = 8) -> tuple[int, str] | None:
    """(end, words) of the noun phrase starting at pos whose last head is a unit head, or None.

    Modifiers may be joined by 'and' and commas ('hour-long, semi-structured individual and group
    interviews'); stop words, numbers and non-head plural nouns end the phrase.
    """
    best: tuple[int, str] | None = None
    tokens: list[str] = []
    for m in _NP_TOKEN.finditer(text, pos):
        tok = m.group()
        if len(tokens) >= max_tokens or not (tok[0].isalpha() or tok == ","):
            break
        low = tok.lower()
        if low in NP_STOP or low in ALL_NUMBER_WORDS or (tok == "," and not tokens):
            break
        tokens.append(tok)
        if tok != "," and _head_at(tokens, len(tokens) - 1):
            best = (m.end(), text[pos:m.end()].strip())
        elif tok != "," and low != "and" and _is_plural_word(tok):
            break
    return best


def _unit_of(words: str) -> str:
    """The unit of a noun phrase without leading methodological modifiers."""
    parts = [w for w in re.split(r"\s+", words.replace(",", " ")) if w]
    while len(parts) > 1 and (parts[0].lower() in UNIT_DROP or parts[0].lower() == "and"):
        parts.pop(0)
    return " ".join(parts)


def _is_year_like(n: int, text: str, start: int) -> bool:
    """A four-digit year in a date context ('in 2021', 'and 2021')."""
    return 1900 <= n <= 2099 and bool(_YEAR_BEFORE.search(text[max(0, start - 12):start]))


def _counted_mentions(text: str, low: str | None) -> Iterator[_Mention]:
    """'507 organizations', 'Ten consecutive patients', '51 of 58 California counties'."""
    for m in _N_OF_M_P.finditer(text, low):
        np = noun_phrase_after(text, m.end())
        n = _to_int(m.group("n"))
        if np and n is not None:
            yield _Mention(m.start(), np[0], n, _unit_of(np[1]))
    for m in _NUM_RX.finditer(text):
        n = _to_int(m.group())
        if n is None or _RATIO_BEFORE.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if _is_year_like(n, text, m.start()):
            continue
        np = noun_phrase_after(text, m.end())
        if np:
            yield _Mention(m.start(), np[0], n, _unit_of(np[1]))


def _unit_before(text: str, pos: int) -> tuple[str | None, int]:
    """The unit head before pos in the sentence (people first), and its start if it touches pos.

    A head directly followed by another head is a modifier ('key informant interviews').
    """
    window = max(0, pos - UNIT_LOOKBACK)
    tokens = list(_WORD_TOKEN.finditer(text, window, pos))
    heads = [
        m for i, m in enumerate(tokens)
        if m.group().lower() in SAMPLE_HEADS and not (
            i + 1 < len(tokens) and tokens[i + 1].group().lower() in SAMPLE_HEADS
            and not text[m.end():tokens[i + 1].start()].strip())
    ]
    if not heads:
        return None, pos
    people = [m for m in heads if m.group().lower() in PERSON_HEADS]
    last = (people or heads)[-1]
    touching = last is heads[-1] and not text[last.end():pos].strip(" (\u2009\u00a0")
    return last.group(), last.start() if touching else pos


def _explicit_mentions(text: str, low: str | None) -> Iterator[_Mention]:
    """'(n = 221)', 'Pilots (n = 26)', 'N = 600', '1277 in the … group', '127/group', '24-site'."""
    for m in _N_EQUALS_P.finditer(text, low):
        opened = bool(m.group("open") and m.group("close"))
        start, end = m.span() if opened else m.span("body")
        unit, unit_start = _unit_before(text, start)
        yield _Mention(min(start, unit_start), end, int(m.group("n").replace(",", "")), unit)
    for rx in (_IN_GROUP_P, _PER_GROUP_P):
        for m in rx.finditer(text, low):
            n = _to_int(m.group("n"))
            unit = m.group("unit") if rx is _IN_GROUP_P else f"per {m.group('unit')}"
            if n is not None:
                yield _Mention(m.start(), m.end(), n, unit)
    for m in _COMPOUND_P.finditer(text, low):
        n = _to_int(m.group("n"))
        if n is not None:
            yield _Mention(m.start(), m.end(), n, COMPOUND_UNITS[m.group("unit").lower()])


def _inherited_mentions(text: str, found: list[_Mention]) -> Iterator[_Mention]:
    """'… 3849 patients underwent randomization, and 3836 (…)': a bare count takes the unit before.

    found is sorted by position.
    """
    ends = [f.end for f in found]
    for m in _BARE_INHERIT.finditer(text):
        n = _to_int(m.group("n"))
        before = bisect.bisect_right(ends, m.start("n"))
        if n is None or not before or 1900 <= n <= 2099:
            continue
        yield _Mention(m.start("n"), m.end("n"), n, found[before - 1].unit)


def _non_overlapping(mentions: list[_Mention]) -> list[_Mention]:
    """Keep mentions in the given priority order, dropping any that overlap a kept one."""
    taken = Spans()
    kept = [m for m in mentions if taken.claim(m.start, m.end)]
    return sorted(kept, key=lambda k: k.start)


def sample_mentions(text: str) -> list[_Mention]:
    """All sample-size mentions in one sentence, non-overlapping, in order."""
    low = lowered(text)
    if _NOT_A_SAMPLE.test(text, low):
        return []
    found = _non_overlapping([*_explicit_mentions(text, low), *_counted_mentions(text, low)])
    found = _non_overlapping([*found, *_inherited_mentions(text, found)])
    return found


def _sentence_mentions(sent: Sentence) -> list[_Mention]:
    """Mentions a sentence contributes given its role (results need a flow cue)."""
    mentions = sample_mentions(sent.text)
    if sent.role in SAMPLE_ROLES or (sent.role == "results" and _FLOW_CUES.test(sent.text, lowered(sent.text))):
        return mentions
    if sent.role == "results":
        opening = re.match(rf"(?:Of|Among|In)\s+(?:the\s+)?(?:{_NUM})", sent.text)
        explicit = [m for m in mentions if _N_EQUALS.search(sent.text[m.start:m.end])]
        return [m for m in mentions if (opening and m.start < opening.end()) or m in explicit]
    return []


def extract_sample_sizes(sentences: list[Sentence]) -> list[SampleSize]:
    """Stated sample sizes with a short unit and the verbatim mention."""
    sizes = []
    for sent in sentences:
        for m in _sentence_mentions(sent):
            sizes.append(SampleSize(n=m.n, unit=m.unit, text=sent.text[m.start:m.end]))
    return sizes
