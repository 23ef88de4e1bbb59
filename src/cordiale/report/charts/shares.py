"""Stacked bars of the four quad-class shares per period."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .primitives import (
    FAINT,
    GRID,
    MUTED,
    QUAD_CLASSES,
    STACK_ORDER,
    Scale,
    at,
    escape,
    format_value,
    link,
    no_data,
    num,
    svg_line,
    svg_open,
    svg_text,
    text_width,
)


def stacked_shares(labels: Sequence[str], shares: Sequence[Sequence[float | None]], *,
                   title: str, lower: Sequence[Sequence[float | None]] | None = None,
                   upper: Sequence[Sequence[float | None]] | None = None,
                   counts: Sequence[int] | None = None,
                   hrefs: Sequence[str | None] | None = None, width: int = 800,
                   height: int = 270) -> str:
    """Stacked bars of the four quad-class shares per period (each row in QUAD_CLASSES order).

    A period without shares (no events) is left empty with a tooltip saying so; intervals and
    counts appear in each segment's tooltip rather than as whiskers, which stacked segments
    cannot carry legibly. ``hrefs`` make each period's bar a link.
    """
    if not labels:
        return no_data(width, 120, title, "No events to divide into classes.", "shares")
    n = len(labels)
    left, right, top, bottom = 52.0, 16.0, 44.0, 40.0
    slot = (width - left - right) / n
    gap = 0.0 if slot < 6 else slot * 0.18
    y = Scale(0.0, 1.0, height - bottom, top)
    parts = svg_open(width, height, title,
                  f"Shares of verbal and material cooperation and conflict in {n} periods, "
                  f"{labels[0]} to {labels[-1]}", "shares")

    lx = left - 44
    parts.append('<g class="legend">')
    for q in STACK_ORDER:
        _, name, color = QUAD_CLASSES[q]
        parts.append(f'<rect x="{num(lx)}" y="10" width="12" height="12" rx="2" '
                     f'fill="{color}"/>')
        parts.append(svg_text(lx + 17, 20, name))
        lx += 17 + text_width(name) + 20
    parts.append("</g>")

    parts.append('<g class="y-axis">')
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(svg_line(left, y(t), width - right, y(t), GRID))
        parts.append(svg_text(left - 6, y(t) + 4, format_value(t, 0.01, percent=True),
                           anchor="end", size=11, fill=MUTED))
    parts.append("</g>")

    every = max(1, math.ceil(max(text_width(s, 11) for s in labels) * 1.3 / slot))
    parts.append('<g class="x-axis">')
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(svg_text(left + slot * (i + 0.5), height - bottom + 16, label,
                               anchor="middle", size=11, fill=MUTED))
    parts.append("</g>")

    parts.append('<g class="bars">')
    for i, label in enumerate(labels):
        row = shares[i] if i < len(shares) else ()
        values = [at(row, q) for q in range(4)]
        bx = left + slot * i + gap / 2
        bw = max(slot - gap, 0.5)
        if not any(v is not None and v > 0 for v in values):
            parts.append(f'<rect class="empty" x="{num(bx)}" y="{num(y(0) - 2)}" '
                         f'width="{num(bw)}" height="2" fill="{GRID}">'
                         f"<title>{escape(label)}: no events</title></rect>")
            continue
        total = 0.0
        href = hrefs[i] if hrefs is not None and i < len(hrefs) else None
        segments: list[str] = []
        for q in STACK_ORDER:
            v = values[q]
            if v is None or v <= 0:
                continue
            v = min(v, 1.0 - total)
            if v <= 0:
                continue
            key, name, color = QUAD_CLASSES[q]
            tip = f"{label} · {name}: {format_value(v, 0.001, percent=True)}"
            lo_, hi_ = (at(lower[i], q) if lower and i < len(lower) else None,
                        at(upper[i], q) if upper and i < len(upper) else None)
            if lo_ is not None and hi_ is not None:
                tip += (f" (95% interval {format_value(lo_, 0.001, percent=True)} to "
                        f"{format_value(hi_, 0.001, percent=True)})")
            if counts is not None and i < len(counts):
                tip += f"; {counts[i]:,} events in the period"
            y_top = y(total + v)
            segments.append(f'<rect class="segment" data-quad="{key}" x="{num(bx)}" '
                         f'y="{num(y_top)}" width="{num(bw)}" '
                         f'height="{num(y(total) - y_top)}" fill="{color}" stroke="#ffffff" '
                         f'stroke-width="{"0.6" if bw > 3 else "0"}">'
                         f"<title>{escape(tip)}</title></rect>")
            total += v
        parts.append(link(href, "".join(segments)) if href else "\n".join(segments))
    parts.append("</g>")
    parts.append(svg_line(left, y(0), width - right, y(0), FAINT))
    parts.append("</svg>")
    return "\n".join(parts)


