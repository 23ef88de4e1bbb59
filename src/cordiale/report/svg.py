"""Charts as inline SVG strings: timelines, quad-class shares, bloc map and axis, signed bars.

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
  :func:`_num` refuses non-finite numbers, so a slip shows up as an error, not a blank chart.
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

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape as _html_escape

SVG_NS = "http://www.w3.org/2000/svg"
FONT = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
        "'Noto Sans', 'Liberation Sans', sans-serif")
INK = "#1f2933"
MUTED = "#52606d"
FAINT = "#9aa5b1"
GRID = "#e4e7eb"

BLUE, SKY, GREEN, ORANGE, VERMILLION, PURPLE, YELLOW = (
    "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#F0E442")
WARMER, COOLER, NEUTRAL = GREEN, VERMILLION, MUTED

# (key, label, colour) in the analysis' order: quads 1-4
QUAD_CLASSES = (
    ("verbal_cooperation", "Verbal cooperation", SKY),
    ("material_cooperation", "Material cooperation", GREEN),
    ("verbal_conflict", "Verbal conflict", ORANGE),
    ("material_conflict", "Material conflict", VERMILLION),
)
# bottom to top: cooperation below, conflict above, intensity growing away from the boundary,
# so the boundary between blue/green and orange/red reads as the cooperation share
_STACK_ORDER = (1, 0, 2, 3)
BLOC_PALETTE = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, "#8C6D1F", "#000000")
UNASSIGNED = "#b8c2cc"

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MINUS = "\u2212"


# -- plain values in ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """One line on a timeline; ``values``, ``lower``, ``upper``, ``sizes`` align with the dates.

    ``sizes`` scale the dots (by square root, so area follows the value); ``details`` add a
    line to each point's tooltip.
    """

    name: str
    values: Sequence[float | None]
    lower: Sequence[float | None] | None = None
    upper: Sequence[float | None] | None = None
    sizes: Sequence[float | None] | None = None
    color: str = BLUE
    details: Sequence[str] | None = None


@dataclass(frozen=True)
class Marker:
    """A vertical line at ``when`` (a change point); ``tone`` is warmer, cooler or neutral."""

    when: date
    label: str
    tone: str = "neutral"
    detail: str = ""


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


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    detail: str = ""


# -- small helpers -----------------------------------------------------------------------------

def escape(text: object) -> str:
    """Text safe inside an XML/HTML element or a double- or single-quoted attribute."""
    return _html_escape(_XML_ILLEGAL.sub("", str(text)), quote=True)


def finite(value: object) -> bool:
    """True for a real, finite number (NumPy scalars included); False for None, NaN, text."""
    if value is None or isinstance(value, bool | str | bytes):
        return False
    try:
        return math.isfinite(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _real(value: float | None) -> float:
    """A value the caller has already checked is finite, typed as such."""
    if value is None:
        raise ValueError("a missing value reached a place that needs a number")
    return float(value)


def _num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never NaN or infinity."""
    if not math.isfinite(value):
        raise ValueError(f"non-finite coordinate {value!r} reached SVG output")
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: float | None, step: float = 0.01, *, signed: bool = False,
                 percent: bool = False) -> str:
    """A number for people: decimals to match ``step``, a real minus sign, '–' when missing."""
    if not finite(value):
        return "–"
    assert value is not None
    if percent:
        value, step = value * 100, step * 100
    decimals = 0
    while decimals < 4 and abs(round(step, decimals) - step) > 1e-9 * max(1.0, abs(step)):
        decimals += 1
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    elif text.startswith("-"):
        text = _MINUS + text[1:]
    elif signed:
        text = "+" + text
    return text + ("%" if percent else "")


def step_for(values: Sequence[float | None]) -> float:
    """A rounding step showing two significant digits of the largest value (at most 0.01)."""
    sizes = [abs(v) for v in values if v is not None and finite(v) and v]
    if not sizes:
        return 0.01
    return min(0.01, 10.0 ** (math.floor(math.log10(max(sizes))) - 1))


