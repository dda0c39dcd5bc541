"""Author lists as printed on pages and in exports: split a line into names (commas, semicolons,
'and', bullets, affiliation markers glued to names, names printed twice, degrees, 'Family, Given'
pairs, names with no separator at all), then decide the name order once for the whole list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.names.person import Order, is_name_token, read_person, tokens_of
from ingest.names.printing import (
    as_printed,
    in_capitals,
    is_degree_token,
    shaped,
    without_icon_words,
    without_paren_affiliations,
    without_trailing_degrees,
)
from ingest.names.printing import without_letter_marks as without_spaced_letters
from ingest.names.vocab import (
    HONORIFICS,
    MARKER_CHARS,
    NOT_NAMES,
    is_dotted_initials,
    is_initials,
    is_particle,
)
from kb.model.schema import Author
from kb.text.normalize import cjk_count

_LEAD = re.compile(r"^\s*(?:[|•·▪]\s*)?(?:by|authors?|author\(s\)|written by|verfasst von|autor(?:es|a)?(?:\s+principal(?:es)?)?|"
                   r"auteurs?|autoren|(?:[^,\n]{0,80},\s*)?автор(?:ы)?(?:\s+научной\s+работы)?)\s*[:：—–]?\s+", re.I)
#: The faculty a German doctorate names after 'Dr.' ('Dr. phil. Julian Wangler', 'Dr. med. …').
_GERMAN_DEGREE = re.compile(r"\b(Dr\.)\s*(?:phil|med|rer\.\s*nat|rer\.\s*pol|med\.\s*dent|habil|h\.\s*c)\.\s*")
_ET_AL = re.compile(r"[,;]?\s*\bet\s+al\b\.?", re.I)
_AND = re.compile(r"\s+(?:and|&|und|y|e|et)\s+(?=[A-Z])")
_BULLET = re.compile(r"(?:^|\s)[*•·●▪]\s+")
_GLUED_MARK = re.compile(rf"(?<=[^\W\d_.])[{MARKER_CHARS},]*[{MARKER_CHARS}][{MARKER_CHARS},]*(?=\s*[^\W\d_])")
_TRAIL_MARK = re.compile(rf"[\s{MARKER_CHARS},]+$")
_SPACED_MARK = re.compile(rf"(?<=\w)\s+[{MARKER_CHARS}][{MARKER_CHARS},\s]*(?=,|$|\s+[^\W\d_])")
_AFF_MARK = re.compile(r"\s*\baff\d{1,3}\b")
_MARKS_ONLY = re.compile(rf"[{MARKER_CHARS}\s]+")
_PAREN_MARK = re.compile(r"\s*\(\d{1,2}(?:,\s*\d{1,2})*\)\s*")  # 'NARRO-ROBLES, M.C.,(1) J. …'
  # affiliation ids of XML-rendered pages ('Paul Farand aff001;')
_TWICE = re.compile(r"^(.+?)\s*\1$")
_ICONS = re.compile(r"\s+(?:email symbol|symbol|orcid(?: icon)?|e-?mail|✉)\s*$", re.I)
_SENTENCE = re.compile(r"\b(?:was|were|is|are|has|have|had|we|our|this|these|that|which|to|of the|in the|for the)\b")


@dataclass
class AuthorList:
    """The authors read from one line, how sure the reading is, and what was noticed."""

    authors: list[Author]
    names: int
    looked_like: int
    order: Order
    et_al: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.looked_like / self.names if self.names else 0.0


_LISTED_BULLET = re.compile(r"^[•·▪*\-]\s+")
# affiliation numbers and marks at the end of a name ('1 , 2 ,', '*†'): each separator is spaces
# or one comma, so no text can be split two ways (a nested `(…\s*…)+$` backtracked for minutes on
# a long run of numbers that did not end the line)
_LISTED_MARKS = re.compile(r"\s*[\d*†‡§&](?:(?:\s*,\s*|\s+)?[\d*†‡§&])*(?:\s*,)?\s*$")
_MARK_SYMBOLS = frozenset("*†‡§&,")


def _without_marks(text: str) -> str:
    """`text` without its trailing affiliation marks, the pattern run on the tail that can hold
    them (the characters it matches), never on the whole line."""
    start = len(text)
    while start and (text[start - 1] in _MARK_SYMBOLS or text[start - 1].isspace()
                     or text[start - 1].isdecimal()):
        start -= 1
    return text[:start] + _LISTED_MARKS.sub("", text[start:])


def _listed_once(text: str) -> str:
    return _without_marks(_LISTED_BULLET.sub("", text))


def listed_name(line: str) -> str:
    """A name line of a bulleted byline without its bullet, affiliation numbers and final '&'
    ('• Samantha Tesfaye 1 , 2 ,' -> 'Samantha Tesfaye')."""
    return _listed_once(_listed_once(line.strip())).strip(" ,")


_ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)"
_ROMAN_MARK = re.compile(rf",\s*{_ROMAN}\s+(?=[^\W\d_])")
_ROMAN_GLUED_END = re.compile(rf"(?<=[a-zà-ÿ]){_ROMAN}\s*$")


def _without_roman_marks(text: str) -> str:
    """A byline without the Roman numerals that key its affiliations ('Judit Martínez Abreu, I MsC.
    Silvio …, II DrC. …, …DurruthyV'), when the line shows them as a run: ', I ' then ', II '."""
    first, second = re.search(r",\s*I\s", text), re.search(r",\s*II\s", text)
    if not (first and second and first.start() < second.start()):
        return text
    return _ROMAN_GLUED_END.sub("", _ROMAN_MARK.sub(", ", text))


# an honorific with its full stop before a name ('MsC. Silvio Faustino Soler Cárdenas'), so five
# name words after it are one name, not names run together
_DOTTED_HONORIFIC = re.compile(r"(?:^|(?<=,\s))(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True))
                               + r")\.\s+(?=[^\W\d_])", re.I)


def _clean_line(line: str) -> tuple[str, bool]:
    text = _without_roman_marks(_GERMAN_DEGREE.sub(r"\1 ", _LEAD.sub("", line.strip())))
    text = _DOTTED_HONORIFIC.sub("", text)
    found = _ET_AL.search(text)
    et_al = bool(found)
    if found:
        text = text[:found.start()]  # what follows 'et al.' is a citation ('… et al. JAMA Intern Med.')
    text = without_icon_words(_ICONS.sub("", without_paren_affiliations(text)))
    text = _AFF_MARK.sub("", text)
    text = _PAREN_MARK.sub(",", text)
    text = text.replace("\\n", " ")
    text = _BULLET.sub(", ", text)
    text = _GLUED_MARK.sub(", ", text)
    text = _SPACED_MARK.sub(",", text)
    text = without_spaced_letters(text)
    text = _AND.sub(", ", text)
    text = re.sub(r"\s*,\s*(?:,\s*)+", ", ", text)
    text = text.strip(" ,;|")
    return (text if _ends_with_initial(text) else text.rstrip(". ")), et_al


def _ends_with_initial(text: str) -> bool:
    return bool(re.search(r"\b[A-Z]\.$", text.strip()))


def _pieces(text: str) -> tuple[list[str], bool]:
    """Name strings of a cleaned line, and whether they are explicit 'Family, Given' pairs."""
    if ";" in text:
        # each name with its degrees: 'Anne Bozack, MPH; Patricia Volland, MSW, MBA; and Linda Weiss, PhD'
        parts = [", ".join(_without_degrees(p)) for p in text.split(";")]
        parts = [p for p in parts if p]
        if all(p.count(",") == 1 for p in parts):
            return [_pair(p) for p in parts], True
        return [q.strip() for p in parts for q in p.split(",") if q.strip()], False
    parts = [_TWICE.sub(r"\1", _TRAIL_MARK.sub("", p).strip()) for p in text.split(",") if p.strip()]
    parts = [p for p in parts if not all(is_degree_token(t) for t in p.split())] if len(parts) > 1 else parts
    parts = [without_trailing_degrees(p) for p in parts]
    if _alternating(parts):
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)], True
    return [name for p in parts for name in (_unseparated(p) if _runs_together(p) else [p])], False


