"""``cordiale import-unga``: UN General Assembly roll-call votes into the store.

A thin face over :func:`cordiale.importers.unga.import_unga`. Failed rows are printed (the
first few; all are recorded for ``cordiale errors``) and make the exit status 1, as in
``cordiale ingest``; a file that cannot be read at all is an error with status 2.
"""

from __future__ import annotations

import sys

import click

from .options import db_option

_SHOWN = 20  # failures echoed; a file with thousands of bad rows should not flood the terminal


@click.command("import-unga")
@click.argument("votes", type=click.Path(exists=True, dir_okay=False))
@click.option("--roll-calls", type=click.Path(exists=True, dir_okay=False),
              help="Roll-call file (rcid, session, importantvote, date, unres, short, descr); "
                   "gives each vote its date.")
@click.option("--issues", type=click.Path(exists=True, dir_okay=False),
              help="Issue tags (rcid, short_name, issue) for stored or imported roll calls.")
@db_option
def import_unga(votes: str, roll_calls: str | None, issues: str | None, db: str) -> None:
    """Import UN General Assembly roll-call votes (CSV, optionally gzipped).

    VOTES has the columns rcid, country, country_code (ISO alpha-2) and vote (yes, no,
    abstain; or 1, 2, 3). Countries are stored as ISO alpha-3 codes; absent and non-member
    rows are counted, not stored. Re-importing updates rows in place and never duplicates.
    Malformed rows are named with file, line and reason and recorded (see 'cordiale
    errors'); the exit status is then 1.

    \b
    Example:
      cordiale import-unga un_votes.csv.gz --roll-calls un_roll_calls.csv.gz \\
          --issues un_roll_call_issues.csv.gz --db un.duckdb
    """
    from ..importers.unga import import_unga as run
    from ..store import Store

    with Store(db) as store:
        summary = run(store, votes, roll_calls=roll_calls, issues=issues)
    for failure in summary.failures[:_SHOWN]:
        click.echo(f"error: {failure}", err=True)
    if len(summary.failures) > _SHOWN:
        click.echo(f"error: ... and {len(summary.failures) - _SHOWN:,} more", err=True)
    click.echo(summary.line())
    if summary.failures:
        click.echo(f"{len(summary.failures):,} row(s) failed; 'cordiale errors --db {db}' "
                   "lists them", err=True)
        sys.exit(1)