def nice_ticks(lo: float, hi: float, target: int = 5) -> tuple[float, float, list[float]]:
    """A domain widened to round numbers and the ticks in it (steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = -1.0, 1.0
    # past ±1e15 a chart says nothing more, and the span must stay a finite float
    lo, hi = max(min(lo, 1e15), -1e15), max(min(hi, 1e15), -1e15)
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo < 1e-12:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for m in (1, 2, 2.5, 5, 10):
        step = m * magnitude
        if (hi - lo) / step <= target:
            break
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    count = round((stop - start) / step)
    ticks = [float(f"{start + i * step:.12g}") for i in range(count + 1)]
    return start, stop, ticks


def date_ticks(lo: date, hi: date, max_ticks: int = 8) -> list[tuple[date, str, str]]:
    """Ticks at whole days, weeks, months, quarters or years, whichever fits ``max_ticks``.

    Each tick is (date, label, second line); the second line carries the year where it
    changes (and on the first tick) so the axis is read without repeating it.
    """
    span = max((hi - lo).days, 0)
    plans = (("day", 1, 1), ("day", 2, 2), ("week", 1, 7), ("week", 2, 14),
             ("month", 1, 30.4), ("month", 2, 60.9), ("month", 3, 91.3), ("month", 6, 182.6),
             ("year", 1, 365.25), ("year", 2, 730.5), ("year", 5, 1826), ("year", 10, 3652),
             ("year", 20, 7305), ("year", 50, 18262), ("year", 100, 36525))
    ticks: list[date] = []
    kind, step = "year", 100
    for kind, step, days in plans:
        if span / days > max_ticks + 2:
            continue
        ticks = _date_candidates(lo, hi, kind, step)
        if len(ticks) <= max_ticks:
            break
    out = []
    previous_year = None
    for d in ticks:
        year = str(d.year) if d.year != previous_year else ""
        previous_year = d.year
        if kind == "year":
            out.append((d, str(d.year), ""))
        elif kind == "month" and step == 3:
            out.append((d, f"Q{(d.month - 1) // 3 + 1}", year))
        elif kind == "month":
            out.append((d, _MONTHS[d.month - 1], year))
        else:
            out.append((d, f"{d.day} {_MONTHS[d.month - 1]}", year))
    return out


def _date_candidates(lo: date, hi: date, kind: str, step: int) -> list[date]:
    if kind == "day":
        return [date.fromordinal(o) for o in range(lo.toordinal(), hi.toordinal() + 1)
                if o % step == 0]
    if kind == "week":
        first = lo.toordinal() + (7 - lo.weekday()) % 7  # the first Monday on or after lo
        return [date.fromordinal(o) for o in range(first, hi.toordinal() + 1, 7 * step)]
    if kind == "month":
        out = []
        y, m = lo.year, lo.month
        while (y, m) <= (hi.year, hi.month):
            d = date(y, m, 1)
            if d >= lo and (m - 1) % step == 0:
                out.append(d)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    first_year = lo.year if lo == date(lo.year, 1, 1) else lo.year + 1
    return [date(y, 1, 1) for y in range(first_year, hi.year + 1) if y % step == 0]


class _Scale:
    """A linear map from a data domain onto a pixel range."""

    def __init__(self, d0: float, d1: float, r0: float, r1: float) -> None:
        self.d0, self.d1, self.r0, self.r1 = d0, d1, r0, r1

    def __call__(self, value: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        out = self.r0 + (value - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)
        # a value far outside the domain still gets a short, finite coordinate
        edge = abs(self.r1 - self.r0) + 1000
        return min(max(out, min(self.r0, self.r1) - edge), max(self.r0, self.r1) + edge)


def _open(width: float, height: float, label: str, desc: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="{SVG_NS}" class="chart {kind}" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" role="img" '
        f'aria-label="{escape(label)}" font-family="{escape(FONT)}" font-size="12" '
        f'fill="{INK}">',
        f"<title>{escape(label)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 12,
          fill: str = INK, weight: str = "", cls: str = "", halo: bool = False) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    extra += f' class="{cls}"' if cls else ""
    if halo:  # a white outline under the glyphs keeps labels legible over dots and lines
        extra += ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" '
            f'font-size="{_num(size)}" fill="{fill}"{extra}>{escape(text)}</text>')


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1,
          extra: str = "") -> str:
    return (f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke="{stroke}" stroke-width="{_num(width)}"{extra}/>')


def _runs(ok: Sequence[bool]) -> list[list[int]]:
    """Indices grouped into runs of consecutive True values."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, good in enumerate(ok):
        if good:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _at(values: Sequence[float | None] | None, i: int) -> float | None:
    if values is None or i >= len(values):
        return None
    v = values[i]
    return float(v) if v is not None and finite(v) else None


