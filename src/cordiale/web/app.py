"""The web app ``cordiale serve`` runs: the JSON API under ``/api`` (and the dashboard).

The database is opened per request, read-only unless the server was started with
``--allow-writes``: an ingest in another process can take its turn between requests (DuckDB
lets one process write or several read, and ``Store`` retries while the file is locked), which
a connection held for the server's lifetime would forbid. With ``--allow-writes`` every
connection is read-write, because DuckDB refuses one process two configurations of the same
file. Writes need ``Authorization: Bearer $CORDIALE_TOKEN`` (compared in constant time).

Answers that are expensive and depend only on the store's contents (a dyad's series, a
page of events) are cached in memory keyed by the file's state: the size and
modification time of the database and its write-ahead log. Any write, by this server or by
another process, changes one of them, so a cached answer is never stale and checking costs
a ``stat``, not a query. ``/docs`` is a small self-contained page built from
``/openapi.json`` (FastAPI's own loads Swagger UI from a CDN, and the app must work offline).
"""

from __future__ import annotations

import hmac
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import StoreError
from ..store import Store
from . import errors

#: Largest request body accepted (reviews are a few hundred bytes).
MAX_BODY = 1_000_000
#: Seconds a request waits for an ingest in another process to release the database before
#: it answers 503 (a command waits two minutes; a browser should not).
LOCK_WAIT = 15.0


def _lock_wait() -> float:
    """CORDIALE_LOCK_WAIT when set (as for commands), else :data:`LOCK_WAIT`."""
    from ..store import lock_wait

    return lock_wait() if os.environ.get("CORDIALE_LOCK_WAIT") else LOCK_WAIT


