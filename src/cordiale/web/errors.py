"""One JSON shape for every error the web app returns, whoever raised it.

``{"error": {"status": 422, "message": "...", "parameter": "since"}}`` — ``parameter`` only
when one request parameter is at fault. FastAPI's own validation errors, Starlette's 404 and
405, the project's errors and anything unexpected all go through :func:`install`, so a client
(or the dashboard) needs one code path, and no traceback ever reaches it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import CordialeError, StoreError
from ..queries import BadQuery
from ..reviews import ReviewError

log = logging.getLogger("cordiale.web")


class ApiError(Exception):
    """An error a route raises on purpose: status, message and (maybe) the parameter."""

    def __init__(self, status: int, message: str, parameter: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter
        self.headers = headers


def error_body(status: int, message: str, parameter: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "message": message}
    if parameter:
        error["parameter"] = parameter
    return {"error": error}


def error_response(status: int, message: str, parameter: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, parameter), status_code=status,
                        headers=headers)


#: The error shape, for the OpenAPI schema of every route.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["status", "message"],
        "properties": {"status": {"type": "integer"}, "message": {"type": "string"},
                       "parameter": {"type": "string"}}}},
}


def _validation_message(err: dict[str, Any]) -> tuple[str, str | None]:
    loc = [str(p) for p in err.get("loc", ())]
    where = loc[0] if loc else ""
    parameter = loc[-1] if len(loc) > 1 else (None if where == "body" else where or None)
    if where == "body" and len(loc) > 1:
        parameter = ".".join(loc[1:])
    msg = str(err.get("msg", "invalid value"))
    if where == "body" and len(loc) == 1:
        return f"request body: {msg}", None
    return f"{parameter}: {msg}", parameter


def install(app: FastAPI) -> None:
    """Route every error through the one shape."""

    @app.exception_handler(ApiError)
    async def _api(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.parameter, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if not errors:
            return error_response(422, "invalid request")
        message, parameter = _validation_message(errors[0])
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more)"
        return error_response(422, message, parameter)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail) if exc.detail else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(exc.status_code, message,
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(BadQuery)
    async def _bad_query(_request: Request, exc: BadQuery) -> JSONResponse:
        return error_response(422, str(exc), exc.parameter)

    @app.exception_handler(ReviewError)
    async def _review(_request: Request, exc: ReviewError) -> JSONResponse:
        status = 404 if exc.field == "event_id" and str(exc).startswith("no event") else 422
        return error_response(status, str(exc), exc.field)

    @app.exception_handler(StoreError)
    async def _store(_request: Request, exc: StoreError) -> JSONResponse:
        # the database is busy (an ingest holds it) or unreadable: try again later
        return error_response(503, str(exc), headers={"Retry-After": "5"})

    @app.exception_handler(CordialeError)
    async def _cordiale(_request: Request, exc: CordialeError) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, f"internal error ({type(exc).__name__}); the server log "
                              "has the details")
