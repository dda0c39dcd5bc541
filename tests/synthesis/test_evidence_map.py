"""Evidence map and per-theme synthesis: the shipped records show the six whole-person-care
elements with their sources; golden map over a frozen copy; gaps; bad themes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.errors import KBError
from kb.model.schema import Finding, Record, Section
from kb.model.taxonomy import load_taxonomy
from kb.store import Store
from kb.synthesis.evidence_map import (
    evidence_map,
    gaps,
    resolve_theme,
    syntheses,
    theme_synthesis,
)
from tests.golden import assert_golden, frozen_records

WPC_ELEMENTS = {  # the John Snow framework's six elements -> taxonomy themes
    "identify the target population": "target-population",
    "provide patient-centered care": "patient-centered-care",
    "coordinate services across sectors": "cross-sector-coordination",
    "share data": "data-sharing",
    "create financial flexibility": "financial-flexibility",
    "engage collaborative leadership": "collaborative-leadership",
}
TAX = load_taxonomy()


def _finding(fid: str, kind: str, themes: list[str], text: str = "text", **kw) -> Finding:
    return Finding(id=fid, kind=kind, text=text, section=0, span=(0, len(text)), themes=themes, **kw)


def _record(rid: str, findings: list[Finding], **kw) -> Record:
    return Record(id=rid, abstract=[Section(role="results", text="x" * 400)], findings=findings, **kw)


def test_shipped_map_shows_the_six_whole_person_care_elements(shipped_copy: Path) -> None:
    records = Store(shipped_copy).load_all()
    framework = next(f for r in records for f in r.frameworks if f.name == "whole-person care")
    assert set(framework.elements) == set(WPC_ELEMENTS)
    emap = evidence_map(records, TAX)
    listed = [t.id for t in emap.themes]
    for element, theme in WPC_ELEMENTS.items():
        assert theme in listed, f"{element}: theme {theme} is not on the map"
        supporting = emap.supporting(theme)
        assert "john-snow-discussion-paper" in supporting, element
        info = next(t for t in emap.themes if t.id == theme)
        assert info.n_sources == len(supporting) >= 1


def test_frozen_map_golden() -> None:
    emap = evidence_map(frozen_records(), TAX)
    rows = {t.label: {c.record_id: c.count for c in emap.cells if c.theme == t.id and c.count}
            for t in emap.themes}
    assert rows["Financial flexibility and braided funding"] == {
        "chuang-2025-collaboration-strategies": 2, "john-snow-discussion-paper": 3,
        "safaeinili-2025-assess-multi-level": 1}
    assert rows["Data sharing"] == {"chuang-2025-collaboration-strategies": 2,
                                    "john-snow-discussion-paper": 1}
    lines = ["theme\tsource\tcount\tstrongest"]
    for cell in (c for c in emap.cells if c.count):
        best = cell.strongest
        lines.append(f"{cell.theme}\t{cell.record_id}\t{cell.count}\t{best.finding_id} {best.kind}")
    assert_golden("synthesis/evidence_map.tsv", "\n".join(lines) + "\n")


def test_strongest_prefers_effects_with_ci_then_observed_kinds() -> None:
    weak = _finding("f0-0", "conclusion", ["contracting"], confidence=0.9)
    result = _finding("f0-1", "result", ["contracting"], confidence=0.4)
    emap = evidence_map([_record("a", [weak, result])], TAX)
    assert emap.cell("contracting", "a").strongest.finding_id == "f0-1"
    assert emap.cell("contracting", "a").count == 2
    assert [t.id for t in emap.themes] == ["contracting"]
    full = evidence_map([_record("a", [weak])], TAX, include_empty=True)
    assert len(full.themes) == len(TAX.themes) and full.cell("housing", "a").count == 0
    assert full.cell("housing", "a").strongest is None


def test_theme_synthesis_groups_by_kind_and_flags_gaps() -> None:
    records = [
        _record("a", [_finding("f0-0", "strategy", ["housing"]),
                      _finding("f0-1", "barrier", ["housing", "rural"])], year=2020),
        _record("b", [_finding("f0-0", "strategy", ["housing", "rural"]),
                      _finding("f0-1", "result", ["rural"])]),
    ]
    housing = theme_synthesis(records, "housing", TAX)
    assert [(g.kind, [f.record_id for f in g.findings]) for g in housing.groups] == [
        ("strategy", ["a", "b"]), ("barrier", ["a"])]
    assert housing.n_sources == 2 and housing.gap
    assert housing.gap_reason == "2 strategy finding(s) but no outcome or result evidence"
    rural = theme_synthesis(records, "Rural settings", TAX)   # by label too
    assert not rural.gap and rural.n_sources == 2
    assert [g.theme.id for g in gaps(records, TAX)] == ["housing"]
    assert [s.theme.id for s in syntheses(records, TAX)] == ["housing", "rural"]


def test_designs_are_listed_once_per_theme(shipped_copy: Path) -> None:
    records = Store(shipped_copy).load_all()
    view = theme_synthesis(records, "financial-flexibility", TAX)
    assert len(view.designs) == len(set(view.designs))
    assert {s.record_id for s in view.sources} == {
        r.id for r in records if any("financial-flexibility" in f.themes for f in r.findings)}


def test_unknown_theme_and_empty_inputs() -> None:
    with pytest.raises(KBError, match="unknown theme 'nope' .*known themes: target-population"):
        resolve_theme(TAX, "nope")
    empty = evidence_map([], TAX)
    assert empty.themes == () and empty.cells == ()
    no_findings = evidence_map([_record("a", [])], TAX)
    assert no_findings.themes == () and [s.record_id for s in no_findings.sources] == ["a"]
    assert theme_synthesis([_record("a", [])], "housing", TAX).groups == ()


def test_themes_outside_the_taxonomy_stay_visible() -> None:
    emap = evidence_map([_record("a", [_finding("f0-0", "result", ["old-theme"])])], TAX)
    assert [(t.id, t.label) for t in emap.themes] == [("old-theme", "old-theme")]
    assert json.loads(emap.model_dump_json())["cells"][0]["count"] == 1