class Settings:
    """What the routes need to know about the server they run in."""

    def __init__(self, db: str, allow_writes: bool, token: str | None) -> None:
        self.db = db
        self.allow_writes = allow_writes
        self.token = token
        self.cache = AnswerCache()

    def state_key(self) -> tuple[int, ...]:
        """The database file's state: changes whenever anything is written to it."""
        out: list[int] = []
        for path in (self.db, self.db + ".wal"):
            try:
                st = os.stat(path)
            except FileNotFoundError:
                out += [0, 0]
                continue
            out += [st.st_mtime_ns, st.st_size]
        return tuple(out)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The store for one request (read-only unless writes are allowed)."""
        store = Store(self.db, read_only=not self.allow_writes, wait=_lock_wait())
        try:
            yield store
        finally:
            store.close()

    @contextmanager
    def writable(self) -> Iterator[Store]:
        if not self.allow_writes:
            raise errors.ApiError(403, "this server is read-only (start it with "
                                  "--allow-writes and CORDIALE_TOKEN to accept reviews)")
        store = Store(self.db, wait=_lock_wait())
        try:
            yield store
        finally:
            store.close()

    def check_token(self, authorization: str | None) -> None:
        """401 without a bearer token, 403 with a wrong one (compared in constant time)."""
        if not self.allow_writes or not self.token:
            raise errors.ApiError(403, "this server is read-only (start it with "
                                  "--allow-writes and CORDIALE_TOKEN to accept reviews)")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise errors.ApiError(401, "writing needs 'Authorization: Bearer <token>'",
                                  "Authorization", headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise errors.ApiError(403, "wrong token", "Authorization")


class AnswerCache:
    """A small LRU of rendered answers (bytes), each filed under the store state it was made
    from; bounded by total size, so a few large reports cannot take the memory."""

    def __init__(self, max_bytes: int = 64 * 2**20) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Any, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get_or_make(self, key: Any, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # two requests may both make it; the answer is the same
        if len(value) > self.max_bytes // 8:
            return value  # too big to be worth keeping
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._bytes += len(value)
            while self._bytes > self.max_bytes and self._items:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old)
        return value


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = errors.error_response(
            413, f"request body over {self.limit:,} bytes")
        await response(scope, receive, send)


#: Host names a server bound to loopback answers to.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class Guard:
    """Two cheap defences for every response. A server on loopback answers only requests
    whose Host is a loopback name, so a web page cannot read the store through DNS
    rebinding (a hostile name resolving to 127.0.0.1); and responses say ``nosniff`` and
    send no referrer, so a JSON answer holding article text is never sniffed as HTML."""

    def __init__(self, app: ASGIApp, hosts: Sequence[str] | None = None) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts} if hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.hosts is not None:
            host = ""
            for name, value in scope.get("headers", []):
                if name == b"host":
                    host = value.decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            name = name.strip("[]")
            if name not in self.hosts:
                response = errors.error_response(
                    400, f"this server answers only to {', '.join(sorted(self.hosts))} "
                    "(it listens on loopback; start it with --host to serve others)", "Host")
                await response(scope, receive, send)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(StarletteHTTPException):
    """Raised while the route reads the body: FastAPI passes HTTP exceptions through to the
    handlers, which give the one error shape."""

    def __init__(self) -> None:
        super().__init__(413, f"request body over {MAX_BODY:,} bytes")


def create_app(db: str, *, allow_writes: bool = False, token: str | None = None,
               hosts: Sequence[str] | None = None) -> FastAPI:
    """The app over one database file; ``token`` is required when writes are allowed.
    ``hosts``: the only Host names answered (``cordiale serve`` on loopback passes
    :data:`LOOPBACK_HOSTS`); None answers any."""
    if allow_writes and not token:
        raise StoreError("--allow-writes needs a token: set CORDIALE_TOKEN in the environment")
    if not Path(db).exists():
        raise StoreError(f"{db}: no such database; run 'cordiale ingest' or 'cordiale import' "
                         "first")
    if allow_writes:
        Store(db).close()  # bring the schema up to date once (reviews need migration 0005)
    else:
        Store(db, read_only=True).close()  # fail now, not on the first request
    from . import api, dashboard

    app = FastAPI(title="cordiale", version=__version__, docs_url=None, redoc_url=None,
                  description="Events coded from news, and the relations between countries "
                  "they show. Every error has the shape {\"error\": {\"status\", \"message\", "
                  "\"parameter\"?}}.")
    app.state.settings = Settings(db, allow_writes, token)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(dashboard.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS_PAGE)

    app.add_middleware(BodyLimit)
    app.add_middleware(Guard, hosts=hosts)
    return app


# The API's documentation without a CDN: the endpoints and their parameters, read from
# /openapi.json by a few lines of script (text set with textContent, never as HTML).
_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cordiale API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222}
h2{font-size:1.05rem;margin:1.6rem 0 .3rem;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:3.5rem;font-weight:600}
table{border-collapse:collapse;margin:.3rem 0 0 1rem}td{padding:.1rem .6rem;vertical-align:top}
td:first-child{font-family:ui-monospace,monospace}.d{color:#555}
</style></head><body>
<h1>cordiale API</h1>
<p>The machine-readable description is <a href="/openapi.json">/openapi.json</a>. Every error
is <code>{"error": {"status", "message", "parameter"}}</code>.</p>
<div id="routes">Loading…</div>
<script>
fetch('/openapi.json').then(r => r.json()).then(spec => {
  const root = document.getElementById('routes');
  root.textContent = '';
  const el = (tag, text, cls) => { const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const h = el('h2'); h.append(el('span', method.toUpperCase(), 'm'), ' ' + path);
      root.append(h);
      if (op.summary) root.append(el('p', op.summary));
      if (op.description) root.append(el('p', op.description, 'd'));
      const params = op.parameters || [];
      if (params.length) {
        const t = el('table');
        for (const p of params) {
          const tr = el('tr');
          const s = p.schema || {};
          const type = s.type || (s.anyOf || []).map(x => x.type).filter(Boolean).join('|');
          tr.append(el('td', p.name + (p.required ? ' *' : '')), el('td', p.in),
                    el('td', type || ''), el('td', p.description || '', 'd'));
          t.append(tr);
        }
        root.append(t);
      }
    }
  }
}).catch(e => {
  document.getElementById('routes').textContent = 'cannot load /openapi.json: ' + e;
});
</script></body></html>
"""
