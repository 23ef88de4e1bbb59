"""Signed horizontal bars from a zero line: what warmed and what cooled a relation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .primitives import (
    GREEN,
    GRID,
    INK,
    MUTED,
    VERMILLION,
    Scale,
    escape,
    finite,
    format_value,
    nice_ticks,
    no_data,
    num,
    real,
    step_for,
    svg_line,
    svg_open,
    svg_text,
    text_width,
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    detail: str = ""



def bars(items: Sequence[Bar], *, title: str, value_label: str = "", width: int = 800,
         positive: str = GREEN, negative: str = VERMILLION) -> str:
    """Horizontal bars from a zero line, in the order given: warming right, cooling left."""
    shown = [b for b in items if finite(b.value)]
    if not shown:
        return no_data(width, 80, title, "No contributions to show.", "bars")
    row_h = 22.0
    labels = [_shorten(b.label, 48) for b in shown]
    left = min(330.0, max(text_width(s) for s in labels) + 20)
    right, top, bottom = 56.0, 10.0, 30.0 + (16 if value_label else 0)
    height = top + row_h * len(shown) + bottom
    values = [real(b.value) for b in shown]
    lo, hi, ticks = nice_ticks(min(0.0, *values), max(0.0, *values), 4)
    x = Scale(lo, hi, left + 40, width - right)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    parts = svg_open(width, height, title, f"{len(shown)} signed contributions", "bars")
    y_axis = top + row_h * len(shown)
    parts.append('<g class="x-axis">')
    for t in ticks:
        parts.append(svg_line(x(t), top, x(t), y_axis, GRID))
        parts.append(svg_text(x(t), y_axis + 15, format_value(t, step, signed=True),
                           anchor="middle", size=11, fill=MUTED))
    if value_label:
        parts.append(svg_text((x(lo) + x(hi)) / 2, y_axis + 32, value_label, anchor="middle",
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
        parts.append(svg_text(left - 10, cy + 4, label, anchor="end", size=12))
        parts.append(f'<rect x="{num(x0)}" y="{num(cy - 7)}" width="{num(max(x1 - x0, 1))}" '
                     f'height="14" rx="2" fill="{color}"/>')
        vx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
        parts.append(svg_text(vx, cy + 4, format_value(v, label_step, signed=True), anchor=anchor,
                           size=11, fill=MUTED))
        parts.append("</g>")
    parts.append("</g>")
    parts.append(svg_line(x(0), top, x(0), y_axis, INK, 1))
    parts.append("</svg>")
    return "\n".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
