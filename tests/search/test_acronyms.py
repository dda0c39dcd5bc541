"""Acronyms in queries (kb.search.acronyms.expand_query)."""

from __future__ import annotations

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
