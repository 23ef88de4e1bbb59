"""The overview page: the whole store at a glance, from :func:`cordiale.queries.overview`."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...report import charts
from .layout import QUADS, esc, figure, href, left_out_note, number, page, period_until, tile


def render_overview(data: dict[str, Any], names: dict[str, str]) -> str:
    freq = data["freq"]
    periods = data["events_per_period"]
    dates = [date.fromisoformat(p["period"]) for p in periods]
    links = [href("events", since=d.isoformat(), until=period_until(d, freq).isoformat())
             for d in dates]
    timeline = charts.timeline(
        dates, [charts.Series("Events", [p["events"] for p in periods], color=charts.BLUE,
                              hrefs=links)],
        title=f"Events per {freq}", y_label="events", width=860, height=260)

    total_quad = sum(q["events"] for q in data["quad_classes"]) or 1
    quad_bars = charts.bars(
        [charts.Bar(QUADS.get(q["quad_class"], str(q["quad_class"])),
                    q["events"] / total_quad, f"{q['events']:,} events")
         for q in data["quad_classes"]],
        title="Quad-class mix", value_label="share of events", width=860,
        positive=charts.BLUE)

    rows = []
    for d in data["busiest_dyads"]:
        a, b = d["a"], d["b"]
        label = f"{names.get(a, a)} – {names.get(b, b)}"
        rows.append(f'<li><a class="dyad-link" href="{esc(href("dyad", a, b))}">'
                    f'<span class="codes">{esc(a)}–{esc(b)}</span> {esc(label)}</a>'
                    f'<span class="count">{number(d["events"])}</span></li>')
    busiest = (f'<ol class="busiest">{"".join(rows)}</ol>' if rows
               else '<p class="note">No event between two countries yet.</p>')

    undated = data["documents_without_date"]
    tiles = "".join([
        tile("Events", number(data["events"]), ident="overview-events"),
        tile("Documents", number(data["documents"])),
        tile("Documents without a date", number(undated),
             "their events are left out of every timeline" if undated else "",
             ident="overview-undated"),
        tile("Marked wrong", number(data["rejected_left_out"]),
             "left out of every analysis", ident="overview-rejected"),
    ])
    body = f"""
<div class="tiles">{tiles}</div>
{left_out_note(0, data["rejected_left_out"])}
<section id="over-time"><h2>Events over time</h2>
{figure(timeline, "Each dot is a " + esc(freq) + "; click one for its events.")}</section>
<section id="busiest"><h2>The busiest dyads</h2>{busiest}</section>
<section id="quads"><h2>Quad-class mix</h2>{figure(quad_bars)}</section>
"""
    return page("Overview", body, active="overview", heading="What the store holds")
