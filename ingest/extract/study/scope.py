"""Sentences by role: which sentences of which sections may speak of the study itself."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ingest.extract.study.tables import (
    SELF_REFERENCE,
    TEXT_TAILS,
)
from kb.model.schema import Section
from kb.text.sentences import split_sentences


@dataclass(frozen=True)
class Sentence:
    """One sentence of the abstract with the role of its section."""

    role: str
    text: str


class Spans:
    """Non-overlapping [start, end) spans; claiming one that overlaps a held span fails."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def claim(self, start: int, end: int) -> bool:
        """Hold [start, end) unless it overlaps a held span; True when held."""
        i = bisect.bisect_right(self._starts, start)
        if i and self._ends[i - 1] > start:
            return False
        if i < len(self._starts) and self._starts[i] < end:
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def sentences_of(sections: list[Section]) -> list[Sentence]:
    """Sentences with roles; a lone unlabelled section counts as role 'other'."""
    lone = len(sections) == 1 and not sections[0].label
    out: list[Sentence] = []
    for section in sections:
        role = "other" if lone else section.role
        text = TEXT_TAILS.sub("", section.text)
        for sentence in split_sentences(text):
            part = sentence.text
            if role == "background":
                if not SELF_REFERENCE.search(part):
                    continue
                out.append(Sentence("objective", part))
            else:
                out.append(Sentence(role, part))
    return out
