"""The Evidence map page's pieces: the heatmap made readable and clickable (a click picks a theme), the theme
read back from a click, and the themes overview table."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
from pydantic import BaseModel

from kb.model.schema import Record
from kb.model.taxonomy import Taxonomy
from kb.search.catalog import ThemeSupport
from kb.synthesis.evidence_map import EvidenceMap
from kb.synthesis.plots import evidence_map_chart

PICK = "theme_pick"
MAX_MAP_SOURCES = 40
LABEL_LIMIT = 260  # pixels of an axis label before it is cut with an ellipsis  # wider heatmaps are unreadable; the overview table covers any number


class ThemeRow(BaseModel):
    """One theme in the overview table."""

    id: str
    theme: str
    sources: int
    findings: int


def readable_map(emap: EvidenceMap, *, clickable: bool = False) -> alt.LayerChart:
    """The evidence-map heatmap with theme and source labels long enough to read, and (when
    clickable) a click selection on the theme of a cell."""
    chart = evidence_map_chart(emap)
    if clickable:
        pick = alt.selection_point(name=PICK, fields=["theme"], on="click", clear="dblclick")
        chart.layer[0] = chart.layer[0].add_params(pick)
    return chart.configure_axisY(labelLimit=LABEL_LIMIT).configure_axisX(labelLimit=LABEL_LIMIT)


def picked_theme(event: Mapping[str, Any] | None) -> str | None:
    """The theme id a click on the clickable map selected, if any."""
    if not event:
        return None
    points = (event.get("selection") or {}).get(PICK) or []
    for point in points:
        if isinstance(point, Mapping) and point.get("theme"):
            return str(point["theme"])
    return None


def theme_rows(records: Sequence[Record], taxonomy: Taxonomy) -> list[ThemeRow]:
    """Every theme some finding has, with how many sources and findings support it, most
    supported first (one pass over the findings, so it serves any number of records)."""
    sources: dict[str, set[str]] = defaultdict(set)
    findings: Counter[str] = Counter()
    for record in records:
        for finding in record.findings:
            for theme in dict.fromkeys(finding.themes):
                sources[theme].add(record.id)
                findings[theme] += 1
    return _rows({t: len(ids) for t, ids in sources.items()}, findings, taxonomy)


def support_rows(support: ThemeSupport, taxonomy: Taxonomy) -> list[ThemeRow]:
    """The same rows for a whole knowledge base from its index's theme support (no record read)."""
    return _rows({t: len(ids) for t, ids in support.records.items()}, support.findings, taxonomy)


def _rows(sources: Mapping[str, int], findings: Mapping[str, int], taxonomy: Taxonomy) -> list[ThemeRow]:
    labels = {t.id: t.label for t in taxonomy.themes}
    rows = [ThemeRow(id=t, theme=labels.get(t, t), sources=n, findings=findings.get(t, 0))
            for t, n in sources.items()]
    return sorted(rows, key=lambda r: (-r.sources, -r.findings, r.theme))
