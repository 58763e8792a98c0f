"""The service: ``create_app(settings)`` → a FastAPI app speaking the SPARQL 1.1 Protocol and
REST/JSON over the configured backend (the embedded store by default).

``app`` is the instance uvicorn imports (``uvicorn api.app:app``); everything else builds its own
with explicit settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api import errors
from api.routes import (
    commitments,
    documents,
    entities,
    exports,
    lineage,
    linked_data,
    pages,
    service,
    sparql,
    votes,
)
from poa_kg.backends import make_backend
from poa_kg.config import ROOT, Settings

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
    )
    app.state.settings = settings
    app.state.backend = backend
    errors.register(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Link", "X-Result-Truncated", "X-Result-Rows", "X-Total-Count"],
        )
    app.include_router(pages.router)
    app.include_router(service.router)
    app.include_router(sparql.router)
    app.include_router(lineage.router)  # before commitments: /commitments/{id:path}/lineage
    app.include_router(commitments.router)
    for router in entities.routers:
        app.include_router(router)
    app.include_router(votes.router)
    app.include_router(documents.router)
    app.include_router(exports.router)
    app.include_router(linked_data.router)
    # check_dir off: without ``npm ci`` the editor page loads without YASGUI instead of the
    # whole service failing to start
    app.mount("/static/vendor/yasgui", StaticFiles(directory=YASGUI, check_dir=False))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


app = create_app(Settings())
