"""Schema normalizers and strictness."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kb.model.schema import Author, Identifiers, Record, initials_of, json_schema


@pytest.mark.parametrize("raw,doi", [
    ("https://doi.org/10.1111/1475-6773.14417", "10.1111/1475-6773.14417"),
    ("doi: 10.1111/ABC.1.", "10.1111/abc.1"),
    ("DOI:10.1001/JAMA.2019", "10.1001/jama.2019"),
])
def test_doi_normalized(raw: str, doi: str) -> None:
    assert Identifiers(doi=raw).doi == doi


def test_bad_doi_and_pmid_rejected() -> None:
    with pytest.raises(ValidationError):
        Identifiers(doi="not a doi")
    with pytest.raises(ValidationError):
        Identifiers(pmid="abc")
    assert Identifiers(pmid="PMID: 0039632564").pmid == "39632564"
    assert Identifiers(pmcid="11984336").pmcid == "PMC11984336"


def test_author_initials_and_requirements() -> None:
    assert Author(family="Haley", given="Leigh Ann").initials == "LA"
    assert initials_of("Jean-Paul") == "JP"
    with pytest.raises(ValidationError):
        Author(given="Nobody")


def test_extra_fields_forbidden_and_dates_checked() -> None:
    with pytest.raises(ValidationError):
        Record(colour="red")
    with pytest.raises(ValidationError):
        Record(published="May 2025")
    assert Record(published="2025-05").published == "2025-05"


def test_unsafe_id_rejected() -> None:
    with pytest.raises(ValidationError):
        Record(id="../x")


def test_json_schema_has_version_and_findings() -> None:
    schema = json_schema()
    assert "schema_version" in schema["properties"]
    assert "Finding" in schema["$defs"]
