"""Blocs: countries at their capitals coloured by bloc; the bloc axis as a Cleveland dot plot."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .primitives import (
    BLOC_PALETTE,
    FAINT,
    GREEN,
    GRID,
    INK,
    MUTED,
    UNASSIGNED,
    VERMILLION,
    Scale,
    escape,
    finite,
    format_value,
    nice_ticks,
    no_data,
    num,
    real,
    svg_line,
    svg_open,
    svg_text,
    text_width,
)


@dataclass(frozen=True)
class MapPoint:
    code: str
    name: str
    lat: float | None
    lon: float | None
    bloc: str = ""
    activity: float = 1.0
    highlight: bool = False


@dataclass(frozen=True)
class AxisPoint:
    code: str
    name: str
    position: float | None
    lower: float | None = None
    upper: float | None = None
    bloc: str = ""
    highlight: bool = False



def bloc_colors(blocs: Iterable[str]) -> dict[str, str]:
    """A colour per bloc id, in natural order of the ids, so every chart agrees."""
    ids = sorted({b for b in blocs if b},
                 key=lambda b: (0, int(b), "") if b.isdigit() else (1, 0, b))
    colors = {b: BLOC_PALETTE[i] if i < len(BLOC_PALETTE) else UNASSIGNED
              for i, b in enumerate(ids)}
    colors[""] = UNASSIGNED
    return colors


def bloc_map(points: Sequence[MapPoint], *, title: str,
             colors: Mapping[str, str] | None = None,
             bloc_names: Mapping[str, str] | None = None, width: int = 800,
             label_top: int = 12, edges: Sequence[tuple[str, str, float]] = ()) -> str:
    """Countries at their capitals on an equirectangular graticule, coloured by bloc.

    Dot area follows activity. The highlighted countries (the dyad) get a dark ring and a
    label; the ``label_top`` most active others are labelled where their label fits.
    ``edges`` (code, code, signed weight) draw the signed network under the dots: warmer
    pairs green, cooler ones vermillion, stronger ones more opaque.
    Latitudes run from 75°S to 80°N: nothing sovereign lies further south, and the rows saved
    go to the populated latitudes.
    """
    placed = [p for p in points if finite(p.lat) and finite(p.lon)]
    if not placed:
        return no_data(width, 120, title, "No country has a location to place.", "bloc-map")
    colors = dict(colors) if colors is not None else bloc_colors(p.bloc for p in points)
    lat_top, lat_bottom = 80.0, -60.0
    map_w = width - 2.0
    map_h = map_w * (lat_top - lat_bottom) / 360.0
    legend_h = 30.0
    height = map_h + legend_h + 4
    x = Scale(-180.0, 180.0, 1.0, 1.0 + map_w)
    y = Scale(lat_top, lat_bottom, 1.0, 1.0 + map_h)
    parts = svg_open(width, height, title,
                  f"{len(placed)} countries placed by latitude and longitude, coloured by "
                  "bloc, sized by activity", "bloc-map")
    parts.append(f'<rect x="1" y="1" width="{num(map_w)}" height="{num(map_h)}" '
                 f'fill="#f3f6f9" stroke="{GRID}"/>')
    parts.append('<g class="graticule">')
    for lon in range(-150, 181, 30):
        parts.append(svg_line(x(lon), y(lat_top), x(lon), y(lat_bottom),
                           FAINT if lon == 0 else GRID, 1))
    for lat in (-60, -30, 0, 30, 60):
        parts.append(svg_line(x(-180), y(lat), x(180), y(lat), FAINT if lat == 0 else GRID, 1))
        name = "0°" if lat == 0 else f"{abs(lat)}°{'N' if lat > 0 else 'S'}"
        parts.append(svg_text(x(-180) + 4, y(lat) - 3, name, size=10, fill=FAINT))
    parts.append("</g>")

    amax = max((p.activity for p in placed if finite(p.activity)), default=1.0) or 1.0
    at = {p.code: (x(real(p.lon)), y(real(p.lat))) for p in placed}
    drawn = [(a, b, w) for a, b, w in edges if a in at and b in at and finite(w) and w]
    if drawn:
        wmax = max(abs(w) for _, _, w in drawn)
        parts.append('<g class="edges" stroke-linecap="round">')
        for a, b, w in drawn:
            (x1, y1), (x2, y2) = at[a], at[b]
            tone = "warmer" if w > 0 else "cooler"
            parts.append(svg_line(
                x1, y1, x2, y2, GREEN if w > 0 else VERMILLION, 0.8 + 1.7 * abs(w) / wmax,
                f' class="edge {tone}" stroke-opacity="{num(0.25 + 0.5 * abs(w) / wmax)}"'
            ).replace("/>", f"><title>{escape(f'{a}–{b}: {w:+.2f}')}</title></line>"))
        parts.append("</g>")

    def radius(p: MapPoint) -> float:
        a = p.activity if finite(p.activity) and p.activity > 0 else 0.0
        return 3.0 + 9.0 * math.sqrt(a / amax)

    # big dots first so small ones stay visible on top; the dyad last of all
    order = sorted(placed, key=lambda p: (p.highlight, -radius(p), p.code))
    parts.append('<g class="countries">')
    for p in order:
        color = colors.get(p.bloc, UNASSIGNED)
        ring = (f' stroke="{INK}" stroke-width="2.5"' if p.highlight
                else ' stroke="#ffffff" stroke-width="1"')
        bloc = (bloc_names or {}).get(p.bloc, f"bloc {p.bloc}" if p.bloc else "no bloc")
        parts.append(
            f'<circle class="country{" dyad" if p.highlight else ""}" '
            f'cx="{num(x(real(p.lon)))}" cy="{num(y(real(p.lat)))}" r="{num(radius(p))}" '
            f'fill="{color}" fill-opacity="0.85"{ring}>'
            f"<title>{escape(f'{p.name} ({p.code}): {bloc}, activity {p.activity:,.0f}')}"
            "</title></circle>")
    parts.append("</g>")

    labelled = [p for p in placed if p.highlight]
    labelled += sorted((p for p in placed if not p.highlight),
                       key=lambda p: (-radius(p), p.code))[:label_top]
    boxes: list[tuple[float, float, float, float]] = []
    parts.append('<g class="labels">')
    for p in labelled:
        cx, cy, r = x(real(p.lon)), y(real(p.lat)), radius(p)
        text = p.name if p.highlight else p.code
        size = 13 if p.highlight else 11
        w = text_width(text, size)
        tx = cx + r + 3
        if tx + w > 1 + map_w:
            tx = cx - r - 3 - w
        box = (tx, cy - size, tx + w, cy + 3)
        if not p.highlight and any(_overlap(box, b) for b in boxes):
            continue
        boxes.append(box)
        parts.append(svg_text(tx, cy + 4, text, size=size, weight="700" if p.highlight else "",
                           fill=INK if p.highlight else MUTED, halo=True))
    parts.append("</g>")
    parts.append(_bloc_legend(colors, bloc_names, 6, map_h + 22,
                              [p.bloc for p in points]))
    parts.append("</svg>")
    return "\n".join(parts)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _bloc_legend(colors: Mapping[str, str], names: Mapping[str, str] | None, x0: float,
                 y0: float, present: Sequence[str]) -> str:
    parts = ['<g class="legend">']
    cx = x0
    for bloc in sorted(set(present), key=lambda b: list(colors).index(b) if b in colors else 99):
        name = (names or {}).get(bloc, f"Bloc {bloc}" if bloc else "No bloc")
        parts.append(f'<circle cx="{num(cx + 6)}" cy="{num(y0 - 4)}" r="6" '
                     f'fill="{colors.get(bloc, UNASSIGNED)}"/>')
        parts.append(svg_text(cx + 16, y0, name))
        cx += 16 + text_width(name) + 20
    parts.append("</g>")
    return "\n".join(parts)


def bloc_axis(points: Sequence[AxisPoint], *, title: str, axis_label: str = "",
              colors: Mapping[str, str] | None = None,
              bloc_names: Mapping[str, str] | None = None, width: int = 800) -> str:
    """Countries along the bloc axis, one row each, sorted by position, with interval whiskers."""
    placed = sorted((p for p in points if finite(p.position)),
                    key=lambda p: (p.position, p.code))
    if not placed:
        return no_data(width, 120, title, "No country has a position on the axis.",
                        "bloc-axis")
    colors = dict(colors) if colors is not None else bloc_colors(p.bloc for p in points)
    row_h = 18.0
    left = min(230.0, max(text_width(f"{p.name} ({p.code})", 12) for p in placed) + 24)
    right, top, bottom = 20.0, 34.0, 44.0
    height = top + row_h * len(placed) + bottom
    found = [real(v) for p in placed for v in (p.position, p.lower, p.upper) if finite(v)]
    lo, hi, ticks = nice_ticks(min(found), max(found))
    x = Scale(lo, hi, left, width - right)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    parts = svg_open(width, height, title,
                  f"{len(placed)} countries ordered along the bloc axis from "
                  f"{placed[0].name} to {placed[-1].name}", "bloc-axis")
    parts.append(_bloc_legend(colors, bloc_names, left - 6, 18, [p.bloc for p in placed]))
    y_axis = top + row_h * len(placed) + 6
    parts.append('<g class="x-axis">')
    for t in ticks:
        parts.append(svg_line(x(t), top - 4, x(t), y_axis, GRID))
        parts.append(svg_text(x(t), y_axis + 16, format_value(t, step), anchor="middle", size=11,
                           fill=MUTED))
    if lo < 0 < hi:
        parts.append(svg_line(x(0), top - 4, x(0), y_axis, FAINT))
    if axis_label:
        parts.append(svg_text((left + width - right) / 2, y_axis + 34, axis_label,
                           anchor="middle", size=11, fill=MUTED, weight="600"))
    parts.append("</g>")
    parts.append('<g class="rows">')
    for i, p in enumerate(placed):
        cy = top + row_h * (i + 0.5)
        color = colors.get(p.bloc, UNASSIGNED)
        row = [f'<g class="axis-country{" dyad" if p.highlight else ""}">']
        if p.highlight:
            row.append(f'<rect x="4" y="{num(cy - row_h / 2)}" width="{num(width - 8)}" '
                       f'height="{num(row_h)}" fill="#fff4d6"/>')
        row.append(svg_text(left - 12, cy + 4, f"{p.name} ({p.code})", anchor="end",
                         weight="700" if p.highlight else "", fill=INK if p.highlight else MUTED))
        if finite(p.lower) and finite(p.upper):
            row.append(svg_line(x(real(p.lower)), cy, x(real(p.upper)), cy, color, 2,
                             ' stroke-opacity="0.55" stroke-linecap="round"'))
        bloc = (bloc_names or {}).get(p.bloc, f"bloc {p.bloc}" if p.bloc else "no bloc")
        tip = f"{p.name} ({p.code}), {bloc}: {format_value(p.position, step / 10)}"
        if finite(p.lower) and finite(p.upper):
            tip += (f" (95% interval {format_value(p.lower, step / 10)} to "
                    f"{format_value(p.upper, step / 10)})")
        ring = f' stroke="{INK}" stroke-width="2"' if p.highlight else ""
        row.append(f'<circle class="position" cx="{num(x(real(p.position)))}" cy="{num(cy)}" '
                   f'r="5" fill="{color}"{ring}><title>{escape(tip)}</title></circle>')
        row.append("</g>")
        parts.append("\n".join(row))
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


