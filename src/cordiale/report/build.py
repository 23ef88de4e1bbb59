"""Fill a :class:`ReportData` for one dyad from the store: the bridge from measures to page.

Every number on the page comes from the same functions the commands print (``dyad``,
``changes``, ``align``, ``blocs``), run with the same defaults, so a figure in the report can
be reproduced at the command line. The summary sentences are written from those numbers by
rules (what the latest period reads, which way the trend points and whether its interval
excludes zero, where the pair sits in the blocs), never by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from .. import __version__
from ..events.ontology import load_ontology
from .html import (
    AlignmentPeriod,
    Balance,
    BlocCountry,
    ChangePoint,
    DriverEvent,
    DyadPeriod,
    Estimate,
    Provenance,
    QuadPeriod,
    ReportData,
)


@dataclass(frozen=True)
class ReportOptions:
    freq: str = "month"
    since: date | None = None
    until: date | None = None
    anchor: str = "USA"
    replicates: int = 400
    seed: int = 0
    origin: str | None = None
    top: int = 5
    align_freq: str = "year"


def _f(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def build_report(store: Any, a: str, b: str, options: ReportOptions, *, db_path: str = "",
                 command: str = "", now: datetime | None = None) -> ReportData:
    """Run the dyad's measures on the store and gather them into one ``ReportData``.

    A country neither the country table nor the store knows (``a``, ``b``, ``anchor``) is a
    :class:`~cordiale.queries.BadQuery` naming it, as in every other question."""
    from dataclasses import replace

    from ..queries import known_country

    a, b = known_country(store, a, "a"), known_country(store, b, "b")
    options = replace(options, anchor=known_country(store, options.anchor, "anchor"))
    from ..analysis.alignment import alignment
    from ..analysis.blocs import blocs
    from ..analysis.changes import detect_changes
    from ..analysis.frame import (
        country_table,
        latest_period,
        load_events,
        parse_period,
        period_label,
        period_totals,
    )
    from ..analysis.series import Bootstrap, quad_shares, trend
    from ..analysis.unga import load_votes, vote_agreement

    boot = Bootstrap(options.replicates, options.seed)
    table = country_table()
    names = {c: r["name"] for c, r in table.items()}
    frame = load_events(store, dyad=(a, b), since=options.since, until=options.until,
                        origin=options.origin)
    totals = period_totals(store, options.freq, since=options.since, until=options.until)
    # the change-point report carries the dyad series it was found in: one bootstrap, not two
    report = detect_changes(frame, a, b, freq=options.freq, since=options.since,
                            until=options.until, top=options.top, boot=boot, totals=totals)
    series = report.series
    since = options.since or (series.periods[0].astype(date) if len(series.periods) else None)
    until = options.until or (frame.date.max().astype(date) if len(frame) else None)
    if since is None or until is None:
        today = (now or datetime.now(UTC)).date()
        since, until = since or today, until or today
    tr = trend(series)
    quads = quad_shares(frame, a, b, freq=options.freq, since=options.since,
                        until=options.until, seed=options.seed)
    onto = load_ontology()
    found = store.evidence([d.event_id for c in report.changes for d in c.drivers])
    change_points = []
    for c in report.changes:
        drivers = []
        for d in c.drivers:
            ev = found.get(d.event_id, {})
            try:
                cameo_name = onto.get(d.cameo).name
            except KeyError:
                cameo_name = ""
            drivers.append(DriverEvent(
                date=date.fromisoformat(str(d.date)[:10]), source=d.source, target=d.target,
                cameo_code=d.cameo, cameo_name=cameo_name, goldstein=float(d.goldstein),
                contribution=float(d.contribution), sentence=ev.get("sentence", ""),
                trigger_start=ev.get("trigger_start"), trigger_end=ev.get("trigger_end"),
                doc_id=d.doc_id, publisher=d.publisher or ev.get("publisher", ""),
                origin=ev.get("origin", "")))
        change_points.append(ChangePoint(
            date=c.period.astype(date), direction=c.direction, size=float(c.shift),
            lower=_f(c.shift_lower), upper=_f(c.shift_upper), robustness=_f(c.survival),
            drivers=drivers))

    key_events = _key_events(store, frame, onto)

    # alignment over the window (events of either country with anyone), beside UNGA votes
    wide = load_events(store, since=options.since, until=options.until, origin=options.origin,
                       involving=[a, b])
    al = alignment(wide, a, b, freq=options.align_freq, since=options.since,
                   until=options.until, boot=boot)
    # votes of the whole periods the window touches: a June report still shows that year
    vote_since = _label_start(period_label(np.datetime64(since, "D"), options.align_freq))
    vote_until = parse_period(period_label(np.datetime64(until, "D"), options.align_freq))[2]
    votes = load_votes(store, countries=[a, b], since=vote_since, until=vote_until)
    unga = {v.period: v for v in vote_agreement(votes, a, b, freq=options.align_freq,
                                                n_boot=options.replicates,
                                                seed=options.seed)} if len(votes) else {}
    align_rows = []
    labels = sorted({*(r["period"] for r in al.rows() if r["partners"]), *unga})
    al_by = {r["period"]: r for r in al.rows()}
    for label in labels:
        r = al_by.get(label)
        v = unga.get(label)
        start = date(int(label[:4]), 1, 1) if options.align_freq == "year" else \
            _label_start(label)
        align_rows.append(AlignmentPeriod(
            start=start, label=label,
            event_similarity=Estimate(r["s_score"], r["s_low"], r["s_high"])
            if r and r["partners"] else None,
            event_kappa=Estimate(r["kappa"], r["kappa_low"], r["kappa_high"])
            if r and r["partners"] else None,
            unga_agreement=Estimate(_f(v.agreement.value), _f(v.agreement.low),
                                    _f(v.agreement.high)) if v else None,
            unga_kappa=Estimate(_f(v.kappa.value), _f(v.kappa.low), _f(v.kappa.high))
            if v else None))

    # blocs in the latest period with events
    # a day or a week of news is too thin a network; blocs are drawn for at least a month
    bloc_freq = "month" if options.freq in ("day", "week") else options.freq
    window = latest_period(store, bloc_freq)
    bloc_rows: list[BlocCountry] = []
    balance = None
    bloc_period = ""
    bloc_report = None
    if window is not None:
        first, last = window
        if options.until is not None and last > options.until:
            _, first, last = parse_period(period_label(np.datetime64(options.until, "D"),
                                                       bloc_freq))
            last = min(last, options.until)
        month = load_events(store, since=first, until=last, origin=options.origin)
        if len(month):
            bloc_report = blocs(month, since=first, until=last, anchor=options.anchor,
                                seed=options.seed, boot=boot)
            bloc_period = f"{first:%d %b %Y} – {last:%d %b %Y}"
            for row in bloc_report.rows():
                info = table.get(row["country"], {})
                lat = info.get("centroid_lat") or info.get("lat")
                lon = info.get("centroid_lon") or info.get("lon")
                bloc_rows.append(BlocCountry(
                    code=row["country"], name=names.get(row["country"], row["country"]),
                    lat=float(lat) if lat else None, lon=float(lon) if lon else None,
                    bloc="" if row["bloc"] is None else str(row["bloc"]),
                    position=row["position"], position_lower=row["position_low"],
                    position_upper=row["position_high"], activity=float(row["events"])))
            st = bloc_report.balance.strict
            if bloc_report.balance.triangles:
                balance = Balance(share_balanced=float(st.observed),
                                  null_mean=float(st.null_mean), p_value=float(st.p_value),
                                  n_triads=int(bloc_report.balance.triangles))

    origins = dict(store.con.execute(
        "SELECT origin, count(*) FROM events GROUP BY origin ORDER BY 2 DESC").fetchall())
    name_a, name_b = names.get(a, a), names.get(b, b)
    summary = _summary(name_a, name_b, series, tr, report, al, unga, bloc_report, a, b,
                       options)
    return ReportData(
        dyad=(a, b), names=(name_a, name_b), since=since, until=until, freq=options.freq,
        summary=summary,
        series=[DyadPeriod(start=p.astype(date), label=lab, warmth=_f(series.warmth[i]),
                           lower=_f(series.lower[i]), upper=_f(series.upper[i]),
                           n_events=int(series.n[i]),
                           volume_per_1000=_f(series.volume_per_1000[i]))
                for i, (p, lab) in enumerate(zip(series.periods, series.labels, strict=True))],
        change_points=change_points,
        quad_shares=[QuadPeriod(start=p.astype(date), label=lab,
                                shares=[_f(x) for x in quads.share[i]],
                                lower=[_f(x) for x in quads.lower[i]],
                                upper=[_f(x) for x in quads.upper[i]],
                                n_events=int(quads.counts[i].sum()))
                     for i, (p, lab) in enumerate(zip(quads.periods, series.labels, strict=True))],
        alignment=align_rows, blocs=bloc_rows, bloc_period=bloc_period, key_events=key_events,
        bloc_names={str(x["bloc"]): _bloc_name(x["members"], a, b, names)
                    for x in (bloc_report.bloc_rows() if bloc_report else [])},
        balance=balance,
        provenance=Provenance(db_path=db_path, events_by_origin=origins,
                              generated_at=(now or datetime.now(UTC)).strftime(
                                  "%Y-%m-%d %H:%M UTC"),
                              version=__version__, command=command),
    )


#: How many of the dyad's most consequential events the report lists.
KEY_EVENTS = 8


def _key_events(store: Any, frame: Any, onto: Any) -> list[DriverEvent]:
    """The dyad's events with the largest |Goldstein| (most recent first among equals), with
    their sentences: what an analyst reads first, turning point or not. The frame already
    holds one event per story, dyad, code and day, so wire copies do not crowd the list."""
    import numpy as np

    if not len(frame):
        return []
    weight = np.abs(frame.goldstein.astype(float))
    days = frame.date.astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((-days, -weight))
    chosen: list[int] = []
    seen: set[tuple[str, str, str, frozenset[str]]] = set()
    for i in order:
        # a reciprocal act ("China and Russia announce drills") is one event to read, not two
        key = (str(frame.story[i]), str(frame.cameo[i]), str(frame.date[i]),
               frozenset((str(frame.source[i]), str(frame.target[i]))))
        if key in seen:
            continue
        seen.add(key)
        chosen.append(int(i))
        if len(chosen) == KEY_EVENTS:
            break
    found = store.evidence([str(frame.event_id[i]) for i in chosen])
    out = []
    for i in chosen:
        ev = found.get(str(frame.event_id[i]), {})
        code = str(frame.cameo[i])
        try:
            cameo_name = onto.get(code).name
        except KeyError:
            cameo_name = ""
        out.append(DriverEvent(
            date=date.fromisoformat(str(frame.date[i])[:10]), source=str(frame.source[i]),
            target=str(frame.target[i]), cameo_code=code, cameo_name=cameo_name,
            goldstein=float(frame.goldstein[i]), contribution=float(frame.goldstein[i]),
            sentence=ev.get("sentence", ""), trigger_start=ev.get("trigger_start"),
            trigger_end=ev.get("trigger_end"), doc_id=str(frame.doc_id[i] or ""),
            publisher=str(frame.publisher[i] or "") or ev.get("publisher", ""),
            origin=ev.get("origin", "")))
    return out


def _label_start(label: str) -> date:
    from ..analysis.frame import parse_period

    return parse_period(label)[1]


def _bloc_name(members: list[str], a: str, b: str, names: dict[str, str]) -> str:
    """A bloc is named after the dyad's members in it, else its first two members."""
    inside = [names.get(c, c) for c in (a, b) if c in members]
    lead = inside or [names.get(c, c) for c in members[:2]]
    more = len(members) - len(lead)
    return " and ".join(lead) + (f" (+{more})" if more > 0 else "")


