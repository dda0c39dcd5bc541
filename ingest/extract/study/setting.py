"""Places named as the study's setting (states, countries, cities, demonyms)."""

from __future__ import annotations

import re

from ingest.extract.study.scope import (
    Sentence,
)
from ingest.extract.study.tables import (
    COUNTRIES,
    DEMONYM_NOUNS,
    DEMONYMS,
    PLACE_ALIASES,
    PLACE_EVENTS,
    PLACE_LISTS,
    SETTING_ROLES,
    US_STATES,
)
from kb.text.prefilter import Prefiltered, lowered

_PLACE_NAMES = {name: name for name in (*US_STATES, *COUNTRIES)} | PLACE_ALIASES
_PLACE_ALT = "|".join(re.escape(p) for p in sorted(_PLACE_NAMES, key=len, reverse=True))
_PLACE_RX = re.compile(rf"(?<![\w\-])(?:{_PLACE_ALT})(?![\w\-]|\.\w)")
_CITY_PLACE_RX = re.compile(
    rf"\b(?:in|of|from|at|near)\s+(?P<city>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s+(?P<place>{_PLACE_ALT})"
    r"(?![\w\-])")
_PLACE_EVENTS, _PLACE_LISTS = Prefiltered(PLACE_EVENTS), Prefiltered(PLACE_LISTS)
_DEMONYM_RX = re.compile(
    rf"(?<![\w\-])(?P<d>{'|'.join(sorted(DEMONYMS, key=len, reverse=True))})\s+"
    r"(?P<next>(?:[\w'’\-]+\s+){0,2}[\w'’\-]+)")


def _place_list_items(items: str) -> list[str]:
    """'Los Angeles, San Diego, and Sonoma' -> the capitalised names."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", items)
    names = [p.strip() for p in parts if p.strip()]
    ok = all(re.fullmatch(r"[A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*){0,3}", n) for n in names)
    return names if ok and len(names) >= 2 else []


def _places_in(text: str) -> list[tuple[int, str]]:
    """(position, place) for every place named in one sentence."""
    found: list[tuple[int, str]] = []
    combined = set()
    for m in _CITY_PLACE_RX.finditer(text):
        if m.group("city") not in _PLACE_NAMES:
            found.append((m.start("city"), f"{m.group('city')}, {m.group('place')}"))
            combined.add(m.start("place"))
    for m in _PLACE_RX.finditer(text):
        if m.start() not in combined:
            found.append((m.start(), _PLACE_NAMES[m.group()]))
    for m in _DEMONYM_RX.finditer(text):
        words = [re.sub(r"['’]s$", "", w).lower() for w in m.group("next").split()]
        if any(w in DEMONYM_NOUNS for w in words):
            found.append((m.start(), DEMONYMS[m.group("d")]))
    low = lowered(text)
    for m in _PLACE_EVENTS.finditer(text, low):
        found.append((m.start("place"), _PLACE_NAMES.get(m.group("place"), m.group("place"))))
    for m in _PLACE_LISTS.finditer(text, low):
        items = _place_list_items(m.group("items"))
        found.extend((m.start("items") + i, item) for i, item in enumerate(items))
    return sorted(found)


def extract_setting(sentences: list[Sentence]) -> list[str]:
    """Places named in the text (gazetteer, demonyms, place lists), in order, deduplicated."""
    places: list[str] = []
    for sent in sentences:
        if sent.role not in SETTING_ROLES:
            continue
        for _, place in _places_in(sent.text):
            if place not in places:
                places.append(place)
    return places
