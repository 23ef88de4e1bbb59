"""The ``cordiale`` command: each command a few lines over a library function."""

from __future__ import annotations

import os
import sys

# The analysis does many small dense matrix operations (200×200 eigenvectors, bootstrap
# products); OpenBLAS threads fighting over two busy cores made them 10-30× slower, so the
# command runs them on one thread unless the user says otherwise. Set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from datetime import date

import click

from . import __version__
from .errors import CordialeError
from .output import FORMATS


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from err


db_option = click.option(
    "--db", envvar="CORDIALE_DB", default="cordiale.duckdb", show_default=True,
    help="DuckDB file (env CORDIALE_DB).",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output format.",
)


#: Row limits a listing accepts: a negative or absurd one is a one-line error naming --limit,
#: not a database error.
LIMIT = click.IntRange(0, 10**9)


def _open(db: str):
    from .store import Store

    return Store(db, read_only=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CordialeError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cordiale")
def main() -> None:
    """cordiale: read news, resolve who is acting, and store it with its evidence.

    \b
    Example:
      cordiale ingest samples/ --db news.duckdb
      cordiale actors --db news.duckdb --country RUS
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for documents "
              "that do not give one.")
@click.option("--source", help="Source name for documents that do not give one.")
@click.option("--batch-size", type=int, help="Documents per spaCy batch.")
@click.option("--n-process", type=int, help="spaCy worker processes.")
@click.option("--model", help="spaCy pipeline (default: en_core_web_sm, else its re-upload).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--scope", type=click.Choice(["main", "all"]),
              help="Events to keep: a sentence's main events (default) or all found.")
def ingest(paths: tuple[str, ...], db: str, published: date | None, source: str | None,
           batch_size: int | None, n_process: int | None, model: str | None,
           quiet: bool, scope: str | None) -> None:
    """Read news into the database: documents, sentences, resolved actors and coded events.

    PATHS are .txt, .html/.htm, .jsonl or .csv files, directories (read recursively) or -
    for standard input. Stored content is skipped, so re-running never duplicates. Inputs that
    cannot be read are named with the reason, recorded (see 'cordiale errors') and the rest
    goes on; the exit status is 1 when anything failed.

    \b
    Example:
      cordiale ingest samples/ --db news.duckdb --published 2021-11-24
    """
    from .config import load_settings
    from .pipeline import ingest as run

    settings = load_settings(db=db, batch_size=batch_size, n_process=n_process, model=model,
                             event_scope=scope)

    def report(failure) -> None:
        click.echo(f"error: {failure}", err=True)

    summary = run(list(paths), db=db, published=published, source=source, settings=settings,
                  on_failure=report, progress=False if quiet else None)
    click.echo(summary.line())
    if summary.undated_line():
        click.echo(summary.undated_line(), err=True)
    if summary.failed:
        click.echo(f"{summary.failed} input(s) failed; 'cordiale errors --db {db}' lists them",
                   err=True)
        sys.exit(1)


@main.command()
@db_option
@format_option
@click.option("--limit", type=LIMIT, help="At most this many rows.")
def docs(db: str, fmt: str, limit: int | None) -> None:
    """List stored documents with their sentence and actor counts.

    \b
    Example:
      cordiale docs --db news.duckdb --format csv
    """
    from .output import write_rows

    with _open(db) as store:
        columns, rows = store.documents(limit=limit)
    write_rows(columns, rows, fmt, sys.stdout)


@main.command()
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
    from .output import write_rows

    with _open(db) as store:
        columns, rows = store.mentions(country=country, sector=sector, doc_id=doc_id,
                                       include_places=places, limit=limit)
    write_rows(columns, rows, fmt, sys.stdout)


#: The event table a person reads: who did what to whom, and the words it rests on (the
#: sentence around its trigger); every field is in the jsonl, csv and parquet forms.
EVENT_TABLE = ("event_id", "doc_id", "date", "source", "cameo_code", "target", "modality",
               "evidence")


def _write_events(events_rows: list[dict], fmt: str, out) -> None:
    from .explain import actor_label, excerpt
    from .output import write_rows
    from .records import EVENT_FIELDS

    if fmt != "table":
        columns = list(EVENT_FIELDS)
        write_rows(columns, [[r.get(c) for c in columns] for r in events_rows], fmt, out)
        return
    rows = [[r.get("event_id"), r.get("doc_id"), r.get("date"), actor_label(r, "source"),
             r.get("cameo_code"),
             actor_label(r, "target"), r.get("modality"),
             excerpt(r.get("sentence"), r.get("trigger_text"))] for r in events_rows]
    write_rows(list(EVENT_TABLE), rows, fmt, out)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for documents "
              "that do not give one; relative dates are resolved against it.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="Output format.")
@click.option("--model", help="spaCy pipeline (default: en_core_web_sm, else its re-upload).")
@click.option("--n-process", type=int, help="spaCy worker processes.")
@click.option("--scope", type=click.Choice(["main", "all"]),
              help="Events to keep: a sentence's main events (default) or all found.")
def code(paths: tuple[str, ...], published: date | None, fmt: str, model: str | None,
         n_process: int | None, scope: str | None) -> None:
    """Code events in files without a database and print them.

    Accepts the same inputs as ingest (- for stdin). For .jsonl input each line
    {"id", "text", optional "date"/"published"} is one document and every event's doc_id is
    that line's id. Negated and hypothetical events are printed with their flags. A line on
    standard error reports sentences per second.

    \b
    Example:
      cordiale code ../shared/seed/china-russia-entente.txt --published 2021-11-24
      echo '{"id": "s1", "text": "Russia attacked Ukraine."}' | cordiale code - --format table
    """
    import time

    from .config import load_settings
    from .ingest import read_inputs
    from .pipeline import process_documents
    from .records import Failure

    settings = load_settings(model=model, n_process=n_process, event_scope=scope)
    failures: list[Failure] = []

    def documents():
        for item in read_inputs(list(paths), published=published, max_bytes=settings.max_bytes):
            if isinstance(item, Failure):
                failures.append(item)
                click.echo(f"error: {item}", err=True)
            else:
                yield item

    started = time.perf_counter()
    rows: list[dict] = []
    sentences = 0
    for item in process_documents(documents(), settings):
        if isinstance(item, Failure):
            failures.append(item)
            click.echo(f"error: {item}", err=True)
            continue
        sentences += len(item.sentences)
        rows.extend(e.as_dict() for e in item.events)
        if fmt == "jsonl":  # stream: a long corpus shows output as it goes
            _write_events([e.as_dict() for e in item.events], fmt, sys.stdout)
    if fmt != "jsonl":
        _write_events(rows, fmt, sys.stdout)
    seconds = time.perf_counter() - started
    rate = sentences / seconds if seconds else 0.0
    click.echo(f"coded {sentences} sentences, {len(rows)} events in {seconds:.1f}s "
               f"({rate:.1f} sentences/s)", err=True)
    if failures:
        sys.exit(1)


@main.command()
@db_option
@click.option("--actor", help="Country or actor-code prefix on either side (e.g. RUS, RUSMIL).")
@click.option("--dyad", help="Directed pair SOURCE,TARGET (e.g. CHN,RUS).")
@click.option("--code", "cameo", help="CAMEO code or prefix (e.g. 057, 19).")
@click.option("--root", help="CAMEO root (e.g. 05).")
@click.option("--plover", help="PLOVER type (e.g. AGREE).")
@click.option("--since", callback=_date, help="From this date (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Up to this date (YYYY-MM-DD).")
@click.option("--include-hypothetical", is_flag=True,
              help="Also list negated, hypothetical, question and story events.")
@click.option("--limit", type=LIMIT, help="At most this many rows.")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "parquet"]), default="table",
              show_default=True, help="Output format (parquet needs --output).")
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file.")
def events(db: str, actor: str | None, dyad: str | None, cameo: str | None, root: str | None,
           plover: str | None, since: date | None, until: date | None,
           include_hypothetical: bool, limit: int | None, fmt: str, output: str | None) -> None:
    """List stored events, filtered; negated and hypothetical ones only when asked.

    \b
    Example:
      cordiale events --db news.duckdb --dyad CHN,RUS --since 2021-01-01 --format csv
      cordiale events --db news.duckdb --root 19 --format parquet --output fights.parquet
    """
    pair = None
    if dyad:
        parts = [p.strip() for p in dyad.split(",")]
        if len(parts) != 2 or not all(parts):
            raise click.BadParameter("use SOURCE,TARGET, e.g. CHN,RUS", param_hint="--dyad")
        pair = (parts[0], parts[1])
    if fmt == "parquet" and not output:
        raise click.BadParameter("parquet needs --output FILE", param_hint="--format")
    with _open(db) as store:
        sql, params = store.events(actor=actor, dyad=pair, code=cameo, root=root, plover=plover,
                                   since=since, until=until,
                                   include_hypothetical=include_hypothetical, limit=limit)
        if fmt == "parquet":
            count = store.export_parquet(sql, params, str(output))
            click.echo(f"wrote {count} events to {output}", err=True)
            return
        columns, rows = store.query(sql, params)
    dicts = [dict(zip(columns, r, strict=True)) for r in rows]
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            _write_events(dicts, fmt, fh)
        click.echo(f"wrote {len(dicts)} events to {output}", err=True)
    else:
        _write_events(dicts, fmt, sys.stdout)


@main.command()
@click.argument("event_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="Output format.")
def show(event_id: str, db: str, fmt: str) -> None:
    """Show one event with its evidence: the sentence with source [S: ], target [T: ] and
    trigger «» marked, the basis of its date, its modality and the rule that coded it.

    \b
    Example:
      cordiale events --db news.duckdb --dyad CHN,RUS --limit 5
      cordiale show 3f2a9c1e0b7d4e21 --db news.duckdb
    """
    import json

    from .explain import describe

    with _open(db) as store:
        event = store.event(event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id!r} in {db} "
                                   "('cordiale events' lists event ids)")
    if fmt == "jsonl":
        event.pop("doc_text", None)
        click.echo(json.dumps(event, default=str, ensure_ascii=False))
    else:
        click.echo(describe(event))


@main.command()
@db_option
@format_option
def errors(db: str, fmt: str) -> None:
    """List inputs that could not be read, with the file, line and reason.

    \b
    Example:
      cordiale errors --db news.duckdb
    """
    from .output import write_rows

    with _open(db) as store:
        columns, rows = store.errors()
    write_rows(columns, rows, fmt, sys.stdout)


@main.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@format_option
@click.option("--misses", is_flag=True, help="Also list each gold country that was not found.")
@click.option("--predictions", type=click.Path(dir_okay=False),
              help="Also write every predicted event as JSONL to this file.")
@click.option("--model", help="spaCy pipeline to use.")
@click.option("--scope", type=click.Choice(["main", "all"]),
              help="Events to keep: a sentence's main events (default) or all found.")
@click.option("--half", type=click.Choice(["A", "B", "both"]),
              help="Score one fixed half of each file (split by a hash of the sentence id), "
                   "or both halves on separate rows.")
def evaluate(gold: tuple[str, ...], fmt: str, misses: bool, predictions: str | None,
             model: str | None, scope: str | None, half: str | None) -> None:
    """Score the coder on gold files (the format of ../shared/eval).

    Prints, per file: events predicted, type recall, dyad+type recall, span dyad+type recall,
    event precision and relevance F1 (as ../shared/eval/score.py computes them; negated and
    hypothetical events are not counted), then actor-country recall and the share of resolved
    actors whose country the gold never names. With --half, rows are named FILE#A / FILE#B.

    \b
    Example:
      cordiale eval ../shared/eval/*.dev.jsonl --half both
    """
    import json

    from .config import load_settings
    from .evaluate import score_files
    from .output import write_rows

    settings = load_settings(model=model, event_scope=scope)
    halves: tuple[str | None, ...] = (None,) if half is None else \
        ("A", "B") if half == "both" else (half,)
    scores = score_files(gold, model=settings.model, scope=settings.event_scope, halves=halves)
    rows = [s.row() for s in scores]
    write_rows(list(rows[0]), [list(r.values()) for r in rows], fmt, sys.stdout)
    if predictions:
        with open(predictions, "w", encoding="utf-8") as fh:
            for s in scores:
                for p in s.predictions:
                    fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    if misses:
        for s in scores:
            for doc_id, code, found in s.actors.misses:
                click.echo(f"miss {s.file} {doc_id}: {code} not in {found}")


# Commands defined in their own modules register themselves on ``main`` when imported.
from . import cli_analysis, cli_import, cli_unga  # noqa: E402,F401,I001


if __name__ == "__main__":
    main()
