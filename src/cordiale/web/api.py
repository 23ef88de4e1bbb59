"""JSON routes under ``/api``: the CLI's questions over HTTP, through :mod:`cordiale.queries`.

Each route parses and validates its parameters (a bad date, country, period or limit is a
4xx naming the parameter), opens the store for the request, calls the same query function
the command calls and renders the answer. Routes are plain functions, so FastAPI runs them
in its thread pool and a slow analysis does not hold up the others.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from .. import queries
from ..analysis.frame import resolve_country
from .errors import ERROR_SCHEMA, ApiError

#: Most events one JSON page holds; downloads (csv, jsonl, parquet) are not paged.
MAX_PAGE = 500
#: Most events one download holds.
MAX_DOWNLOAD = 1_000_000

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": what, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for code, what in ((404, "Not found"), (422, "A parameter is invalid (it is named)"),
                       (503, "The database is busy or unreadable; try again"))
}

router = APIRouter(prefix="/api", responses=_ERRORS)


# -- rendering -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready: NaN and infinities become null, NumPy scalars Python ones, dates ISO."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and hasattr(value, "dtype"):  # NumPy scalar
        return _plain(value.item())
    if isinstance(value, str | int | bool) or value is None:
        return value
    return str(value)


def render(obj: Any) -> bytes:
    return json.dumps(_plain(obj), ensure_ascii=False, separators=(",", ":")).encode()


def _json(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="application/json")


def _settings(request: Request) -> Any:
    return request.app.state.settings


def _cached(request: Request, key: tuple[Any, ...], make: Callable[[], bytes]) -> Response:
    """An answer made once per store state (see :mod:`cordiale.web.app`)."""
    settings = _settings(request)
    return _json(settings.cache.get_or_make((settings.state_key(), *key), make))


# -- parameters ----------------------------------------------------------------------------


class Freq(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


class Sort(StrEnum):
    date = "date"
    date_desc = "-date"
    confidence = "confidence"
    confidence_desc = "-confidence"
    goldstein = "goldstein"
    goldstein_desc = "-goldstein"


class Download(StrEnum):
    json = "json"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def country(value: str, parameter: str) -> str:
    try:
        return resolve_country(value)
    except ValueError as err:
        raise ApiError(422, str(err), parameter) from None


def _window(since: date | None, until: date | None) -> None:
    if since and until and since > until:
        raise ApiError(422, f"until ({until}) is before since ({since})", "until")


Since = Annotated[date | None, Query(description="From this date (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="Up to this date (YYYY-MM-DD).")]
Origin = Annotated[str | None, Query(max_length=64, description="Only events from this origin "
                                     "(cordiale, icews, gdelt, cordiale-jsonl).")]
Replicates = Annotated[int, Query(ge=50, le=5000, description="Bootstrap replicates.")]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1, description="Bootstrap seed.")]
Country = Annotated[str, Path(min_length=1, max_length=64,
                              description="ISO alpha-3 code or country name.")]
Text = Annotated[str | None, Query(max_length=200)]


# -- events --------------------------------------------------------------------------------


def _filter(actor: str | None, dyad: str | None, between: str | None, code: str | None,
            root: str | None,
            plover: str | None, since: date | None, until: date | None,
            include_hypothetical: bool, q: str | None, outlet: str | None,
            min_confidence: float | None) -> queries.EventFilter:
    _window(since, until)
    # the countries are checked against the store by the query layer (a 422 naming them)
    pair = queries.parse_pair(dyad, "dyad") if dyad is not None else None
    both = None
    if between is not None:
        first, second = queries.parse_pair(between, "between", "A,B (either way round)")
        both = (country(first, "between"), country(second, "between"))
    if root is not None and not (root.isdigit() and len(root) <= 2):
        raise ApiError(422, "a CAMEO root is one or two digits, e.g. 05", "root")
    if code is not None and not code.isdigit():
        raise ApiError(422, "a CAMEO code is digits, e.g. 057", "code")
    return queries.EventFilter(actor=actor, dyad=pair, between=both, code=code, root=root,
                               plover=plover, since=since, until=until,
                               include_hypothetical=include_hypothetical, q=q, outlet=outlet,
                               min_confidence=min_confidence)


@router.get("/events", summary="List events, filtered, searched, sorted and paged",
            description="Every `cordiale events` filter plus `q` (text in the sentence), "
            "`outlet` and `min_confidence`, and `between=A,B` (two countries, either way "
            "round: the events a dyad's analysis reads). JSON pages hold at most 500 events; "
            "follow `next_cursor`. `format=csv|jsonl|parquet` downloads every matching event "
            "(up to `limit` when given). Events an analyst marked wrong are left out and counted.")
def events(request: Request,
           actor: Text = None, dyad: Text = None,
           between: Annotated[str | None, Query(max_length=200, description="Two countries, "
                                                "either way round, e.g. CHN,RUS.")] = None,
           code: Annotated[str | None, Query(
               max_length=8)] = None, root: Annotated[str | None, Query(max_length=2)] = None,
           plover: Annotated[str | None, Query(max_length=16)] = None,
           since: Since = None, until: Until = None, include_hypothetical: bool = False,
           q: Text = None, outlet: Text = None,
           min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
           sort: Sort = Sort.date,
           limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE,
                                              description="Page size (default 50).")] = None,
           cursor: Annotated[str | None, Query(max_length=2000)] = None,
           format: Download = Download.json) -> Response:
    flt = _filter(actor, dyad, between, code, root, plover, since, until,
                  include_hypothetical, q, outlet, min_confidence)
    settings = _settings(request)
    if format is not Download.json:
        return _download(settings, flt, sort.value, limit, format)
    size = limit or 50

    def make() -> bytes:
        with settings.store() as store:
            page = queries.event_page(store, flt, limit=size, sort=sort.value, cursor=cursor)
        return render({"events": page.events, "next_cursor": page.next_cursor,
                       "total": page.total, "rejected_left_out": page.rejected_left_out})

    # a page is fixed by the store state, filters, sort and cursor: cached like the rest
    return _cached(request, ("events", flt, sort.value, size, cursor), make)


def _download(settings: Any, flt: queries.EventFilter, sort: str, limit: int | None,
              fmt: Download) -> Response:
    """Every matching event as a file: CSV through the project's formula-neutralising writer,
    JSONL, or Parquet by DuckDB's writer. CSV and JSONL stream in chunks, so a download of
    the whole store never sits in memory."""
    n = min(limit or MAX_DOWNLOAD, MAX_DOWNLOAD)
    name = f"cordiale-events.{fmt.value}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt is Download.parquet:
        fd, path = tempfile.mkstemp(suffix=".parquet")
        os.close(fd)
        try:
            with settings.store() as store:
                sql, params = queries.events_sql(store, flt, sort=sort, limit=n)
                store.export_parquet(sql, params, path)
        except BaseException:
            os.unlink(path)
            raise
        return FileResponse(path, media_type="application/vnd.apache.parquet",
                            headers=disposition, background=BackgroundTask(os.unlink, path))
    # open (and check) the store before the response starts, so errors keep their shape
    cm = settings.store()
    store = cm.__enter__()
    try:
        sql, params = queries.events_sql(store, flt, sort=sort, limit=n)
        cur = store.con.execute(sql, params)
    except BaseException:
        cm.__exit__(None, None, None)
        raise

    def chunks() -> Iterator[bytes]:
        from ..output import write_rows
        from ..records import EVENT_FIELDS

        columns = list(EVENT_FIELDS)
        first = True
        try:
            while True:
                rows = cur.fetchmany(5000)
                if not rows and not first:
                    return
                out = io.StringIO()
                write_rows(columns, rows, fmt.value, out)
                text = out.getvalue()
                if fmt is Download.csv and not first:
                    text = text.split("\n", 1)[1]  # the header goes once, at the top
                first = False
                yield text.encode()
                if not rows:
                    return
        finally:
            cm.__exit__(None, None, None)

    media = "text/csv" if fmt is Download.csv else "application/x-ndjson"
    return StreamingResponse(chunks(), media_type=f"{media}; charset=utf-8",
                             headers=disposition)


@router.get("/events/{event_id}", summary="One event with its evidence and its reviews")
def event(request: Request, event_id: Annotated[str, Path(max_length=200)]) -> Response:
    with _settings(request).store() as store:
        found = queries.event_detail(store, event_id)
    if found is None:
        raise ApiError(404, f"no event {event_id!r}", "event_id")
    return _json(render(found))


@router.get("/documents/{doc_id}",
            summary="A document's text with every event and actor mention and their spans")
def document(request: Request, doc_id: Annotated[str, Path(max_length=500)]) -> Response:
    with _settings(request).store() as store:
        found = queries.document(store, doc_id)
    if found is None:
        raise ApiError(404, f"no document {doc_id!r}", "doc_id")
    return _json(render(found))


@router.get("/actors", summary="Resolved actor mentions, one a row")
def actors(request: Request, country_: Annotated[str | None, Query(
               alias="country", max_length=8)] = None,
           sector: Annotated[str | None, Query(max_length=8)] = None,
           doc_id: Annotated[str | None, Query(max_length=500)] = None,
           places: bool = False,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> Response:
    with _settings(request).store() as store:
        rows = queries.actors(store, country=country_, sector=sector, doc_id=doc_id,
                              places=places, limit=limit)
    return _json(render({"actors": rows}))


# -- analyses ------------------------------------------------------------------------------


@router.get("/dyad/{a}/{b}", summary="A dyad's warmth, volume and quad shares per period",
            description="The rows `cordiale dyad` prints (every period, empty ones too), the "
            "trend, the turning points (`changes`) and how many events were left out.")
def dyad(request: Request, a: Country, b: Country, since: Since = None, until: Until = None,
         freq: Freq = Freq.month, directed: bool = False,
         pseudo: Annotated[float, Query(ge=0, le=1000)] = 3.0,
         replicates: Replicates = 400, seed: Seed = 0, origin: Origin = None) -> Response:
    ca, cb = country(a, "a"), country(b, "b")
    _window(since, until)
    settings = _settings(request)

    def make() -> bytes:
        with settings.store() as store:
            result = queries.dyad(store, ca, cb, since=since, until=until, freq=freq.value,
                                  directed=directed, pseudo=pseudo, replicates=replicates,
                                  seed=seed, origin=origin)
            turns = queries.changes(store, ca, cb, since=since, until=until, freq=freq.value,
                                    directed=directed, replicates=replicates, seed=seed,
                                    origin=origin)
        return render({"a": ca, "b": cb, "freq": freq.value, "rows": result.rows,
                       "trend": result.trend, "changes": turns.rows,
                       "undated_left_out": result.left_out.undated,
                       "rejected_left_out": result.left_out.rejected})

    key = ("dyad", ca, cb, since, until, freq, directed, pseudo, replicates, seed, origin)
    return _cached(request, key, make)


@router.get("/align/{a}/{b}", summary="How alike two countries treat third countries")
def align(request: Request, a: Country, b: Country, since: Since = None, until: Until = None,
          freq: Freq = Freq.year, min_events: Annotated[int, Query(ge=1, le=10000)] = 2,
          replicates: Replicates = 400, seed: Seed = 0, origin: Origin = None) -> Response:
    ca, cb = country(a, "a"), country(b, "b")
    _window(since, until)
    settings = _settings(request)

    def make() -> bytes:
        with settings.store() as store:
            result = queries.align(store, ca, cb, since=since, until=until, freq=freq.value,
                                   min_events=min_events, replicates=replicates, seed=seed,
                                   origin=origin)
        return render({"a": ca, "b": cb, "freq": freq.value, "rows": result.rows,
                       "trend": result.trend_lines,
                       "undated_left_out": result.left_out.undated,
                       "rejected_left_out": result.left_out.rejected})

    key = ("align", ca, cb, since, until, freq, min_events, replicates, seed, origin)
    return _cached(request, key, make)


@router.get("/blocs", summary="Blocs, the bloc axis and balance for one period")
def blocs(request: Request,
          period: Annotated[str | None, Query(max_length=16, description="2021, 2021-Q4, "
                                              "2021-11, 2021-W47 or 2021-11-23 (default: "
                                              "the latest period of freq).")] = None,
          since: Since = None, until: Until = None, freq: Freq = Freq.month,
          anchor: Annotated[str, Query(min_length=1, max_length=64)] = "USA",
          resolution: Annotated[float, Query(gt=0, le=100)] = 1.0, drift: bool = False,
          replicates: Replicates = 400, seed: Seed = 0, origin: Origin = None) -> Response:
    anchor_code = country(anchor, "anchor")
    _window(since, until)
    settings = _settings(request)

    def make() -> bytes:
        with settings.store() as store:
            result = queries.blocs(store, period=period, since=since, until=until,
                                   freq=freq.value, anchor=anchor_code, resolution=resolution,
                                   drift=drift, replicates=replicates, seed=seed,
                                   origin=origin)
        if result is None:
            return render({"rows": [], "since": None, "until": None, "summary": {},
                           "notes": ["no events between two countries in the store"],
                           "undated_left_out": 0, "rejected_left_out": 0})
        return render({"rows": result.rows, "since": result.since, "until": result.until,
                       "summary": result.summary, "notes": result.lines,
                       "undated_left_out": result.left_out.undated,
                       "rejected_left_out": result.left_out.rejected})

    key = ("blocs", period, since, until, freq, anchor_code, resolution, drift, replicates,
           seed, origin)
    return _cached(request, key, make)


@router.get("/changes/{a}/{b}", summary="Turning points in a dyad's warmth and their drivers")
def changes(request: Request, a: Country, b: Country, since: Since = None, until: Until = None,
            freq: Freq = Freq.month, directed: bool = False,
            min_size: Annotated[int, Query(ge=1, le=1000)] = 3,
            penalty: Annotated[float | None, Query(gt=0, le=1e6)] = None,
            top: Annotated[int, Query(ge=1, le=100)] = 5,
            replicates: Replicates = 400, seed: Seed = 0, origin: Origin = None) -> Response:
    ca, cb = country(a, "a"), country(b, "b")
    _window(since, until)
    settings = _settings(request)

    def make() -> bytes:
        with settings.store() as store:
            result = queries.changes(store, ca, cb, since=since, until=until, freq=freq.value,
                                     directed=directed, min_size=min_size, penalty=penalty,
                                     top=top, replicates=replicates, seed=seed, origin=origin)
        return render({"a": ca, "b": cb, "freq": freq.value, "changes": result.rows,
                       "events": result.events, "periods": result.periods,
                       "undated_left_out": result.left_out.undated,
                       "rejected_left_out": result.left_out.rejected})

    key = ("changes", ca, cb, since, until, freq, directed, min_size, penalty, top,
           replicates, seed, origin)
    return _cached(request, key, make)


@router.get("/report/{a}/{b}", summary="The dyad report as one self-contained HTML page",
            response_class=HTMLResponse)
def report(request: Request, a: Country, b: Country, since: Since = None,
           until: Until = None, freq: Freq = Freq.month,
           anchor: Annotated[str, Query(min_length=1, max_length=64)] = "USA",
           replicates: Replicates = 400, seed: Seed = 0, origin: Origin = None) -> Response:
    from ..report import render_report
    from ..report.build import ReportOptions, build_report

    ca, cb = country(a, "a"), country(b, "b")
    anchor_code = country(anchor, "anchor")
    _window(since, until)
    settings = _settings(request)
    options = ReportOptions(freq=freq.value, since=since, until=until, anchor=anchor_code,
                            replicates=replicates, seed=seed, origin=origin)

    def make() -> bytes:
        with settings.store() as store:
            data = build_report(store, ca, cb, options, db_path=os.path.basename(settings.db),
                                command=f"GET {request.url.path}")
        return render_report(data).encode()

    key = ("report", ca, cb, options)
    body = settings.cache.get_or_make((settings.state_key(), *key), make)
    return Response(body, media_type="text/html; charset=utf-8")


@router.get("/overview", summary="Events per period, busiest dyads, quad-class mix, "
            "documents without a date")
def overview(request: Request, freq: Freq = Freq.month,
             top: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
    settings = _settings(request)

    def make() -> bytes:
        with settings.store() as store:
            return render(queries.overview(store, freq=freq.value, top=top))

    return _cached(request, ("overview", freq, top), make)


# -- reviews -------------------------------------------------------------------------------


class Verdict(StrEnum):
    right = "right"
    wrong = "wrong"
    corrected = "corrected"


class ReviewIn(BaseModel):
    """A review of one event. A correction names the code and/or countries it changes."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1, max_length=200)
    verdict: Verdict
    cameo_code: str | None = Field(default=None, min_length=2, max_length=8,
                                   pattern=r"^[0-9]+$")
    source_country: str | None = Field(default=None, min_length=1, max_length=64)
    target_country: str | None = Field(default=None, min_length=1, max_length=64)
    note: str | None = Field(default=None, max_length=4000)
    reviewer: str | None = Field(default=None, min_length=1, max_length=100)


