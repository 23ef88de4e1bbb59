"""A world map with each country filled by a signed value (warmth toward a chosen country).

The shapes are Natural Earth's 1:110m country boundaries from the npm package ``world-atlas``
(ISC; the data is public domain), vendored by ``tools/build_world_map.py`` (``make vendor``)
into ``data/world_110m.json`` as one pre-projected SVG path per alpha-3 code, so drawing the map
is string assembly, offline, with no geometry code. At that scale some thirty small states have
no shape; a country with a value but no shape is drawn as a dot at the point the caller gives
(its capital), so no value is silently dropped. The colour scale diverges from a light grey at
zero to the report's warmer and cooler colours and is shown as seven labelled steps; a country
without a value is paler still and says so in its tooltip.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from .primitives import (
    COOLER,
    FAINT,
    INK,
    MUTED,
    WARMER,
    escape,
    finite,
    format_value,
    no_data,
    num,
    svg_open,
    svg_text,
)

ZERO = "#e9ecef"
NO_VALUE = "#f6f7f9"


@lru_cache(maxsize=1)
def world_shapes() -> dict[str, Any]:
    """The vendored shapes: ``view_box``, ``countries`` (code → path), ``names``, ``source``."""
    text = resources.files(__package__).joinpath("data/world_110m.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _mix(a: str, b: str, t: float) -> str:
    """The colour a fraction ``t`` of the way from ``a`` to ``b`` (hex, in sRGB)."""
    pa = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    pb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(pa, pb, strict=True))


def value_color(value: float | None, limit: float = 1.0) -> str:
    """Grey at zero, warmer green above, cooler vermillion below, saturated at ±``limit``."""
    if not finite(value):
        return NO_VALUE
    assert value is not None
    t = max(-1.0, min(1.0, value / limit)) if limit > 0 else 0.0
    return _mix(ZERO, WARMER if t >= 0 else COOLER, abs(t) ** 0.75)


def world_map(values: Mapping[str, float | None], *, title: str,
              names: Mapping[str, str] | None = None, anchor: str = "",
              points: Mapping[str, tuple[float, float]] | None = None,
              value_label: str = "warmth", limit: float = 1.0,
              details: Mapping[str, str] | None = None, width: int = 800) -> str:
    """Countries filled by ``values`` (code → value); ``anchor`` outlined and labelled.

    ``points`` (code → (lat, lon)) places the countries that have no shape at this scale;
    ``details`` adds a line to a country's tooltip (e.g. how many events the value rests on).
    Every shape carries ``data-code`` so a page can make it a link.
    """
    shapes = world_shapes()
    if not shapes.get("countries"):
        return no_data(width, 120, title, "The world map's shapes are missing.", "world-map")
    names = {**shapes.get("names", {}), **(names or {})}
    vx, vy, vw, vh = shapes["view_box"]
    map_h = width * vh / vw
    legend_h = 44.0
    height = map_h + legend_h
    shown = sum(1 for v in values.values() if finite(v))
    parts = svg_open(width, height, title,
                     f"{shown} countries coloured by {value_label}"
                     + (f" toward {names.get(anchor, anchor)}" if anchor else ""), "world-map")
    parts.append(f'<svg x="0" y="0" width="{num(width)}" height="{num(map_h)}" '
                 f'viewBox="{vx} {vy} {vw} {vh}" preserveAspectRatio="xMidYMid meet">')
    parts.append(f'<rect x="{vx}" y="{vy}" width="{vw}" height="{vh}" fill="#f3f6f9"/>')
    parts.append('<g class="countries" stroke="#ffffff" stroke-width="0.6" '
                 'vector-effect="non-scaling-stroke" stroke-linejoin="round">')

    def tip(code: str) -> str:
        value = values.get(code)
        text = f"{names.get(code, code)} ({code})"
        if code == anchor:
            return text + f": the country {value_label} is measured toward"
        text += (f": {value_label} {format_value(value, 0.01, signed=True)}" if finite(value)
                 else ": no events with it")
        if details and details.get(code):
            text += f"; {details[code]}"
        return text

    for code, path in shapes["countries"].items():
        fill = INK if code == anchor else value_color(values.get(code), limit)
        cls = "country anchor" if code == anchor else "country"
        parts.append(f'<path class="{cls}" data-code="{escape(code)}" d="{path}" '
                     f'fill="{fill}" vector-effect="non-scaling-stroke">'
                     f"<title>{escape(tip(code))}</title></path>")
    for path in shapes.get("unassigned", []):
        parts.append(f'<path class="unassigned" d="{path}" fill="{NO_VALUE}"/>')
    parts.append("</g>")

    dots = [c for c in sorted(values) if c not in shapes["countries"]
            and (finite(values[c]) or c == anchor) and points and c in points]
    if dots:
        assert points is not None
        parts.append('<g class="dots">')
        for code in dots:
            lat, lon = points[code]
            if not (finite(lat) and finite(lon)):
                continue
            fill = INK if code == anchor else value_color(values.get(code), limit)
            parts.append(f'<circle class="country dot" data-code="{escape(code)}" '
                         f'cx="{num(lon * 10)}" cy="{num(-lat * 10)}" r="14" fill="{fill}" '
                         f'stroke="{MUTED}" stroke-width="0.8" vector-effect="non-scaling-stroke">'
                         f"<title>{escape(tip(code))}</title></circle>")
        parts.append("</g>")
    parts.append("</svg>")

    # the legend: seven steps from -limit to +limit, labelled at the ends and zero
    steps = [-1.0, -2 / 3, -1 / 3, 0.0, 1 / 3, 2 / 3, 1.0]
    box = 34.0
    x0 = 8.0
    y0 = map_h + 10
    parts.append('<g class="legend">')
    for i, s in enumerate(steps):
        parts.append(f'<rect x="{num(x0 + i * box)}" y="{num(y0)}" width="{num(box)}" '
                     f'height="10" fill="{value_color(s * limit, limit)}"/>')
    for i, label in ((0, format_value(-limit, 0.1, signed=True) + " cooler"),
                     (3, "0"), (6, format_value(limit, 0.1, signed=True) + " warmer")):
        anchor_at = "start" if i == 0 else "end" if i == 6 else "middle"
        lx = x0 + (i * box if i == 0 else (i + 1) * box if i == 6 else (i + 0.5) * box)
        parts.append(svg_text(lx, y0 + 26, label, anchor=anchor_at, size=11, fill=MUTED))
    lx = x0 + len(steps) * box + 18
    parts.append(f'<rect x="{num(lx)}" y="{num(y0)}" width="14" height="10" '
                 f'fill="{NO_VALUE}" stroke="{FAINT}" stroke-width="0.5"/>')
    parts.append(svg_text(lx + 20, y0 + 9, "no events", size=11, fill=MUTED))
    if anchor:
        lx += 20 + 80
        parts.append(f'<rect x="{num(lx)}" y="{num(y0)}" width="14" height="10" fill="{INK}"/>')
        parts.append(svg_text(lx + 20, y0 + 9, f"{names.get(anchor, anchor)} ({anchor})",
                              size=11, fill=INK, weight="600"))
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
