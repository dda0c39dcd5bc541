"""Chart specs: the forest plot of the seed-003 record shows every OR with its CI and the ranges
over models as ranges; the evidence-map heatmap carries every theme × source cell."""

from __future__ import annotations

import json

from kb.model.schema import Effect, Finding, Record, Section
from kb.model.taxonomy import load_taxonomy
from kb.synthesis.evidence_map import evidence_map
from kb.synthesis.plots import (
    CI,
    POINT,
    RANGE,
    evidence_map_chart,
    forest_plot,
    forest_rows,
    map_rows,
)
from tests.golden import assert_golden, frozen, frozen_records

SEED_003 = "improve-integration-health"


def _layers(chart) -> list[dict]:
    return chart.to_dict()["layer"]


def _data(chart) -> list[dict]:
    return chart.to_dict()["data"]["values"]


def test_forest_rows_of_seed_003_every_or_with_its_ci_and_ranges_as_ranges() -> None:
    rows = forest_rows([frozen(SEED_003)])
    assert [(r.subgroup, r.interval, r.value, r.low, r.high) for r in rows] == [
        ("operating in a single county", CI, 0.47, 0.24, 0.95),
        ("pilot participation", CI, 6.4, 2.5, 16.4),
        ("prior managed care contracting experience", CI, 2.5, 1.4, 4.7),
        ("perceived improvement", RANGE, 2.28, 2.28, 4.97),
        ("Manager", RANGE, 1.76, 1.76, 2.85),
        ("frontline", RANGE, 1.92, 1.92, 3.35),
        ("a housing services provider", RANGE, 1.8, 1.8, 2.15),
    ]
    assert all(r.measure == "OR" and r.source == "[no title] To improve integration…, n.d."
               for r in rows)
    assert rows[0].row == f"1. {SEED_003} — operating in a single county"
    assert_golden("plots/forest_seed_003.json",
                  json.dumps([r.model_dump() for r in rows], indent=2, ensure_ascii=False) + "\n")


def test_forest_plot_spec_log_axis_cis_as_lines_ranges_as_bars() -> None:
    rows = forest_rows([frozen(SEED_003)])
    null_line, ci, ranges, points = _layers(forest_plot(rows))
    assert null_line["mark"]["type"] == "rule" and null_line["data"]["values"] == [{"x": 1}]
    for layer in (null_line, ci, ranges, points):
        assert layer["encoding"]["x"]["scale"]["type"] == "log"
    assert ci["mark"]["type"] == "rule" and ci["transform"] == [{"filter": f"datum.interval == '{CI}'"}]
    assert ci["encoding"]["x"]["field"] == "low" and ci["encoding"]["x2"]["field"] == "high"
    assert ranges["mark"]["type"] == "bar"
    assert ranges["transform"] == [{"filter": f"datum.interval == '{RANGE}'"}]
    # No point estimate is drawn for a range: it is not an interval around one value.
    assert points["transform"] == [{"filter": f"datum.interval != '{RANGE}'"}]
    assert _data(forest_plot(rows)) == [r.model_dump() for r in rows]
    assert "data" not in ci and "data" not in ranges and "data" not in points
    assert ranges["encoding"]["color"]["scale"]["domain"] == [CI, RANGE, POINT]


def test_forest_keeps_only_positive_ratio_measures() -> None:
    text = "OR 1.5 and RR 0.8 (95% CI 0.6-1.1) and MD 2.0 and HR 0"
    finding = Finding(id="f0-0", kind="result", text=text, section=0, span=(0, len(text)),
                      effects=[Effect(measure="OR", value=1.5, text="OR 1.5"),
                               Effect(measure="RR", value=0.8, ci_low=0.6, ci_high=1.1,
                                      text="RR 0.8 (95% CI 0.6-1.1)"),
                               Effect(measure="MD", value=2.0, text="MD 2.0"),
                               Effect(measure="HR", value=0.0, text="HR 0")])
    record = Record(id="x", abstract=[Section(text=text)], findings=[finding])
    rows = forest_rows([record])
    assert [(r.measure, r.interval, r.low) for r in rows] == [("OR", POINT, None), ("RR", CI, 0.6)]
    assert [r.order for r in rows] == [1, 2]
    assert forest_rows([Record(id="empty")]) == []
    assert len(_layers(forest_plot([]))) == 4


def test_evidence_map_chart_carries_every_cell() -> None:
    records = frozen_records()
    emap = evidence_map(records, load_taxonomy())
    chart = evidence_map_chart(emap)
    cells, counts = _layers(chart)
    assert cells["mark"]["type"] == "rect" and counts["mark"]["type"] == "text"
    values = _data(chart)
    assert len(values) == len(emap.themes) * len(records)
    assert values == [r.model_dump() for r in map_rows(emap)]
    cell = next(v for v in values if v["theme"] == "contracting" and v["record_id"] == SEED_003)
    assert cell["count"] == 4 and cell["strongest"].startswith("CalAIM participation was negatively")
    spec_y = cells["encoding"]["y"]
    assert spec_y["sort"][:6] == ["Target population", "Patient-centered care",
                                  "Cross-sector coordination", "Data sharing",
                                  "Financial flexibility and braided funding",
                                  "Collaborative leadership"]
    assert counts["transform"] == [{"filter": "datum.count > 0"}]