def _may_write(request: Request,
               authorization: Annotated[str | None, Header()] = None) -> None:
    """Runs before the body is validated: a read-only server or a missing token is refused
    whatever was sent."""
    _settings(request).check_token(authorization)


@router.post("/reviews", status_code=201, dependencies=[Depends(_may_write)],
             summary="Review an event: right, wrong or corrected",
             description="Only on a server started with --allow-writes, and only with "
             "`Authorization: Bearer $CORDIALE_TOKEN`. The reviewer is the body's `reviewer` "
             "or the `X-Reviewer` header. Returns the stored review.",
             responses={401: _ERRORS[422] | {"description": "No bearer token"},
                        403: _ERRORS[422] | {"description": "Read-only server or wrong token"},
                        413: _ERRORS[422] | {"description": "Request body too large"}})
def post_review(request: Request, review: Annotated[ReviewIn, Body()],
                x_reviewer: Annotated[str | None, Header(max_length=100)] = None) -> Response:
    from ..reviews import Review, add_review

    settings = _settings(request)
    reviewer = (review.reviewer or x_reviewer or "").strip()
    if not reviewer:
        raise ApiError(422, "name the reviewer: a 'reviewer' field or an X-Reviewer header",
                       "reviewer")
    with settings.writable() as store:
        stored = add_review(store, Review(
            event_id=review.event_id, verdict=review.verdict.value, reviewer=reviewer,
            cameo_code=review.cameo_code, source_country=review.source_country,
            target_country=review.target_country, note=review.note))
    return _json(render(stored), status=201)


