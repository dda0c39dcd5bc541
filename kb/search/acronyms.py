"""Acronym expansion for search: the shipped list (kb/acronyms.toml) plus record glossaries."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field

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


class Glossary(BaseModel):
    """Acronym (as written, e.g. 'CalAIM') → distinct long forms."""

    entries: dict[str, list[str]] = Field(default_factory=dict)

    def add(self, acronym: str, expansion: str) -> None:
        acronym, expansion = acronym.strip(), " ".join(expansion.split())
        if not acronym or not expansion:
            return
        known = self.entries.setdefault(acronym, [])
        if fold(expansion) not in {fold(e) for e in known}:
            known.append(expansion)


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
    long forms spelled out in it."""
    tokens = {t.rstrip("s") if t.endswith("s") and t[:-1].isupper() else t
              for t in _TOKEN.findall(query)}
    folded = " " + " ".join(fold(query).replace("-", " ").split()) + " "
    found: list[Expansion] = []
    for acronym, expansions in glossary.entries.items():
        if acronym in tokens or (len(acronym) >= 4 and acronym.upper() in {t.upper() for t in tokens}):
            found.append(Expansion(acronym=acronym, expansions=expansions, direction="acronym→words"))
            continue
        for expansion in expansions:
            if any(f" {p} " in folded for p in _phrases(expansion)):
                found.append(Expansion(acronym=acronym, expansions=[expansion],
                                       direction="words→acronym"))
                break
    return found
