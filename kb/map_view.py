"""The Evidence map page's pieces: the heatmap made readable and clickable (a click picks a theme), the theme
read back from a click, and the themes overview table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
from pydantic import BaseModel

from kb.plots import evidence_map_chart
from kb.synthesis import EvidenceMap

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


def theme_rows(emap: EvidenceMap) -> list[ThemeRow]:
    """Themes with how many sources and findings support them, most supported first."""
    rows = [ThemeRow(id=t.id, theme=t.label, sources=t.n_sources, findings=t.n_findings)
            for t in emap.themes]
    return sorted(rows, key=lambda r: (-r.sources, -r.findings, r.theme))
