"""The dyad page: warmth with its band and turning points, quad shares, alignment beside UNGA
agreement, and a way from every period and turning point to the events behind it.

Built from the shared query functions (:func:`cordiale.queries.dyad`, ``changes``, ``align``):
the numbers are the ones ``cordiale dyad`` prints and ``GET /api/dyad`` returns. A period's dot
or bar and a turning point's marker link to the event explorer filtered to the pair (either
direction) and the period's days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...analysis.frame import parse_period
from ...report import charts
from .layout import (
    PAGE_FOOT,
    esc,
    figure,
    href,
    interval,
    left_out_note,
    number,
    page_head,
    signed,
    table,
    tile,
)

FREQS = ("week", "month", "quarter")


def _window(period: str) -> tuple[date, date] | None:
    try:
        _, first, last = parse_period(period)
    except ValueError:
        return None
    return first, last


def events_link(a: str, b: str, period: str) -> str | None:
    window = _window(period)
    if window is None:
        return None
    return href("events", pair=f"{a}-{b}", since=window[0].isoformat(),
                until=window[1].isoformat())


def dyad_head(a: str, b: str, names: dict[str, str], *, freq: str, since: date | None,
              until: date | None) -> str:
    """The page down to the dyad form: sent before anything is computed."""
    name_a, name_b = names.get(a, a), names.get(b, b)
    freq_options = "".join(f'<option value="{f}"{" selected" if f == freq else ""}>{f}</option>'
                           for f in FREQS)
    return page_head(f"{name_a} – {name_b}", active="dyad", kicker=f"dyad {a}–{b}",
                     heading=f"{name_a} and {name_b}",
                     data={"a": a, "b": b, "freq": freq}) + f"""
<form class="controls" method="get" action="{esc(href('dyad'))}">
<label>Country <input name="a" value="{esc(a)}" size="8" maxlength="64"></label>
<label>and <input name="b" value="{esc(b)}" size="8" maxlength="64"></label>
<label>per <select name="freq">{freq_options}</select></label>
<label>from <input type="date" name="since" value="{esc(since or '')}"></label>
<label>to <input type="date" name="until" value="{esc(until or '')}"></label>
<button type="submit">Show</button>
</form>"""


def dyad_main(a: str, b: str, names: dict[str, str], *, rows: list[dict[str, Any]],
              trend_line: str, undated: int, rejected: int, total: int,
              changes: list[dict[str, Any]]) -> str:
    """Counts, warmth with its turning points, and the quad shares."""
    name_a, name_b = names.get(a, a), names.get(b, b)
    dated = [(r, w) for r in rows if (w := _window(r["period"])) is not None]
    dates = [w[0] for _, w in dated]
    periods = [r for r, _ in dated]
    links = [events_link(a, b, r["period"]) for r in periods]
    deduped = sum(int(r.get("events") or 0) for r in periods)

    markers = []
    for c in changes:
        window = _window(c["period"])
        if window is None:
            continue
        tone = {"warmer": "warmer", "cooler": "cooler"}.get(str(c.get("direction")), "neutral")
        markers.append(charts.Marker(
            window[0], str(c["period"]), tone,
            f"shift {interval(c.get('shift'), c.get('shift_low'), c.get('shift_high'))}",
            href=events_link(a, b, c["period"])))
    warmth = charts.timeline(
        dates, [charts.Series(
            "Warmth", [r.get("warmth") for r in periods], [r.get("warmth_low") for r in periods],
            [r.get("warmth_high") for r in periods], sizes=[r.get("per_1000") for r in periods],
            color=charts.BLUE, hrefs=links,
            details=[f"{int(r.get('events') or 0):,} events" for r in periods])],
        markers=markers, title=f"Warmth between {name_a} and {name_b}",
        y_label="warmth (Goldstein)", size_label="events per 1,000 in the store", width=860)

    shares = charts.stacked_shares(
        [r["period"] for r in periods],
        [[r.get(f"{q}_share") for q, _, _ in charts.QUAD_CLASSES] for r in periods],
        counts=[int(r.get("events") or 0) for r in periods], hrefs=links,
        title="Quad-class shares per period", width=860)

    latest = next((r for r in reversed(periods) if r.get("events")), None)
    tiles = "".join([
        tile("Events between them", f'<span class="count" data-count="{int(total)}">'
             f"{number(total)}</span>", f"{deduped:,} after merging duplicates",
             ident="dyad-events"),
        tile("Marked wrong, left out", f'<span class="count" data-count="{int(rejected)}">'
             f"{number(rejected)}</span>", ident="dyad-rejected"),
        tile("Latest warmth", signed(latest.get("warmth")) if latest else "–",
             esc(f"{latest['period']}: " + interval(latest.get("warmth"),
                                                     latest.get("warmth_low"),
                                                     latest.get("warmth_high")))
             if latest else ""),
        tile("Turning points", number(len(changes))),
    ])
    return f"""
