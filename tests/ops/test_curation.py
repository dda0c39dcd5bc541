"""A librarian's edits: metadata fields validated with the field named, findings edited, added
and deleted (edited ones curated, always quoting the abstract)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import RecordError
from kb.model.schema import Author, Record
from kb.model.taxonomy import load_taxonomy
from kb.ops.curation import (
    FindingEdit,
    apply_findings,
    apply_metadata,
    edits_from_rows,
    finding_edits,
    locate,
    metadata_of,
    parse_author,
    parse_authors,
)
from kb.store import Store

SEED_003 = "improve-integration-health"
CHUANG = "chuang-2025-collaboration-strategies"


def _record(home: Path, rid: str = SEED_003) -> Record:
    return Store(home).load(rid)


@pytest.mark.parametrize("line, family, given, initials, collective", [
    ("Chuang, Emmeline", "Chuang", "Emmeline", "E", None),
    ("Chuang, E.", "Chuang", None, "E", None),
    ("Haley, L. A.", "Haley", None, "LA", None),
    ("Chuang E", "Chuang", None, "E", None),
    ("van der Berg, Jan", "van der Berg", "Jan", "J", None),
    ("California Health Care Safety Net Institute", None, None, None,
     "California Health Care Safety Net Institute"),
])
def test_parse_author(line: str, family, given, initials, collective) -> None:
    author = parse_author(line)
    assert (author.family, author.given, author.initials, author.collective) == (
        family, given, initials, collective)


def test_known_authors_keep_affiliations() -> None:
    before = [Author(family="Chuang", given="Emmeline", affiliations=["UCLA"], orcid="0000-1")]
    authors = parse_authors("Chuang, Emmeline\n\nRoss, R.", before)
    assert authors[0].affiliations == ["UCLA"] and authors[0].orcid == "0000-1"
    assert authors[1].family == "Ross" and authors[1].affiliations == []


def test_metadata_round_trip_and_edits(shipped_copy: Path) -> None:
    record = _record(shipped_copy, CHUANG)
    same = apply_metadata(record, metadata_of(record))
    assert same.authors == record.authors and same.identifiers == record.identifiers
    assert same.title == record.title and same.keywords == record.keywords

    untitled = _record(shipped_copy)
    assert any(f.code == "title-missing" for f in untitled.review.flags)
    edit = metadata_of(untitled).model_copy(update={
        "title": "  To improve integration across health care and social needs  ",
        "year": 2025, "authors": "Pourat, Nadereh\nChuang, E.", "doi": "https://doi.org/10.1111/ABC",
        "keywords": "CalAIM; social services ;"})
    edited = apply_metadata(untitled, edit)
    assert edited.title == "To improve integration across health care and social needs"
    assert edited.year == 2025 and edited.identifiers.doi == "10.1111/abc"
    assert [a.display() for a in edited.authors] == ["Pourat N", "Chuang E"]
    assert edited.keywords == ["CalAIM", "social services"]
    assert not any(f.code in {"title-missing", "year-missing", "authors-missing"}
                   for f in edited.review.flags)  # derived flags follow the edit


def test_the_journal_full_title_is_edited_with_the_venue(shipped_copy: Path) -> None:
    record = _record(shipped_copy, CHUANG).model_copy(update={"venue": "Health Serv Res",
                                                              "venue_full": "Health Services Research"})
    assert metadata_of(record).venue_full == "Health Services Research"
    assert apply_metadata(record, metadata_of(record)).venue_full == "Health Services Research"
    typed = metadata_of(record).model_copy(update={"venue_full": " Health Services Research Journal "})
    assert apply_metadata(record, typed).venue_full == "Health Services Research Journal"
    cleared = metadata_of(record).model_copy(update={"venue_full": ""})
    assert apply_metadata(record, cleared).venue_full is None
    # a changed venue drops the full title read with the old one, unless a new one is typed
    moved = metadata_of(record).model_copy(update={"venue": "Milbank Q"})
    assert apply_metadata(record, moved).venue_full is None
    moved = moved.model_copy(update={"venue_full": "The Milbank Quarterly"})
    assert apply_metadata(record, moved).venue_full == "The Milbank Quarterly"
    # a form without the field leaves it as it was
    assert apply_metadata(record, metadata_of(record).model_copy(update={"venue_full": None})).venue_full \
        == "Health Services Research"


@pytest.mark.parametrize("change, field", [
    ({"doi": "not a doi"}, "doi"), ({"year": 1200}, "year"), ({"pmid": "abc"}, "pmid"),
])
def test_bad_metadata_names_the_field(shipped_copy: Path, change: dict, field: str) -> None:
    record = _record(shipped_copy)
    with pytest.raises(RecordError, match=f"^{field}"):
        apply_metadata(record, metadata_of(record).model_copy(update=change))


def test_unchanged_findings_stay_extracted(shipped_copy: Path) -> None:
    record = _record(shipped_copy)
    same = apply_findings(record, finding_edits(record), load_taxonomy())
    assert same.findings == record.findings


def test_edit_add_delete_findings(shipped_copy: Path) -> None:
    record = _record(shipped_copy)
    edits = finding_edits(record)
    edits[0] = edits[0].model_copy(update={"kind": "outcome", "themes": ["housing"]})
    removed = edits.pop(1)
    new_text = "smaller SSOs were less likely to be contracted CalAIM providers"
    edits.append(FindingEdit(kind="barrier", text=f"  {new_text.upper()} ", themes=["contracting"]))
    result = apply_findings(record, edits, load_taxonomy())
    by_id = {f.id: f for f in result.findings}
    first = by_id[record.findings[0].id]
    assert (first.kind, first.themes, first.origin) == ("outcome", ["housing"], "curated")
    assert first.span == record.findings[0].span and first.effects == record.findings[0].effects
    assert removed.id not in by_id
    added = next(f for f in result.findings if f.id.startswith("c"))
    section = record.abstract[added.section]
    assert added.text == new_text and section.text[added.span[0]:added.span[1]] == new_text
    assert added.origin == "curated" and added.role == "conclusions" and added.confidence == 1.0
    untouched = [f for f in result.findings if f.origin == "extracted"]
    assert len(untouched) == len(record.findings) - 2
    assert [f.section for f in result.findings] == sorted(f.section for f in result.findings)


def test_new_finding_gets_effects_and_translation(shipped_copy: Path) -> None:
    record = _record(shipped_copy, CHUANG)
    text = "Data sharing is necessary but not sufficient for systems alignment"
    result = apply_findings(record, [FindingEdit(kind="conclusion", text=text)], load_taxonomy())
    assert len(result.findings) == 1 and result.findings[0].translations["zh"].startswith("数据共享")
    seed = _record(shipped_copy)
    text = "positively associated with pilot participation (OR 6.4, 95% CI 2.5-16.4)"
    found = apply_findings(seed, [FindingEdit(kind="result", text=text)], load_taxonomy())
    assert [(e.measure, e.value, e.ci_low) for e in found.findings[0].effects] == [("OR", 6.4, 2.5)]


@pytest.mark.parametrize("edit, message", [
    (FindingEdit(kind="barrier", text="words that the abstract never says"), "finding 1: the text was not found"),
    (FindingEdit(kind="opinion", text="CalAIM"), "finding 1: kind 'opinion'"),
    (FindingEdit(kind="result", text="CalAIM", themes=["astrology"]), "finding 1: theme 'astrology'"),
])
def test_bad_findings_are_refused_with_the_row(shipped_copy: Path, edit: FindingEdit, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        apply_findings(_record(shipped_copy), [edit], load_taxonomy())


def test_blank_rows_are_ignored_and_rows_read_from_an_editor(shipped_copy: Path) -> None:
    rows = [{"id": None, "kind": None, "text": None, "themes": None},
            {"id": "f2-0", "kind": "result", "text": "x", "themes": ("housing",)}]
    edits = edits_from_rows(rows)
    assert edits[0] == FindingEdit() and edits[1].themes == ["housing"] and edits[1].id == "f2-0"
    record = _record(shipped_copy)
    assert apply_findings(record, edits[:1], load_taxonomy()).findings == []


def test_locate_ignores_case_and_spacing(shipped_copy: Path) -> None:
    record = _record(shipped_copy)
    section, (start, end) = locate(record, "CALAIM   participation was negatively")
    assert record.abstract[section].text[start:end] == "CalAIM participation was negatively"
    assert locate(record, "nowhere to be found") is None
