"""Analysis commands: ``dyad``, ``align``, ``blocs``, ``changes`` and ``report``.

Each reads the events it needs from the store (filters pushed into SQL), hands them to the
pure functions in :mod:`cordiale.analysis`, and prints rows in the formats every listing
command offers. Table output shows the columns a reader scans; JSONL and CSV carry them all.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

import click

from ..output import write_rows
from .options import (
    db_option,
    format_option,
    open_store,
    origin_option,
    parquet_option,
    parse_country,
    replicates_option,
    seed_option,
    window_options,
)


def _emit(rows: Sequence[dict[str, Any]], fmt: str, table_columns: Sequence[str]) -> None:
    if not rows:
        click.echo("no events for this question in the store", err=True)
        return
    columns = list(table_columns) if fmt == "table" else list(rows[0])
    write_rows(columns, [[r.get(c) for c in columns] for r in rows], fmt, sys.stdout)


def _note_undated(store: Any, *, dyad: tuple[str, str] | None = None,
                  involving: Sequence[str] | None = None, origin: str | None = None) -> None:
    """Say how many events the analysis left out because they have no date."""
    from ..analysis.frame import count_undated

    n = count_undated(store, dyad=dyad, involving=involving, origin=origin)
    if n:
        which = "event has" if n == 1 else "events have"
        click.echo(f"note: {n} {which} no date and {'is' if n == 1 else 'are'} left out "
                   "(their documents have no publication date: 'cordiale docs' lists them)",
                   err=True)


def _interval(value: Any, low: Any, high: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if low is None or high is None:
        return f"{value:+.{digits}f}"
    return f"{value:+.{digits}f} [{low:+.{digits}f}, {high:+.{digits}f}]"


@click.command()
@click.argument("a", callback=parse_country)
@click.argument("b", callback=parse_country)
@window_options("month")
@click.option("--directed", is_flag=True, help="Only events from A to B (default: both ways).")
@click.option("--pseudo", type=click.FloatRange(0), default=3.0, show_default=True,
              help="Pseudo-events shrinking each period toward the dyad's long-run mean.")
@replicates_option
@seed_option
@origin_option
@db_option
@parquet_option
@format_option
def dyad(a: str, b: str, since: date | None, until: date | None, freq: str, directed: bool,
         pseudo: float, replicates: int, seed: int, origin: str | None, db: str,
         parquet: str | None, fmt: str) -> None:
    """Warmth, volume and quad-class shares of a dyad per period, with 95% intervals.

    Warmth is the mean Goldstein score of deduplicated events, shrunk toward the dyad's
    long-run mean; per_1000 is the dyad's share of all events stored that period, so rising
    media volume is not read as rising contact. A trend line (smoothed level and Theil–Sen
    slope) is printed last, on standard error.

    \b
    Example:
      cordiale dyad CHN RUS --db news.duckdb --freq quarter
      cordiale dyad China Russia --since 2018-01-01 --format csv > chn_rus.csv
    """
    from ..analysis.frame import load_events, period_totals
    from ..analysis.series import MIN_TREND_PERIODS, Bootstrap, dyad_series, quad_shares, trend

    with open_store(db, parquet) as store:
        frame = load_events(store, dyad=(a, b), since=since, until=until, origin=origin)
        totals = period_totals(store, freq, since=since, until=until)
        _note_undated(store, dyad=(a, b), origin=origin)
    series = dyad_series(frame, a, b, freq=freq, directed=directed, since=since, until=until,
                         totals=totals, pseudo=pseudo, boot=Bootstrap(replicates, seed))
    quads = {r["period"]: r for r in quad_shares(frame, a, b, freq=freq, directed=directed,
                                                 since=since, until=until).rows()}
    tr = trend(series)
    rows = []
    for i, row in enumerate(series.rows()):
        q = quads.get(row["period"], {})
        row["level"] = round(float(tr.level[i]), 3) if tr.level[i] == tr.level[i] else None
        row["level_low"] = round(float(tr.level_lower[i]), 3) \
            if tr.level_lower[i] == tr.level_lower[i] else None
        row["level_high"] = round(float(tr.level_upper[i]), 3) \
            if tr.level_upper[i] == tr.level_upper[i] else None
        for key in ("cooperation_ratio", "cooperation_low", "cooperation_high",
                    "verbal_cooperation_share", "material_cooperation_share",
                    "verbal_conflict_share", "material_conflict_share",
                    "material_cooperation_low", "material_cooperation_high",
                    "material_conflict_low", "material_conflict_high"):
            row[key] = q.get(key)
        row["warmth_95"] = _interval(row["warmth"], row["warmth_low"], row["warmth_high"])
        row["coop_95"] = _interval(row["cooperation_ratio"], row["cooperation_low"],
                                   row["cooperation_high"])
        rows.append(row)
    if fmt == "table":
        rows = [r for r in rows if r["events"] or r is rows[-1]]
    _emit(rows, fmt, ["period", "events", "stories", "warmth_95", "per_1000",
                      "net_per_1000", "coop_95", "material_cooperation_share",
                      "material_conflict_share"])
    s = tr.summary()
    if s["slope_per_period"] is not None:
        per_year = "" if freq in ("day", "year") else " (" + _interval(
            s["slope_per_year"], s["slope_per_year_low"], s["slope_per_year_high"]) + " per year)"
        click.echo(
            f"trend {a}–{b}: level {_interval(s['level'], s['level_low'], s['level_high'])}, "
            f"slope {_interval(s['slope_per_period'], s['slope_low'], s['slope_high'], 3)} "
            f"per {freq}{per_year} over {s['periods_used']} {freq}s with events", err=True)
    else:
        click.echo(f"trend {a}–{b}: fewer than {MIN_TREND_PERIODS} {freq}s with events; no slope",
                   err=True)


@click.command()
@click.argument("a", callback=parse_country)
@click.argument("b", callback=parse_country)
@window_options("year")
@click.option("--min-events", type=click.IntRange(1), default=2, show_default=True,
              help="Events a partner needs with each of A and B to count in a period.")
@replicates_option
@seed_option
@origin_option
@db_option
@parquet_option
@format_option
def align(a: str, b: str, since: date | None, until: date | None, freq: str, min_events: int,
          replicates: int, seed: int, origin: str | None, db: str, parquet: str | None,
          fmt: str) -> None:
    """How alike two countries treat third countries, next to their UN votes when loaded.

    S-score (1 = same warmth towards every shared partner) and a chance-corrected kappa on
    cooperative/neutral/conflictual relations, per period with 95% intervals. With UNGA
    votes imported (cordiale import-unga), the same two statistics on roll calls both
    countries voted in are shown beside them.

    \b
    Example:
      cordiale align CHN RUS --db news.duckdb
      cordiale align USA RUS --freq quarter --format jsonl
    """
    from ..analysis.alignment import alignment
    from ..analysis.frame import load_events
    from ..analysis.series import Bootstrap

    with open_store(db, parquet) as store:
        frame = load_events(store, since=since, until=until, origin=origin, involving=[a, b])
        _note_undated(store, involving=[a, b], origin=origin)
        votes = _unga_rows(store, a, b, freq, since, until, replicates, seed)
    result = alignment(frame, a, b, freq=freq, since=since, until=until,
                       min_events=min_events, boot=Bootstrap(replicates, seed))
    rows = result.rows()
    by_period = {r["period"]: r for r in rows}
    for v in votes:
        row = by_period.get(v["period"])
        if row is None:
            row = {"period": v["period"], "a": a, "b": b, "partners": 0}
            by_period[v["period"]] = row
        row.update({f"unga_{k}": val for k, val in v.items() if k != "period"})
    rows = [by_period[k] for k in sorted(by_period)]
    for r in rows:
        r["s_95"] = _interval(r.get("s_score"), r.get("s_low"), r.get("s_high"))
        r["kappa_95"] = _interval(r.get("kappa"), r.get("kappa_low"), r.get("kappa_high"))
        r["unga_kappa_95"] = _interval(r.get("unga_kappa"), r.get("unga_kappa_low"),
                                       r.get("unga_kappa_high"))
    if fmt == "table":
        rows = [r for r in rows if r.get("partners") or r.get("unga_votes")]
    cols = ["period", "partners", "s_95", "kappa_95"]
    if votes:
        cols += ["unga_votes", "unga_agreement", "unga_kappa_95"]
    _emit(rows, fmt, cols)
    # how fast is alignment growing: a robust slope of each kappa over the periods it exists
    for key, what in (("kappa", "event alignment"), ("unga_kappa", "UNGA vote agreement")):
        line = _slope_line(rows, key, freq)
        if line:
            click.echo(f"trend of {what} {a}–{b} (kappa): {line}", err=True)


def _slope_line(rows: Sequence[dict[str, Any]], key: str, freq: str) -> str | None:
    """Theil–Sen slope of one column over the periods where it has a value, as text."""
    import numpy as np

    from ..analysis.frame import parse_period
    from ..analysis.series import MIN_TREND_PERIODS, theil_sen

    days = {"day": 1.0, "week": 7.0, "month": 30.44, "quarter": 91.31, "year": 365.25}[freq]
    # a period resting on a handful of roll calls (or no shared partner) is left out
    support = "unga_votes" if key.startswith("unga_") else "partners"
    points = [(i, r[key]) for i, r in enumerate(rows)
              if r.get(key) is not None and (r.get(support) or 0) >= (10 if support ==
                                                                       "unga_votes" else 1)]
    if len(points) < MIN_TREND_PERIODS:
        return None
    starts = [parse_period(rows[i]["period"])[1] for i, _ in points]
    x = np.array([(d - starts[0]).days / days for d in starts])  # in periods, gaps kept
    y = np.array([p[1] for p in points], dtype=float)
    slope, lo, hi = theil_sen(x, y)
    return (f"{_interval(slope, lo, hi, 3)} per {freq} over {len(points)} {freq}s "
            f"({rows[points[0][0]]['period']}–{rows[points[-1][0]]['period']})")


def _unga_rows(store: Any, a: str, b: str, freq: str, since: date | None,
               until: date | None, replicates: int, seed: int) -> list[dict[str, Any]]:
    """UNGA agreement rows for the dyad, or none when no votes are loaded."""
    from ..analysis.unga import load_votes, vote_agreement

    votes = load_votes(store, countries=[a, b], since=since, until=until)
    if len(votes) == 0:
        return []
    out = []
    for est in vote_agreement(votes, a, b, freq=freq, since=since, until=until,
                              n_boot=replicates, seed=seed):
        row = est.row()
        out.append({"period": row["period"], "votes": row["n"],
                    **{k: row[k] for k in row if k not in ("period", "a", "b", "n")}})
    return out


@click.command()
@click.option("--period", help="One period by name: 2021, 2021-Q4, 2021-11, 2021-W47 "
              "(default: the latest period of --freq with events).")
@window_options("month")
@click.option("--anchor", default="USA", show_default=True, callback=parse_country,
              help="Country whose side of the bloc axis is positive.")
@click.option("--resolution", type=click.FloatRange(0, min_open=True), default=1.0,
              show_default=True, help="Leiden resolution: higher gives more, smaller blocs.")
@click.option("--drift", is_flag=True,
              help="Each country's axis position per --freq period over the window instead.")
@replicates_option
@seed_option
@origin_option
@db_option
@parquet_option
@format_option
def blocs(period: str | None, since: date | None, until: date | None, freq: str, anchor: str,
          resolution: float, drift: bool, replicates: int, seed: int, origin: str | None,
          db: str, parquet: str | None, fmt: str) -> None:
    """Blocs in the signed network of relations, a bloc axis, and structural balance.

    Relations are the shrunk mean Goldstein of each pair's deduplicated events in the period;
    blocs come from a Leiden partition with friendly and hostile ties as two layers (hostile
    weighing against). Each country gets a position on the main bloc axis (positive on the
    anchor's side) with a 95% interval. Balance compares the share of balanced triangles with
    shuffled signs. A summary of blocs and balance is printed last, on standard error.

    \b
    Example:
      cordiale blocs --db news.duckdb                      # the latest month
      cordiale blocs --period 2018-Q2 --anchor RUS --format csv
      cordiale blocs --drift --freq quarter --since 2017-01-01 --until 2018-12-31
    """
    from ..analysis.blocs import blocs as find_blocs
    from ..analysis.blocs import drift as find_drift
    from ..analysis.frame import country_names, latest_period, load_events, parse_period
    from ..analysis.series import Bootstrap

    names = country_names()
    with open_store(db, parquet) as store:
        if period:
            try:
                freq, since, until = parse_period(period)
            except ValueError as err:
                raise click.BadParameter(str(err), param_hint="--period") from err
        elif not drift and since is None and until is None:
            window = latest_period(store, freq)
            if window is None:
                click.echo("no events between two countries in the store", err=True)
                return
            since, until = window
        frame = load_events(store, since=since, until=until, origin=origin)
        _note_undated(store, origin=origin)
    label = f"{since or 'start'} to {until or 'end'}"
    if drift:
        result = find_drift(frame, freq=freq, since=since, until=until, anchor=anchor,
                            resolution=resolution)
        rows = result.rows()
        for r in rows:
            r["name"] = names.get(r["country"], r["country"])
        _emit(rows, fmt, ["country", "name", "slope_per_year", *result.labels])
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        return
    report = find_blocs(frame, since=since, until=until, anchor=anchor, seed=seed,
                        resolution=resolution, boot=Bootstrap(replicates, seed))
    rows = report.rows()
    for r in rows:
        r["name"] = names.get(r["country"], r["country"])
        r["position_95"] = _interval(r["position"], r["position_low"], r["position_high"])
    _emit(rows, fmt, ["country", "name", "bloc", "position_95", "events", "partners",
                      "warmth_bloc", "warmth_others"])
    s = report.summary()
    b = s["balance"]
    sizes = ", ".join(f"bloc {r['bloc']}: {r['size']}" for r in report.bloc_rows())
    click.echo(f"blocs {label}: {s['countries']} countries in {s['blocs']} blocs ({sizes}); "
               f"axis anchored on {s['anchor']}", err=True)
    if b["triangles"]:
        st = b["strict"]
        click.echo(f"balance: {st['share']:.3f} of {b['triangles']} triangles balanced against "
                   f"{st['null_mean']:.3f} ± {st['null_sd']:.3f} with shuffled signs "
                   f"(z {st['z']}, p {st['p_value']})", err=True)
    for note in s["notes"]:
        click.echo(f"note: {note}", err=True)


@click.command()
@click.argument("a", callback=parse_country)
@click.argument("b", callback=parse_country)
@window_options("month")
@click.option("--directed", is_flag=True, help="Only events from A to B (default: both ways).")
@click.option("--min-size", type=click.IntRange(1), default=3, show_default=True,
              help="Shortest segment between changes, in periods.")
@click.option("--penalty", type=click.FloatRange(0, min_open=True),
              help="PELT penalty (default: BIC-type, 2·log n on the standardised cost).")
@click.option("--top", type=click.IntRange(1), default=5, show_default=True,
              help="Driver events listed per change.")
@replicates_option
@seed_option
@origin_option
@db_option
@parquet_option
@format_option
def changes(a: str, b: str, since: date | None, until: date | None, freq: str, directed: bool,
            min_size: int, penalty: float | None, top: int, replicates: int, seed: int,
            origin: str | None, db: str, parquet: str | None, fmt: str) -> None:
    """Change points in a dyad's warmth, the events that drove each, and how robust it is.

    PELT finds where the mean warmth shifts (segments at least --min-size periods long); each
    change lists its shift with a 95% interval, the events after it ranked by how much they
    moved the mean (with their sentences), and the share of leave-one-outlet-out runs that
    still find it. JSONL gives one change a line with its drivers; CSV one driver a line.

    \b
    Example:
      cordiale changes CHN RUS --db news.duckdb --freq month
      cordiale changes USA TUR --since 2016-01-01 --format jsonl
    """
    from ..analysis.changes import detect_changes
    from ..analysis.frame import load_events
    from ..analysis.series import Bootstrap

    with open_store(db, parquet) as store:
        frame = load_events(store, dyad=(a, b), since=since, until=until, origin=origin)
        _note_undated(store, dyad=(a, b), origin=origin)
        report = detect_changes(frame, a, b, freq=freq, directed=directed, since=since,
                                until=until, min_size=min_size, penalty=penalty, top=top,
                                boot=Bootstrap(replicates, seed))
        rows = report.rows()
        found = store.evidence([d["event_id"] for r in rows for d in r["drivers"]])
    for r in rows:
        for d in r["drivers"]:
            d.update({k: v for k, v in found.get(d["event_id"], {}).items()
                      if k in ("sentence", "trigger", "trigger_start", "trigger_end", "title",
                               "url", "origin")})
    if not rows:
        n = int(report.series.n.sum())
        click.echo(f"no change points in {a}–{b} warmth ({n} events over "
                   f"{len(report.periods)} {freq}s)", err=True)
        return
    if fmt == "jsonl":
        write_rows(list(rows[0]), [list(r.values()) for r in rows], fmt, sys.stdout)
        return
    if fmt == "csv":
        flat = [{**{k: v for k, v in r.items() if k not in ("drivers", "killed_by")},
                 "killed_by": "|".join(r["killed_by"]), "rank": i,
                 **{f"driver_{k}": v for k, v in d.items()}}
                for r in rows for i, d in enumerate(r["drivers"], 1)]
        write_rows(list(flat[0]), [list(f.values()) for f in flat], fmt, sys.stdout)
        return
    for r in rows:
        survival = "not checked" if r["survival"] is None else \
            f"kept in {r['survival']:.0%} of leave-one-{r['robustness']}-out runs"
        shift = _interval(r["shift"], r["shift_low"], r["shift_high"])
        click.echo(f"{r['period']}: {r['direction']}, warmth {r['mean_before']:+.2f} → "
                   f"{r['mean_after']:+.2f} (shift {shift}; {r['events_before']} events "
                   f"before, {r['events_after']} after; {survival})")
        if r["killed_by"]:
            click.echo(f"  fragile: gone without {', '.join(r['killed_by'][:5])}")
        for i, d in enumerate(r["drivers"], 1):
            text = d.get("sentence") or "(no sentence: imported event)"
            click.echo(f"  {i}. {d['date']} {d['source']}→{d['target']} {d['cameo']} "
                       f"g={d['goldstein']:+.1f} contribution {d['contribution']:+.3f} "
                       f"[{d['publisher'] or d['doc_id']}]")
            click.echo(f"     {text[:200]}")


@click.command()
@click.argument("a", callback=parse_country)
@click.argument("b", callback=parse_country)
@window_options("month")
@click.option("--anchor", default="USA", show_default=True, callback=parse_country,
              help="Country whose side of the bloc axis is positive.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="report.html",
              show_default=True, help="HTML file to write.")
@replicates_option
@seed_option
@origin_option
@db_option
@parquet_option
def report(a: str, b: str, since: date | None, until: date | None, freq: str, anchor: str,
           output: str, replicates: int, seed: int, origin: str | None, db: str,
           parquet: str | None) -> None:
    """Write one self-contained HTML report on a dyad (works offline, no CDN).

    The warmth timeline with its band and turning points, quad-class shares, the events that
    drove each turn with their sentences, alignment over time beside UNGA agreement, and the
    latest period's blocs.

    \b
    Example:
      cordiale report CHN RUS --db news.duckdb --output chn-rus.html
    """
    from ..report import render_report
    from ..report.build import ReportOptions, build_report

    options = ReportOptions(freq=freq, since=since, until=until, anchor=anchor,
                            replicates=replicates, seed=seed, origin=origin)
    command = " ".join(["cordiale", *sys.argv[1:]]) if sys.argv else "cordiale report"
    with open_store(db, parquet) as store:
        data = build_report(store, a, b, options, db_path=db, command=command)
        _note_undated(store, dyad=(a, b), origin=origin)
    with open(output, "w", encoding="utf-8") as fh:
        fh.write(render_report(data))
    click.echo(f"wrote {output}: {a}–{b}, {sum(p.n_events for p in data.series):,} events, "
               f"{len(data.change_points)} turning points, {len(data.blocs)} countries in the "
               f"bloc map", err=True)
