"""``cordiale serve``: the API (and dashboard) over one database, on uvicorn."""

from __future__ import annotations

import os

import click

from .options import db_option


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless you say otherwise).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--allow-writes", is_flag=True,
              help="Accept reviews (POST /api/reviews) from clients that send "
                   "'Authorization: Bearer $CORDIALE_TOKEN'; needs CORDIALE_TOKEN set.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info"]),
              default="info", show_default=True, help="uvicorn's log level.")
def serve(db: str, host: str, port: int, allow_writes: bool, log_level: str) -> None:
    """Serve the REST API and dashboard over a database (read-only by default).

    OpenAPI at /openapi.json, documentation at /docs; nothing is loaded from the network.

    \b
    Example:
      cordiale serve --db news.duckdb
      CORDIALE_TOKEN=s3cret cordiale serve --db news.duckdb --allow-writes
    """
    token = os.environ.get("CORDIALE_TOKEN") or None
    if allow_writes and not token:
        raise click.UsageError("--allow-writes needs CORDIALE_TOKEN set in the environment "
                               "(clients send it as 'Authorization: Bearer <token>')")
    import uvicorn

    from ..web.app import LOOPBACK_HOSTS, create_app

    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    app = create_app(db, allow_writes=allow_writes, token=token,
                     hosts=[*LOOPBACK_HOSTS, host] if loopback else None)
    mode = "read-write (reviews need the token)" if allow_writes else "read-only"
    click.echo(f"cordiale serve: {db}, {mode}, on http://{host}:{port}/ "
               f"(API docs at /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False,
                server_header=False)
