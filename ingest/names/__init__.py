"""Personal names and author lists in every order ('Chuang E', 'A.B. Surname', 'Emmeline Chuang',
'Family, Given' pairs, particles, markers, degrees) and affiliation lines."""

from __future__ import annotations

from ingest.names.affiliations import INSTITUTION, clean_affiliation, is_affiliation_line
from ingest.names.lists import (
    AuthorList,
    decide_order,
    letter_keys,
    listed_name,
    looks_like_name,
    read_author_list,
    without_letter_marks,
)
from ingest.names.person import Order, read_person
from ingest.names.printing import without_paren_affiliations
from ingest.names.vocab import PARTICLES
from kb.model.schema import Author

__all__ = [
    "PARTICLES", "AuthorList", "Order", "clean_affiliation", "decide_order", "is_affiliation_line",
    "is_author_line", "is_listed_name", "is_single_author", "letter_keys", "listed_name", "looks_like_name",
    "parse_author_line", "parse_name", "read_author_list", "read_person", "without_letter_marks",
]


def is_author_line(line: str, *, allow_single: bool = False, default: Order = "family-first") -> bool:
    """A line that is a list of personal names (two or more unless allow_single; most look
    like names; no institution named)."""
    if INSTITUTION.search(without_paren_affiliations(line)):
        return False
    found = read_author_list(line, default=default)
    if found is None or not found.authors or (found.names < 2 and not allow_single):
        return False
    return found.looked_like >= max(1, int(0.8 * found.names + 0.5))


def is_listed_name(line: str) -> bool:
    """A line of a byline listed one name a line behind bullets ('• Samantha Tesfaye 1 , 2 ,')."""
    name = listed_name(line)
    return name != line.strip() and line.lstrip()[:1] in "•·▪" and 2 <= len(name.split()) <= 5 \
        and is_author_line(name, allow_single=True, default="given-first")


def is_single_author(line: str) -> bool:
    """A line that is one family-first name with initials ('Chuang E', 'van der Berg JP.'): the
    only shape in which a lone name is told from a short title."""
    found = read_author_list(line, default="family-first")
    if found is None or found.names != 1 or len(found.authors) != 1 or found.looked_like != 1:
        return False
    author = found.authors[0]
    return bool(author.initials) and not author.given and found.order == "family-first"


def parse_author_line(line: str, *, default: Order = "family-first") -> list[Author]:
    """Authors of a line, the order decided for the whole list (default when nothing tells)."""
    found = read_author_list(line, default=default)
    return found.authors if found else []


def parse_name(name: str, *, given_first: bool = False) -> Author:
    """One name: 'Chuang E' / 'Haley Leigh Ann' (family first) or 'Leigh Ann Haley'."""
    author = read_person(name, "given-first" if given_first else "family-first")
    return author if author is not None else Author(family=name.strip())
