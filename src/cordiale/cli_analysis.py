"""Analysis commands: ``dyad``, ``align``, ``blocs``, ``changes`` and ``report``.

Each reads the events it needs from the store (filters pushed into SQL), hands them to the
pure functions in :mod:`cordiale.analysis`, and prints rows in the formats every listing
command offers. Table output shows the columns a reader scans; JSONL and CSV carry them all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import click

from .cli import _date, _open, db_option, format_option, main
from .output import write_rows


def _country(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    from .analysis.frame import resolve_country

    try:
        return resolve_country(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint=param.name) from err


def window_options(default_freq: str) -> Callable[[Any], Any]:
    """--since, --until and --freq, shared by every analysis command."""
    from .analysis.frame import FREQS

    def decorate(fn: Any) -> Any:
        fn = click.option("--freq", type=click.Choice(FREQS), default=default_freq,
                          show_default=True, help="Period length.")(fn)
        fn = click.option("--until", callback=_date, help="Up to this date (YYYY-MM-DD).")(fn)
        fn = click.option("--since", callback=_date, help="From this date (YYYY-MM-DD).")(fn)
        return fn

    return decorate


replicates_option = click.option(
    "--replicates", type=click.IntRange(50, 5000), default=400, show_default=True,
    help="Bootstrap replicates for the 95% intervals (resampling stories).")
seed_option = click.option("--seed", type=int, default=0, show_default=True,
                           help="Seed for the bootstrap; the same seed gives the same output.")
origin_option = click.option(
    "--origin", help="Only events from this origin (cordiale, icews, gdelt, cordiale-jsonl).")


def _emit(rows: Sequence[dict[str, Any]], fmt: str, table_columns: Sequence[str]) -> None:
    if not rows:
        click.echo("no events for this question in the store", err=True)
        return
    columns = list(table_columns) if fmt == "table" else list(rows[0])
    write_rows(columns, [[r.get(c) for c in columns] for r in rows], fmt, sys.stdout)


def _interval(value: Any, low: Any, high: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if low is None or high is None:
        return f"{value:+.{digits}f}"
    return f"{value:+.{digits}f} [{low:+.{digits}f}, {high:+.{digits}f}]"


@main.command()
@click.argument("a", callback=_country)
@click.argument("b", callback=_country)
@window_options("month")
@click.option("--directed", is_flag=True, help="Only events from A to B (default: both ways).")
@click.option("--pseudo", type=click.FloatRange(0), default=3.0, show_default=True,
              help="Pseudo-events shrinking each period toward the dyad's long-run mean.")
@replicates_option
@seed_option
@origin_option
@db_option
@format_option
def dyad(a: str, b: str, since: date | None, until: date | None, freq: str, directed: bool,
         pseudo: float, replicates: int, seed: int, origin: str | None, db: str,
         fmt: str) -> None:
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
    from .analysis.frame import load_events, period_totals
    from .analysis.series import Bootstrap, dyad_series, quad_shares, trend

    with _open(db) as store:
        frame = load_events(store, dyad=(a, b), since=since, until=until, origin=origin)
        totals = period_totals(store, freq, since=since, until=until)
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
        per_year = "" if freq == "year" else " (" + _interval(
            s["slope_per_year"], s["slope_per_year_low"], s["slope_per_year_high"]) + " per year)"
        click.echo(
            f"trend {a}–{b}: level {_interval(s['level'], s['level_low'], s['level_high'])}, "
            f"slope {_interval(s['slope_per_period'], s['slope_low'], s['slope_high'], 3)} "
            f"per {freq}{per_year} over {s['periods_used']} {freq}s with events", err=True)
    else:
        click.echo(f"trend {a}–{b}: too few {freq}s with events for a slope", err=True)


@main.command()
@click.argument("a", callback=_country)
@click.argument("b", callback=_country)
@window_options("year")
@click.option("--min-events", type=click.IntRange(1), default=2, show_default=True,
              help="Events a partner needs with each of A and B to count in a period.")
@replicates_option
@seed_option
@origin_option
@db_option
@format_option
def align(a: str, b: str, since: date | None, until: date | None, freq: str, min_events: int,
          replicates: int, seed: int, origin: str | None, db: str, fmt: str) -> None:
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
    from .analysis.alignment import alignment
    from .analysis.frame import load_events
    from .analysis.series import Bootstrap

    with _open(db) as store:
        frame = load_events(store, since=since, until=until, origin=origin, involving=[a, b])
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


def _unga_rows(store: Any, a: str, b: str, freq: str, since: date | None,
               until: date | None, replicates: int, seed: int) -> list[dict[str, Any]]:
    """UNGA agreement rows for the dyad, or none when no votes are loaded."""
    from .analysis.unga import load_votes, vote_agreement

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
