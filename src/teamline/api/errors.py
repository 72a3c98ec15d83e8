"""The one place where errors become HTTP answers (ARCHITECTURE.md habit 7).

    TeamlineError          -> the status of its branch (see `domain/errors.py`)
    RequestValidationError -> 422, every offending field named as `body.phone`, `query.limit`
    an unreadable body     -> 422 naming `body` (FastAPI would say 400)
    anything else          -> 500 with a generic message (the traceback goes to the log only)

Every error body has the same shape: {"detail": "<sentence>", "errors": [{"field", "message"}]}.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from teamline.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TeamlineError,
    Unavailable,
)
from teamline.services.auth import BadCredentials, TooManyAttempts

log = logging.getLogger("teamline.api")
RETRY_AFTER_SECONDS = 2  # a restarted database is back within seconds (issue 9)

STATUS: list[tuple[type[TeamlineError], int]] = [
    (NotFound, 404),
    (InvalidInput, 422),
    (Conflict, 409),
    (PermissionDenied, 403),
    (BadCredentials, 401),
    (TooManyAttempts, 429),
    (Unavailable, 503),
]


def status_of(error: TeamlineError) -> int:
    return next((code for cls, code in STATUS if isinstance(error, cls)), 400)


def error_body(detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


def _field_of(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _teamline_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TeamlineError)
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, Unavailable):  # the database is down: clients retry, and soon
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if isinstance(exc, InvalidInput):
        body = error_body(str(exc), [{"field": exc.field, "message": exc.message}])
    else:
        body = error_body(str(exc))
    return JSONResponse(body, status_code=status, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field_of(e["loc"]), "message": e["msg"]} for e in exc.errors()]
    fields = ", ".join(e["field"] for e in errors)
    return JSONResponse(error_body(f"invalid input: {fields}", errors), status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's only 400 is a body it could not decode (bytes that are not UTF-8 or not
        # form data): bad input like any other, so a 422 that names the body
        message = f"the body could not be read: {exc.detail}"
        errors = [{"field": "body", "message": message}]
        return JSONResponse(error_body(message, errors), status_code=422)
    return JSONResponse(
        error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(error_body("internal error; it has been logged"), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TeamlineError, _teamline_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