@router.get("/reviews", summary="Stored reviews, newest first")
def get_reviews(request: Request,
                event_id: Annotated[str | None, Query(max_length=200)] = None,
                verdict: Verdict | None = None, latest: bool = False,
                limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> Response:
    from ..reviews import list_reviews

    with _settings(request).store() as store:
        rows = list_reviews(store, event_id=event_id, latest=latest,
                            verdict=verdict.value if verdict else None, limit=limit)
    return _json(render({"reviews": rows}))


# -- ingest over HTTP ---------------------------------------------------------------------


class DocumentIn(BaseModel):
    """One news item to ingest; the fields of a line of a JSONL corpus."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=1_000_000)
    id: str | None = Field(default=None, min_length=1, max_length=500)
    title: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, max_length=500)
    published: date | None = None


class IngestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentIn] = Field(min_length=1, max_length=1000)
    published: date | None = Field(
        default=None, description="Publication date for documents that do not give one.")
    source: str | None = Field(default=None, max_length=500,
                               description="Source name for documents that do not give one.")


@router.post("/ingest", dependencies=[Depends(_may_write)],
             summary="Ingest news documents: code their events into the store",
             description="Only on a server started with --allow-writes, and only with "
             "`Authorization: Bearer $CORDIALE_TOKEN`. The documents go through the same "
             "pipeline as `cordiale ingest` (stored content is skipped, so re-sending "
             "duplicates nothing; a document that cannot be read is named with its reason and "
             "recorded, and the rest go on). The body is capped like every request (1 MB).",
             responses={401: _ERRORS[422] | {"description": "No bearer token"},
                        403: _ERRORS[422] | {"description": "Read-only server or wrong token"},
                        413: _ERRORS[422] | {"description": "Request body too large"}})
def post_ingest(request: Request, body: Annotated[IngestIn, Body()]) -> Response:
    from ..config import load_settings
    from ..pipeline import ingest

    settings = _settings(request)
    if not settings.allow_writes:  # _may_write has refused already; kept for type checkers
        raise ApiError(403, "this server is read-only")
    # through the corpus reader, so a document is validated, named and deduplicated exactly
    # as in a file; the file's name says where the documents came from
    with tempfile.TemporaryDirectory(prefix="cordiale-api-") as tmp:
        name = os.path.join(tmp, f"api-ingest-{datetime.now():%Y%m%dT%H%M%S}.jsonl")
        with open(name, "w", encoding="utf-8") as fh:
            for doc in body.documents:
                record = {k: v for k, v in doc.model_dump(mode="json").items() if v is not None}
                fh.write(json.dumps(record) + "\n")  # escapes keep a lone surrogate readable
        summary = ingest([name], db=settings.db, published=body.published, source=body.source,
                         settings=load_settings(db=settings.db, workers=0, scheduler=""),
                         progress=False)  # in this process: never a cluster per request
    out = {**summary.as_dict(), "summary": summary.line(), "undated_note": summary.undated_line(),
           "failures": [{"document": f.line, "reason": f.reason} for f in summary.failures]}
    return _json(render(out))
