"""Literal prefilters for regexes (the idea of RE2's prefilter): from a pattern, the short list of
lower-case ASCII strings one of which every match must contain, so that a text holding none of
them is passed over without running the regex. A prefilter never changes an answer: it only says
"cannot match"; where it cannot tell (a pattern it does not understand, a text with a character
that `re`'s case folding equates with an ASCII letter but `str.lower` does not), it says "may
match" and the regex decides."""

from __future__ import annotations

import re
import re._parser as sre_parse  # the stdlib's own regex parser (private, so every failure falls back)
from collections.abc import Iterable, Iterator
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    ATOMIC_GROUP,
    BRANCH,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    POSSESSIVE_REPEAT,
    SUBPATTERN,
)
from typing import Any

#: non-ASCII characters that `re.IGNORECASE` matches to an ASCII letter (İ ı ſ and the Kelvin
#: sign) while `str.lower` keeps them apart or lengthens them: a text with one skips prefilters
_ASCII_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")
_ZERO_WIDTH = (AT, ASSERT, ASSERT_NOT)
_REPEATS = (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT)
Needs = frozenset[str]
#: requirements checked per regex (the most selective ones; more cost more than they save)
MAX_NEEDS = 3


def lowered(text: str) -> str | None:
    """The form of a text prefilters look into (`text.lower()`), or None when a prefilter
    cannot be trusted on it (every prefilter then lets the regex decide)."""
    return None if _ASCII_LOOKALIKES.search(text) else text.lower()


def _best(candidates: Iterable[Needs]) -> Needs:
    """The most selective of some requirements: longest shortest literal, then fewest alternatives."""
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))


def _needs(items: Iterable[tuple[Any, Any]]) -> list[Needs]:
    """What a sequence of parsed regex items requires of every text it matches: each set holds
    literals one of which must be in the text, and every set must be satisfied."""
    found: list[Needs] = []
    run: list[str] = []
    for op, av in items:
        if op is LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if op in _ZERO_WIDTH:  # consumes nothing: the literals on both sides stay adjacent
            continue
        if run:
            found.append(frozenset({"".join(run)}))
            run = []
        if op is SUBPATTERN:
            found.extend(_needs(av[-1]))
        elif op is ATOMIC_GROUP:
            found.extend(_needs(av))
        elif op in _REPEATS and av[0] >= 1:
            found.extend(_needs(av[2]))
        elif op is BRANCH:
            alternatives = [_needs(alt) for alt in av[1]]
            if all(alternatives):
                found.append(frozenset().union(*(_best(a) for a in alternatives)))
    if run:
        found.append(frozenset({"".join(run)}))
    return found


def needs_of(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    """What every match of the pattern contains: per tuple, literals (lower case) one of which
    is in the match (the MAX_NEEDS most selective, the cheapest to check first); () when
    nothing is known."""
    try:
        found = set(_needs(sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - an unreadable pattern only loses its prefilter
        return ()
    found = {c for c in found if all(s.strip() for s in c)}  # a bare space is in every text
    chosen = sorted(found, key=lambda c: (-min(map(len, c)), len(c), sorted(c)))[:MAX_NEEDS]
    return tuple(tuple(sorted(c)) for c in sorted(chosen, key=lambda c: (len(c), sorted(c))))  # cheapest first


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def alternatives_of(pattern: re.Pattern[str]) -> list[re.Pattern[str]]:
    """The top-level alternatives of a pattern ('a|b(c|d)' -> 'a', 'b(c|d)'), each compiled with
    the pattern's flags; [] when it has one, or when splitting it could change what it means
    (verbose mode, global inline flags, an alternative that does not compile alone)."""
    source = pattern.pattern
    if pattern.flags & re.VERBOSE or _GLOBAL_FLAGS.search(source):
        return []
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1
            if source[i:i + 1] == "^":
                i += 1
            if source[i:i + 1] == "]":  # a ']' first in a class is a literal
                i += 1
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    if len(parts) < 2:
        return []
    try:
        return [re.compile(part, pattern.flags) for part in parts]
    except re.error:
        return []


class Prefiltered:
    """A compiled regex with its prefilter. `low` is `lowered(text)` of the text searched, made
    once per text and shared by every prefiltered regex run over it. A pattern that requires no
    literal as a whole but is an alternation is also kept alternative by alternative, each with
    its own prefilter, for `test` (a text matches an alternation when it matches one of its
    alternatives)."""

    __slots__ = ("needs", "parts", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.needs = needs_of(regex)
        self.parts = () if self.needs else tuple(Prefiltered(p) for p in alternatives_of(regex))

    def test(self, text: str, low: str | None) -> bool:
        """Whether the regex matches anywhere in the text (`bool(regex.search(text))`)."""
        if self.parts:
            return any(part.test(text, low) for part in self.parts)
        return self.may_match(low) and self.regex.search(text) is not None

    def may_match(self, low: str | None) -> bool:
        """False only when no match is possible in the text `low` was made from."""
        if low is None:
            return True
        for alternatives in self.needs:
            for literal in alternatives:
                if literal in low:
                    break
            else:
                return False
        return True

    def search(self, text: str, low: str | None) -> re.Match[str] | None:
        return self.regex.search(text) if self.may_match(low) else None

    def finditer(self, text: str, low: str | None) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.may_match(low) else iter(())

    def findall(self, text: str, low: str | None) -> list[Any]:
        return self.regex.findall(text) if self.may_match(low) else []
