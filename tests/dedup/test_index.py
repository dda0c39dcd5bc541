"""Blocking: candidates come from identifier maps and title/author blocks, never all records."""

from __future__ import annotations

from kb.dedup.index import MAX_BLOCK, DedupIndex, block_keys
from kb.dedup.match import key_of
from kb.model.schema import Author, Identifiers, Record


def _rec(i: int, title: str, family: str = "Smith", year: int = 2020, **kw: object) -> Record:
    return Record(id=f"r{i}", title=title, authors=[Author(family=family)], year=year, **kw)


def test_blocks_cover_start_end_and_author_year() -> None:
    key = key_of(_rec(1, "The effect of peer navigation on hospital use in older adults"))
    assert block_keys(key) == {"t^effect peer navigation", "t$use older adults", "a:smith:2020"}


def test_candidates_find_variants_and_skip_unrelated() -> None:
    index = DedupIndex.from_records([
        _rec(1, "The effect of peer navigation on hospital use in older adults"),
        _rec(2, "Housing first and emergency department visits", family="Roe", year=2018),
        _rec(3, "Something else", identifiers=Identifiers(doi="10.1000/abc")),
    ])
    typo_start = key_of(_rec(0, "Teh effect of peer navigation on hospital use in older adults", family="Jones"))
    assert [c.id for c in index.candidates(typo_start)] == ["r1"]
    by_doi = key_of(Record(title="Unrelated title words here", identifiers=Identifiers(doi="10.1000/ABC")))
    assert [c.id for c in index.candidates(by_doi)] == ["r3"]
    match = index.match(key_of(_rec(0, "The Effect of Peer Navigation on Hospital Use in Older Adults.")))
    assert (match.record_id, match.decision) == ("r1", "duplicate")


def test_huge_blocks_are_not_scanned() -> None:
    index = DedupIndex(key_of(_rec(i, f"Topic {i} words here alpha", family="Wang")) for i in range(MAX_BLOCK + 1))
    probe = key_of(_rec(-1, "Completely new study title", family="Wang"))
    assert index.candidates(probe) == []


def test_remove_and_pairs() -> None:
    index = DedupIndex.from_records([_rec(1, "Peer navigation and hospital use"),
                                     _rec(2, "Peer navigation and hospital use."),
                                     _rec(3, "Different study of funding models", family="Roe")])
    assert [(a, m.record_id, m.decision) for a, m in index.pairs()] == [("r1", "r2", "duplicate")]
    index.remove("r2")
    assert list(index.pairs()) == [] and len(index) == 2
