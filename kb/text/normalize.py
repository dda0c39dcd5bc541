"""Character-level text normalisation shared by every layer above: the one table of CJK ranges
and the one `fold` (the form in which words are compared: lower case, accents removed)."""

from __future__ import annotations

import re
import unicodedata

#: CJK unified ideographs: extension A, the basic block, compatibility ideographs.
CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: CJK punctuation and full-width forms that go with Chinese text.
CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_WORDS = re.compile(r"[^\W_]+")


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese (CJK unified) characters."""
    return bool(CJK_CHAR.search(text))


def cjk_count(text: str) -> int:
    """How many CJK ideographs the text holds."""
    return len(CJK_CHAR.findall(text))


def fold(text: str | None) -> str:
    """Lower case without accents ('Échelle' -> 'echelle'), the form terms are compared in."""
    if not text:
        return ""
    if text.isascii():  # nothing to decompose or drop: the common case, kept cheap
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_words(text: str | None) -> str:
    """The folded letters and digits of any script, one space between words ('The BMI — of ä!'
    -> 'the bmi of a')."""
    return " ".join(_WORDS.findall(fold(text)))
