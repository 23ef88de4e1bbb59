"""The one chart layer: inline SVG strings for the report and the dashboard alike.

Timelines, quad-class shares, the bloc map and axis, the world map coloured by a value per
country, and signed bars; one module per kind of chart over :mod:`.primitives`.

Why hand-written SVG rather than a plotting library: the report must be one file that opens
offline years from now, so every chart is markup in the page — no script to run, no fonts or
tiles to fetch, nothing to install beyond the standard library. Each function is pure (the same
arguments give byte-identical output), takes plain values and returns one ``<svg>`` element
that is also a well-formed standalone XML document.

Choices that hold across the charts:

* Every piece of text goes through :func:`escape`, which also drops characters XML forbids, so
  a headline or country name cannot break the markup or inject any. Each chart carries a
  ``<title>``, a ``<desc>`` and ``role="img"`` with an ``aria-label``; every point, bar and
  segment has its own ``<title>``, which browsers show as a tooltip with no script.
* A missing value (``None`` or NaN) is a gap: lines and bands are drawn per run of
  consecutive finite values, never through a hole, and no NaN reaches path data.
  :func:`.primitives.num` refuses non-finite numbers, so a slip shows up as an error, not a
  blank chart.
* No element ids: many charts share one page and aria labels are given inline instead.
* Colours are Okabe–Ito (distinguishable with the common colour-vision deficiencies).
  Cooperation is blue/green and conflict orange/vermillion in every chart; blocs take the
  remaining hues in a fixed order so the map and the axis agree.
* Event alignment and UNGA agreement go on the same axes rather than on a secondary axis: both
  are plotted as Cohen's kappa, which is on one chance-corrected scale (0 = agreement expected
  by chance), and a second axis would let an arbitrary rescaling invent co-movement.
* The bloc axis is a Cleveland dot plot (one labelled row per country, sorted by position,
  interval as whiskers) rather than a single strip, because forty labels cannot share a line.
"""

from __future__ import annotations

from .bars import Bar, bars
from .blocs import AxisPoint, MapPoint, bloc_axis, bloc_colors, bloc_map
from .primitives import (
    BLOC_PALETTE,
    BLUE,
    COOLER,
    FAINT,
    FONT,
    GREEN,
    GRID,
    INK,
    MUTED,
    NEUTRAL,
    ORANGE,
    PURPLE,
    QUAD_CLASSES,
    SKY,
    SVG_NS,
    UNASSIGNED,
    VERMILLION,
    WARMER,
    YELLOW,
    date_ticks,
    escape,
    finite,
    format_value,
    nice_ticks,
    step_for,
)
from .shares import stacked_shares
from .timeline import Marker, Series, timeline
from .worldmap import value_color, world_map, world_shapes

__all__ = [
    "BLOC_PALETTE", "BLUE", "COOLER", "FAINT", "FONT", "GREEN", "GRID", "INK", "MUTED", "NEUTRAL",
    "ORANGE", "PURPLE", "QUAD_CLASSES", "SKY", "SVG_NS", "UNASSIGNED", "VERMILLION", "WARMER",
    "YELLOW", "AxisPoint", "Bar", "MapPoint", "Marker", "Series", "bars", "bloc_axis",
    "bloc_colors", "bloc_map", "date_ticks", "escape", "finite", "format_value", "nice_ticks",
    "stacked_shares", "step_for", "timeline", "value_color", "world_map", "world_shapes",
]
