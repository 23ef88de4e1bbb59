"""Options and argument parsers that several commands share.

Every command module imports from here, never from the package that assembles the command
group, so no module imports the entry point back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..output import FORMATS

if TYPE_CHECKING:
    from ..store import Store


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """Click callback: a YYYY-MM-DD date, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from err


def parse_country(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Click callback: a country code or name resolved to its three-letter code."""
    from ..analysis.frame import resolve_country

    try:
        return resolve_country(value)
    except ValueError as err:
        raise click.BadParameter(str(err), ctx=_ctx, param=param) from err


db_option = click.option(
    "--db", envvar="CORDIALE_DB", default="cordiale.duckdb", show_default=True,
    help="DuckDB file (env CORDIALE_DB).",
)
parquet_option = click.option(
    "--parquet", envvar="CORDIALE_PARQUET", metavar="DIR",
    type=click.Path(file_okay=False),
    help="Events also kept as month-partitioned Parquet files in DIR (env CORDIALE_PARQUET).",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output format.",
)

#: Row limits a listing accepts: a negative or absurd one is a one-line error naming --limit,
#: not a database error.
LIMIT = click.IntRange(0, 10**9)


@contextmanager
def open_store(db: str, parquet: str | None = None) -> Iterator[Store]:
    """The store, read-only: a read command never creates or changes a database. Events in
    a Parquet directory (``--parquet`` or CORDIALE_PARQUET) are read with the file's own.

    A question the store cannot answer as asked (:class:`~cordiale.queries.BadQuery`: a
    country neither the table nor the store knows, a period that is not one) becomes the
    usual one-line usage error naming the command's own argument or option, found by the
    parameter name the query layer gives (``a`` is the argument A, ``dyad`` is ``--dyad``).
    """
    from ..queries import BadQuery
    from ..store import Store

    with Store(db, read_only=True, parquet=parquet) as store:
        try:
            yield store
        except BadQuery as err:
            ctx = click.get_current_context()
            param = next((p for p in ctx.command.params if p.name == err.parameter), None)
            raise click.BadParameter(str(err), ctx=ctx, param=param,
                                     param_hint=None if param else err.parameter) from err


def window_options(default_freq: str) -> Callable[[Any], Any]:
    """--since, --until and --freq, shared by every analysis command."""
    from ..analysis import FREQS

    def decorate(fn: Any) -> Any:
        fn = click.option("--freq", type=click.Choice(FREQS), default=default_freq,
                          show_default=True, help="Period length.")(fn)
        fn = click.option("--until", callback=parse_date, help="Up to this date (YYYY-MM-DD).")(fn)
        fn = click.option("--since", callback=parse_date, help="From this date (YYYY-MM-DD).")(fn)
        return fn

    return decorate


replicates_option = click.option(
    "--replicates", type=click.IntRange(50, 5000), default=400, show_default=True,
    help="Bootstrap replicates for the 95% intervals (resampling stories).")
seed_option = click.option("--seed", type=int, default=0, show_default=True,
                           help="Seed for the bootstrap; the same seed gives the same output.")
origin_option = click.option(
    "--origin", help="Only events from this origin (cordiale, icews, gdelt, cordiale-jsonl).")
