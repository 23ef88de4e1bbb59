"""Listing commands: ``docs``, ``actors``, ``events``, ``show`` and ``errors``."""

from __future__ import annotations

import sys
from datetime import date

import click

from ..output import FORMATS
from .options import (
    LIMIT,
    db_option,
    format_option,
    open_store,
    parquet_option,
    parse_date,
)


@click.command()
@db_option
@format_option
@click.option("--limit", type=LIMIT, help="At most this many rows.")
def docs(db: str, fmt: str, limit: int | None) -> None:
    """List stored documents with their sentence and actor counts.

    \b
    Example:
      cordiale docs --db news.duckdb --format csv
    """
    from ..output import write_rows

    with open_store(db) as store:
        columns, rows = store.documents(limit=limit)
    write_rows(columns, rows, fmt, sys.stdout)


@click.command()
@db_option
@format_option
@click.option("--country", help="Only this country code (e.g. RUS, IGO).")
@click.option("--sector", help="Only this sector (e.g. GOV, MIL).")
@click.option("--doc", "doc_id", help="Only this document id.")
@click.option("--places", is_flag=True, help="Also list capitals named as places.")
@click.option("--limit", type=LIMIT, help="At most this many rows.")
def actors(db: str, fmt: str, country: str | None, sector: str | None, doc_id: str | None,
           places: bool, limit: int | None) -> None:
    """List resolved actor mentions, one a row.

    Fields: doc_id, sentence_index, text, char_start, char_end (offsets into the document
    text), country, sector, code, name, confidence.

    \b
    Example:
      cordiale actors --db news.duckdb --country RUS --sector MIL --format jsonl
    """
    from ..output import write_rows
    from ..queries import known_country

    with open_store(db) as store:
        if country:
            country = known_country(store, country, "country")
        columns, rows = store.mentions(country=country, sector=sector, doc_id=doc_id,
                                       include_places=places, limit=limit)
    write_rows(columns, rows, fmt, sys.stdout)


#: The event table a person reads: who did what to whom, and the words it rests on (the
#: sentence around its trigger); every field is in the jsonl, csv and parquet forms.
EVENT_TABLE = ("event_id", "doc_id", "date", "source", "cameo_code", "target", "modality",
               "evidence")


def write_events(events_rows: list[dict], fmt: str, out) -> None:
    from ..explain import actor_label, excerpt
    from ..output import write_rows
    from ..records import EVENT_FIELDS

    if fmt != "table":
        columns = list(EVENT_FIELDS)
        write_rows(columns, [[r.get(c) for c in columns] for r in events_rows], fmt, out)
        return
    rows = [[r.get("event_id"), r.get("doc_id"), r.get("date"), actor_label(r, "source"),
             r.get("cameo_code"),
             actor_label(r, "target"), r.get("modality"),
             excerpt(r.get("sentence"), r.get("trigger_text"))] for r in events_rows]
    write_rows(list(EVENT_TABLE), rows, fmt, out)


@click.command()
@db_option
@parquet_option
@click.option("--actor", help="Country or actor-code prefix on either side (e.g. RUS, RUSMIL).")
@click.option("--dyad", help="Directed pair SOURCE,TARGET (e.g. CHN,RUS or CHN-RUS).")
@click.option("--code", "cameo", help="CAMEO code or prefix (e.g. 057, 19).")
@click.option("--root", help="CAMEO root (e.g. 05).")
@click.option("--plover", help="PLOVER type (e.g. AGREE).")
@click.option("--since", callback=parse_date, help="From this date (YYYY-MM-DD).")
@click.option("--until", callback=parse_date, help="Up to this date (YYYY-MM-DD).")
@click.option("--include-hypothetical", is_flag=True,
              help="Also list negated, hypothetical, question and story events.")
