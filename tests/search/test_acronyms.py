"""Acronyms in queries (kb.search.acronyms.expand_query)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kb.search.acronyms import Glossary, expand_query


def _glossary() -> Glossary:
    glossary = Glossary()
    glossary.add("MP", "musculoskeletal pain")
    glossary.add("WPC", "Whole Person Care")
    return glossary


def test_an_acronym_inside_a_longer_token_is_not_the_acronym() -> None:
    # '6MP' (6-mercaptopurine) holds the letters MP but is another word
    assert expand_query("5'-nucleotidase metabolizes 6MP.", _glossary()) == []


def test_an_acronym_standing_alone_or_in_plural_is_expanded() -> None:
    found = expand_query("Did WPCs reduce MP?", _glossary())
    assert sorted((e.acronym, e.direction) for e in found) == [
        ("MP", "acronym→words"), ("WPC", "acronym→words")]


def test_long_form_in_the_query_brings_the_acronym() -> None:
    found = expand_query("whole person care pilots", _glossary())
    assert [(e.acronym, e.direction) for e in found] == [("WPC", "words→acronym")]


def _scan(query: str, glossary: Glossary) -> list[tuple[str, str, list[str]]]:
    """The definition, read entry by entry (what expand_query must equal, however it is built)."""
    from kb.search.acronyms import _TOKEN, _phrases
    from kb.text.normalize import fold

    tokens = {t.rstrip("s") if t.endswith("s") and t[:-1].isupper() else t for t in _TOKEN.findall(query)}
    folded = " " + " ".join(fold(query).replace("-", " ").split()) + " "
    out = []
    for acronym, expansions in glossary.entries.items():
        if acronym in tokens or (len(acronym) >= 4 and acronym.upper() in {t.upper() for t in tokens}):
            out.append((acronym, "acronym→words", expansions))
            continue
        for expansion in expansions:
            if any(f" {p} " in folded for p in _phrases(expansion)):
                out.append((acronym, "words→acronym", [expansion]))
                break
    return out


WORDS = ["whole", "person", "care", "pilot", "social", "services", "of", "the", "program", "WPC",
         "SSO", "CalAIM", "calaim", "care-coordination", "MP", "pain", "musculoskeletal"]


@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_expand_query_equals_the_entry_by_entry_definition(words: list[str]) -> None:
    glossary = _glossary()
    glossary.add("SSO", "social services organization")
    glossary.add("SSO", "social services office")
    glossary.add("CalAIM", "California Advancing and Innovating Medi-Cal")
    glossary.add("CC", "care coordination")
    glossary.add("WPCP", "whole person care pilot program")
    query = " ".join(words)
    got = [(e.acronym, e.direction, e.expansions) for e in expand_query(query, glossary)]
    assert got == _scan(query, glossary)


def test_a_glossary_answers_new_entries_after_an_add() -> None:
    glossary = _glossary()
    assert expand_query("care coordination", glossary) == []
    glossary.add("CC", "care coordination")
    assert [e.acronym for e in expand_query("care coordination", glossary)] == ["CC"]
