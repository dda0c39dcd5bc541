"""Recognise and parse author lines ('Chuang E, Ross R', 'Chuang Emmeline, …', 'Emmeline Chuang 1, …')
and affiliation lines."""

from __future__ import annotations

import re

from kb.model.schema import Author

PARTICLES = frozenset("van von der den de del della di da dos du la le ter ten st".split())
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][\w'’\-]*\.?|(?:[A-Z]\.?){1,4}|(?:%s))$" % "|".join(PARTICLES), re.U)
_REF = re.compile(r"[\s\d,*†‡§¶#]+$")
_INSTITUTION = re.compile(
    r"\b(?:University|Universit[äéà]|School|Department|Dept|Institute|Hospital|Center|Centre|"
    r"College|Faculty|Division|Laboratory|Ministry|Agency|Clinic|Foundation|Council|Academy|"
    r"Health System|Medical Cent|Research|Program(?:me)?|Unit|Inc\.|LLC|Corporation)\b"
)
_SENTENCE_VERB = re.compile(
    r"\b(?:was|were|is|are|has|have|had|used|found|identified|reported|included|showed|assessed|"
    r"examined|suggests?|the|we|our|this|these)\b"
)


def _strip_refs(name: str) -> tuple[str, bool]:
    """Drop trailing affiliation numbers/markers: 'Emmeline Chuang 1 2' -> ('Emmeline Chuang', True)."""
    stripped = _REF.sub("", name).strip()
    return stripped, stripped != name.strip()


def _split_names(line: str) -> list[str]:
    line = re.sub(r"\s+(?:and|&)\s+", ", ", line.strip().rstrip("."))
    line = re.sub(r",?\s+et al\.?$", "", line)
    return [n.strip() for n in re.split(r"\s*[,;]\s*(?![\d,\s]*$)", line) if n.strip()]


def looks_like_name(name: str) -> bool:
    """Two to five capitalised tokens (or initials), nothing sentence-like."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 5 or len(name) > 60:
        return False
    if _SENTENCE_VERB.search(name.lower()) and not all(t[0].isupper() for t in tokens):
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens)


def is_author_line(line: str, *, allow_single: bool = False) -> bool:
    """A line that is a list of personal names (two or more unless allow_single; most look like names)."""
    if len(line) > 1500 or re.search(r"[.!?]\s+[A-Z][a-z]+\s+[a-z]", line):
        return False
    if _INSTITUTION.search(line):
        return False
    names = [_strip_refs(n)[0] for n in _split_names(line)]
    if not names or (len(names) < 2 and not allow_single):
        return False
    good = sum(looks_like_name(n) for n in names)
    return good >= max(1, int(0.8 * len(names) + 0.5))


def _is_initials(token: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.?){1,4}|[A-Z]\.?-[A-Z]\.?", token))


def parse_name(name: str, *, given_first: bool = False) -> Author:
    """'Chuang E' / 'Haley Leigh Ann' / 'van der Berg J' (family first) or 'Leigh Ann Haley'."""
    tokens = name.split()
    if _is_initials(tokens[-1]):
        return Author(family=" ".join(tokens[:-1]), initials=tokens[-1].replace(".", ""))
    if given_first:
        cut = len(tokens) - 1
        while cut > 1 and tokens[cut - 1].lower() in PARTICLES:
            cut -= 1
        return Author(family=" ".join(tokens[cut:]), given=" ".join(tokens[:cut]))
    cut = 1
    while cut < len(tokens) - 1 and tokens[cut - 1].lower() in PARTICLES:
        cut += 1
    return Author(family=" ".join(tokens[:cut]), given=" ".join(tokens[cut:]))


def parse_author_line(line: str) -> list[Author]:
    """Authors of a line; names followed by reference numbers are read given-name first."""
    raw = _split_names(line)
    stripped = [_strip_refs(n) for n in raw]
    given_first = sum(had for _, had in stripped) >= max(1, len(stripped) // 2)
    return [parse_name(n, given_first=given_first) for n, _ in stripped if looks_like_name(n)]


def is_affiliation_line(line: str) -> bool:
    """An institution line: names an institution, short, not a sentence of prose."""
    text = re.sub(r"^\s*(?:\d+|[a-z])[.)]?\s+", "", line)
    if len(text) > 400 or not _INSTITUTION.search(text):
        return False
    lowered = text.lower()
    verbs = len(re.findall(r"\b(?:was|were|is|are|we|our|used|found|this|these)\b", lowered))
    return verbs == 0 and text.count(",") >= 1


def clean_affiliation(line: str) -> str:
    """Drop a leading reference number: '1 School of …' -> 'School of …'."""
    return re.sub(r"^\s*\d+[.)]?\s+", "", line).strip()