<div class="tiles">{tiles}</div>
{left_out_note(undated, rejected)}
<p class="trend">{esc(trend_line)}</p>
<section id="warmth"><h2>Warmth</h2>
{figure(warmth, "Shaded: 95% interval. Dots sized by volume; click a dot, a bar or a turning "
        "point for the events behind it.")}</section>
<section id="changes"><h2>Turning points</h2>{_changes(a, b, changes)}</section>
<section id="shares"><h2>Quad-class shares</h2>{figure(shares)}</section>
"""


def dyad_alignment(a: str, b: str, names: dict[str, str], rows: list[dict[str, Any]],
                   has_votes: bool) -> str:
    html = _alignment(a, b, names.get(a, a), names.get(b, b), rows, has_votes)
    return f'<section id="alignment"><h2>Alignment</h2>{html}</section>\n'


def dyad_tail(a: str, b: str, names: dict[str, str], recent: list[dict[str, Any]]) -> str:
    return f"""<section id="recent"><h2>Latest events</h2>{_recent(recent, names)}
<p><a class="more" href="{esc(href('events', pair=f'{a}-{b}', sort='-date'))}">Every event
between them in the explorer</a></p></section>
""" + PAGE_FOOT


def _changes(a: str, b: str, changes: list[dict[str, Any]]) -> str:
    if not changes:
        return '<p class="note">No turning point: the warmth holds one level throughout.</p>'
    out = []
    for c in changes:
        link = events_link(a, b, c["period"])
        drivers = "".join(
            f'<li><a href="{esc(href("events", d["event_id"]))}">{esc(d.get("date"))} '
            f'{esc(d.get("source"))}→{esc(d.get("target"))} CAMEO {esc(d.get("cameo"))}</a> '
            f'<span class="contrib">{signed(d.get("contribution"), 3)}</span>'
            + (f'<q>{esc(d["sentence"])}</q>' if d.get("sentence") else "") + "</li>"
            for d in c.get("drivers", []))
        out.append(
            f'<article class="cp {esc(c.get("direction"))}">'
            f'<h3><a class="cp-link" href="{esc(link or "#")}">{esc(c["period"])}: '
            f'{esc(c.get("direction"))}</a></h3>'
            f'<p class="cp-meta">mean {signed(c.get("mean_before"))} → '
            f'{signed(c.get("mean_after"))}, shift '
            f'{interval(c.get("shift"), c.get("shift_low"), c.get("shift_high"))}; '
            f'{number(c.get("events_before"))} events before, '
            f'{number(c.get("events_after"))} after</p>'
            + (f'<ol class="drivers">{drivers}</ol>' if drivers else "") + "</article>")
    return "".join(out)


def _alignment(a: str, b: str, name_a: str, name_b: str, rows: list[dict[str, Any]],
               has_votes: bool) -> str:
    dated = [(r, w) for r in rows if (w := _window(r["period"])) is not None]
    if not dated:
        return '<p class="note">No period with partners both countries deal with.</p>'
    dates = [w[0] for _, w in dated]
    series = [charts.Series("Event alignment (kappa)", [r.get("kappa") for r, _ in dated],
                            [r.get("kappa_low") for r, _ in dated],
                            [r.get("kappa_high") for r, _ in dated], color=charts.BLUE)]
    if has_votes:
        series.append(charts.Series("UNGA vote agreement (kappa)",
                                    [r.get("unga_kappa") for r, _ in dated],
                                    [r.get("unga_kappa_low") for r, _ in dated],
                                    [r.get("unga_kappa_high") for r, _ in dated],
                                    color=charts.PURPLE))
    chart = charts.timeline(dates, series, title=f"How alike {name_a} and {name_b} treat others",
                            y_label="kappa", width=860, height=260)
    note = ("" if has_votes else '<p class="note">No UNGA votes in the store '
            "(<code>cordiale import-unga</code> loads them), so only event alignment is "
            "shown.</p>")
    return figure(chart, "Both on Cohen's kappa: 0 is the agreement chance gives.") + note


def _recent(events: list[dict[str, Any]], names: dict[str, str]) -> str:
    if not events:
        return '<p class="note">No events.</p>'
    from .events import cameo_name

    rows = [[esc(e.get("date")),
             esc(e.get("source_country") or e.get("source_code")),
             f'<a href="{esc(href("events", e["event_id"]))}"><code>{esc(e.get("cameo_code"))}'
             f'</code> {esc(cameo_name(e.get("cameo_code")))}</a>',
             esc(e.get("target_country") or e.get("target_code")),
             esc((e.get("sentence") or "")[:140]) or '<span class="muted">imported, no '
             "sentence</span>"]
            for e in events]
    return table(["date", "source", "event", "target", "sentence"], rows, cls="events")
