"""Shared helpers for prose inputs: paragraphs, 'is this abstract-like prose', abstract building."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.model.schema import Section
from kb.text.bilingual import align, split_languages
from kb.text.normalize import cjk_count
from kb.text.sections import split_inline_labels, to_sections

_FUNCTION_WORDS = re.compile(
    r"\b(?:the|of|and|to|in|a|for|with|was|were|is|are|that|on|by|as|from|among|we|this)\b", re.I
)
# The same for the other languages of the captures' pages (Spanish, Portuguese, French, German,
# Italian, Dutch, Russian): articles, prepositions and conjunctions that are not English words.
_OTHER_FUNCTION_WORDS = frozenset(
    """de la el los las del y en que por con para una un se su sus al es lo le les des et du est dans
    pour sur une au aux par qui ne pas der die das und ist mit von den dem zu für ein eine einer auf
    im nicht sich wird wurde werden e o da do dos em com não uma os na nos ao il di che per della
    sono het een van voor op niet zijn и в во не на с со что как к по из за от для о об у это также при
    но или а""".split())
MIN_OTHER_WORDS = 8  # words of a sentence told by the other languages' function words
_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*")
_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)")
BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·\-–*]|\d{1,2}[.)])\s+(?P<text>\S.*)$")


def normalize_newlines(text: str) -> str:
    """CRLF/CR to LF, BOM and NUL-free, trailing spaces trimmed per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def lines_of(text: str) -> list[str]:
    """Non-empty, stripped lines."""
    return [ln.strip() for ln in normalize_newlines(text).split("\n") if ln.strip()]


def is_sentence(text: str, *, min_words: int = 6) -> bool:
    """Prose: enough words, function words present, ends like a sentence (or is CJK prose)."""
    if cjk_count(text) >= 15:
        return True
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", text)
    function = len(_FUNCTION_WORDS.findall(text))
    if len(words) < min_words or function < 2 or function / len(words) < 0.08:
        # not English prose: the function words of the other languages, over words with accents
        words = _WORD.findall(text)
        if len(words) < max(min_words, MIN_OTHER_WORDS):
            return False  # 'Centro de Salud de Coria. Cáceres.' is an address, not prose
        function = sum(w.lower() in _OTHER_FUNCTION_WORDS for w in words)
    return function >= 2 and function / len(words) >= 0.08 and bool(_SENTENCE_END.search(text + " "))


def has_prose(text: str) -> bool:
    """At least one abstract-like sentence somewhere in the text."""
    return any(is_sentence(part) for part in re.split(r"\n+", text) if part.strip())


@dataclass
class Abstract:
    """English (primary) sections plus aligned translations."""

    language: str
    sections: list[Section]
    translations: dict[str, list[Section]] = field(default_factory=dict)


def build_abstract(paragraphs: list[str], *, trailing: int = 0) -> Abstract:
    """Split languages, find labels and roles, align the other language(s) to the sections."""
    parts = [part for p in paragraphs if p.strip() for part in split_inline_labels(p)]
    split = split_languages(parts)
    sections = to_sections(split.paragraphs, trailing=trailing)
    translations = {
        lang: aligned for lang, paras in split.others.items() if (aligned := align(sections, paras))
    }
    return Abstract(language=split.primary, sections=sections, translations=translations)