def _without_degrees(part: str) -> list[str]:
    """The comma-separated pieces of one name that are not degrees ('Linda Weiss, PhD' -> ['Linda Weiss'])."""
    pieces = [q.strip() for q in part.strip(" ,").split(",") if q.strip()]
    pieces = [q for q in pieces if not _MARKS_ONLY.fullmatch(q)]  # 'PhD2,3' split at its comma
    kept = [without_trailing_degrees(q) for q in pieces if not all(is_degree_token(t) for t in q.split())]
    # only after a full name: in 'Ross, MS' the 'MS' is initials
    return kept if len(kept) == 1 and len(pieces) > 1 and len(kept[0].split()) >= 2 else pieces


def _runs_together(piece: str) -> bool:
    """Five or more name words with no particle: several names printed without separators."""
    words = piece.split()
    return len(words) >= 5 and all(is_name_token(w) and not is_particle(w) for w in words)


def _pair(piece: str) -> str:
    family, given = (s.strip() for s in piece.split(",", 1))
    return f"{family}, {given}"


def _alternating(parts: list[str]) -> bool:
    """'Jonas, Wayne B., Rosenbaum, Elena': family names and given names take turns."""
    if len(parts) < 2 or len(parts) % 2:
        return False
    families, givens = parts[0::2], parts[1::2]
    for family in families:
        words = family.split()
        if not 1 <= len(words) <= 3 or any(is_initials(w) for w in words) or not all(
                is_particle(w) for w in words[:-1]):
            return False
    if not all(len(g.split()) <= 3 for g in givens):
        return False
    return any(is_dotted_initials(g.split()[-1]) or len(g.split()) > 1 for g in givens)


