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
    """One effect on the forest plot: an estimate with its CI, or a range over models; `group`
    is its source and the finding (outcome) it is reported in."""

    order: int
    row: str  # unique y value: '<order>. <subgroup> (<measure>)'; the number is not shown
    group: str
    record_id: str
    source: str
    outcome: str
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
              axis=alt.Axis(labelAngle=-45, labelOverlap=False))  # every source named
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


OUTCOME_CHARS = 70
ROW_PX = 22


def _short(text: str, limit: int = OUTCOME_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _forest_row(order: int, row: EffectRow, outcome: str) -> ForestRow | None:
    eff = row.effect
    if eff.value is None or eff.value <= 0:
        return None
    if eff.value_high is not None:
        interval, low, high = RANGE, eff.value, eff.value_high
    elif eff.ci_low is not None and eff.ci_high is not None and eff.ci_low > 0:
        interval, low, high = CI, eff.ci_low, eff.ci_high
    else:
        interval, low, high = POINT, None, None
    subgroup = row.label or eff.text
    return ForestRow(order=order, row=f"{order}. {subgroup} ({eff.measure})",
                     group=f"{row.source} — {outcome}", record_id=row.record_id, source=row.source,
                     outcome=outcome, subgroup=subgroup, measure=eff.measure, interval=interval,
                     value=eff.value, low=low, high=high, text=eff.text)


def forest_rows(records: list[Record], measures: tuple[str, ...] = RATIO_MEASURES) -> list[ForestRow]:
    """One row per ratio effect (OR, AOR, RR, IRR, HR) of the records, by source then in text
    order, so the effects of one finding (outcome) sit together."""
    rows: list[ForestRow] = []
    for record in records:
        texts = {f.id: f.text for f in record.findings}
        for eff in effect_rows(record, measures):
            row = _forest_row(len(rows) + 1, eff, _short(texts.get(eff.finding_id, "")))
            if row is not None:
                rows.append(row)
    return rows


def forest_plot(rows: list[ForestRow]) -> alt.FacetChart:
    """Forest plot: one row per effect, in panels by source and outcome (titles on the left),
    labels left, a log axis with the line of no effect at 1; CIs as whiskers with a square at
    the estimate, ranges over models as shaded bars without a point (they are not intervals
    around one estimate); the height follows the number of rows."""
    x_scale = alt.Scale(type="log")
    measures = sorted({r.measure for r in rows})
    x_title = f"{' / '.join(measures) or 'Ratio'} (log scale; 1 = no effect)"
    y = alt.Y("row:N", title=None, sort=alt.SortField("order"), axis=alt.Axis(
        labelLimit=360, labelExpr="replace(datum.label, /^[0-9]+[.] /, '')", ticks=False,
        domain=False, labelPadding=8))
    color = alt.Color("interval:N", title="Interval", legend=alt.Legend(orient="bottom"),
                      scale=alt.Scale(domain=list(INTERVAL_COLORS),
                                      range=list(INTERVAL_COLORS.values())))
    tooltip = [alt.Tooltip("source:N"), alt.Tooltip("outcome:N", title="Finding"),
               alt.Tooltip("subgroup:N"), alt.Tooltip("measure:N"),
               alt.Tooltip("text:N", title="As reported")]
    base = alt.Chart().encode(y=y, color=color, tooltip=tooltip)
    with_ci = base.transform_filter(f"datum.interval == '{CI}'")
    ci = with_ci.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", scale=x_scale, title=x_title), x2="high:Q")
    whiskers = [with_ci.mark_tick(thickness=2, size=10).encode(x=alt.X(f"{end}:Q", scale=x_scale))
                for end in ("low", "high")]
    ranges = base.transform_filter(f"datum.interval == '{RANGE}'").mark_bar(
        height=10, opacity=0.45).encode(x=alt.X("low:Q", scale=x_scale), x2="high:Q")
    points = base.transform_filter(f"datum.interval != '{RANGE}'").mark_point(
        shape="square", filled=True, size=60, opacity=1).encode(x=alt.X("value:Q", scale=x_scale))
    null_line = alt.Chart().mark_rule(strokeDash=[4, 4], color="black").encode(
        x=alt.datum(1, scale=x_scale))
    layers = alt.layer(null_line, ci, *whiskers, ranges, points).properties(width=420, height=alt.Step(ROW_PX))
    header = alt.Header(title=None, labelAngle=0, labelAlign="left", labelAnchor="start",
                        labelOrient="top", labelFontWeight="bold", labelLimit=700)
    return layers.facet(
        row=alt.Row("group:N", header=header, sort=alt.SortField("order")),
        data=alt.Data(values=[r.model_dump() for r in rows]),
        title="Ratio effects (OR, AOR, RR, IRR, HR)",
    ).resolve_scale(y="independent").configure_facet(spacing=6)
