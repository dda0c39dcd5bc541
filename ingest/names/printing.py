"""What a byline prints around and instead of plain names: capitals throughout ('JOSÉ R. NARRO-ROBLES'),
affiliation letters after names ('Sarah Kim a, John Doe b,c'), icon words ('ORCID', 'email'),
degrees with marks or without a comma ('PhD2,3', 'Sarah Kim PhD'). ingest.names.lists reads
lists through these helpers; each works on the whole line, so the decision is the list's."""

from __future__ import annotations

import re

from ingest.names.affiliations import INSTITUTION
from ingest.names.vocab import DEGREES, MARKER_CHARS, is_degree, is_dotted_initials, is_initials
from kb.model.schema import Author

#: A lower-case affiliation letter (or letters 'a,c') after a name word, before a separator, the
#: line's end or the next capitalised name ('Sarah Kim a, John Doe,b and Ana Pérez a,c').
_LETTER_MARK = re.compile(r"(?<=[^\W\d_]{2})(?:\s+|\s*,\s*)[a-h](?:,[a-h])*(?=\s*,|\s*;|\s*$|\s+(?:and|&)\s|\s+[A-Z])")
LETTER_MARKS_NEEDED = 2  # one lone letter may be a word ('e', 'y' join names): two make a pattern

#: An icon's text left beside a name by a copied page ('Sarah Kim ORCID, …', 'John Doe email').
_ICON_WORD = re.compile(r"\s+(?:orcid(?:\s+icon)?(?:\s+profile)?|email symbol|e-?mail|✉)"
                        r"(?=\s*(?:[,;]|$|\s(?:and|&)\s))", re.I)
_MARK_TAIL = re.compile(rf"[{MARKER_CHARS},()]+$")
MIN_CAPS_WORD = 3  # in a line in capitals, a shorter word is read as initials ('J', 'AB')


def without_letter_marks(text: str) -> str:
    """The line without lower-case affiliation letters after its names, when it has two or more."""
    if len(_LETTER_MARK.findall(text)) < LETTER_MARKS_NEEDED:
        return text
    return _LETTER_MARK.sub(",", text)


def without_icon_words(text: str) -> str:
    """The line without icon words printed after its names ('ORCID', 'orcid icon', 'email')."""
    return _ICON_WORD.sub("", text)


def is_degree_token(token: str) -> bool:
    """A degree, also with an affiliation mark glued after it ('MD1', 'PhD2,3', 'M.C.(2)')."""
    bare = _MARK_TAIL.sub("", token.strip())
    return bool(bare) and is_degree(bare)


def _plain_degree(token: str) -> bool:
    """A degree that is never initials: mixed case ('PhD', 'MSc', 'DrPH') or, in capitals, one of
    three letters or more that the degree list holds ('MPH', 'MSW') or 'MD'."""
    bare = token.strip(".,;").replace(".", "")
    if not is_degree(bare) or is_dotted_initials(token):
        return False
    return any(c.islower() for c in bare) or len(bare) >= 3 or bare.casefold() == "md"


def without_trailing_degrees(piece: str) -> str:
    """A full name without the degrees printed after it with no comma ('Sarah Kim PhD',
    'John Doe MD MPH'): only after two full words, so 'Kim MD' keeps its initials."""
    words = piece.split()
    while len(words) > 2 and _plain_degree(words[-1]) and not any(is_initials(w) for w in words[:2]):
        words.pop()
    return " ".join(words)


def in_capitals(text: str) -> bool:
    """Every letter of the line is a capital and it has a word of MIN_CAPS_WORD letters or more."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) \
        and any(sum(c.isalpha() for c in w) >= MIN_CAPS_WORD for w in text.split())


def _caps_word(word: str) -> str:
    core = word.strip(".,;()")
    if sum(c.isalpha() for c in core) < MIN_CAPS_WORD or "." in core or core.casefold() in DEGREES:
        return word
    if core == "AND":
        return word.replace("AND", "and")
    return word.replace(core, "-".join(part.capitalize() for part in core.split("-")))


def shaped(text: str) -> tuple[str, dict[str, str]]:
    """A line in capitals in the case name rules read ('NARRO-ROBLES' -> 'Narro-Robles', 'AND'
    -> 'and'; initials and degrees kept), and the map back to the printed words."""
    back: dict[str, str] = {}
    out = []
    for word in text.split():
        new = _caps_word(word)
        back[new.strip(".,;()")] = word.strip(".,;()")
        out.append(new)
    return " ".join(out), back


def as_printed(author: Author, back: dict[str, str]) -> Author:
    """An author read from a shaped line, with its words as the page printed them."""
    def restore(value: str | None) -> str | None:
        return " ".join(back.get(w, w) for w in value.split()) if value else value
    return author.model_copy(update={"family": restore(author.family), "given": restore(author.given)})


#: An affiliation in brackets after a name ('Sarah Kim (University of Oslo, Oslo, Norway)').
_PAREN = re.compile(r"(?<=[^\W\d_])\s*\((?P<inside>[^()]{3,300})\)")


def without_paren_affiliations(text: str) -> str:
    """The line without the bracketed affiliations after its names (RePEc's and Emerald's
    'Name (Institution, City)'): brackets that name an institution."""
    return _PAREN.sub(lambda m: "" if INSTITUTION.search(m.group("inside")) else m.group(0), text)
