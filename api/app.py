"""The service: ``create_app(settings)`` → a FastAPI app speaking the SPARQL 1.1 Protocol and
REST/JSON over the configured backend (the embedded store by default).

``app`` is the instance uvicorn imports (``uvicorn api.app:app``); everything else builds its own
with explicit settings.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from api import errors
from api.params import reject_unknown_parameters
from api.response_cache import ResponseCache
from api.routes import (
    accuracy,
    agreement,
    citations,
    commitments,
    dataset,
    documents,
    downloads,
    entities,
    exports,
    lineage,
    linked_data,
    pages,
    search,
    service,
    sparql,
    statements,
    votes,
)
from poa_kg.config import ROOT, Settings
from poa_kg.errors import SetupError
from poa_kg.serve.backends import EmbeddedBackend, make_backend
from poa_kg.serve.read.reader import Reader

STATIC = Path(__file__).resolve().parent / "static"
YASGUI = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"
"""YASGUI as npm installs it (``npm ci``, run by the bootstrap): served by the service, no CDN."""


def create_app(settings: Settings) -> FastAPI:
    backend = make_backend(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await backend.start()
        try:
            yield
        finally:
            await backend.close()

    app = FastAPI(
        title="poa-kg",
        version="0.1.0",
        summary="The UN Programme of Action on small arms as a knowledge graph",
        description=(
            "SPARQL 1.1 Protocol endpoint at `/sparql` and REST/JSON resources over the "
            "commitments States make in the UN small arms process, their actors, instruments, "
            "meetings, themes and recorded votes. Read-only."
        ),
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_parameters)],
    )
    app.router.redirect_slashes = False  # its redirects would name the request's Host
    app.state.settings = settings
    app.state.backend = backend
    app.state.reader = Reader.of(backend, settings)
    errors.register(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Link", "X-Result-Truncated", "X-Result-Rows", "X-Total-Count"],
        )
    if isinstance(backend, EmbeddedBackend):
        app.add_middleware(
            ResponseCache,
            version=backend.version,
            entries=settings.cache_entries,
            max_bytes=settings.cache_bytes // 2,  # the backend's answers take the other half
            cors=bool(settings.cors_origins),
        )
    app.include_router(pages.router)
    app.include_router(service.router)
    # first of all routes, so a GET /sparql is matched at once (after the pages and service routers
    # it was tried against each of theirs first); see its comment
    app.router.routes.insert(0, sparql.plain_get)
    app.include_router(sparql.router)
    app.include_router(agreement.router)  # before lineage's /analyses/{name}
    app.include_router(lineage.router)  # before commitments: /commitments/{id:path}/lineage
    app.include_router(commitments.router)
    app.include_router(statements.router)
    app.include_router(accuracy.router)
    for router in entities.routers:
        app.include_router(router)
    app.include_router(votes.router)
    app.include_router(documents.router)
    app.include_router(exports.router)
    app.include_router(linked_data.router)
    app.include_router(dataset.router)
    app.include_router(citations.router)
    app.include_router(search.router)
    app.include_router(downloads.router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.mount("/static/vendor/yasgui", StaticFiles(directory=_front_end(YASGUI)))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _front_end(folder: Path) -> Path:
    """The installed front-end build, or a start-up error saying how to install it (a page
    that loads without its editor would otherwise fail only in the browser)."""
    if not (folder / "yasgui.min.js").is_file():
        raise SetupError(
            f"the SPARQL editor's front-end files are missing ({folder}): run `npm ci` in "
            f"{ROOT} (or `make serve`, which installs them)"
        )
    return folder


app = create_app(Settings())


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `parameter` names the request value at fault",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "parameter": {"type": "string"},
    },
    "required": ["title", "status", "detail"],
}
_COMMON = {
    "400": "A bad parameter or request (the problem names it)",
    "429": "Every worker is busy and the waiting line is full (Retry-After)",
    "503": "The query ran past its deadline and was stopped",
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the error answers every operation can give: problem+json for
    400 (FastAPI's own validation errors included, documented by FastAPI as 422), 404 where the
    path names something, 429 and 503."""
    if app.openapi_schema:
        return app.openapi_schema
    with warnings.catch_warnings():
        # routes answering GET and HEAD share one id; made unique below
        warnings.filterwarnings("ignore", message="Duplicate Operation ID")
        document = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
    problem = {"application/problem+json": {"schema": PROBLEM_SCHEMA}}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method == "head" and "operationId" in operation:
                operation["operationId"] += "_head"
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            statuses = dict(_COMMON)
            if "{" in path:
                statuses["404"] = "Nothing is known under that name"
            for status, description in statuses.items():
                entry = responses.setdefault(status, {"description": description})
                entry.setdefault("content", {}).update(problem)
            for status, entry in responses.items():
                if status.startswith("3"):
                    entry.pop("content", None)  # a redirect has no body
                for media, body in entry.get("content", {}).items():
                    if media == "application/problem+json":
                        body["schema"] = PROBLEM_SCHEMA
    app.openapi_schema = document
    return document