def _text_width(text: str, size: float = 12) -> float:
    """A rough width of ``text`` in pixels (system sans-serif averages ~0.56 em a glyph)."""
    return len(text) * size * 0.56


def _no_data(width: float, height: float, label: str, message: str, kind: str) -> str:
    parts = _open(width, height, label, message, kind)
    parts.append(f'<rect x="0.5" y="0.5" width="{_num(width - 1)}" height="{_num(height - 1)}" '
                 f'fill="#f5f7fa" stroke="{GRID}"/>')
    parts.append(_text(width / 2, height / 2 + 4, message, anchor="middle", fill=MUTED))
    parts.append("</svg>")
    return "\n".join(parts)


# -- timeline ----------------------------------------------------------------------------------

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
        return _no_data(width, 120, title, "No data for this chart.", "timeline")
    n = len(dates)
    percent = value_format == "percent"
    xs_dom = [d.toordinal() for d in dates] + [m.when.toordinal() for m in markers]
    x_lo, x_hi = min(xs_dom), max(xs_dom)
    pad = max((x_hi - x_lo) * 0.02, 3.0)
    legend_h = 22
    left, right, bottom = 52.0, 16.0, 40.0
    x = _Scale(x_lo - pad, x_hi + pad, left, width - right)
    labels = _marker_labels(markers, x, width - right)
    top = 18 + legend_h + 16 * (max(r for r, _, _ in labels) + 1 if labels else 0) + 6

    found = [v for s in series for arr in (s.values, s.lower, s.upper) if arr is not None
             for v in (_at(arr, i) for i in range(n)) if v is not None]
    if y_domain is not None:
        lo, hi, ticks = nice_ticks(*y_domain)
    elif found:
        lo, hi = min(found), max(found)
        if zero_line:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        lo, hi, ticks = nice_ticks(lo, hi)
    else:
        lo, hi, ticks = nice_ticks(-1.0, 1.0)
    y = _Scale(lo, hi, height - bottom, top)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0

    desc = (f"{', '.join(s.name for s in series)} over {n} periods from "
            f"{dates[0].isoformat()} to {dates[-1].isoformat()}")
    if markers:
        desc += "; change points at " + ", ".join(m.when.isoformat() for m in markers)
    parts = _open(width, height, title, desc, "timeline")

    # value axis: gridlines and labels; the label sits above the axis, read horizontally
    parts.append('<g class="y-axis">')
    for t in ticks:
        ty = y(t)
        parts.append(_line(left, ty, width - right, ty, GRID))
        parts.append(_text(left - 6, ty + 4, format_value(t, step, percent=percent),
                           anchor="end", size=11, fill=MUTED))
    if y_label:
        parts.append(_text(left - 44, 14, y_label, size=11, fill=MUTED, weight="600"))
    parts.append("</g>")
    if zero_line and lo < 0 < hi:
        parts.append(_line(left, y(0), width - right, y(0), FAINT, 1.25,
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


def _marker_labels(markers: Sequence[Marker], x: _Scale, right: float
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
        w = _text_width(_marker_text(m), 11)
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


def _date_axis(x: _Scale, d0: float, d1: float, y0: float, left: float, right: float) -> str:
    lo, hi = date.fromordinal(math.ceil(d0)), date.fromordinal(math.floor(d1))
    max_ticks = max(2, int((right - left) / 70))
    parts = ['<g class="x-axis">', _line(left, y0, right, y0, FAINT)]
    for d, label, year in date_ticks(lo, hi, max_ticks):
        tx = x(d.toordinal())
        parts.append(_line(tx, y0, tx, y0 + 5, FAINT))
        parts.append(_text(tx, y0 + 17, label, anchor="middle", size=11, fill=MUTED))
        if year:
            parts.append(_text(tx, y0 + 31, year, anchor="middle", size=11, fill=MUTED,
                               weight="600"))
    parts.append("</g>")
    return "\n".join(parts)


def _legend(series: Sequence[Series], x0: float, y0: float, size_label: str) -> str:
    parts = ['<g class="legend">']
    cx = x0
    for s in series:
        parts.append(f'<rect x="{_num(cx)}" y="{_num(y0 - 9)}" width="22" height="12" '
                     f'fill="{s.color}" fill-opacity="0.18"/>')
        parts.append(_line(cx, y0 - 3, cx + 22, y0 - 3, s.color, 2.25))
        parts.append(_text(cx + 28, y0 + 1, s.name, size=12))
        cx += 28 + _text_width(s.name) + 22
    if any(s.lower is not None for s in series):
        parts.append(_text(cx, y0 + 1, "shaded: 95% interval", size=11, fill=MUTED))
        cx += _text_width("shaded: 95% interval", 11) + 22
    if size_label:
        for r, dx in ((2.5, 3), (4.5, 12), (7, 26)):
            parts.append(f'<circle cx="{_num(cx + dx)}" cy="{_num(y0 - 3)}" r="{_num(r)}" '
                         f'fill="none" stroke="{MUTED}"/>')
        parts.append(_text(cx + 38, y0 + 1, size_label, size=11, fill=MUTED))
    parts.append("</g>")
    return "\n".join(parts)


def _marker(m: Marker, mx: float, y0: float, label_y: float, tx: float, anchor: str) -> str:
    color = {"warmer": WARMER, "cooler": COOLER}.get(m.tone, NEUTRAL)
    tip = f"{m.label}: {m.detail}" if m.detail else m.label
    return "\n".join([
        f'<g class="cp-marker" data-tone="{escape(m.tone)}">',
        f"<title>{escape(tip)}</title>",
        _line(mx, label_y + 4, mx, y0, color, 1.5, ' stroke-dasharray="4 3"'),
        _text(tx, label_y, _marker_text(m), anchor=anchor, size=11, fill=color, weight="600",
              halo=True),
        "</g>",
    ])


def _series(s: Series, ordinals: Sequence[int], dates: Sequence[date], x: _Scale, y: _Scale,
            step: float, percent: bool) -> list[str]:
    n = len(ordinals)
    values = [_at(s.values, i) for i in range(n)]
    lows = [_at(s.lower, i) for i in range(n)]
    highs = [_at(s.upper, i) for i in range(n)]
    parts = [f'<g class="series" data-series="{escape(s.name)}">']

    band_runs = _runs([lo is not None and hi is not None for lo, hi in zip(lows, highs,
                                                                          strict=True)])
    band_d, whiskers = [], []
    for run in band_runs:
        if len(run) == 1:
            i = run[0]
            whiskers.append(_line(x(ordinals[i]), y(_real(lows[i])), x(ordinals[i]),
                                  y(_real(highs[i])), s.color, 2,
                                  ' stroke-opacity="0.35" class="whisker"'))
            continue
        upper = [f"{_num(x(ordinals[i]))} {_num(y(_real(highs[i])))}" for i in run]
        lower = [f"{_num(x(ordinals[i]))} {_num(y(_real(lows[i])))}" for i in reversed(run)]
        band_d.append("M" + " L".join(upper + lower) + " Z")
    if band_d:
        parts.append(f'<path class="band" d="{" ".join(band_d)}" fill="{s.color}" '
                     f'fill-opacity="0.18" stroke="none"/>')
    parts.extend(whiskers)

    line_d = []
    for run in _runs([v is not None for v in values]):
        if len(run) > 1:
            line_d.append("M" + " L".join(
                f"{_num(x(ordinals[i]))} {_num(y(_real(values[i])))}" for i in run))
    if line_d:
        parts.append(f'<path class="series-line" d="{" ".join(line_d)}" fill="none" '
                     f'stroke="{s.color}" stroke-width="2.25" stroke-linejoin="round" '
                     f'stroke-linecap="round"/>')

    sizes = [_at(s.sizes, i) for i in range(n)]
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
        parts.append(f'<circle class="point" cx="{_num(x(ordinals[i]))}" cy="{_num(y(v))}" '
                     f'r="{_num(r)}" fill="{s.color}" fill-opacity="0.85" stroke="#ffffff" '
                     f'stroke-width="1"><title>{escape(tip)}</title></circle>')
    parts.append("</g>")
    return parts


# -- quad-class shares ---------------------------------------------------------------------------

def stacked_shares(labels: Sequence[str], shares: Sequence[Sequence[float | None]], *,
                   title: str, lower: Sequence[Sequence[float | None]] | None = None,
                   upper: Sequence[Sequence[float | None]] | None = None,
                   counts: Sequence[int] | None = None, width: int = 800,
                   height: int = 270) -> str:
    """Stacked bars of the four quad-class shares per period (each row in QUAD_CLASSES order).

    A period without shares (no events) is left empty with a tooltip saying so; intervals and
    counts appear in each segment's tooltip rather than as whiskers, which stacked segments
    cannot carry legibly.
    """
    if not labels:
        return _no_data(width, 120, title, "No events to divide into classes.", "shares")
    n = len(labels)
    left, right, top, bottom = 52.0, 16.0, 44.0, 40.0
    slot = (width - left - right) / n
    gap = 0.0 if slot < 6 else slot * 0.18
    y = _Scale(0.0, 1.0, height - bottom, top)
    parts = _open(width, height, title,
                  f"Shares of verbal and material cooperation and conflict in {n} periods, "
                  f"{labels[0]} to {labels[-1]}", "shares")

    lx = left - 44
    parts.append('<g class="legend">')
    for q in _STACK_ORDER:
        _, name, color = QUAD_CLASSES[q]
        parts.append(f'<rect x="{_num(lx)}" y="10" width="12" height="12" rx="2" '
                     f'fill="{color}"/>')
        parts.append(_text(lx + 17, 20, name))
        lx += 17 + _text_width(name) + 20
    parts.append("</g>")

    parts.append('<g class="y-axis">')
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(_line(left, y(t), width - right, y(t), GRID))
        parts.append(_text(left - 6, y(t) + 4, format_value(t, 0.01, percent=True),
                           anchor="end", size=11, fill=MUTED))
    parts.append("</g>")

    every = max(1, math.ceil(max(_text_width(s, 11) for s in labels) * 1.3 / slot))
    parts.append('<g class="x-axis">')
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(_text(left + slot * (i + 0.5), height - bottom + 16, label,
                               anchor="middle", size=11, fill=MUTED))
    parts.append("</g>")

    parts.append('<g class="bars">')
    for i, label in enumerate(labels):
        row = shares[i] if i < len(shares) else ()
        values = [_at(row, q) for q in range(4)]
        bx = left + slot * i + gap / 2
        bw = max(slot - gap, 0.5)
        if not any(v is not None and v > 0 for v in values):
            parts.append(f'<rect class="empty" x="{_num(bx)}" y="{_num(y(0) - 2)}" '
                         f'width="{_num(bw)}" height="2" fill="{GRID}">'
                         f"<title>{escape(label)}: no events</title></rect>")
            continue
        total = 0.0
        for q in _STACK_ORDER:
            v = values[q]
            if v is None or v <= 0:
                continue
            v = min(v, 1.0 - total)
            if v <= 0:
                continue
            key, name, color = QUAD_CLASSES[q]
            tip = f"{label} · {name}: {format_value(v, 0.001, percent=True)}"
            lo_, hi_ = (_at(lower[i], q) if lower and i < len(lower) else None,
                        _at(upper[i], q) if upper and i < len(upper) else None)
            if lo_ is not None and hi_ is not None:
                tip += (f" (95% interval {format_value(lo_, 0.001, percent=True)} to "
                        f"{format_value(hi_, 0.001, percent=True)})")
            if counts is not None and i < len(counts):
                tip += f"; {counts[i]:,} events in the period"
            y_top = y(total + v)
            parts.append(f'<rect class="segment" data-quad="{key}" x="{_num(bx)}" '
                         f'y="{_num(y_top)}" width="{_num(bw)}" '
                         f'height="{_num(y(total) - y_top)}" fill="{color}" stroke="#ffffff" '
                         f'stroke-width="{"0.6" if bw > 3 else "0"}">'
                         f"<title>{escape(tip)}</title></rect>")
            total += v
    parts.append("</g>")
    parts.append(_line(left, y(0), width - right, y(0), FAINT))
    parts.append("</svg>")
    return "\n".join(parts)


# -- blocs ---------------------------------------------------------------------------------------

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
             label_top: int = 12) -> str:
    """Countries at their capitals on an equirectangular graticule, coloured by bloc.

    Dot area follows activity. The highlighted countries (the dyad) get a dark ring and a
    label; the ``label_top`` most active others are labelled where their label fits.
    Latitudes run from 75°S to 80°N: nothing sovereign lies further south, and the rows saved
    go to the populated latitudes.
    """
    placed = [p for p in points if finite(p.lat) and finite(p.lon)]
    if not placed:
        return _no_data(width, 120, title, "No country has a location to place.", "bloc-map")
    colors = dict(colors) if colors is not None else bloc_colors(p.bloc for p in points)
    lat_top, lat_bottom = 80.0, -60.0
    map_w = width - 2.0
    map_h = map_w * (lat_top - lat_bottom) / 360.0
    legend_h = 30.0
    height = map_h + legend_h + 4
    x = _Scale(-180.0, 180.0, 1.0, 1.0 + map_w)
    y = _Scale(lat_top, lat_bottom, 1.0, 1.0 + map_h)
    parts = _open(width, height, title,
                  f"{len(placed)} countries placed by latitude and longitude, coloured by "
                  "bloc, sized by activity", "bloc-map")
    parts.append(f'<rect x="1" y="1" width="{_num(map_w)}" height="{_num(map_h)}" '
                 f'fill="#f3f6f9" stroke="{GRID}"/>')
    parts.append('<g class="graticule">')
    for lon in range(-150, 181, 30):
        parts.append(_line(x(lon), y(lat_top), x(lon), y(lat_bottom),
                           FAINT if lon == 0 else GRID, 1))
    for lat in (-60, -30, 0, 30, 60):
        parts.append(_line(x(-180), y(lat), x(180), y(lat), FAINT if lat == 0 else GRID, 1))
        name = "0°" if lat == 0 else f"{abs(lat)}°{'N' if lat > 0 else 'S'}"
        parts.append(_text(x(-180) + 4, y(lat) - 3, name, size=10, fill=FAINT))
    parts.append("</g>")

    amax = max((p.activity for p in placed if finite(p.activity)), default=1.0) or 1.0

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
            f'cx="{_num(x(_real(p.lon)))}" cy="{_num(y(_real(p.lat)))}" r="{_num(radius(p))}" '
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
        cx, cy, r = x(_real(p.lon)), y(_real(p.lat)), radius(p)
        text = p.name if p.highlight else p.code
        size = 13 if p.highlight else 11
        w = _text_width(text, size)
        tx = cx + r + 3
        if tx + w > 1 + map_w:
            tx = cx - r - 3 - w
        box = (tx, cy - size, tx + w, cy + 3)
        if not p.highlight and any(_overlap(box, b) for b in boxes):
            continue
        boxes.append(box)
        parts.append(_text(tx, cy + 4, text, size=size, weight="700" if p.highlight else "",
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
        parts.append(f'<circle cx="{_num(cx + 6)}" cy="{_num(y0 - 4)}" r="6" '
                     f'fill="{colors.get(bloc, UNASSIGNED)}"/>')
        parts.append(_text(cx + 16, y0, name))
        cx += 16 + _text_width(name) + 20
    parts.append("</g>")
    return "\n".join(parts)


def bloc_axis(points: Sequence[AxisPoint], *, title: str, axis_label: str = "",
              colors: Mapping[str, str] | None = None,
              bloc_names: Mapping[str, str] | None = None, width: int = 800) -> str:
    """Countries along the bloc axis, one row each, sorted by position, with interval whiskers."""
    placed = sorted((p for p in points if finite(p.position)),
                    key=lambda p: (p.position, p.code))
    if not placed:
        return _no_data(width, 120, title, "No country has a position on the axis.",
                        "bloc-axis")
    colors = dict(colors) if colors is not None else bloc_colors(p.bloc for p in points)
    row_h = 18.0
    left = min(230.0, max(_text_width(f"{p.name} ({p.code})", 12) for p in placed) + 24)
    right, top, bottom = 20.0, 34.0, 44.0
    height = top + row_h * len(placed) + bottom
    found = [_real(v) for p in placed for v in (p.position, p.lower, p.upper) if finite(v)]
    lo, hi, ticks = nice_ticks(min(found), max(found))
    x = _Scale(lo, hi, left, width - right)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    parts = _open(width, height, title,
                  f"{len(placed)} countries ordered along the bloc axis from "
                  f"{placed[0].name} to {placed[-1].name}", "bloc-axis")
    parts.append(_bloc_legend(colors, bloc_names, left - 6, 18, [p.bloc for p in placed]))
    y_axis = top + row_h * len(placed) + 6
    parts.append('<g class="x-axis">')
    for t in ticks:
        parts.append(_line(x(t), top - 4, x(t), y_axis, GRID))
        parts.append(_text(x(t), y_axis + 16, format_value(t, step), anchor="middle", size=11,
                           fill=MUTED))
    if lo < 0 < hi:
        parts.append(_line(x(0), top - 4, x(0), y_axis, FAINT))
    if axis_label:
        parts.append(_text((left + width - right) / 2, y_axis + 34, axis_label,
                           anchor="middle", size=11, fill=MUTED, weight="600"))
    parts.append("</g>")
    parts.append('<g class="rows">')
    for i, p in enumerate(placed):
        cy = top + row_h * (i + 0.5)
        color = colors.get(p.bloc, UNASSIGNED)
        row = [f'<g class="axis-country{" dyad" if p.highlight else ""}">']
        if p.highlight:
            row.append(f'<rect x="4" y="{_num(cy - row_h / 2)}" width="{_num(width - 8)}" '
                       f'height="{_num(row_h)}" fill="#fff4d6"/>')
        row.append(_text(left - 12, cy + 4, f"{p.name} ({p.code})", anchor="end",
                         weight="700" if p.highlight else "", fill=INK if p.highlight else MUTED))
        if finite(p.lower) and finite(p.upper):
            row.append(_line(x(_real(p.lower)), cy, x(_real(p.upper)), cy, color, 2,
                             ' stroke-opacity="0.55" stroke-linecap="round"'))
        bloc = (bloc_names or {}).get(p.bloc, f"bloc {p.bloc}" if p.bloc else "no bloc")
        tip = f"{p.name} ({p.code}), {bloc}: {format_value(p.position, step / 10)}"
        if finite(p.lower) and finite(p.upper):
            tip += (f" (95% interval {format_value(p.lower, step / 10)} to "
                    f"{format_value(p.upper, step / 10)})")
        ring = f' stroke="{INK}" stroke-width="2"' if p.highlight else ""
        row.append(f'<circle class="position" cx="{_num(x(_real(p.position)))}" cy="{_num(cy)}" '
                   f'r="5" fill="{color}"{ring}><title>{escape(tip)}</title></circle>')
        row.append("</g>")
        parts.append("\n".join(row))
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


# -- signed bars ---------------------------------------------------------------------------------

def bars(items: Sequence[Bar], *, title: str, value_label: str = "", width: int = 800,
         positive: str = GREEN, negative: str = VERMILLION) -> str:
    """Horizontal bars from a zero line, in the order given: warming right, cooling left."""
    shown = [b for b in items if finite(b.value)]
    if not shown:
        return _no_data(width, 80, title, "No contributions to show.", "bars")
    row_h = 22.0
    labels = [_shorten(b.label, 48) for b in shown]
    left = min(330.0, max(_text_width(s) for s in labels) + 20)
    right, top, bottom = 56.0, 10.0, 30.0 + (16 if value_label else 0)
    height = top + row_h * len(shown) + bottom
    values = [_real(b.value) for b in shown]
    lo, hi, ticks = nice_ticks(min(0.0, *values), max(0.0, *values), 4)
    x = _Scale(lo, hi, left + 40, width - right)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    parts = _open(width, height, title, f"{len(shown)} signed contributions", "bars")
    y_axis = top + row_h * len(shown)
    parts.append('<g class="x-axis">')
    for t in ticks:
        parts.append(_line(x(t), top, x(t), y_axis, GRID))
        parts.append(_text(x(t), y_axis + 15, format_value(t, step, signed=True),
                           anchor="middle", size=11, fill=MUTED))
    if value_label:
        parts.append(_text((x(lo) + x(hi)) / 2, y_axis + 32, value_label, anchor="middle",
                           size=11, fill=MUTED, weight="600"))
    parts.append("</g>")
    parts.append('<g class="rows">')
    label_step = step_for(values)
    for i, (b, label, v) in enumerate(zip(shown, labels, values, strict=True)):
        cy = top + row_h * (i + 0.5)
        x0, x1 = sorted((x(0), x(v)))
        color = positive if v >= 0 else negative
        tip = f"{b.label}: {format_value(v, 0.001, signed=True)}"
        if b.detail:
            tip += f" — {b.detail}"
        parts.append(f'<g class="bar"><title>{escape(tip)}</title>')
        parts.append(_text(left - 10, cy + 4, label, anchor="end", size=12))
        parts.append(f'<rect x="{_num(x0)}" y="{_num(cy - 7)}" width="{_num(max(x1 - x0, 1))}" '
                     f'height="14" rx="2" fill="{color}"/>')
        vx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
        parts.append(_text(vx, cy + 4, format_value(v, label_step, signed=True), anchor=anchor,
                           size=11, fill=MUTED))
        parts.append("</g>")
    parts.append("</g>")
    parts.append(_line(x(0), top, x(0), y_axis, INK, 1))
    parts.append("</svg>")
    return "\n".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
