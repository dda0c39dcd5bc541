"""Charts (altair specs from kb.synthesis.plots) as files: PNG and SVG drawn by vl-convert,
offline, without a browser."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc

from kb.errors import KBError


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document."""
    try:
        return vlc.vegalite_to_svg(chart.to_json())
    except ValueError as err:
        raise KBError(f"the chart could not be drawn: {err}") from err


def chart_png(chart: alt.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (`scale` 2: sharp on a high-resolution screen and in print)."""
    try:
        return vlc.vegalite_to_png(chart.to_json(), scale=scale)
    except ValueError as err:
        raise KBError(f"the chart could not be drawn: {err}") from err
