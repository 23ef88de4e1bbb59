"""The dashboard's routes: HTML pages over the shared query functions, and its static files.

Each page is a thin wrapper: parse the query string, ask :mod:`cordiale.queries` (the functions
the CLI and the JSON API call), hand plain rows to a render function. Rendered pages are kept
in the app's answer cache under the database file's state, like the API's answers, so a
review or an ingest is seen on the next request and a repeated page costs a ``stat``.
A bad parameter gets an HTML page naming it with a 4xx status, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from ... import queries
from ...analysis.frame import country_names, country_table, resolve_country
from .layout import HEADERS, error_page


def _warm() -> None:
    """At start-up, before the first request: load what every page needs (the analysis
    modules with NumPy and SciPy, the ontology, the country table, the map's shapes), so the
    first analyst to open a page does not wait a second for imports."""
    from ...analysis import alignment, blocs, changes, series, unga  # noqa: F401
    from ...events.ontology import load_ontology
    from ...report.charts import world_shapes

    load_ontology()
    country_names()
    world_shapes()
    _places()


router = APIRouter(include_in_schema=False, on_startup=[_warm])
STATIC = {"dashboard.css": "text/css; charset=utf-8",
          "dashboard.js": "text/javascript; charset=utf-8"}


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _page(request: Request, key: tuple[Any, ...], make: Callable[[Any], str]) -> Response:
    """A page from the cache or made over a fresh store; bad input becomes an error page."""
    settings = request.app.state.settings

    def build() -> str:
        with settings.store() as store:
            return make(store)

    try:
        return _html(settings.cache.get_or_make((settings.state_key(), "dashboard", *key),
                                                build))
    except PageError as err:
        return _html(error_page(err.status, str(err)), err.status)
    except queries.BadQuery as err:
        return _html(error_page(422, f"{err.parameter}: {err}"), 422)


class _Miss(Exception):
    pass


def _cached(cache: Any, key: tuple[Any, ...]) -> str | None:
    """A page already in the answer cache, or None (the cache is asked without making one)."""
    def miss() -> str:
        raise _Miss

    try:
        found: str = cache.get_or_make(key, miss)
    except _Miss:
        return None
    return found


def _stream(request: Request, key: tuple[Any, ...], head: str,
            rest: Callable[[Any], Iterator[str]]) -> Response:
    """A page whose head goes out before anything is computed, then each part as it is made.

    The browser paints the frame and loads the stylesheet while the server computes the
    analysis; the whole page is cached once it is complete. Everything that can refuse the
    request is checked before the first byte, so a stream never ends in an error.
    """
    settings = request.app.state.settings
    full_key = (settings.state_key(), "dashboard", *key)
    cached = _cached(settings.cache, full_key)
    if cached is not None:
        return _html(cached)

    def body() -> Iterator[str]:
        parts = [head]
        yield head
        with settings.store() as store:
            for part in rest(store):
                parts.append(part)
                yield part
        page = "".join(parts)
        settings.cache.get_or_make(full_key, lambda: page)

    return StreamingResponse(body(), media_type="text/html; charset=utf-8", headers=HEADERS)


def _country(value: str | None, name: str, settings: Any) -> str:
    """A country the table or the store knows (the API's and the CLI's check, through
    :func:`cordiale.queries.known_country`); the store is opened only for a code outside the
    table, so a cached page still costs a ``stat``."""
    status = 404 if name in ("a", "b") else 422
    try:
        code = resolve_country(value or "")
        if code in country_names():
            return code
        with settings.store() as store:
            return queries.known_country(store, code, name)
    except (ValueError, queries.BadQuery) as err:
        raise PageError(status, f"{name}: {err}") from None


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PageError(422, f"{name}: {value[:40]!r} is not a date (YYYY-MM-DD)") from None


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[float, float]]:
    """Each country's capital (or centre) as (lat, lon), from the gazetteer's country table."""
    out = {}
    for code, row in country_table().items():
        lat = row.get("lat") or row.get("centroid_lat")
        lon = row.get("lon") or row.get("centroid_lon")
        try:
            out[code] = (float(lat or ""), float(lon or ""))
        except ValueError:
            continue
    return out


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request) -> Response:
    from .overview import render_overview

    def make(store: Any) -> str:
        # months read best over a long store; a short one (months of news) is shown by week
        data = queries.overview(store, freq="month")
        if len(data["events_per_period"]) < 12:
            data = queries.overview(store, freq="week")
        return render_overview(data, country_names())

    return _page(request, ("overview",), make)


@router.get("/dyad", response_class=HTMLResponse)
def dyad_pick(a: str = "USA", b: str = "CHN", freq: str = "month", since: str = "",
              until: str = "") -> Response:
    """The dyad form's target: on to the dyad's own address."""
    from .layout import href

    try:
        ca, cb = resolve_country(a), resolve_country(b)
    except ValueError as err:
        return _html(error_page(404, str(err)), 404)
    return RedirectResponse(href("dyad", ca, cb, freq=freq if freq != "month" else "",
                                 since=since, until=until), status_code=303)


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse)
def dyad_page(request: Request, a: str, b: str, freq: str = "month", since: str = "",
              until: str = "") -> Response:
    from .dyad import FREQS, dyad_alignment, dyad_head, dyad_main, dyad_tail
    from .events import PairFilter

    try:
        settings = request.app.state.settings
        ca, cb = _country(a, "a", settings), _country(b, "b", settings)
        if ca == cb:
            raise PageError(422, "b: a dyad needs two different countries")
        if freq not in FREQS:
            raise PageError(422, f"freq: one of {', '.join(FREQS)}")
        first, last = _date(since, "since"), _date(until, "until")
        if first and last and first > last:
            raise PageError(422, "until: before since")
        try:  # refused before the first byte: a stream never ends in an error
            queries.check_window(first, last, freq)
        except queries.BadQuery as err:
            raise PageError(422, f"{err.parameter}: {err}") from None
    except PageError as err:
        return _html(error_page(err.status, str(err)), err.status)
    names = country_names()

    def rest(store: Any) -> Iterator[str]:
        result = queries.dyad(store, ca, cb, since=first, until=last, freq=freq)
        turns = queries.changes(store, ca, cb, since=first, until=last, freq=freq)
        pair = queries.event_page(store, PairFilter(pair=(ca, cb)), limit=10, sort="-date")
        yield dyad_main(ca, cb, names, rows=result.rows, trend_line=result.trend_line,
                        undated=result.left_out.undated, rejected=pair.rejected_left_out,
                        total=pair.total, changes=turns.rows)
        # alignment over the span the events cover: UNGA votes reach back to 1946, and
        # decades of votes beside months of events would squeeze the events into a corner
        span = _span(result.rows)
        aligned = queries.align(store, ca, cb, since=first or span[0], until=last or span[1],
                                freq="month" if freq == "week" else freq)
        yield dyad_alignment(ca, cb, names, aligned.rows, aligned.has_votes)
        yield dyad_tail(ca, cb, names, pair.events)

    head = dyad_head(ca, cb, names, freq=freq, since=first, until=last)
    return _stream(request, ("dyad", ca, cb, freq, first, last), head, rest)


def _span(rows: list[dict[str, Any]]) -> tuple[date | None, date | None]:
    """First and last day of the periods that have events."""
    from ...analysis.frame import parse_period

    used = [r["period"] for r in rows if r.get("events")]
    try:
        return parse_period(used[0])[1], parse_period(used[-1])[2]
    except (IndexError, ValueError):
        return None, None


@router.get("/blocs", response_class=HTMLResponse)
def blocs_page(request: Request, period: str = "", anchor: str = "USA",
               focus: str = "") -> Response:
    from ...analysis.blocs import relation_matrix
    from ...analysis.frame import load_events, parse_period
    from .blocs import blocs_body, blocs_head

    settings = request.app.state.settings
    try:
        ca = _country(anchor, "anchor", settings)
        cf = _country(focus, "focus", settings) if focus else ca
        if period:
            try:
                parse_period(period)
            except ValueError as err:
                raise PageError(422, f"period: {err}") from None
        with settings.store() as store:
            months = _months(store)
        if not months:
            raise PageError(404, "no dated events in the store yet")
    except PageError as err:
        return _html(error_page(err.status, str(err)), err.status)
    label = period or months[-1]

    def rest(store: Any) -> Iterator[str]:
        found = queries.blocs(store, period=label, anchor=ca)
        if found is None:
            yield blocs_body(period=label, anchor=ca, focus=cf, names={}, places={}, rows=[],
                             lines=[], warmth={}, pair_events={}, edges=[], undated=0,
                             rejected=0)
            return
        rel = relation_matrix(load_events(store, since=found.since, until=found.until),
                              since=found.since, until=found.until)
        warmth: dict[str, float] = {}
        pair_events: dict[str, int] = {}
        countries = rel.countries
        if cf in countries:
            i = countries.index(cf)
            for j, code in enumerate(countries):
                if j != i and rel.events[i, j] > 0:
                    warmth[code] = float(rel.weight[i, j])
                    pair_events[code] = int(rel.events[i, j])
        edges = [(countries[int(i)], countries[int(j)], float(w))
                 for i, j, w in zip(*rel.edges(), strict=True)]
        yield blocs_body(period=label, anchor=ca, focus=cf, names=country_names(),
                         places=_places(), rows=found.rows, lines=found.lines, warmth=warmth,
                         pair_events=pair_events, edges=edges,
                         undated=found.left_out.undated, rejected=found.left_out.rejected)

    head = blocs_head(period=label, periods=months, anchor=ca, focus=cf)
    return _stream(request, ("blocs", label, ca, cf), head, rest)


def _months(store: Any) -> list[str]:
    row = store.con.execute("SELECT min(event_date), max(event_date) FROM events").fetchone()
    if not row or row[0] is None:
        return []
    first, last = row
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request) -> Response:
    from .events import FILTERS, PAGE_SIZE, PairFilter, render_events

    args = {k: v.strip() for k, v in request.query_params.items()
            if k in (*FILTERS, "cursor") and v.strip()}

    settings = request.app.state.settings

    def make(store: Any) -> str:
        flt = _filter(args, PairFilter, settings)
        page = queries.event_page(store, flt, limit=PAGE_SIZE, sort=args.get("sort", "date"),
                                  cursor=args.get("cursor"))
        found = store.evidence([e["event_id"] for e in page.events])
        outlets = {k: v.get("publisher", "") for k, v in found.items()}
        return render_events(args, page.events, outlets, total=page.total,
                             rejected=page.rejected_left_out, next_cursor=page.next_cursor)

    return _page(request, ("events", tuple(sorted(args.items()))), make)


def _filter(args: dict[str, str], kind: Any, settings: Any) -> Any:
    def pair(name: str, sep: str) -> tuple[str, str] | None:
        value = args.get(name)
        if not value:
            return None
        parts = value.replace(",", sep).split(sep)
        if len(parts) != 2:
            raise PageError(422, f"{name}: two country codes, e.g. USA{sep}CHN")
        return _country(parts[0], name, settings), _country(parts[1], name, settings)

    confidence = None
    if args.get("min_confidence"):
        try:
            confidence = float(args["min_confidence"])
        except ValueError:
            raise PageError(422, "min_confidence: a number between 0 and 1") from None
    for name in ("code", "root"):
        if args.get(name) and not args[name].isdigit():
            raise PageError(422, f"{name}: digits, e.g. 057")
    since, until = _date(args.get("since"), "since"), _date(args.get("until"), "until")
    if since and until and since > until:
        raise PageError(422, "until: before since")
    if args.get("sort", "date") not in queries.SORTS:
        raise PageError(422, f"sort: one of {', '.join(queries.SORTS)}")
    return kind(pair=pair("pair", "-"), dyad=pair("dyad", "-"),
                actor=args.get("actor"),
                code=args.get("code"), root=args.get("root"),
                plover=args.get("plover"), since=since, until=until,
                include_hypothetical=bool(args.get("include_hypothetical")),
                q=args.get("q"), outlet=args.get("outlet"), min_confidence=confidence)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    from .events import PairFilter, render_event

    settings = request.app.state.settings

    def make(store: Any) -> str:
        found = queries.event_detail(store, event_id)
        if found is None:
            raise PageError(404, f"no event {event_id[:80]!r} in this store")
        source, target = found.get("source_country"), found.get("target_country")
        counts = None
        if source and target and source != target:
            pair = PairFilter(pair=(source, target))
            counts = (queries.count_events(store, pair), queries.rejected_events(store, pair))
        return render_event(found, country_names(), can_write=bool(settings.allow_writes),
                            counts=counts)

    return _page(request, ("event", event_id), make)


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        return _html(error_page(404, "no such file"), 404)
    body = resources.files(__package__).joinpath("static", name).read_bytes()
    return Response(body, media_type=STATIC[name],
                    headers={"Cache-Control": "public, max-age=3600",
                             "X-Content-Type-Options": "nosniff"})
