"""Errors as ``application/problem+json`` (RFC 9457), and the table mapping poa-kg errors to
HTTP statuses. Anything unmapped is a logged 500, never a silent empty answer."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from poa_kg.errors import PoaKgError, QueryError, StoreError
from poa_kg.serve.engine import Busy, DeadlinePassed, MemoryLimit, Overloaded
from poa_kg.serve.sparql import QueryRefused

PROBLEM = "application/problem+json"
log = logging.getLogger("poa_kg.api")


def problem(
    status: int,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: object,
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


class ProblemError(Exception):
    """Raised by routes for a problem response (status, title, detail, optional parameter)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.parameter, self.headers = parameter, headers


# poa-kg error type → (status, title, extra headers)
STATUSES: dict[type[PoaKgError], tuple[int, str, dict[str, str]]] = {
    QueryRefused: (403, "Refused by policy", {}),
    QueryError: (400, "Malformed query", {}),
    Busy: (429, "Too many requests", {"Retry-After": "1"}),
    DeadlinePassed: (503, "Deadline passed", {"Retry-After": "1"}),
    MemoryLimit: (503, "Memory limit", {"Retry-After": "1"}),
    Overloaded: (503, "Overloaded", {"Retry-After": "2"}),
    StoreError: (503, "Store unavailable", {"Retry-After": "5"}),
}


def _poa_kg_error(_request: Request, error: Exception) -> JSONResponse:
    for kind in type(error).__mro__:
        if kind in STATUSES:
            status, title, headers = STATUSES[kind]
            return problem(status, title, str(error), headers=headers or None)
    log.exception("unmapped error", exc_info=error)
    return problem(500, "Internal error", "the service failed; the error is logged")


def _problem_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)  # noqa: S101 - registered for this type only
    extra = {"parameter": error.parameter} if error.parameter else {}
    return problem(error.status, error.title, error.detail, headers=error.headers, **extra)


def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)  # noqa: S101 - registered for this type only
    details = error.errors()
    first = details[0] if details else {}
    location = [str(part) for part in first.get("loc", ())]
    parameter = location[-1] if location else None
    message = first.get("msg", "invalid request")
    return problem(
        400,
        "Bad parameter",
        f"{parameter}: {message}" if parameter else message,
        parameter=parameter,
        errors=[{"loc": e.get("loc"), "msg": e.get("msg")} for e in details],
    )


def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)  # noqa: S101 - registered for this type only
    headers = dict(error.headers) if error.headers else None
    return problem(error.status_code, _title(error.status_code), str(error.detail), headers=headers)


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _unexpected_error(_request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=error)
    return problem(500, "Internal error", "the service failed; the error is logged")


def register(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _unexpected_error)  # never a plain-text 500
    app.add_exception_handler(PoaKgError, _poa_kg_error)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
