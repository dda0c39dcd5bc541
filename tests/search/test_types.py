"""Result types said in words: a meaning arm's cosine as a band."""

from __future__ import annotations

from kb.search.types import meaning_words


def test_cosines_read_as_words() -> None:
    assert [meaning_words(s) for s in (None, 0.1, 0.29, 0.30, 0.44, 0.45, 0.59, 0.60, 0.9)] == [
        "", "", "", "related in meaning", "related in meaning", "close in meaning", "close in meaning",
        "very close in meaning", "very close in meaning"]
