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
from ..queries import interval
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


def _notes(left: Any) -> None:
    """Say what the analysis left out: undated events, events an analyst marked wrong."""
    for line in left.notes():
        click.echo(line, err=True)


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
    from .. import queries

    with open_store(db, parquet) as store:
        result = queries.dyad(store, a, b, since=since, until=until, freq=freq,
                              directed=directed, pseudo=pseudo, replicates=replicates,
                              seed=seed, origin=origin)
    _notes(result.left_out)
    rows = result.rows
    if fmt == "table":
        rows = [r for r in rows if r["events"] or r is rows[-1]]
    _emit(rows, fmt, ["period", "events", "stories", "warmth_95", "per_1000",
                      "net_per_1000", "coop_95", "material_cooperation_share",
                      "material_conflict_share"])
    click.echo(result.trend_line, err=True)


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
    from .. import queries

    with open_store(db, parquet) as store:
        result = queries.align(store, a, b, since=since, until=until, freq=freq,
                               min_events=min_events, replicates=replicates, seed=seed,
                               origin=origin)
    _notes(result.left_out)
    rows = result.rows
    if fmt == "table":
        rows = [r for r in rows if r.get("partners") or r.get("unga_votes")]
    cols = ["period", "partners", "s_95", "kappa_95"]
    if result.has_votes:
        cols += ["unga_votes", "unga_agreement", "unga_kappa_95"]
    _emit(rows, fmt, cols)
    for line in result.trend_lines:
        click.echo(line, err=True)


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
    from .. import queries

    with open_store(db, parquet) as store:  # a bad --period or --anchor is named there
        result = queries.blocs(store, period=period, since=since, until=until, freq=freq,
                               anchor=anchor, resolution=resolution, drift=drift,
                               replicates=replicates, seed=seed, origin=origin)
    if result is None:
        click.echo("no events between two countries in the store", err=True)
        return
    _notes(result.left_out)
    _emit(result.rows, fmt, result.columns)
    for line in result.lines:
        click.echo(line, err=True)


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
    from .. import queries

    with open_store(db, parquet) as store:
        result = queries.changes(store, a, b, since=since, until=until, freq=freq,
                                 directed=directed, min_size=min_size, penalty=penalty, top=top,
                                 replicates=replicates, seed=seed, origin=origin)
    _notes(result.left_out)
    rows = result.rows
    if not rows:
        click.echo(f"no change points in {a}–{b} warmth ({result.events} events over "
                   f"{result.periods} {freq}s)", err=True)
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
        shift = interval(r["shift"], r["shift_low"], r["shift_high"])
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
    from .. import queries
    from ..report import render_report
    from ..report.build import ReportOptions, build_report

    options = ReportOptions(freq=freq, since=since, until=until, anchor=anchor,
                            replicates=replicates, seed=seed, origin=origin)
    command = " ".join(["cordiale", *sys.argv[1:]]) if sys.argv else "cordiale report"
    with open_store(db, parquet) as store:
        data = build_report(store, a, b, options, db_path=db, command=command)
        _notes(queries.left_out(store, dyad=(a, b), origin=origin, since=since, until=until))
    with open(output, "w", encoding="utf-8") as fh:
        fh.write(render_report(data))
    click.echo(f"wrote {output}: {a}–{b}, {sum(p.n_events for p in data.series):,} events, "
               f"{len(data.change_points)} turning points, {len(data.blocs)} countries in the "
               f"bloc map", err=True)
