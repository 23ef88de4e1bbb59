"""The ``cordiale`` command: each command a few lines over a library function."""

from __future__ import annotations

import sys
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
def ingest(paths: tuple[str, ...], db: str, published: date | None, source: str | None,
           batch_size: int | None, n_process: int | None, model: str | None,
           quiet: bool) -> None:
    """Read news into the database: documents, sentences and resolved actors.

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

    settings = load_settings(db=db, batch_size=batch_size, n_process=n_process, model=model)

    def report(failure) -> None:
        click.echo(f"error: {failure}", err=True)

    summary = run(list(paths), db=db, published=published, source=source, settings=settings,
                  on_failure=report, progress=False if quiet else None)
    click.echo(summary.line())
    if summary.failed:
        click.echo(f"{summary.failed} input(s) failed; 'cordiale errors --db {db}' lists them",
                   err=True)
        sys.exit(1)


@main.command()
@db_option
@format_option
@click.option("--limit", type=int, help="At most this many rows.")
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
@click.option("--limit", type=int, help="At most this many rows.")
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
@click.option("--model", help="spaCy pipeline to use.")
def evaluate(gold: tuple[str, ...], fmt: str, misses: bool, model: str | None) -> None:
    """Score actor resolution on gold files (the format of ../shared/eval).

    Prints, per file, actor-country recall (each gold event's source and target country is
    among the actors resolved in its sentence) and the share of resolved actors whose country
    the gold never names.

    \b
    Example:
      cordiale eval ../shared/eval/plover_gsr.dev.jsonl
    """
    from .evaluate import score_files
    from .output import write_rows

    scores = score_files(gold, model=model or "auto")
    rows = [s.row() for s in scores]
    write_rows(list(rows[0]), [list(r.values()) for r in rows], fmt, sys.stdout)
    if misses:
        for s in scores:
            for doc_id, code, found in s.misses:
                click.echo(f"miss {s.file} {doc_id}: {code} not in {found}")


if __name__ == "__main__":
    main()
