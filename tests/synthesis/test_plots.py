"""Chart specs: the forest plot of the seed-003 record shows every OR with its CI and the ranges
over models as ranges; the evidence-map heatmap carries every theme × source cell."""

from __future__ import annotations

import json
import re

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
    spec = chart.to_dict()
    return spec["spec"]["layer"] if "spec" in spec else spec["layer"]


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
    label = "[no title] To improve integration…, n.d."
    assert all(r.measure == "OR" and r.source == label for r in rows)
    assert rows[0].row == "1. operating in a single county (OR)"
    # grouped by source and the finding (outcome) the effects are reported in: two groups
    assert [r.group for r in rows].count(rows[0].group) == 3
    assert rows[0].group.startswith(f"{label} — CalAIM participation was negatively associated")
    assert len({r.group for r in rows}) == 2 and all(len(r.outcome) <= 71 for r in rows)
    assert_golden("plots/forest_seed_003.json",
                  json.dumps([r.model_dump() for r in rows], indent=2, ensure_ascii=False) + "\n")


def test_forest_plot_spec_one_row_per_effect_log_axis_whiskers_ranges_as_bars() -> None:
    rows = forest_rows([frozen(SEED_003)])
    chart = forest_plot(rows)
    spec = chart.to_dict()
    null_line, ci, low, high, ranges, points = _layers(chart)
    assert null_line["mark"]["type"] == "rule" and null_line["encoding"]["x"]["datum"] == 1
    for layer in (null_line, ci, low, high, ranges, points):
        assert layer["encoding"]["x"]["scale"]["type"] == "log"
    assert ci["mark"]["type"] == "rule" and ci["transform"] == [{"filter": f"datum.interval == '{CI}'"}]
    assert ci["encoding"]["x"]["field"] == "low" and ci["encoding"]["x2"]["field"] == "high"
    assert [w["mark"]["type"] for w in (low, high)] == ["tick", "tick"]
    assert [w["encoding"]["x"]["field"] for w in (low, high)] == ["low", "high"]
    assert ranges["mark"]["type"] == "bar"
    assert ranges["transform"] == [{"filter": f"datum.interval == '{RANGE}'"}]
    # No point estimate is drawn for a range: it is not an interval around one value.
    assert points["transform"] == [{"filter": f"datum.interval != '{RANGE}'"}]
    assert _data(chart) == [r.model_dump() for r in rows]
    assert ranges["encoding"]["color"]["scale"]["domain"] == [CI, RANGE, POINT]
    # one row per effect: a distinct y value each, panels by group, height from the rows
    assert len({r.row for r in rows}) == len(rows)
    assert ci["encoding"]["y"]["field"] == "row" and spec["facet"]["row"]["field"] == "group"
    assert spec["spec"]["height"] == {"step": 22} and spec["resolve"]["scale"]["y"] == "independent"
    assert ci["encoding"]["x"]["title"] == "OR (log scale; 1 = no effect)"


def test_the_forest_plot_draws_to_png_and_svg_with_every_label() -> None:
    from kb.export.charts import chart_png, chart_svg

    rows = forest_rows([frozen(SEED_003)])
    svg = chart_svg(forest_plot(rows))
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert svg.startswith("<svg") and "prior managed care contracting experience (OR)" in labels
    assert "operating in a single county (OR)" in labels  # the order number only sorts
    png = chart_png(forest_plot(rows), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    height = int.from_bytes(png[20:24], "big")
    assert height > 7 * 22  # taller than its seven rows


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
    assert len(_layers(forest_plot([]))) == 6


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
    x_axis = cells["encoding"]["x"]["axis"]  # every source is named: no label hidden as overlapping
    assert x_axis["labelOverlap"] is False and x_axis["labelAngle"] == -45
