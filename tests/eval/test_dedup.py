"""Duplicate detection measured on labelled pairs of real fixtures (read in place)."""

from __future__ import annotations

from pathlib import Path

from kb.eval.dedup import (
    asreview_pairs,
    bib_dedupe_pairs,
    dedup_report,
    embase_pairs,
    score,
    split_of,
)


def test_bib_dedupe_pairs(external: Path) -> None:
    pairs = bib_dedupe_pairs(external)
    assert len(pairs) == 25 and {p.split for p in pairs} == {"tune", "heldout"}
    for split in ("tune", "heldout"):
        s = score([p for p in pairs if p.split == split])
        assert s.precision >= 0.9 and s.recall >= 0.8, (split, s)
    different_papers = next(p for p in pairs if p.case.startswith("attili"))
    assert different_papers.decision != "duplicate"  # same DOI in the data, different papers


def test_cross_format_pairs_also_without_identifiers(external: Path) -> None:
    for without_ids in (False, True):
        s = score(embase_pairs(external, without_ids=without_ids))
        assert (s.tp, s.fp, s.fn) == (6, 0, 0)


def test_asreview_rows_and_report(external: Path) -> None:
    pairs, refused = asreview_pairs(external)
    assert refused == 4 and len(pairs) == 45
    assert score(pairs).fp == 0
    report = dedup_report(external)
    assert "bib-dedupe [heldout]" in report and "tune-half F1 by duplicate threshold" in report


def test_split_is_stable() -> None:
    assert split_of("some-case") == split_of("some-case")
