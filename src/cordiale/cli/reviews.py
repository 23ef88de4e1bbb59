"""``cordiale reviews``: list analysts' reviews, add one, export them as a gold set."""

from __future__ import annotations

import json
import sys

import click

from .options import LIMIT, db_option, format_option, open_store


@click.group()
def reviews() -> None:
    """Analysts' reviews of events: right, wrong, or corrected.

    Every analysis leaves events whose latest review says "wrong" out (and says how many),
    and uses a corrected event's new code and countries.

    \b
    Example:
      cordiale reviews list --db news.duckdb
      cordiale reviews export --format gold --db news.duckdb --output mine.jsonl
      cordiale eval mine.jsonl
    """


@reviews.command("list")
@db_option
@format_option
@click.option("--event", "event_id", help="Only the reviews of this event.")
@click.option("--latest", is_flag=True, help="Only the review that counts for each event.")
@click.option("--verdict", type=click.Choice(["right", "wrong", "corrected"]),
              help="Only reviews with this verdict.")
@click.option("--limit", type=LIMIT, help="At most this many rows.")
def list_(db: str, fmt: str, event_id: str | None, latest: bool, verdict: str | None,
          limit: int | None) -> None:
    """List reviews, newest first.

    \b
    Example:
      cordiale reviews list --db news.duckdb --latest --verdict wrong
    """
    from ..output import write_rows
    from ..reviews import REVIEW_FIELDS, list_reviews

    with open_store(db) as store:
        rows = list_reviews(store, event_id=event_id, latest=latest, verdict=verdict,
                            limit=limit)
    columns = list(REVIEW_FIELDS)
    write_rows(columns, [[r[c] for c in columns] for r in rows], fmt, sys.stdout)


def _country(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..analysis.frame import resolve_country

    if value is None:
        return None
    try:
        return resolve_country(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint=param.opts[0]) from err


@reviews.command("add")
@click.argument("event_id")
@click.option("--verdict", type=click.Choice(["right", "wrong", "corrected"]), required=True)
@click.option("--reviewer", envvar="USER", required=True, help="Who reviews (default: $USER).")
@click.option("--code", "cameo_code", help="Corrected CAMEO code.")
@click.option("--source", "source_country", callback=_country, help="Corrected source country.")
@click.option("--target", "target_country", callback=_country, help="Corrected target country.")
@click.option("--note", help="Why.")
@db_option
def add(event_id: str, verdict: str, reviewer: str, cameo_code: str | None,
        source_country: str | None, target_country: str | None, note: str | None,
        db: str) -> None:
    """Review one event (the same as POST /api/reviews on a server).

    \b
    Example:
      cordiale reviews add 3f2a9c1e0b7d4e21 --verdict wrong --note "a quote, not an event"
      cordiale reviews add 3f2a9c1e0b7d4e21 --verdict corrected --code 042 --target RUS
    """
    from pathlib import Path

    from ..errors import StoreError
    from ..reviews import Review, ReviewError, add_review
    from ..store import Store

    if not Path(db).exists():  # a review of an event needs the store that holds it
        raise StoreError(f"{db}: no such database; run 'cordiale ingest' first")
    with Store(db) as store:
        try:
            stored = add_review(store, Review(
                event_id=event_id, verdict=verdict, reviewer=reviewer, cameo_code=cameo_code,
                source_country=source_country, target_country=target_country, note=note))
        except ReviewError as err:
            hint = {"event_id": "EVENT_ID", "cameo_code": "--code",
                    "source_country": "--source", "target_country": "--target"}
            raise click.BadParameter(str(err), param_hint=hint.get(err.field or "",
                                                                   "--verdict")) from err
    click.echo(f"review {stored['review_id']}: {event_id} {verdict}", err=True)


@reviews.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["gold"]), default="gold",
              show_default=True,
              help="gold: the ../shared/eval format, one reviewed sentence a line.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file (default: standard output).")
def export(db: str, fmt: str, output: str | None) -> None:
    """Write reviewed events as a gold set, so 'cordiale eval' scores the coder on your
    own domain.

    Each sentence holding a reviewed event becomes a gold sentence whose events are the
    ones judged right (as coded) or corrected (as corrected); a sentence whose reviewed
    events were all judged wrong is a gold sentence with no event.

    \b
    Example:
      cordiale reviews export --format gold --db news.duckdb --output mine.jsonl
      cordiale eval mine.jsonl
    """
    from ..reviews import gold_rows

    with open_store(db) as store:
        rows = gold_rows(store)
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()
    click.echo(f"{len(rows)} reviewed sentences"
               + (f" written to {output}" if output else ""), err=True)