def _unseparated(text: str) -> list[str]:
    """'Timothy J. Layton Nicole Maestas Daniel Prinz' -> one name per given+family pair."""
    tokens = [t for t in text.split() if t]
    names, current = [], []
    for token in tokens:
        current.append(token)
        if len(current) >= 2 and not is_initials(token) and not token.islower():
            names.append(" ".join(current))
            current = []
    if current:
        names.append(" ".join(current))
    return names


def looks_like_name(name: str) -> bool:
    """One to five capitalised tokens (or initials), none a heading word, nothing sentence-like."""
    piece = name.split(",", 1)
    tokens = tokens_of(name.replace(",", " ")) if len(piece) == 2 else tokens_of(name)
    if not 1 <= len(tokens) <= 6 or len(name) > 70:
        return False
    if _SENTENCE.search(name.lower()) and not all(t[0].isupper() for t in tokens):
        return False
    if not all(is_name_token(t) for t in tokens):
        return False
    if any(len(t) > 25 or (cjk_count(t) and len(t) > 5) for t in tokens):
        return False  # a run of CJK prose or a glued string, not a name
    words = [t for t in tokens if not is_initials(t)]
    if not words or any(w.casefold().strip(".") in NOT_NAMES for w in words):
        return False
    return not all(t.isupper() and len(t) > 3 for t in words)


