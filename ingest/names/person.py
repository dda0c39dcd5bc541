"""One personal name as printed ('Chuang E', 'Mills Katherine T', 'Laura A. van der Velde',
'A.B. Surname', 'Stephanie Ettinger de Cuba') read in a given order into an Author."""

from __future__ import annotations

import re
from typing import Literal

from ingest.names.vocab import HONORIFICS, is_dotted_initials, is_initials, is_particle
from kb.model.schema import Author

Order = Literal["family-first", "given-first"]
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’\-]*\.?|(?:[A-Z]\.-?){1,4}|[A-Z]{1,3})$", re.U)


#: A Russian patronymic ('Nikolaevna', 'Dmitrievich', 'Михайлович'): printed last, it follows the
#: given name of a family-first name.
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ichna|ович|евич|овна|евна|ична|инична)$", re.I)


def tokens_of(name: str) -> list[str]:
    """The words of a name without honorifics ('Dr', 'Prof.') and stray punctuation; dotted
    initials written together stay one token ('G.L.')."""
    name = re.sub(r"(?<=\.)\s+(?=[A-Z]\.)", "", name.strip(" ,;:"))  # 'R. M.' -> 'R.M.'
    words = [w.strip(",;:") for w in name.split()]
    words = [w for w in words if w]
    while words and words[0].rstrip(".").casefold() in HONORIFICS and len(words) > 2:
        words = words[1:]
    return words


def is_name_token(token: str) -> bool:
    """A capitalised word, initials or a particle."""
    return bool(_NAME_TOKEN.match(token)) and (not token[0].islower() or is_particle(token))


def _initials_text(tokens: list[str]) -> str:
    return "".join(c for t in tokens for c in t if c.isalpha() and c.isupper())


def _leading_family(tokens: list[str]) -> int:
    """How many leading tokens form the family name of a family-first name: particles, then one
    word (then particles and one more word: 'van der Berg', 'de la Cruz')."""
    cut = 0
    while cut < len(tokens) - 1 and is_particle(tokens[cut]):
        cut += 1
    return cut + 1


def _trailing_family(tokens: list[str]) -> int:
    """Index where the family name of a given-first name starts: at the first particle after the
    given name ('Maria de la Cruz Lopez', 'Laura van der Velde'), taking the word before it
    unless that is the given name ('Stephanie Ettinger de Cuba'); else the last word, with a
    hyphen-particle word before it ('Kiefte-de Jong')."""
    first = next((i for i in range(1, len(tokens) - 1) if is_particle(tokens[i])), None)
    if first is not None:
        return first - 1 if first > 1 and not is_initials(tokens[first - 1]) else first
    last = len(tokens) - 1
    if last > 1 and is_particle(tokens[last - 1].rsplit("-", 1)[-1]) and "-" in tokens[last - 1]:
        return last - 1
    return last


def read_person(name: str, order: Order, *, initials_style: bool = False) -> Author | None:
    """An Author from one printed name; None when it has no usable family name.

    initials_style: the list is 'Family Initials' throughout, so everything before the final
    initials is the family name ('de la Cruz Lopez M')."""
    tokens = tokens_of(name)
    if not tokens:
        return None
    if len(tokens) == 1:
        return Author(family=tokens[0]) if not is_dotted_initials(tokens[0]) else None
    if len(tokens) == 3 and _PATRONYMIC.search(tokens[-1]) and not _PATRONYMIC.search(tokens[1]):
        return Author(family=tokens[0], given=" ".join(tokens[1:]))  # 'Sycheva Marina Nikolaevna'
    if order == "family-first":
        return _family_first(tokens, initials_style)
    return _given_first(tokens)


def _family_first(tokens: list[str], initials_style: bool) -> Author:
    if is_initials(tokens[-1]) and (initials_style or len(tokens) == 2):
        return Author(family=" ".join(tokens[:-1]), initials=_initials_text(tokens[-1:]) or None)
    cut = _leading_family(tokens)
    rest = tokens[cut:]
    if all(is_initials(t) for t in rest):
        return Author(family=" ".join(tokens[:cut]), initials=_initials_text(rest) or None)
    return Author(family=" ".join(tokens[:cut]), given=" ".join(rest))


def _given_first(tokens: list[str]) -> Author:
    marks = [i for i, t in enumerate(tokens) if is_dotted_initials(t) or (i > 0 and t.isupper() and len(t) <= 2)]
    if marks and marks[-1] < len(tokens) - 1:
        last = marks[-1]
        family, given = tokens[last + 1:], tokens[:last + 1]
        if all(is_initials(t) for t in given):
            return Author(family=" ".join(family), initials=_initials_text(given) or None)
        return Author(family=" ".join(family), given=" ".join(given))
    start = _trailing_family(tokens)
    return Author(family=" ".join(tokens[start:]), given=" ".join(tokens[:start]))
