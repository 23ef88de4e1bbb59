"""``cordiale import``: load ICEWS, GDELT or cordiale JSONL event files into the database.

A thin face over :func:`cordiale.importers.load.import_events`; it prints the first bad rows
on standard error (a broken million-row file would otherwise flood the terminal; all of them
are in 'cordiale errors') and exits 1 when any row or file failed, as ingest does.
"""

from __future__ import annotations

import sys

import click

from .options import db_option, parquet_option

_SHOWN = 20  # failures printed one by one before the rest are only counted


@click.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["icews", "gdelt", "cordiale-jsonl"]),
              required=True, help="Layout of the files (ICEWS tab or CSV is detected).")
@db_option
@parquet_option
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Events written per transaction [default: 500,000 for ICEWS and GDELT "
                   "files, 50,000 for cordiale JSONL and files read row by row].")
def import_(paths: tuple[str, ...], fmt: str, db: str, parquet: str | None,
            batch_size: int | None) -> None:
    """Load existing event datasets into the events table, marked with their origin.

    \b
    Formats:
      icews           ICEWS Dataverse .tab or snake_case .csv (gzipped or not)
      gdelt           GDELT 1.0 (57/58 columns) or 2.0 (61 columns) event exports
      cordiale-jsonl  what 'cordiale code/events --format jsonl' prints

    Country names and codes become ISO alpha-3; names that cannot be mapped leave the country
    empty and are counted in the summary. Bad rows are named with file, line and reason,
    recorded (see 'cordiale errors') and the rest goes on; the exit status is then 1.
    Re-importing a file adds nothing. The database is opened only while a batch commits,
    so other commands can read it meanwhile. With --parquet the events are written there as
    month-partitioned Parquet files (the rest, such as failures, stays in --db).

    \b
    Example:
      cordiale import icews.2018.tab.gz --format icews --db events.duckdb
      cordiale import 20180601.export.CSV --format gdelt --db events.duckdb
      cordiale import icews.2018.tab.gz --format icews --db events.duckdb --parquet events/
    """
    from ..importers.load import import_events
    from ..records import Failure
    from ..store import Store

    shown = 0

    def report(failure: Failure) -> None:
        nonlocal shown
        shown += 1
        if shown <= _SHOWN:
            click.echo(f"error: {failure}", err=True)

    summary = import_events(list(paths), fmt, db, batch_size=batch_size, on_failure=report,
                            parquet=parquet)
    with Store(db, parquet=parquet) as store:
        store.refresh_facts()  # the analysis copy, clustered by dyad
    click.echo(summary.line())
    failures = len(summary.failures)
    if failures:
        if failures > _SHOWN:
            click.echo(f"... and {failures - _SHOWN} more", err=True)
        click.echo(f"{failures} row(s) or file(s) failed; 'cordiale errors --db {db}' lists "
                   "them", err=True)
        sys.exit(1)