def decide_order(pieces: list[str], *, pairs: bool, default: Order) -> tuple[Order, bool]:
    """(name order, 'Family Initials' style) for a whole list, from the evidence of all its
    names: trailing initials ('Chuang E', 'Mills Katherine T') mean family first; initials in
    front or in the middle ('A.B. Surname', 'Regina M. Thetsane') mean given first."""
    if pairs:
        return "family-first", False
    trailing = leading = 0
    for piece in pieces:
        tokens = tokens_of(piece)
        if len(tokens) < 2:
            continue
        if is_initials(tokens[-1]) and not is_dotted_initials(tokens[-1]) or (
                is_dotted_initials(tokens[-1]) and not any(is_dotted_initials(t) for t in tokens[:-1])
                and len(tokens) == 2):
            trailing += 1
        elif any(is_dotted_initials(t) or (t.isupper() and len(t) <= 2) for t in tokens[:-1]):
            leading += 1
    if trailing > leading:
        style = sum(1 for p in pieces if len(tokens_of(p)) >= 2 and is_initials(tokens_of(p)[-1])
                    and not any(len(t) > 1 and not is_initials(t) for t in tokens_of(p)[1:-1]))
        return "family-first", style >= max(1, len(pieces) // 2)
    if leading > trailing:
        return "given-first", False
    return default, False


def read_author_list(line: str, *, default: Order = "given-first", markers_mean_given_first: bool = True
                     ) -> AuthorList | None:
    """The authors of a line, or None when it is not a list of people."""
    line = without_icon_words(line)
    capitals = in_capitals(_LEAD.sub("", line))
    line, back = shaped(line) if capitals else (line, {})
    if len(line) > 2000 or re.search(r"[.!?]\s+[A-Z][a-z]+\s+[a-z]+\s+[a-z]", line):
        return None
    had_markers = bool(re.search(rf"[^\W\d_][{MARKER_CHARS}]|\s\d{{1,2}}(?:,\d{{1,2}})*(?:,|$)", line))
    text, et_al = _clean_line(line)
    if not text or re.search(r"[:：]\s", text):
        return None  # 'Report to Congress: Social Risk Factors …' is a title, not names
    pieces, pairs = _pieces(text)
    pieces = [_TRAIL_MARK.sub("", p).strip() for p in pieces]
    pieces = [p for p in pieces if p]
    if not pieces:
        return None
    named = _names_of_list(pieces, capitals=capitals, separated=bool(re.search(r"[,;]", text)))
    good = sum(named)
    fallback: Order = "given-first" if had_markers and markers_mean_given_first else default
    order, initials_style = decide_order(pieces, pairs=pairs, default=fallback)
    authors = []
    for piece, is_name in zip(pieces, named, strict=True):
        if not is_name:
            continue
        if pairs:
            family, given = (s.strip() for s in piece.split(",", 1))
            author = _from_pair(family, given)
        else:
            author = read_person(piece, order, initials_style=initials_style)
        if author is not None:
            authors.append(as_printed(author, back) if capitals else author)
    return AuthorList(authors=authors, names=len(pieces), looked_like=good, order=order, et_al=et_al)


def _names_of_list(pieces: list[str], *, capitals: bool, separated: bool) -> list[bool]:
    """Which pieces of a list are names. A name whose family name is also a word of page furniture
    ('Anne Case', 'Case A', 'Larry Page') counts when the line separates its names and a plain
    name stands in the same list; in a line in capitals a name has two words at least (a lone
    capitalised word is a heading's)."""
    strict = [looks_like_name(p) and (not capitals or len(tokens_of(p)) >= 2) for p in pieces]
    if capitals and len(pieces) == 1 and not any(is_dotted_initials(t) for t in tokens_of(pieces[0])):
        return [False]  # one name in capitals without initials is a heading's words ('ARTÍCULO ESPECIAL')
    if len(pieces) < 2 or not any(strict) or not separated:
        return strict
    return [s or _furniture_family(p) for s, p in zip(strict, pieces, strict=True)]


def _furniture_family(piece: str) -> bool:
    """'Anne Case' or 'Case A': two or three tokens, the family word (last, or first before
    initials) the only one in NOT_NAMES, the others a given name or initials."""
    tokens = tokens_of(piece)
    if not 2 <= len(tokens) <= 3 or not all(is_name_token(t) for t in tokens):
        return False
    family = 0 if all(is_initials(t) for t in tokens[1:]) else len(tokens) - 1
    others = [t for i, t in enumerate(tokens) if i != family]
    return tokens[family].casefold() in NOT_NAMES and not is_initials(tokens[family]) \
        and not any(t.casefold().strip(".") in NOT_NAMES and not is_initials(t) for t in others) \
        and (all(is_initials(t) for t in others) or looks_like_name(" ".join(others)))


def _from_pair(family: str, given: str) -> Author:
    tokens = tokens_of(given)
    if tokens and all(is_initials(t) for t in tokens) and (len(tokens) > 1 or "." in given or len(given) <= 3):
        return Author(family=family, initials="".join(c for c in given if c.isupper()) or None)
    return Author(family=family, given=given or None)


_LETTER_KEY = re.compile(r"^(?P<key>[a-f])(?=[A-Z][a-z])")  # 'aDepartment of …': an affiliation keyed by a letter
_NAME_SEPARATOR = re.compile(r"\s*,\s*|\s+(?:and|&|y|e|et|und)\s+")


def letter_keys(lines: list[str]) -> str:
    """The letters that key affiliation lines glued to their first word ('aDepartment of …',
    'bUniversity …'), in page order."""
    return "".join(m.group("key") for line in lines if (m := _LETTER_KEY.match(line.strip())))


def without_letter_marks(line: str, keys: str = "") -> str:
    """A byline without the affiliation letters glued to its family names ('Jill Howie-Esquivela, c,
    Maureen Carrollb' -> 'Jill Howie-Esquivel, Maureen Carroll'), when something shows they are
    marks: every name ends in one of the page's affiliation keys, or (no keys printed) the names'
    last letters run a, b, … in order over three names or more, two letters used at least.
    Any other line is kept."""
    pieces = [p for p in _NAME_SEPARATOR.split(line.strip()) if p]
    names = [p for p in pieces if not re.fullmatch(r"[a-f]", p)]
    if len(names) < 2:
        return line
    ends = [p[-1] for p in names]
    stripped = [p[:-1] for p in names]
    if not all(looks_like_name(s) and s[-1:].isalpha() for s in stripped):
        return line
    if keys:
        marked = all(e in keys for e in ends)
    else:
        marked = len(names) >= 3 and ends[0] == "a" and all("a" <= e <= "f" for e in ends) \
            and list(ends) == sorted(ends) and len(set(ends)) >= 2
    if not marked:
        return line
    text = re.sub(r"(?<=[^\W\d_])[a-f](?=\s*(?:,|$|\s+(?:and|&|y|e|et|und)\s))", "", line.strip())
    return re.sub(r",\s*[a-f](?=\s*(?:,|$))", "", text)
