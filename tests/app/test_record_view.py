"""The Record page's views: sections with findings marked and the translation aligned, the
findings table, study facts, glossary and provenance."""

from __future__ import annotations

from pathlib import Path

from ingest.extract.translate import aligned_translation
from kb.app.record_view import (
    finding_rows,
    glossary_rows,
    ordered_ids,
    section_views,
    source_rows,
    study_fields,
)
from kb.model.schema import Record, Section
from kb.store import Store

CHUANG = "chuang-2025-collaboration-strategies"
SNOW = "john-snow-discussion-paper"


def _load(home: Path, rid: str) -> Record:
    return Store(home).load(rid)


def test_sections_mark_findings_and_align_the_chinese(shipped_copy: Path) -> None:
    views = section_views(_load(shipped_copy, CHUANG), "zh")
    results = views[3]
    assert results.heading == "PRINCIPAL FINDINGS" and results.role == "results"
    assert results.markdown.startswith(
        "**Pilots used multiple strategies to facilitate the integration of care** "
        ":blue-badge[strategy]")
    # three findings share one Chinese sentence: it is marked once, its kind badge once, in Chinese
    assert "并利用WPC支持更广泛的系统变革** :blue-badge[策略]。" in results.translation_markdown
    assert results.translation_markdown.count(":blue-badge[策略]") == 2
    assert "badge[strategy]" not in results.translation_markdown
    assert views[2].translation_heading == "研究设计/数据收集"
    assert views[0].heading_md() == "**OBJECTIVE**"
    assert views[1].heading_md() == "**DATA SOURCES AND STUDY SETTING** :gray[· setting]"
    assert views[2].heading_md(translated=True).endswith(" / **研究设计/数据收集**")
    assert section_views(_load(shipped_copy, CHUANG))[3].translation_markdown == ""


def test_bullets_continue_under_one_heading(shipped_copy: Path) -> None:
    views = section_views(_load(shipped_copy, SNOW))
    bullets = [v for v in views if v.bullet]
    assert bullets[0].heading == "Among the report’s key findings"
    assert all(v.heading == "" for v in bullets[1:])
    assert bullets[1].body_md().startswith("- ")


def test_aligned_translation_by_position_or_by_role_rank() -> None:
    en = [Section(role="background", text="a"), Section(role="results", text="b"),
          Section(role="results", text="c")]
    zh = [Section(role="results", text="乙"), Section(role="results", text="丙")]
    assert aligned_translation(en, zh, 2).text == "丙"
    assert aligned_translation(en, zh, 0) is None
    assert aligned_translation(en[:2], zh, 0).text == "乙"  # same count: by position


def test_tables(shipped_copy: Path) -> None:
    record = _load(shipped_copy, CHUANG)
    rows = finding_rows(record, {"cross-sector-coordination": "Cross-sector coordination"})
    assert rows[0].kind == "strategy" and rows[0].section == "PRINCIPAL FINDINGS"
    assert rows[0].themes == "Cross-sector coordination" and rows[0].translation
    study = {f.label: f.value for f in study_fields(record)}
    assert "qualitative" in study["Design"] and "221 interviews (n\u2009=\u2009221)" in study["Sample sizes"]
    assert [(g.label, g.value) for g in glossary_rows(record)] == [("WPC", "Whole Person Care Pilot program")]
    sources = source_rows(record)
    assert {s.format for s in sources} == {"pubmed-text", "evidence-library"}
    assert sources[0].ingested == "2026-11-23 18:32:07 UTC"


def test_titled_records_come_first(shipped_copy: Path) -> None:
    ids = ordered_ids(Store(shipped_copy).load_all())
    assert ids[0] == CHUANG and set(ids[1:]) == {"improve-integration-health", SNOW,
                                                 "safaeinili-2025-assess-multi-level"}


def test_facets_split_into_given_and_empty_ones() -> None:
    from kb.app.record_view import facet_fields
    from kb.model.schema import Record

    record = Record(id="x", facets={"Publication year": [], "Resource type": ["Peer Reviewed Research"],
                                    "Outcomes": ["Patient Experience of Care", "Cost"]})
    filled, empty = facet_fields(record)
    assert [(f.label, f.value) for f in filled] == [
        ("Resource type (as the source classifies it)", "Peer Reviewed Research"),
        ("Outcomes", "Patient Experience of Care, Cost")]
    assert empty == ["Publication year"]
    # with the year known, its empty facet is not listed beside "Year: 2025"
    assert facet_fields(record.model_copy(update={"year": 2025}))[1] == []
