"""Acronym expansion for search: the shipped list (kb/acronyms.toml) plus record glossaries."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field, PrivateAttr

from kb.model.settings_file import read_toml
from kb.search.lexical import STOPWORDS, fold

DEFAULT_ACRONYMS = Path(__file__).with_name("acronyms.toml")
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9&\-]*")
_MIN_PHRASE_WORDS = 2


class Expansion(BaseModel):
    """One acronym the query used (or spelled out), with its long forms."""

    acronym: str
    expansions: list[str]
    direction: str  # "acronym→words" or "words→acronym"

    def note(self) -> str:
        if self.direction == "words→acronym":
            return f"{self.expansions[0]} → {self.acronym}"
        return f"{self.acronym} → {' / '.join(self.expansions)}"


class Lookup(BaseModel):
    """A glossary arranged for queries: entry positions by acronym (and by its upper case for
    acronyms of four letters or more), and (position, rank of the long form, long form) by every
    folded phrase that spells a long form out."""

    exact: dict[str, int] = Field(default_factory=dict)
    upper: dict[str, list[int]] = Field(default_factory=dict)
    phrases: dict[str, list[tuple[int, int, str]]] = Field(default_factory=dict)
    longest: int = 0


class Glossary(BaseModel):
    """Acronym (as written, e.g. 'CalAIM') → distinct long forms."""

    entries: dict[str, list[str]] = Field(default_factory=dict)
    _lookup: Lookup | None = PrivateAttr(default=None)

    def add(self, acronym: str, expansion: str) -> None:
        acronym, expansion = acronym.strip(), " ".join(expansion.split())
        if not acronym or not expansion:
            return
        known = self.entries.setdefault(acronym, [])
        if fold(expansion) not in {fold(e) for e in known}:
            known.append(expansion)
            self._lookup = None

    def lookup(self) -> Lookup:
        """The query-side arrangement, built once and again after an add."""
        if self._lookup is None:
            self._lookup = _arrange(self.entries)
        return self._lookup


def _arrange(entries: dict[str, list[str]]) -> Lookup:
    out = Lookup()
    for position, (acronym, expansions) in enumerate(entries.items()):
        out.exact[acronym] = position
        if len(acronym) >= 4:
            out.upper.setdefault(acronym.upper(), []).append(position)
        for rank, expansion in enumerate(expansions):
            for phrase in _phrases(expansion):
                out.phrases.setdefault(phrase, []).append((position, rank, expansion))
                out.longest = max(out.longest, phrase.count(" ") + 1)
    return out


def load_acronyms(path: Path | None = None) -> Glossary:
    """The shipped acronym list (or another file of the same shape)."""
    path = path or DEFAULT_ACRONYMS
    data = read_toml(path, "acronym list")
    glossary = Glossary()
    for acronym, expansions in data.get("acronyms", {}).items():
        for expansion in expansions if isinstance(expansions, list) else [expansions]:
            glossary.add(acronym, str(expansion))
    return glossary


def _phrases(expansion: str) -> list[str]:
    """Folded forms of an expansion that count as spelling it out: the whole and its leading
    parts ('whole person care pilot program', …, 'whole person care')."""
    words = fold(expansion).replace("-", " ").split()
    out = []
    for end in range(len(words), _MIN_PHRASE_WORDS - 1, -1):
        if words[end - 1] not in STOPWORDS:
            out.append(" ".join(words[:end]))
    return out


def expand_query(query: str, glossary: Glossary) -> list[Expansion]:
    """Acronyms in the query (matched case-sensitively when short, so 'or'/'OR' differ) and
    long forms spelled out in it, in glossary order. Costs in proportion to the query, not to
    the glossary (a knowledge base's glossaries hold thousands of acronyms)."""
    lookup, names = glossary.lookup(), list(glossary.entries)
    tokens = {t.rstrip("s") if t.endswith("s") and t[:-1].isupper() else t
              for t in _TOKEN.findall(query)}
    used = {lookup.exact[t] for t in tokens if t in lookup.exact}
    used.update(p for t in tokens for p in lookup.upper.get(t.upper(), []))
    words = " ".join(fold(query).replace("-", " ").split()).split()
    spelled: dict[int, tuple[int, str]] = {}   # position → (rank, long form) of its first match
    for size in range(_MIN_PHRASE_WORDS, min(lookup.longest, len(words)) + 1):
        for start in range(len(words) - size + 1):
            for position, rank, expansion in lookup.phrases.get(" ".join(words[start:start + size]), []):
                if position not in used and rank < spelled.get(position, (len(glossary.entries[names[position]]), ""))[0]:
                    spelled[position] = (rank, expansion)
    found = [Expansion(acronym=names[p], expansions=glossary.entries[names[p]],
                       direction="acronym→words") for p in used]
    found += [Expansion(acronym=names[p], expansions=[e], direction="words→acronym")
              for p, (_, e) in spelled.items()]
    order = {name: i for i, name in enumerate(names)}
    return sorted(found, key=lambda e: order[e.acronym])
