"""Character-level text normalisation shared by every layer above: the one table of CJK ranges
and the one `fold` (the form in which words are compared: lower case, accents removed)."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

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


@cache
def _combining_class() -> re.Pattern[str]:
    """Every combining mark (unicodedata.combining(c) != 0) as one character class, so dropping
    them is one C-level pass instead of a Python test per character (made on first use)."""
    marks = [c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.combining(c)]
    ranges: list[tuple[str, str]] = []
    for c in marks:
        if ranges and ord(c) == ord(ranges[-1][1]) + 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return re.compile("[" + "".join(re.escape(a) if a == b else f"{re.escape(a)}-{re.escape(b)}"
                                    for a, b in ranges) + "]")



def fold(text: str | None) -> str:
    """Lower case without accents ('Échelle' -> 'echelle'), the form terms are compared in."""
    if not text:
        return ""
    if text.isascii():  # nothing to decompose or drop: the common case, kept cheap
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():
        return decomposed
    return _combining_class().sub("", decomposed)


def fold_words(text: str | None) -> str:
    """The folded letters and digits of any script, one space between words ('The BMI — of ä!'
    -> 'the bmi of a')."""
    return " ".join(_WORDS.findall(fold(text)))
