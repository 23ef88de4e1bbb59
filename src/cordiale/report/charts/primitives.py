"""What every chart shares: palette, escaping, number and date formatting, scales, markup.

Each chart module (:mod:`.timeline`, :mod:`.shares`, :mod:`.blocs`, :mod:`.worldmap`,
:mod:`.bars`) builds its ``<svg>`` from these pieces, so escaping, the colour meanings and the
no-NaN rule are decided once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
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
STACK_ORDER = (1, 0, 2, 3)
BLOC_PALETTE = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, "#8C6D1F", "#000000")
UNASSIGNED = "#b8c2cc"

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MINUS = "\u2212"


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


def real(value: float | None) -> float:
    """A value the caller has already checked is finite, typed as such."""
    if value is None:
        raise ValueError("a missing value reached a place that needs a number")
    return float(value)


def num(value: float) -> str:
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


class Scale:
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


def svg_open(width: float, height: float, label: str, desc: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="{SVG_NS}" class="chart {kind}" width="{num(width)}" '
        f'height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" role="img" '
        f'aria-label="{escape(label)}" font-family="{escape(FONT)}" font-size="12" '
        f'fill="{INK}">',
        f"<title>{escape(label)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def link(href: str | None, inner: str) -> str:
    """``inner`` wrapped in an SVG link when there is an ``href`` (escaped; only site-relative
    paths and fragments are accepted, so data can never smuggle in a ``javascript:`` URL)."""
    if not href:
        return inner
    if not href.startswith(("/", "#", "?")) or href.startswith("//"):
        raise ValueError(f"chart links must be site-relative, not {href[:40]!r}")
    return f'<a class="chart-link" href="{escape(href)}">{inner}</a>'


def svg_text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 12,
          fill: str = INK, weight: str = "", cls: str = "", halo: bool = False) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    extra += f' class="{cls}"' if cls else ""
    if halo:  # a white outline under the glyphs keeps labels legible over dots and lines
        extra += ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    return (f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}" '
            f'font-size="{num(size)}" fill="{fill}"{extra}>{escape(text)}</text>')


def svg_line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1,
          extra: str = "") -> str:
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
            f'stroke="{stroke}" stroke-width="{num(width)}"{extra}/>')


def runs(ok: Sequence[bool]) -> list[list[int]]:
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


def at(values: Sequence[float | None] | None, i: int) -> float | None:
    if values is None or i >= len(values):
        return None
    v = values[i]
    return float(v) if v is not None and finite(v) else None


def text_width(text: str, size: float = 12) -> float:
    """A rough width of ``text`` in pixels (system sans-serif averages ~0.56 em a glyph)."""
    return len(text) * size * 0.56


def no_data(width: float, height: float, label: str, message: str, kind: str) -> str:
    parts = svg_open(width, height, label, message, kind)
    parts.append(f'<rect x="0.5" y="0.5" width="{num(width - 1)}" height="{num(height - 1)}" '
                 f'fill="#f5f7fa" stroke="{GRID}"/>')
    parts.append(svg_text(width / 2, height / 2 + 4, message, anchor="middle", fill=MUTED))
    parts.append("</svg>")
    return "\n".join(parts)

