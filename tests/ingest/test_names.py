"""Author and affiliation lines."""

from __future__ import annotations

from ingest.names import is_affiliation_line, is_author_line, parse_author_line


def _names(line: str) -> list[tuple]:
    return [(a.family, a.given, a.initials) for a in parse_author_line(line)]


def test_family_first_full_names() -> None:
    assert _names("Chuang Emmeline, Haley Leigh Ann, O'Masta Brenna") == [
        ("Chuang", "Emmeline", "E"), ("Haley", "Leigh Ann", "LA"), ("O'Masta", "Brenna", "B")]


def test_initials_and_particles() -> None:
    assert _names("Chuang E, van der Berg JP, Haley L.A.") == [
        ("Chuang", None, "E"), ("van der Berg", None, "JP"), ("Haley", None, "LA")]


def test_given_first_with_affiliation_numbers() -> None:
    assert _names("Emmeline Chuang 1, Rachel Ross 2 3, Nadia Safaeinili 1") == [
        ("Chuang", "Emmeline", "E"), ("Ross", "Rachel", "R"), ("Safaeinili", "Nadia", "N")]


def test_what_is_not_an_author_line() -> None:
    assert not is_author_line("Health Serv Res")
    assert not is_author_line("Pilots used multiple strategies to facilitate the integration of care.")
    assert not is_author_line("School of Medicine, Stanford University, Palo Alto, California, USA.")
    assert is_author_line("Smith J and Jones K")


def test_affiliation_lines() -> None:
    assert is_affiliation_line("School of Social Welfare, University of California Berkeley, Berkeley, California, USA.")
    assert is_affiliation_line("1 Department of Health Policy, Yale University, New Haven, CT.")
    assert not is_affiliation_line("The University was founded in 1868 and is large.")
