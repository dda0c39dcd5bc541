"""Acronym glossary: short forms defined in the text, mapped to the words they stand for.

The method follows Schwartz & Hearst (2003): a parenthesised short form "(WPC)" is paired with
the words just before it, and the expansion is the span of preceding words whose letters cover
the short form's letters in order, the first letter at the start of the first word. Among the
spans that cover it, the one with the most letters at word starts wins, then the shortest, so
"tuberculosis targeted testing and treatment (TTT)" gives "targeted testing and treatment"
while trailing words stay ("Whole Person Care Pilot program (WPC)"). The reverse form
"WPC (Whole Person Care)" is accepted too. Parentheses that are not short forms ("(n = 221)",
"(72%)", "(OR 2.28 to 4.97)", "(e.g. …)", years) are rejected by the shape of their content.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

# --- tables -----------------------------------------------------------------------------------

#: "(...)" or "[...]" with no nested brackets; the content is bounded so scanning stays linear.
_BRACKETED = re.compile(r"\(([^()\[\]\n]{1,80})\)|\[([^()\[\]\n]{1,80})\]")
#: A short form: one token, a letter first, letters/digits and a few joiners, at most 12 chars.
_SHORT_FORM = re.compile(r"[A-Za-z][A-Za-z0-9&/+.'’\-]{1,11}")
#: Characters that end the window of words searched for a long form (clause/bracket limits).
_WINDOW_STOP = re.compile(r"[()\[\]{};:,]|[.!?](?=\s)|\s[–—-]\s")
#: The content of a parenthesis is cut at the first of these ("(WPC; n = 26)" -> "WPC").
_CONTENT_CUT = re.compile(r"[;,]\s")
#: Words a long form may not start with.
_STOPWORDS = frozenset(
    "a an and as at by for from in into of on or the to with without via vs versus".split()
)
_MAX_WINDOW_CHARS = 200
_TOKEN = re.compile(r"\S+")
_APOSTROPHES = "'’"


@dataclass(frozen=True)
class _Match:
    """A long-form candidate and how well it covers the short form."""

    text: str
    initials: int


# --- short forms ------------------------------------------------------------------------------

def _is_short_form(token: str) -> bool:
    """A single token with at least two capitals: 'WPC', 'SSOs', 'CalAIM', 'pIBD'."""
    if not _SHORT_FORM.fullmatch(token):
        return False
    return sum(c.isupper() for c in token) >= 2


def _key_of(short: str) -> str:
    """Glossary key: plural short forms lose the s ('SSOs' -> 'SSO')."""
    if len(short) >= 3 and short.endswith("s") and short[-2].isupper():
        return short[:-1]
    return short


def _letters(key: str) -> str:
    """The letters and digits a long form has to cover, lower-cased."""
    return "".join(c.lower() for c in key if c.isalnum())


# --- alignment --------------------------------------------------------------------------------

def _word_starts(text: str) -> set[int]:
    """Positions that begin a word, a hyphen/slash part, or an inner capital ('MediConnect')."""
    starts = set()
    for i, ch in enumerate(text):
        if not ch.isalnum():
            continue
        prev = text[i - 1] if i else " "
        if (not prev.isalnum() and prev not in _APOSTROPHES) or (ch.isupper() and prev.islower()):
            starts.add(i)
    return starts


def _alignment_scores(letters: str, text: str) -> list[int | None]:
    """For every position i: the most letters placed at word starts when the first letter sits
    at i and the others follow in order (None where no placement exists).

    One right-to-left pass per letter, so every start position of a window is scored at once.
    """
    starts = _word_starts(text)
    low = text.lower()
    size = len(text)
    later: list[int | None] = [0] * (size + 1)  # best for the letters after the current one
    scores: list[int | None] = [None] * size
    for j in range(len(letters) - 1, -1, -1):
        scores = [None] * size
        for i in range(size):
            rest = later[i + 1]
            if low[i] == letters[j] and rest is not None:
                scores[i] = rest + (1 if i in starts else 0)
        later = [None] * (size + 1)
        running: int | None = None
        for i in range(size - 1, -1, -1):
            if scores[i] is not None and (running is None or scores[i] > running):
                running = scores[i]
            later[i] = running
    return scores


def _alignment_score(letters: str, text: str) -> int | None:
    """Score of placing the letters in text with the first letter on the first character."""
    if not letters or not text:
        return None
    return _alignment_scores(letters, text)[0]


def _max_words(n_letters: int) -> int:
    """Schwartz–Hearst limit on the number of words in a long form."""
    return min(n_letters + 5, n_letters * 2)


# --- forward form: "long form (SF)" -----------------------------------------------------------

def _window_before(text: str, end: int) -> str:
    """The clause just before position end, cut at brackets and clause punctuation."""
    chunk = text[max(0, end - _MAX_WINDOW_CHARS):end]
    cut = 0
    for m in _WINDOW_STOP.finditer(chunk):
        cut = m.end()
    return chunk[cut:]


def _best_long_form(letters: str, window: str) -> _Match | None:
    """The best-covering span of trailing words of window (see module docstring)."""
    tokens = list(_TOKEN.finditer(window))[-_max_words(len(letters)):]
    if not tokens:
        return None
    tail_end = len(window.rstrip())
    offset = tokens[0].start()
    scores = _alignment_scores(letters, window[offset:tail_end])
    best: _Match | None = None
    for tok in reversed(tokens):
        word = tok.group()
        if not word[0].isalnum() or word.lower() in _STOPWORDS:
            continue
        score = scores[tok.start() - offset]
        if score is not None and (best is None or score > best.initials):
            best = _Match(window[tok.start():tail_end], score)
    return best


def _forward(text: str, open_at: int, short: str) -> str | None:
    """Expansion written before the bracket at open_at, or None."""
    key = _key_of(short)
    letters = _letters(key)
    window = _window_before(text, open_at)
    match = _best_long_form(letters, window)
    if match is None or len(match.text) <= len(short) or short in match.text.split():
        return None
    return match.text


# --- reverse form: "SF (long form)" -----------------------------------------------------------

def _token_before(text: str, open_at: int) -> str | None:
    """The token just before a bracket ('WPC (' -> 'WPC'), without trailing punctuation."""
    m = re.search(r"(\S+)\s*$", text[max(0, open_at - 40):open_at])
    return m.group(1) if m else None


def _reverse(content: str, short: str) -> str | None:
    """content as the expansion of the short form before the bracket, or None."""
    words = content.split()
    letters = _letters(_key_of(short))
    if len(words) < 2 or len(words) > _max_words(len(letters)):
        return None
    if words[0].lower() in _STOPWORDS:
        return None
    score = _alignment_score(letters, content)
    if score is None or score < min(2, len(letters)):
        return None
    return content


# --- driver -----------------------------------------------------------------------------------

def _definition(text: str, m: re.Match[str]) -> tuple[str, str] | None:
    """(key, expansion) for one bracketed span, trying the forward then the reverse form."""
    content = (m.group(1) or m.group(2) or "").strip()
    head = _CONTENT_CUT.split(content, maxsplit=1)[0].strip()
    if _is_short_form(head):
        expansion = _forward(text, m.start(), head)
        if expansion:
            return _key_of(head), expansion
    before = _token_before(text, m.start())
    if before and _is_short_form(before) and not _is_short_form(head):
        expansion = _reverse(head, before)
        if expansion:
            return _key_of(before), expansion
    return None


def extract_glossary(text: str) -> dict[str, str]:
    """Acronym -> expansion for every short form defined in text (first definition wins).

    >>> extract_glossary("social services organizations (SSOs)")
    {'SSO': 'social services organizations'}
    """
    glossary: dict[str, str] = {}
    for m in _BRACKETED.finditer(text or ""):
        found = _definition(text, m)
        if found and found[0] not in glossary:
            glossary[found[0]] = found[1]
    log.debug("glossary: %d definitions", len(glossary))
    return glossary
