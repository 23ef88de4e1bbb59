"""Lines over dates with interval bands, dots sized by volume, and change-point markers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .primitives import (
    BLUE,
    COOLER,
    FAINT,
    GRID,
    MUTED,
    NEUTRAL,
    WARMER,
    Scale,
    at,
    date_ticks,
    escape,
    format_value,
    link,
    nice_ticks,
    no_data,
    num,
    real,
    runs,
    svg_line,
    svg_open,
    svg_text,
    text_width,
)


@dataclass(frozen=True)
class Series:
    """One line on a timeline; ``values``, ``lower``, ``upper``, ``sizes`` align with the dates.

    ``sizes`` scale the dots (by square root, so area follows the value); ``details`` add a
    line to each point's tooltip; ``hrefs`` make each dot a link (the dashboard's way from a
    period to the events behind it).
    """

    name: str
    values: Sequence[float | None]
    lower: Sequence[float | None] | None = None
    upper: Sequence[float | None] | None = None
    sizes: Sequence[float | None] | None = None
    color: str = BLUE
    details: Sequence[str] | None = None
    hrefs: Sequence[str | None] | None = None


@dataclass(frozen=True)
class Marker:
    """A vertical line at ``when`` (a change point); ``tone`` is warmer, cooler or neutral."""

    when: date
    label: str
    tone: str = "neutral"
    detail: str = ""
    href: str | None = None



def timeline(dates: Sequence[date], series: Sequence[Series], *, title: str,
             markers: Sequence[Marker] = (), y_label: str = "", size_label: str = "",
             zero_line: bool = True, y_domain: tuple[float, float] | None = None,
             value_format: str = "", width: int = 800, height: int = 300) -> str:
    """Lines over dates, each with its interval band, dots sized by ``sizes`` and change points.

    A single finite value between gaps shows as a dot with a whisker for its interval. The
    dates are the periods' start days; markers outside the dates widen the axis to show them.
    ``value_format`` 'percent' labels the value axis in per cent.
    """
    if not dates or not series:
        return no_data(width, 120, title, "No data for this chart.", "timeline")
    n = len(dates)
    percent = value_format == "percent"
    xs_dom = [d.toordinal() for d in dates] + [m.when.toordinal() for m in markers]
    x_lo, x_hi = min(xs_dom), max(xs_dom)
    pad = max((x_hi - x_lo) * 0.02, 3.0)
    legend_h = 22
    left, right, bottom = 52.0, 16.0, 40.0
    x = Scale(x_lo - pad, x_hi + pad, left, width - right)
    labels = _marker_labels(markers, x, width - right)
    top = 18 + legend_h + 16 * (max(r for r, _, _ in labels) + 1 if labels else 0) + 6

    found = [v for s in series for arr in (s.values, s.lower, s.upper) if arr is not None
             for v in (at(arr, i) for i in range(n)) if v is not None]
    if y_domain is not None:
        lo, hi, ticks = nice_ticks(*y_domain)
    elif found:
        lo, hi = min(found), max(found)
        if zero_line:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        lo, hi, ticks = nice_ticks(lo, hi)
    else:
        lo, hi, ticks = nice_ticks(-1.0, 1.0)
    y = Scale(lo, hi, height - bottom, top)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0

    desc = (f"{', '.join(s.name for s in series)} over {n} periods from "
            f"{dates[0].isoformat()} to {dates[-1].isoformat()}")
    if markers:
        desc += "; change points at " + ", ".join(m.when.isoformat() for m in markers)
    parts = svg_open(width, height, title, desc, "timeline")

    # value axis: gridlines and labels; the label sits above the axis, read horizontally
    parts.append('<g class="y-axis">')
    for t in ticks:
        ty = y(t)
        parts.append(svg_line(left, ty, width - right, ty, GRID))
        parts.append(svg_text(left - 6, ty + 4, format_value(t, step, percent=percent),
                           anchor="end", size=11, fill=MUTED))
    if y_label:
        parts.append(svg_text(left - 44, 14, y_label, size=11, fill=MUTED, weight="600"))
    parts.append("</g>")
    if zero_line and lo < 0 < hi:
        parts.append(svg_line(left, y(0), width - right, y(0), FAINT, 1.25,
                           ' class="zero-line"'))

    parts.append(_date_axis(x, x_lo - pad, x_hi + pad, height - bottom, left, width - right))
    parts.append(_legend(series, left - 44, 18 + legend_h - 8, size_label))

    for m, (row, tx, anchor) in zip(markers, labels, strict=True):
        parts.append(_marker(m, x(m.when.toordinal()), height - bottom,
                             18 + legend_h + 16 * row + 10, tx, anchor))

    ordinals = [d.toordinal() for d in dates]
    for s in series:
        parts.extend(_series(s, ordinals, dates, x, y, step, percent))
    parts.append("</svg>")
    return "\n".join(parts)


def _marker_labels(markers: Sequence[Marker], x: Scale, right: float
                   ) -> list[tuple[int, float, str]]:
    """Per marker: a label row, x and anchor, so labels of close change points do not overlap.

    A label starts at its line and runs right, or ends at its line when it would run off the
    plot; rows are filled greedily in date order.
    """
    ends: list[float] = []
    out: list[tuple[int, float, str]] = [(0, 0.0, "start")] * len(markers)
    order = sorted(range(len(markers)), key=lambda i: (markers[i].when, markers[i].label))
    for i in order:
        m = markers[i]
        mx = x(m.when.toordinal())
        w = text_width(_marker_text(m), 11)
        start, anchor, tx = mx - 4, "start", mx - 4
        if start + w > right:
            start, anchor, tx = mx + 4 - w, "end", mx + 4
        row = next((r for r, e in enumerate(ends) if e + 8 < start), len(ends))
        if row == len(ends):
            ends.append(start + w)
        else:
            ends[row] = start + w
        out[i] = (row, tx, anchor)
    return out


def _marker_text(m: Marker) -> str:
    return {"warmer": "▲ ", "cooler": "▼ "}.get(m.tone, "") + m.label


def _date_axis(x: Scale, d0: float, d1: float, y0: float, left: float, right: float) -> str:
    lo, hi = date.fromordinal(math.ceil(d0)), date.fromordinal(math.floor(d1))
    max_ticks = max(2, int((right - left) / 70))
    parts = ['<g class="x-axis">', svg_line(left, y0, right, y0, FAINT)]
    for d, label, year in date_ticks(lo, hi, max_ticks):
        tx = x(d.toordinal())
        parts.append(svg_line(tx, y0, tx, y0 + 5, FAINT))
        parts.append(svg_text(tx, y0 + 17, label, anchor="middle", size=11, fill=MUTED))
        if year:
            parts.append(svg_text(tx, y0 + 31, year, anchor="middle", size=11, fill=MUTED,
                               weight="600"))
    parts.append("</g>")
    return "\n".join(parts)


def _legend(series: Sequence[Series], x0: float, y0: float, size_label: str) -> str:
    parts = ['<g class="legend">']
    cx = x0
    for s in series:
        parts.append(f'<rect x="{num(cx)}" y="{num(y0 - 9)}" width="22" height="12" '
                     f'fill="{s.color}" fill-opacity="0.18"/>')
        parts.append(svg_line(cx, y0 - 3, cx + 22, y0 - 3, s.color, 2.25))
        parts.append(svg_text(cx + 28, y0 + 1, s.name, size=12))
        cx += 28 + text_width(s.name) + 22
    if any(s.lower is not None for s in series):
        parts.append(svg_text(cx, y0 + 1, "shaded: 95% interval", size=11, fill=MUTED))
        cx += text_width("shaded: 95% interval", 11) + 22
    if size_label:
        for r, dx in ((2.5, 3), (4.5, 12), (7, 26)):
            parts.append(f'<circle cx="{num(cx + dx)}" cy="{num(y0 - 3)}" r="{num(r)}" '
                         f'fill="none" stroke="{MUTED}"/>')
        parts.append(svg_text(cx + 38, y0 + 1, size_label, size=11, fill=MUTED))
    parts.append("</g>")
    return "\n".join(parts)


def _marker(m: Marker, mx: float, y0: float, label_y: float, tx: float, anchor: str) -> str:
    color = {"warmer": WARMER, "cooler": COOLER}.get(m.tone, NEUTRAL)
    tip = f"{m.label}: {m.detail}" if m.detail else m.label
    inner = "\n".join([
        svg_line(mx, label_y + 4, mx, y0, color, 1.5, ' stroke-dasharray="4 3"'),
        svg_text(tx, label_y, _marker_text(m), anchor=anchor, size=11, fill=color,
                 weight="600", halo=True),
    ])
    if m.href:  # a wide, invisible hit area: the dashed line alone is hard to click
        inner = link(m.href, f'<rect x="{num(mx - 5)}" y="{num(label_y - 12)}" width="10" '
                     f'height="{num(y0 - label_y + 12)}" fill="#ffffff" fill-opacity="0"/>'
                     + inner)
    return "\n".join([
        f'<g class="cp-marker" data-tone="{escape(m.tone)}">',
        f"<title>{escape(tip)}</title>",
        inner,
        "</g>",
    ])


def _series(s: Series, ordinals: Sequence[int], dates: Sequence[date], x: Scale, y: Scale,
            step: float, percent: bool) -> list[str]:
    n = len(ordinals)
    values = [at(s.values, i) for i in range(n)]
    lows = [at(s.lower, i) for i in range(n)]
    highs = [at(s.upper, i) for i in range(n)]
    parts = [f'<g class="series" data-series="{escape(s.name)}">']

    band_runs = runs([lo is not None and hi is not None for lo, hi in zip(lows, highs,
                                                                          strict=True)])
    band_d, whiskers = [], []
    for run in band_runs:
        if len(run) == 1:
            i = run[0]
            whiskers.append(svg_line(x(ordinals[i]), y(real(lows[i])), x(ordinals[i]),
                                  y(real(highs[i])), s.color, 2,
                                  ' stroke-opacity="0.35" class="whisker"'))
            continue
        upper = [f"{num(x(ordinals[i]))} {num(y(real(highs[i])))}" for i in run]
        lower = [f"{num(x(ordinals[i]))} {num(y(real(lows[i])))}" for i in reversed(run)]
        band_d.append("M" + " L".join(upper + lower) + " Z")
    if band_d:
        parts.append(f'<path class="band" d="{" ".join(band_d)}" fill="{s.color}" '
                     f'fill-opacity="0.18" stroke="none"/>')
    parts.extend(whiskers)

    line_d = []
    for run in runs([v is not None for v in values]):
        if len(run) > 1:
            line_d.append("M" + " L".join(
                f"{num(x(ordinals[i]))} {num(y(real(values[i])))}" for i in run))
    if line_d:
        parts.append(f'<path class="series-line" d="{" ".join(line_d)}" fill="none" '
                     f'stroke="{s.color}" stroke-width="2.25" stroke-linejoin="round" '
                     f'stroke-linecap="round"/>')

    sizes = [at(s.sizes, i) for i in range(n)]
    largest = max((v for v in sizes if v is not None and v > 0), default=0.0)
    for i, v in enumerate(values):
        if v is None:
            continue
        size = sizes[i]
        if largest > 0 and size is not None and size > 0:
            r = 2.0 + 5.5 * math.sqrt(size / largest)
        else:
            r = 2.75
        tip = f"{s.name}, {dates[i].isoformat()}: {format_value(v, step / 10, percent=percent)}"
        if lows[i] is not None and highs[i] is not None:
            tip += (f" (95% interval {format_value(lows[i], step / 10, percent=percent)} to "
                    f"{format_value(highs[i], step / 10, percent=percent)})")
        if s.details is not None and i < len(s.details) and s.details[i]:
            tip += f"; {s.details[i]}"
        href = s.hrefs[i] if s.hrefs is not None and i < len(s.hrefs) else None
        parts.append(link(href, f'<circle class="point" cx="{num(x(ordinals[i]))}" '
                          f'cy="{num(y(v))}" r="{num(r)}" fill="{s.color}" fill-opacity="0.85" '
                          f'stroke="#ffffff" stroke-width="1"><title>{escape(tip)}</title>'
                          "</circle>"))
    parts.append("</g>")
    return parts


