"""Merging two versions of one publication: an abbreviated and a full journal title are one
venue (no conflict, the full title kept); different journals are still a conflict."""

from __future__ import annotations

import pytest

from kb.dedup.evidence import same_venue_name
from kb.dedup.merge import merge
from kb.model.schema import Record, Section


@pytest.mark.parametrize("a, b, same", [
    ("Health Serv Res", "Health Services Research", True),
    ("Health Serv. Res.", "HEALTH SERVICES RESEARCH", True),
    ("N Engl J Med", "The New England Journal of Medicine", True),
    ("Health Serv Res", "Health Affairs", False),
    ("Med Care", "Medical Care Research and Review", False),   # words left over
    ("J Gen Intern Med", "Journal of General Internal Medicine", True),
    ("Health Res", "Health Services", False),
])
def test_same_venue_name(a: str, b: str, same: bool) -> None:
    assert same_venue_name(a, b) is same
    assert same_venue_name(b, a) is same


def _record(rid: str, venue: str) -> Record:
    return Record(id=rid, title="Collaboration strategies", venue=venue, year=2025,
                  abstract=[Section(text="Pilots used braided funds.")])


def test_merge_keeps_the_full_venue_without_a_conflict() -> None:
    for a, b in (("Health Serv Res", "Health Services Research"),
                 ("Health Services Research", "Health Serv Res")):
        merged = merge(_record("x", a), _record("y", b))
        assert merged.venue == "Health Services Research"
        assert not [f for f in merged.review.flags if f.field == "venue"]


def test_merge_flags_two_different_journals() -> None:
    merged = merge(_record("x", "Health Serv Res"), _record("y", "Health Affairs"))
    assert merged.venue == "Health Serv Res"
    assert [f.code for f in merged.review.flags if f.field == "venue"] == ["merge-conflict"]
