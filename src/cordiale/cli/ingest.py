"""``cordiale ingest`` and ``cordiale code``: read news and code its events."""

from __future__ import annotations

import sys
from datetime import date

import click

from ..output import FORMATS
from .options import db_option, parquet_option, parse_date
from .query import write_events


@click.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@parquet_option
@click.option("--published", callback=parse_date,
              help="Publication date (YYYY-MM-DD) for documents "
              "that do not give one.")
@click.option("--source", help="Source name for documents that do not give one.")
@click.option("--batch-size", type=int, help="Documents per spaCy batch.")
@click.option("--n-process", type=int, help="spaCy worker processes.")
@click.option("--model", help="spaCy pipeline (default: en_core_web_sm, else its re-upload).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--scope", type=click.Choice(["main", "all"]),
              help="Events to keep: a sentence's main events (default) or all found.")
@click.option("--workers", type=click.IntRange(0, 4096),
              help="Run the NLP on this many local worker processes (a local Dask cluster).")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run the NLP on the Dask cluster of this scheduler (env CORDIALE_SCHEDULER).")
def ingest(paths: tuple[str, ...], db: str, parquet: str | None, published: date | None,
           source: str | None, batch_size: int | None, n_process: int | None,
           model: str | None, quiet: bool, scope: str | None, workers: int | None,
           scheduler: str | None) -> None:
    """Read news into the database: documents, sentences, resolved actors and coded events.

    PATHS are .txt, .html/.htm, .jsonl or .csv files, directories (read recursively) or -
    for standard input. Stored content is skipped, so re-running never duplicates. Inputs that
    cannot be read are named with the reason, recorded (see 'cordiale errors') and the rest
    goes on; the exit status is 1 when anything failed.

    With --workers N or --scheduler the NLP runs on worker processes and this process reads,
    removes duplicates and writes; the database ends the same as without them (see
    docs/scale-out.md for SLURM and Kubernetes).

    \b
    Example:
      cordiale ingest samples/ --db news.duckdb --published 2021-11-24
      cordiale ingest corpus/ --db news.duckdb --workers 2
      cordiale ingest corpus/ --db news.duckdb --scheduler tcp://10.0.0.5:8786
    """
    from ..config import load_settings
    from ..pipeline import ingest as run

    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    if workers is not None:
        scheduler = ""  # local workers asked for here win over a scheduler in the environment
    if (n_process or 0) > 1 and (workers or scheduler):
        raise click.UsageError("--n-process is spaCy's own multiprocessing; with --workers or "
                               "--scheduler each worker is one process, so leave it out")
    settings = load_settings(db=db, batch_size=batch_size, n_process=n_process, model=model,
                             event_scope=scope, parquet=parquet, workers=workers,
                             scheduler=scheduler)

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


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", callback=parse_date,
              help="Publication date (YYYY-MM-DD) for documents "
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

    from ..config import load_settings
    from ..ingest import read_inputs
    from ..pipeline import process_documents
    from ..records import Failure

    settings = load_settings(model=model, n_process=n_process, event_scope=scope)
    failures: list[Failure] = []

    def documents():
        for item in read_inputs(list(paths), published=published, max_bytes=settings.max_bytes,
                                max_chars=settings.max_doc_chars):
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
            write_events([e.as_dict() for e in item.events], fmt, sys.stdout)
    if fmt != "jsonl":
        write_events(rows, fmt, sys.stdout)
    seconds = time.perf_counter() - started
    rate = sentences / seconds if seconds else 0.0
    click.echo(f"coded {sentences} sentences, {len(rows)} events in {seconds:.1f}s "
               f"({rate:.1f} sentences/s)", err=True)
    if failures:
        sys.exit(1)
