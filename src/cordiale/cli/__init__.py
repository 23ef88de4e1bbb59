"""The ``cordiale`` command: each command a few lines over a library function.

The commands live in modules by what they do (:mod:`.ingest`, :mod:`.query`, :mod:`.analysis`,
:mod:`.imports_events`, :mod:`.imports_unga`, :mod:`.evaluate`); shared options are in
:mod:`.options`. This module only assembles the group, so nothing imports the entry point back.
"""

from __future__ import annotations

import os
import sys

# The analysis does many small dense matrix operations (200×200 eigenvectors, bootstrap
# products); OpenBLAS threads fighting over two busy cores made them 10-30× slower, so the
# command runs them on one thread unless the user says otherwise. Set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click

from .. import __version__
from ..errors import CordialeError
from ..queries import BadQuery
from . import analysis, evaluate, imports_events, imports_unga, ingest, query, reviews, serve
from .query import EVENT_TABLE

__all__ = ["EVENT_TABLE", "main"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CordialeError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(2)
        except BadQuery as err:  # an argument the query cannot use, named as an option
            click.echo(f"error: --{err.parameter.replace('_', '-')}: {err}", err=True)
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


for _command in (ingest.ingest, ingest.code, query.docs, query.actors, query.events, query.show,
                 query.errors, evaluate.evaluate, imports_events.import_, imports_unga.import_unga,
                 analysis.dyad, analysis.align, analysis.blocs, analysis.changes,
                 analysis.report, serve.serve, reviews.reviews):
    main.add_command(_command)
