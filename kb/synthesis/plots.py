"""Chart specs (altair) for the evidence map heatmap and the forest plot of ratio effects; the
data behind each chart is a list of pydantic rows so it can be checked without drawing."""

from __future__ import annotations

import altair as alt

from kb.model.schema import Record
from kb.synthesis.evidence import RATIO_MEASURES, EffectRow, Frozen, effect_rows
from kb.synthesis.evidence_map import EvidenceMap

CI, RANGE, POINT = "confidence interval", "range over models", "estimate only"
EMPTY_CELL = "#f2f2f2"
INTERVAL_COLORS = {CI: "#1f4e79", RANGE: "#d9822b", POINT: "#6b6b6b"}


class MapRow(Frozen):
    """One cell of the evidence-map heatmap."""

    theme: str
    theme_label: str
    record_id: str
    source: str
    count: int
    strongest: str = ""


class ForestRow(Frozen):
    """One effect on the forest plot: an estimate with its CI, or a range over models."""

    order: int
    row: str
    record_id: str
    source: str
    subgroup: str
    measure: str
    interval: str
    value: float
    low: float | None = None
    high: float | None = None
    text: str


def map_rows(emap: EvidenceMap) -> list[MapRow]:
    """The heatmap's data: every theme × source cell."""
    labels = {t.id: t.label for t in emap.themes}
    sources = {s.record_id: s.label for s in emap.sources}
    return [MapRow(theme=c.theme, theme_label=labels[c.theme], record_id=c.record_id,
                   source=sources[c.record_id], count=c.count,
                   strongest=c.strongest.text if c.strongest else "")
            for c in emap.cells]


def evidence_map_chart(emap: EvidenceMap) -> alt.LayerChart:
    """Heatmap: themes down, sources across, colour = number of findings, count written in."""
    data = alt.Data(values=[r.model_dump() for r in map_rows(emap)])
    y = alt.Y("theme_label:N", title="Theme", sort=[t.label for t in emap.themes])
    x = alt.X("source:N", title="Source", sort=[s.label for s in emap.sources],
              axis=alt.Axis(labelAngle=-30))
    base = alt.Chart(data).encode(x=x, y=y)
    shade = alt.Color("count:Q", title="Findings", scale=alt.Scale(scheme="blues", domainMin=0))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.when(alt.datum.count > 0).then(shade).otherwise(alt.value(EMPTY_CELL)),
        tooltip=[alt.Tooltip("source:N"), alt.Tooltip("theme_label:N", title="Theme"),
                 alt.Tooltip("count:Q", title="Findings"),
                 alt.Tooltip("strongest:N", title="Strongest finding")])
    counts = base.mark_text().encode(text="count:Q").transform_filter("datum.count > 0")
    return alt.layer(cells, counts, data=data).properties(
        title="Evidence map: findings per theme and source",
        width=alt.Step(90), height=alt.Step(26))


def _forest_row(order: int, row: EffectRow) -> ForestRow | None:
    eff = row.effect
    if eff.value is None or eff.value <= 0:
        return None
    if eff.value_high is not None:
        interval, low, high = RANGE, eff.value, eff.value_high
    elif eff.ci_low is not None and eff.ci_high is not None and eff.ci_low > 0:
        interval, low, high = CI, eff.ci_low, eff.ci_high
    else:
        interval, low, high = POINT, None, None
    subgroup = row.label or row.finding_id
    return ForestRow(order=order, row=f"{order}. {row.source} — {subgroup}", record_id=row.record_id,
                     source=row.source, subgroup=subgroup, measure=eff.measure, interval=interval,
                     value=eff.value, low=low, high=high, text=eff.text)


def forest_rows(records: list[Record], measures: tuple[str, ...] = RATIO_MEASURES) -> list[ForestRow]:
    """One row per ratio effect (OR, AOR, RR, IRR, HR) of the records, in text order."""
    effects = [e for r in records for e in effect_rows(r, measures)]
    rows = []
    for eff in effects:
        row = _forest_row(len(rows) + 1, eff)
        if row is not None:
            rows.append(row)
    return rows


def forest_plot(rows: list[ForestRow]) -> alt.LayerChart:
    """Forest plot on a log axis: CIs as lines with a square at the estimate, ranges over models
    as shaded bars without a point (they are not intervals around one estimate), line at 1."""
    data = alt.Data(values=[r.model_dump() for r in rows])
    y = alt.Y("row:N", title=None, sort=[r.row for r in rows], axis=alt.Axis(labelLimit=480))
    x_scale = alt.Scale(type="log")
    color = alt.Color("interval:N", title="Interval", scale=alt.Scale(
        domain=list(INTERVAL_COLORS), range=list(INTERVAL_COLORS.values())))
    tooltip = [alt.Tooltip("source:N"), alt.Tooltip("subgroup:N"), alt.Tooltip("measure:N"),
               alt.Tooltip("text:N", title="As reported")]
    base = alt.Chart().encode(y=y, color=color, tooltip=tooltip)
    ci = base.transform_filter(f"datum.interval == '{CI}'").mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", scale=x_scale, title="Ratio (log scale)"), x2="high:Q")
    ranges = base.transform_filter(f"datum.interval == '{RANGE}'").mark_bar(
        height=10, opacity=0.45).encode(x=alt.X("low:Q", scale=x_scale), x2="high:Q")
    points = base.transform_filter(f"datum.interval != '{RANGE}'").mark_point(
        shape="square", filled=True, size=60).encode(x=alt.X("value:Q", scale=x_scale))
    null_line = alt.Chart(alt.Data(values=[{"x": 1}])).mark_rule(
        strokeDash=[4, 4], color="black").encode(x=alt.X("x:Q", scale=x_scale))
    return alt.layer(null_line, ci, ranges, points, data=data).properties(
        title="Ratio effects (OR, AOR, RR, IRR, HR)", height=max(60, 24 * len(rows)))
