"""The dyad report: one self-contained HTML file built from plain values.

:class:`ReportData` (and the small dataclasses it holds) is the contract with the analysis: only
strings, numbers, dates, sequences and optional fields, so it can be filled from any measure's
output, from a test, or from JSON, without this module importing NumPy or touching the store.
:func:`render_report` is a pure function of it — nothing reads the clock or the environment, so
the same data gives the same bytes and a report can be diffed or cached.

Design reasons:

* One file that works offline: styles are inline, charts are inline SVG from :mod:`.charts`, and
  there is no script at all. Tooltips are SVG ``<title>`` elements and the data tables are
  ``<details>`` elements, both of which browsers handle without JavaScript. A
  Content-Security-Policy ``<meta>`` then forbids every fetch and every script, so even text
  that slipped past escaping could neither run nor call out.
* Every string from data is escaped (sentences come from news and may hold markup); a trigger
  is highlighted by splitting the sentence at its offsets and escaping each part.
* Each optional part degrades to a short note saying what is missing and why (no UNGA votes
  loaded, no change points, imported events without sentences) instead of an empty chart.
* System fonts, one readable column, tabular figures, and a print style: analysts print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from . import charts
from .charts import escape, finite, format_value

FREQ_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
              "year": "yearly"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WARMER = {"warmer", "warming", "up", "increase", "rise", "+"}
_COOLER = {"cooler", "cooling", "down", "decrease", "fall", "-"}


# -- the data contract ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DyadPeriod:
    """One period of the dyad series; ``lower``/``upper`` bound a 95% interval for warmth."""

    start: date
    label: str
    warmth: float | None
    lower: float | None = None
    upper: float | None = None
    n_events: int = 0
    volume_per_1000: float | None = None


@dataclass(frozen=True)
class DriverEvent:
    """An event behind a change point; ``trigger_start``/``trigger_end`` index ``sentence``.

    Imported events (ICEWS, GDELT) have no sentence: leave it empty and name the ``origin``.
    """

    date: date
    source: str
    target: str
    cameo_code: str
    cameo_name: str
    goldstein: float
    contribution: float
    sentence: str = ""
    trigger_start: int | None = None
    trigger_end: int | None = None
    doc_id: str = ""
    publisher: str = ""
    origin: str = ""


@dataclass(frozen=True)
class ChangePoint:
    """A shift in warmth at ``date``; ``robustness`` is the share of leave-one-source-out runs
    (each outlet, or story, left out in turn) that still find it."""

    date: date
    direction: str
    size: float
    lower: float | None = None
    upper: float | None = None
    robustness: float | None = None
    drivers: Sequence[DriverEvent] = ()


@dataclass(frozen=True)
class QuadPeriod:
    """Quad-class shares of one period, each sequence in the order of ``charts.QUAD_CLASSES``."""

    start: date
    label: str
    shares: Sequence[float | None]
    lower: Sequence[float | None] | None = None
    upper: Sequence[float | None] | None = None
    n_events: int = 0


@dataclass(frozen=True)
class Estimate:
    value: float | None
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class AlignmentPeriod:
    """Event alignment of the dyad and, where votes are loaded, UNGA agreement, per period."""

    start: date
    label: str
    event_similarity: Estimate | None = None
    event_kappa: Estimate | None = None
    unga_agreement: Estimate | None = None
    unga_kappa: Estimate | None = None


@dataclass(frozen=True)
class BlocCountry:
    """A country in the latest period's bloc partition; ``bloc`` is the bloc's id as text."""

    code: str
    name: str
    lat: float | None
    lon: float | None
    bloc: str
    position: float | None = None
    position_lower: float | None = None
    position_upper: float | None = None
    activity: float = 0.0


@dataclass(frozen=True)
class Balance:
    """Structural balance of the signed network against a sign-shuffling null."""

    share_balanced: float
    null_mean: float
    p_value: float
    n_triads: int | None = None


@dataclass(frozen=True)
class Provenance:
    db_path: str
    events_by_origin: Mapping[str, int]
    generated_at: datetime | str
    version: str
    command: str


@dataclass(frozen=True)
class ReportData:
    """Everything a dyad report shows; only ``dyad``, ``names`` and the period are required."""

    dyad: tuple[str, str]
    names: tuple[str, str]
    since: date
    until: date
    freq: str = "month"
    summary: Sequence[str] = ()
    series: Sequence[DyadPeriod] = ()
    warmth_label: str = "Warmth (mean Goldstein score)"
    change_points: Sequence[ChangePoint] = ()
    quad_shares: Sequence[QuadPeriod] = ()
    alignment: Sequence[AlignmentPeriod] = ()
    blocs: Sequence[BlocCountry] = ()
    #: the dyad's most consequential events (largest |Goldstein|), turning point or not
    key_events: Sequence[DriverEvent] = ()
    bloc_period: str = ""
    bloc_names: Mapping[str, str] = field(default_factory=dict)
    axis_label: str = "Position on the main bloc axis"
    balance: Balance | None = None
    provenance: Provenance | None = None


# -- the page ------------------------------------------------------------------------------------

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'")


def render_report(data: ReportData) -> str:
    """The report as one HTML document (a str; write it with UTF-8)."""
    a, b = data.names
    title = f"{a} and {b}: relations {_span(data.since, data.until)}"
    sections = [
        _section("warmth", "Warmth over time", _warmth(data)),
        _section("composition", "What kind of contact", _composition(data)),
        _section("changes", "Turning points and what drove them", _changes(data)),
        _section("key-events", "The most consequential events, with their sentences",
                 _key_events(data)),
        _section("alignment", "Alignment: events and UN votes", _alignment(data)),
        _section("blocs", f"Blocs{' in ' + data.bloc_period if data.bloc_period else ''}",
                 _blocs(data)),
        _section("provenance", "Where these numbers come from", _provenance(data)),
    ]
    nav = "".join(f'<a href="#{key}">{escape(name)}</a>' for key, name in (
        ("warmth", "Warmth"), ("composition", "Contact"), ("changes", "Turning points"),
        ("alignment", "Alignment"), ("blocs", "Blocs"), ("provenance", "Sources")))
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="cordiale">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        _masthead(data),
        f'<nav class="toc" aria-label="Sections"><div class="wrap">{nav}</div></nav>',
        "<main>",
        _summary(data),
        *sections,
        "</main>",
        f'<footer><div class="wrap">{_footer(data)}</div></footer>',
        "</body>",
        "</html>",
        "",
    ])


def _section(key: str, heading: str, body: str) -> str:
    return (f'<section id="{key}" aria-labelledby="{key}-h">'
            f'<h2 id="{key}-h">{escape(heading)}</h2>\n{body}\n</section>')


def _note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def _figure(chart: str, caption: str) -> str:
    return f"<figure>{chart}<figcaption>{escape(caption)}</figcaption></figure>"


def _masthead(data: ReportData) -> str:
    (a, b), (code_a, code_b) = data.names, data.dyad
    events = sum(p.n_events for p in data.series)
    facts = [_span(data.since, data.until, long=True),
             FREQ_WORDS.get(data.freq, data.freq) + " periods"]
    if data.series:
        facts.append(f"{events:,} events")
    return (
        '<header class="masthead"><div class="inner">'
        '<p class="kicker">cordiale · dyad report</p>'
        f'<h1>{escape(a)} <span class="amp">and</span> {escape(b)}</h1>'
        f'<p class="facts"><span class="code">{escape(code_a)}</span>'
        f'<span class="code">{escape(code_b)}</span>'
        + " · ".join(f"<span>{escape(f)}</span>" for f in facts)
        + "</p></div></header>")


def _summary(data: ReportData) -> str:
    lede = (f'<p class="lede">{escape(" ".join(s.strip() for s in data.summary))}</p>'
            if any(s.strip() for s in data.summary)
            else _note("No summary was written for this report."))
    return f'<section class="summary" aria-label="Summary">{lede}{_tiles(data)}</section>'


def _tiles(data: ReportData) -> str:
    tiles = [("Events", f"{sum(p.n_events for p in data.series):,}",
              f"in {len(data.series)} {FREQ_WORDS.get(data.freq, data.freq)} periods")]
    latest = next((p for p in reversed(data.series) if finite(p.warmth)), None)
    if latest is not None:
        tiles.append(("Latest warmth", format_value(latest.warmth, signed=True),
                      f"{latest.label}" + (f", 95% interval {_range(latest.lower, latest.upper)}"
                                           if finite(latest.lower) and finite(latest.upper)
                                           else "")))
    else:
        tiles.append(("Latest warmth", "–", "no period with events"))
    if data.change_points:
        last = max(data.change_points, key=lambda c: c.date)
        tiles.append(("Turning points", str(len(data.change_points)),
                      f"latest {_tone_word(last)} from {_when(last.date, data.freq)}"))
    else:
        tiles.append(("Turning points", "0", "none found"))
    row = next((r for r in reversed(data.alignment)
                if r.unga_kappa is not None and finite(r.unga_kappa.value)), None)
    if row is not None and row.unga_kappa is not None:
        tiles.append(("UNGA agreement κ", format_value(row.unga_kappa.value), row.label))
    else:
        row = next((r for r in reversed(data.alignment)
                    if r.event_kappa is not None and finite(r.event_kappa.value)), None)
        tiles.append(("Event alignment κ",
                      format_value(row.event_kappa.value) if row and row.event_kappa else "–",
                      row.label if row else "not measured"))
    return '<div class="tiles">' + "".join(
        f'<div class="tile"><div class="tile-label">{escape(label)}</div>'
        f'<div class="tile-value">{escape(value)}</div>'
        f'<div class="tile-note">{escape(note)}</div></div>'
        for label, value, note in tiles) + "</div>"


# -- sections ------------------------------------------------------------------------------------

def _warmth(data: ReportData) -> str:
    if not any(finite(p.warmth) for p in data.series):
        return _note(f"No events between {data.names[0]} and {data.names[1]} in this period, "
                     "so there is no warmth to chart.")
    s = data.series
    series = charts.Series(
        name="Warmth", values=[p.warmth for p in s], lower=[p.lower for p in s],
        upper=[p.upper for p in s], sizes=[p.volume_per_1000 for p in s], color=charts.BLUE,
        details=[f"{p.n_events:,} events" + (f", {format_value(p.volume_per_1000)} per 1,000 "
                                             "events in the store"
                                             if finite(p.volume_per_1000) else "") for p in s])
    markers = [charts.Marker(c.date, _when(c.date, data.freq), _tone(c), _shift_text(c))
               for c in data.change_points]
    chart = charts.timeline([p.start for p in s], [series], markers=markers,
                         title=f"{data.warmth_label}, {data.names[0]}–{data.names[1]}",
                         y_label=data.warmth_label, size_label="events per 1,000")
    caption = ("Above zero, the two sides' dealings were on balance cooperative; below zero, "
               "conflictual. Each dot is one period, its area the dyad's share of all coded "
               "events; the band is a 95% interval; dashed lines mark turning points.")
    table = _table(["Period", "Warmth", "95% interval", "Events", "Per 1,000"],
                   [[p.label, format_value(p.warmth, signed=True), _range(p.lower, p.upper),
                     f"{p.n_events:,}", format_value(p.volume_per_1000)] for p in s])
    return _figure(chart, caption) + _details("Warmth by period", table)


def _composition(data: ReportData) -> str:
    q = data.quad_shares
    if not q or not any(any(finite(v) and v for v in p.shares) for p in q):
        return _note("No events to divide into verbal and material cooperation and conflict.")
    chart = charts.stacked_shares(
        [p.label for p in q], [list(p.shares) for p in q],
        lower=[list(p.lower) if p.lower is not None else [] for p in q],
        upper=[list(p.upper) if p.upper is not None else [] for p in q],
        counts=[p.n_events for p in q],
        title=f"Quad-class shares of {data.names[0]}–{data.names[1]} events per period")
    caption = ("Cooperation is stacked below conflict, so the height of the blue and green "
               "part is the cooperative share. Hover a segment for its 95% interval.")
    names = [name for _, name, _ in charts.QUAD_CLASSES]
    rows = []
    for p in q:
        cells = [p.label, f"{p.n_events:,}"]
        for i in range(4):
            v = p.shares[i] if i < len(p.shares) else None
            cells.append(format_value(v, 0.01, percent=True))
        rows.append(cells)
    table = _table(["Period", "Events", *names], rows)
    return _figure(chart, caption) + _details("Shares by period", table)


def _changes(data: ReportData) -> str:
    if not data.change_points:
        return _note("No turning points were found: the warmth series has no shift larger "
                     "than its own noise over this period.")
    out = []
    for c in sorted(data.change_points, key=lambda c: c.date):
        tone = _tone(c)
        arrow = {"warmer": "▲", "cooler": "▼"}.get(tone, "●")
        head = (f'<h3><span class="arrow {tone}">{arrow}</span> '
                f"{escape(_tone_word(c).capitalize())} from {escape(_when(c.date, data.freq))}"
                "</h3>")
        meta = f'<p class="cp-meta">{escape(_shift_text(c))}</p>'
        body = _drivers(c, data) if c.drivers else _note(
            "No individual events stand out behind this shift; it is spread over many.")
        out.append(f'<article class="cp {tone}">{head}{meta}{body}</article>')
    return "\n".join(out)


def _key_events(data: ReportData) -> str:
    if not data.key_events:
        return _note("No events between the two countries in this period.")
    items = []
    for d in data.key_events:
        sign = "pos" if finite(d.goldstein) and d.goldstein >= 0 else "neg"
        items.append(_event_item(d, sign, ""))
    lead = ("The events with the largest Goldstein weight, either way, whether or not they "
            "moved a turning point; each with the sentence it was coded from.")
    return f'<p>{escape(lead)}</p><ol class="drivers key-events">{"".join(items)}</ol>'


def _drivers(c: ChangePoint, data: ReportData) -> str:
    chart = charts.bars(
        [charts.Bar(f"{d.date.isoformat()} {d.source}→{d.target} {d.cameo_name}", d.contribution,
                 f"CAMEO {d.cameo_code}, Goldstein {format_value(d.goldstein, 0.1, signed=True)}")
         for d in c.drivers],
        title=f"Events driving the shift of {c.date.isoformat()}",
        value_label="contribution to the shift in warmth")
    items = []
    step = charts.step_for([d.contribution for d in c.drivers])
    for d in c.drivers:
        sign = "pos" if finite(d.contribution) and d.contribution >= 0 else "neg"
        contribution = format_value(d.contribution, step, signed=True)
        lead = f'<span class="contrib {sign}">{escape(contribution)}</span> '
        items.append(_event_item(d, sign, lead))
    return (_figure(chart, "Contribution of each event to the shift; green pushed warmer, "
                    "vermillion cooler.")
            + f'<ol class="drivers">{"".join(items)}</ol>')


def _event_item(d: DriverEvent, sign: str, lead: str) -> str:
    """One event as a list item: date, who to whom, code and Goldstein, then its sentence
    with the trigger marked (or a note that an imported event has none), then its source."""
    meta = (f"{lead}{escape(d.date.isoformat())} · "
            f'<span class="who">{escape(d.source)} → {escape(d.target)}</span> · '
            f"{escape(d.cameo_code)} {escape(d.cameo_name)} · Goldstein "
            f"{escape(format_value(d.goldstein, 0.1, signed=True))}")
    if d.sentence.strip():
        quote = f"<blockquote>{_sentence(d)}</blockquote>"
    else:
        origin = f" from {d.origin}" if d.origin else ""
        quote = (f'<p class="imported">{escape(f"Imported event{origin}: no sentence text")}'
                 " is stored for it.</p>")
    source = " · ".join(escape(s) for s in (d.publisher, d.doc_id, d.origin) if s)
    return (f'<li class="driver {sign}"><p class="driver-meta">{meta}</p>{quote}'
            + (f'<p class="driver-source">{source}</p>' if source else "") + "</li>")


def _sentence(d: DriverEvent) -> str:
    text, start, end = d.sentence, d.trigger_start, d.trigger_end
    if start is None or end is None or not 0 <= start < end <= len(text):
        return escape(text)
    return f"{escape(text[:start])}<mark>{escape(text[start:end])}</mark>{escape(text[end:])}"


def _alignment(data: ReportData) -> str:
    rows = data.alignment
    if not rows:
        return _note("Alignment was not measured for this report.")

    def has(attr: str) -> bool:
        return any(getattr(r, attr) is not None and finite(getattr(r, attr).value) for r in rows)

    has_unga = has("unga_agreement") or has("unga_kappa")
    use_kappa = has("event_kappa") or has("unga_kappa")
    event_attr, unga_attr = (("event_kappa", "unga_kappa") if use_kappa
                             else ("event_similarity", "unga_agreement"))
    out = []
    if not has_unga:
        out.append(_note("No UN General Assembly votes are loaded for these periods, so only "
                         "alignment in events is shown. Importing UNGA roll calls into the "
                         "store adds the comparison."))
    series = [_estimate_series("Event alignment" + (" κ" if use_kappa else ""),
                               rows, event_attr, charts.BLUE)]
    if has_unga:
        series.append(_estimate_series("UNGA agreement" + (" κ" if use_kappa else ""),
                                       rows, unga_attr, charts.PURPLE))
    if any(any(finite(v) for v in s.values) for s in series):
        chart = charts.timeline([r.start for r in rows], series,
                             title=f"Alignment of {data.names[0]} and {data.names[1]}",
                             y_label="Cohen's κ" if use_kappa else "Similarity")
        caption = ("Both measures on one chance-corrected scale (Cohen's κ): 0 is the "
                   "agreement chance alone would give, 1 full agreement."
                   if use_kappa else "Raw similarity of event profiles and UNGA votes.")
        out.append(_figure(chart, caption))
    else:
        out.append(_note("Alignment has no values in any period."))

    def cell(r: AlignmentPeriod, attr: str) -> str:
        e: Estimate | None = getattr(r, attr)
        if e is None or not finite(e.value):
            return "–"
        ci = f" ({_range(e.lower, e.upper)})" if finite(e.lower) and finite(e.upper) else ""
        return format_value(e.value) + ci

    attrs = ["event_similarity", "event_kappa"] + (["unga_agreement", "unga_kappa"]
                                                   if has_unga else [])
    heads = ["Period", "Event similarity", "Event κ"] + (["UNGA agreement", "UNGA κ"]
                                                         if has_unga else [])
    out.append(_details("Alignment by period (95% intervals in brackets)",
                        _table(heads, [[r.label] + [cell(r, a) for a in attrs] for r in rows])))
    return "\n".join(out)


def _estimate_series(name: str, rows: Sequence[AlignmentPeriod], attr: str,
                     color: str) -> charts.Series:
    values, lower, upper = [], [], []
    for r in rows:
        e: Estimate | None = getattr(r, attr)
        values.append(e.value if e else None)
        lower.append(e.lower if e else None)
        upper.append(e.upper if e else None)
    return charts.Series(name, values, lower, upper, color=color)


def _blocs(data: ReportData) -> str:
    if not data.blocs:
        return _note("Blocs were not computed for this report.")
    dyad = set(data.dyad)
    colors = charts.bloc_colors(c.bloc for c in data.blocs)
    out = []
    points = [charts.MapPoint(c.code, c.name, c.lat, c.lon, c.bloc, c.activity, c.code in dyad)
              for c in data.blocs]
    unplaced = [c.code for c in data.blocs if not (finite(c.lat) and finite(c.lon))]
    if len(unplaced) < len(data.blocs):
        chart = charts.bloc_map(points, title="Countries coloured by bloc", colors=colors,
                             bloc_names=data.bloc_names)
        caption = ("Each dot is a country at its capital; its area follows how many events it "
                   f"took part in. {data.names[0]} and {data.names[1]} are ringed.")
        if unplaced:
            caption += f" Not on the map (no location): {', '.join(sorted(unplaced))}."
        out.append(_figure(chart, caption))
    else:
        out.append(_note("No country has a location, so the map is left out."))
    axis = [charts.AxisPoint(c.code, c.name, c.position, c.position_lower, c.position_upper,
                          c.bloc, c.code in dyad) for c in data.blocs]
    if any(finite(c.position) for c in data.blocs):
        out.append(_figure(charts.bloc_axis(axis, title="Countries along the bloc axis",
                                         axis_label=data.axis_label, colors=colors,
                                         bloc_names=data.bloc_names),
                           "Countries ordered by their position on the axis that best "
                           "separates the blocs; whiskers are 95% intervals."))
    else:
        out.append(_note("No positions on a bloc axis were computed."))
    out.append(_balance(data.balance))
    return "\n".join(out)


def _balance(b: Balance | None) -> str:
    if b is None:
        return _note("Structural balance was not tested.")
    verdict = ("more often balanced than chance would give, as blocs would produce"
               if b.p_value < 0.05 and b.share_balanced > b.null_mean
               else "no more balanced than chance would give")
    triads = f" of {b.n_triads:,}" if b.n_triads is not None else ""
    share = format_value(b.share_balanced, 0.001, percent=True)
    return (f"<h3>Structural balance</h3><p>{escape(share)}"
            f"{escape(triads)} signed triads are balanced (friend of a friend is a friend, "
            "enemy of an enemy a friend), against "
            f"{escape(format_value(b.null_mean, 0.001, percent=True))} when the signs are "
            f"shuffled (p = {escape(_p(b.p_value))}): the network is {escape(verdict)}.</p>")


def _provenance(data: ReportData) -> str:
    p = data.provenance
    if p is None:
        return _note("No provenance was recorded for this report.")
    generated = (p.generated_at.isoformat(timespec="seconds")
                 if isinstance(p.generated_at, datetime) else str(p.generated_at))
    rows = [("Database", f"<code>{escape(p.db_path)}</code>"),
            ("Generated", escape(generated)),
            ("cordiale version", escape(p.version)),
            ("Command", f"<code>{escape(p.command)}</code>")]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    origins = sorted(p.events_by_origin.items(), key=lambda kv: (-kv[1], kv[0]))
    table = (_table(["Origin", "Events"], [[k, f"{v:,}"] for k, v in origins])
             if origins else _note("The store holds no events."))
    return f'<dl class="prov">{dl}</dl><h3>Events in the store by origin</h3>{table}'


def _footer(data: ReportData) -> str:
    version = f" {data.provenance.version}" if data.provenance else ""
    return (f"Made by cordiale{escape(version)}. This file is self-contained: it loads nothing "
            "from the network and runs no scripts.")


# -- small formatting helpers --------------------------------------------------------------------

def _table(heads: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{escape(summary)}</summary>{body}</details>"


def _range(lo: float | None, hi: float | None) -> str:
    if not (finite(lo) and finite(hi)):
        return "–"
    return f"{format_value(lo, signed=True)} to {format_value(hi, signed=True)}"


def _p(p: float) -> str:
    if not finite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _tone(c: ChangePoint) -> str:
    word = c.direction.strip().lower()
    if word in _WARMER:
        return "warmer"
    if word in _COOLER:
        return "cooler"
    if finite(c.size) and c.size != 0:
        return "warmer" if c.size > 0 else "cooler"
    return "neutral"


def _tone_word(c: ChangePoint) -> str:
    return {"warmer": "warmer", "cooler": "cooler"}.get(_tone(c), "a shift")


def _shift_text(c: ChangePoint) -> str:
    text = f"Shift in warmth {format_value(c.size, signed=True)}"
    if finite(c.lower) and finite(c.upper):
        text += f" (95% interval {_range(c.lower, c.upper)})"
    if finite(c.robustness):
        text += (f"; still found with any one source left out in "
                 f"{format_value(c.robustness, 0.01, percent=True)} of cases")
    return text


def _when(d: date, freq: str) -> str:
    if freq == "year":
        return str(d.year)
    if freq == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if freq == "month":
        return f"{_MONTHS[d.month - 1][:3]} {d.year}"
    return f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def _span(since: date, until: date, *, long: bool = False) -> str:
    def month(d: date) -> str:
        return f"{_MONTHS[d.month - 1] if long else _MONTHS[d.month - 1][:3]} {d.year}"

    return f"{month(since)} – {month(until)}"


_CSS = """
:root{--ink:#1f2933;--muted:#52606d;--faint:#9aa5b1;--rule:#e4e7eb;--panel:#f5f7fa;
--accent:#0072B2;--warm:#009E73;--cool:#D55E00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;font:16px/1.55 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif;
font-variant-numeric:tabular-nums}
.masthead{background:#0f2a3f;color:#fff}
.masthead .inner,.wrap,main{max-width:900px;margin:0 auto;padding-left:28px;
padding-right:28px}
.masthead .inner{padding-top:28px;padding-bottom:26px}
.kicker{margin:0 0 6px;font-size:12px;letter-spacing:.12em;text-transform:uppercase;
color:#9fc3de}
h1{margin:0;font-size:36px;line-height:1.15;font-weight:700;letter-spacing:-.01em}
h1 .amp{font-weight:400;color:#9fc3de}
.facts{margin:10px 0 0;color:#d9e6f0;font-size:15px}
.facts .code{display:inline-block;margin-right:6px;padding:0 7px;border:1px solid #4d7391;
border-radius:4px;font-size:13px;letter-spacing:.05em}
.toc{border-bottom:1px solid var(--rule);font-size:14px}
.toc .wrap{display:flex;flex-wrap:wrap;gap:4px 20px;padding-top:10px;padding-bottom:10px}
.toc a{color:var(--muted);text-decoration:none}
.toc a:hover{color:var(--accent);text-decoration:underline}
main{padding-bottom:40px}
.lede{font-size:19px;line-height:1.55;margin:26px 0 20px;max-width:44em}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;
margin:0 0 8px}
.tile{background:var(--panel);border-radius:8px;padding:12px 14px}
.tile-label{font-size:13px;font-weight:600;color:var(--muted)}
.tile-value{font-size:28px;font-weight:700;line-height:1.25}
.tile-note{font-size:13px;color:var(--muted)}
section{margin-top:38px}
h2{font-size:23px;line-height:1.25;margin:0 0 12px;padding-top:18px;
border-top:2px solid var(--ink)}
h3{font-size:17px;margin:22px 0 6px}
figure{margin:14px 0 10px}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:14px;color:var(--muted);margin-top:6px;max-width:46em}
.note{color:var(--muted);background:var(--panel);border-left:3px solid var(--faint);
padding:8px 12px;font-size:15px;margin:10px 0}
details{margin:8px 0 4px;font-size:14px}
summary{cursor:pointer;color:var(--accent)}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px}
th,td{padding:4px 10px;border-bottom:1px solid var(--rule);text-align:right}
th:first-child,td:first-child{text-align:left}
th{font-weight:600;color:var(--muted);border-bottom-color:var(--faint)}
article.cp{border-left:4px solid var(--faint);padding:2px 0 6px 16px;margin:22px 0}
article.cp.warmer{border-left-color:var(--warm)}
article.cp.cooler{border-left-color:var(--cool)}
article.cp h3{margin-top:4px}
.arrow.warmer{color:var(--warm)}.arrow.cooler{color:var(--cool)}
.cp-meta{margin:0 0 6px;color:var(--muted)}
ol.drivers{list-style:none;padding:0;margin:8px 0 0}
li.driver{padding:10px 0;border-top:1px solid var(--rule)}
.driver-meta{margin:0;font-size:14px;color:var(--muted)}
.driver-meta .who{color:var(--ink);font-weight:600}
.contrib{display:inline-block;min-width:52px;padding:0 6px;border-radius:4px;color:#fff;
font-weight:700;text-align:center;font-size:13px}
.contrib.pos{background:var(--warm)}.contrib.neg{background:var(--cool)}
blockquote{margin:6px 0 2px;padding:0 0 0 12px;border-left:2px solid var(--rule);
font-family:Georgia,"Times New Roman",serif;font-size:16px;line-height:1.5}
mark{background:#ffe7a3;color:inherit;padding:0 2px;border-radius:2px}
.driver-source{margin:2px 0 0;font-size:12px;color:var(--faint)}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}
dl.prov dt{color:var(--muted)}dl.prov dd{margin:0;word-break:break-all}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;
background:var(--panel);padding:1px 4px;border-radius:3px}
footer{border-top:1px solid var(--rule);font-size:13px;color:var(--muted)}
footer .wrap{padding-top:14px;padding-bottom:40px}
.imported{margin:4px 0 0;font-size:14px;font-style:italic;color:var(--muted)}
@media (max-width:600px){h1{font-size:28px}.lede{font-size:17px}
figure{overflow-x:auto}figure svg{min-width:600px}}
@media print{.masthead{background:none;color:var(--ink)}.kicker,h1 .amp,.facts{color:var(--ink)}
.toc{display:none}
section,figure,article.cp{break-inside:avoid}}
"""
