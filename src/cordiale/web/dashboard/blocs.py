"""The blocs page: the signed network of one period, chosen with a slider, and the world map
coloured by warmth toward a chosen country.

Blocs, the axis and balance are :func:`cordiale.queries.blocs` (what ``cordiale blocs`` and
``GET /api/blocs`` answer). The network's edges and the map's colours are the same signed
network the blocs are found in (:func:`cordiale.analysis.blocs.relation_matrix`: shrunk mean
Goldstein per pair of countries in the period), so the map, the edges and the blocs cannot
disagree. The slider is a range input over the periods that have events; the page's script
follows it, and without script the form's button does the same.
"""

from __future__ import annotations

from typing import Any

from ...report import charts
from .layout import PAGE_FOOT, esc, figure, href, left_out_note, number, page_head, table

MAX_EDGES = 160


def blocs_head(*, period: str, periods: list[str], anchor: str, focus: str) -> str:
    """The page down to the period slider: sent before the blocs are computed."""
    index = periods.index(period) if period in periods else max(len(periods) - 1, 0)
    options = "".join(f'<option value="{esc(p)}"></option>' for p in periods)
    slider = f"""
<form class="controls period-form" method="get" action="/blocs" id="period-form">
<label for="period-slider">Period <output id="period-label">{esc(period)}</output></label>
<input type="range" id="period-slider" min="0" max="{max(len(periods) - 1, 0)}" step="1"
 value="{index}" list="period-ticks" data-periods="{esc(','.join(periods))}">
<datalist id="period-ticks">{options}</datalist>
<input type="hidden" name="period" id="period-input" value="{esc(period)}">
<label>Warmth toward <input name="focus" value="{esc(focus)}" size="8" maxlength="64"></label>
<label>Axis anchored on <input name="anchor" value="{esc(anchor)}" size="8" maxlength="64">
</label>
<button type="submit">Show</button>
</form>"""
    return page_head("Blocs", active="blocs", heading=f"Blocs, {period}",
                     data={"focus": focus}) + slider


def blocs_body(*, period: str, anchor: str, focus: str, names: dict[str, str],
               places: dict[str, tuple[float, float]], rows: list[dict[str, Any]],
               lines: list[str], warmth: dict[str, float], pair_events: dict[str, int],
               edges: list[tuple[str, str, float]], undated: int, rejected: int) -> str:
    """Blocs, map, network, axis and table of one period, and the page's end."""
    if not rows:
        return ('<p class="note">No events between two countries in this period.</p>'
                + PAGE_FOOT)

    bloc_ids = sorted({"" if r.get("bloc") is None else str(r["bloc"]) for r in rows})
    colors = charts.bloc_colors(bloc_ids)
    def place(code: str) -> tuple[float | None, float | None]:
        return places.get(code, (None, None))

    points = [charts.MapPoint(r["country"], r.get("name") or r["country"],
                              place(r["country"])[0], place(r["country"])[1],
                              "" if r.get("bloc") is None else str(r["bloc"]),
                              float(r.get("events") or 0), r["country"] == focus)
              for r in rows]
    strongest = sorted(edges, key=lambda e: (-abs(e[2]), e[0], e[1]))[:MAX_EDGES]
    network = charts.bloc_map(points, title=f"The signed network, {period}", colors=colors,
                              edges=strongest, width=860)
    details = {c: f"{n:,} events with {names.get(focus, focus)}" for c, n in
               pair_events.items()}
    # the scale saturates at the 90th percentile of |warmth|, so a few extreme pairs do not
    # wash every other country out to grey
    spread = sorted(abs(v) for v in warmth.values())
    limit = max(1.0, min(10.0, round(spread[int(0.9 * (len(spread) - 1))]) if spread else 1.0))
    world = charts.world_map(warmth, title=f"Warmth toward {names.get(focus, focus)}, {period}",
                             names=names, anchor=focus, points=places, limit=limit,
                             value_label="warmth", details=details, width=860)
    axis = charts.bloc_axis(
        [charts.AxisPoint(r["country"], r.get("name") or r["country"], r.get("position"),
                          r.get("position_low"), r.get("position_high"),
                          "" if r.get("bloc") is None else str(r["bloc"]),
                          r["country"] == focus) for r in rows],
        title="Countries along the bloc axis", colors=colors,
        axis_label=f"position (anchored on {anchor})", width=860)
    table_rows = [[f'<a href="{esc(href("dyad", focus, r["country"]))}">'
                   f'<code>{esc(r["country"])}</code> {esc(r.get("name"))}</a>',
                   esc("–" if r.get("bloc") is None else r["bloc"]),
                   esc(r.get("position_95")), number(r.get("events")),
                   number(r.get("partners"))] for r in rows]
    summary = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f"""
{left_out_note(undated, rejected)}
<ul class="summary">{summary}</ul>
<section id="map"><h2>Warmth toward {esc(names.get(focus, focus))}</h2>
{figure(world, "Click a country to see its dyad with " + esc(names.get(focus, focus)) + ".")}
</section>
<section id="network"><h2>The signed network</h2>
{figure(network, f"The {len(strongest)} strongest relations; dots coloured by bloc.")}
</section>
<section id="axis"><h2>The bloc axis</h2>{figure(axis)}</section>
<section id="countries"><h2>Countries</h2>
{table(["country", "bloc", "position [95%]", "events", "partners"], table_rows)}</section>
""" + PAGE_FOOT