@click.option("--limit", type=LIMIT, help="At most this many rows.")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "parquet"]), default="table",
              show_default=True, help="Output format (parquet needs --output).")
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file.")
def events(db: str, parquet: str | None, actor: str | None, dyad: str | None,
           cameo: str | None, root: str | None,
           plover: str | None, since: date | None, until: date | None,
           include_hypothetical: bool, limit: int | None, fmt: str, output: str | None) -> None:
    """List stored events, filtered; negated and hypothetical ones only when asked.

    \b
    Example:
      cordiale events --db news.duckdb --dyad CHN,RUS --since 2021-01-01 --format csv
      cordiale events --db news.duckdb --root 19 --format parquet --output fights.parquet
    """
    from ..queries import BadQuery, EventFilter, events_sql, list_events, parse_pair

    pair = None
    if dyad:
        try:
            pair = parse_pair(dyad, "dyad")
        except BadQuery as err:
            raise click.BadParameter(str(err), param_hint="--dyad") from err
    if fmt == "parquet" and not output:
        raise click.BadParameter("parquet needs --output FILE", param_hint="--format")
    flt = EventFilter(actor=actor, dyad=pair, code=cameo, root=root, plover=plover, since=since,
                      until=until, include_hypothetical=include_hypothetical)
    with open_store(db, parquet) as store:
        if fmt == "parquet":
            sql, params = events_sql(store, flt, limit=limit)
            count = store.export_parquet(sql, params, str(output))
            click.echo(f"wrote {count} events to {output}", err=True)
            _note_rejected(store, flt)
            return
        dicts = list_events(store, flt, limit=limit)
        _note_rejected(store, flt)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            write_events(dicts, fmt, fh)
        click.echo(f"wrote {len(dicts)} events to {output}", err=True)
    else:
        write_events(dicts, fmt, sys.stdout)


def _note_rejected(store, flt) -> None:
    """Say how many events the listing left out because an analyst marked them wrong."""
    from ..queries import LeftOut, rejected_events

    for line in LeftOut(rejected=rejected_events(store, flt)).notes():
        click.echo(line, err=True)


@click.command()
@click.argument("event_id")
@db_option
@parquet_option
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="Output format.")
def show(event_id: str, db: str, parquet: str | None, fmt: str) -> None:
    """Show one event with its evidence: the sentence with source [S: ], target [T: ] and
    trigger «» marked, the basis of its date, its modality and the rule that coded it.

    \b
    Example:
      cordiale events --db news.duckdb --dyad CHN,RUS --limit 5
      cordiale show 3f2a9c1e0b7d4e21 --db news.duckdb
    """
    import json

    from ..explain import describe
    from ..reviews import list_reviews

    with open_store(db, parquet) as store:
        event = store.event(event_id)
        reviews = list_reviews(store, event_id=event_id) if event is not None else []
    if event is None:
        raise click.ClickException(f"no event {event_id!r} in {db} "
                                   "('cordiale events' lists event ids)")
    if fmt == "jsonl":
        event.pop("doc_text", None)
        if reviews:
            event["reviews"] = reviews
        click.echo(json.dumps(event, default=str, ensure_ascii=False))
    else:
        click.echo(describe(event))
        for i, r in enumerate(reviews):  # newest first; the first one counts
            fixes = ", ".join(f"{k} {r[k]}" for k in ("cameo_code", "source_country",
                                                      "target_country") if r[k])
            click.echo(f"{'review' if i == 0 else 'earlier':<9} {r['verdict']}"
                       + (f" ({fixes})" if fixes else "")
                       + f" by {r['reviewer']} on {r['created_at']:%Y-%m-%d %H:%M}"
                       + (f": {r['note']}" if r["note"] else ""))


@click.command()
@db_option
@format_option
def errors(db: str, fmt: str) -> None:
    """List inputs that could not be read, with the file, line and reason.

    \b
    Example:
      cordiale errors --db news.duckdb
    """
    from ..output import write_rows

    with open_store(db) as store:
        columns, rows = store.errors()
    write_rows(columns, rows, fmt, sys.stdout)