def _summary(name_a: str, name_b: str, series: Any, tr: Any, report: Any, al: Any,
             unga: dict[str, Any], bloc_report: Any, a: str, b: str,
             options: ReportOptions) -> list[str]:
    out = []
    n = int(series.n.sum())
    if n == 0:
        return [f"The store holds no events between {name_a} and {name_b} in this window."]
    used = np.flatnonzero(series.n > 0)
    last = int(used[-1])
    tone = "cooperative" if series.warmth[last] > 1 else (
        "hostile" if series.warmth[last] < -1 else "mixed")
    out.append(
        f"{n:,} deduplicated events between {name_a} and {name_b}. In {series.labels[last]} "
        f"relations read {tone}: warmth {series.warmth[last]:+.2f} (95% interval "
        f"{series.lower[last]:+.2f} to {series.upper[last]:+.2f}) against a long-run mean "
        f"of {series.prior_mean:+.2f}.")
    if np.isfinite(tr.slope):
        if tr.per_year_lower > 0:
            way = "warming"
        elif tr.per_year_upper < 0:
            way = "cooling"
        else:
            way = "without a clear trend"
        if options.freq in ("week", "month", "quarter"):
            rate = (f"{tr.per_year:+.2f} Goldstein points a year (95% interval "
                    f"{tr.per_year_lower:+.2f} to {tr.per_year_upper:+.2f})")
        else:
            rate = (f"{tr.slope:+.2f} Goldstein points a {options.freq} (95% interval "
                    f"{tr.slope_lower:+.2f} to {tr.slope_upper:+.2f})")
        out.append(f"Over {tr.periods_used} {options.freq}s with events the relation is "
                   f"{way}: {rate}.")
    if report.changes:
        parts = [f"{c.label} ({c.direction}, {c.shift:+.2f})" for c in report.changes]
        out.append(f"Turning points: {', '.join(parts)}.")
    else:
        out.append("No turning point stands out from the noise in this window.")
    rows = [r for r in al.rows() if r["partners"]]
    if rows:
        r = rows[-1]
        out.append(f"In {r['period']} they treated {r['partners']} shared partners "
                   f"{'alike' if r['kappa'] is not None and r['kappa'] > 0.2 else 'differently'}"
                   f" (kappa {r['kappa']:+.2f}).")
    if unga:
        v = unga[max(unga)]
        out.append(f"In the UN General Assembly in {v.period} they agreed on "
                   f"{v.agreement.value:.0%} of {v.n} roll calls (kappa {v.kappa.value:+.2f}).")
    if bloc_report is not None:
        idx = {c: k for k, c in enumerate(bloc_report.countries)}
        if a in idx and b in idx:
            same = bloc_report.bloc[idx[a]] == bloc_report.bloc[idx[b]] >= 0
            bloc_freq = "month" if options.freq in ("day", "week") else options.freq
            out.append(f"In the latest {bloc_freq}'s signed network they sit in "
                       f"{'the same bloc' if same else 'different blocs'} "
                       f"of {len(bloc_report.blocs)}.")
    return out
