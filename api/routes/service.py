"""Service routes: readiness (``/health``) and the VoID description of the dataset (``/void``,
also at ``/.well-known/void`` where VoID clients look for it)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from poa_kg.serve.dataset import dataset_description
from poa_kg.serve.formats import RDF_DOCUMENTS, rdflib_format
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["service"])

_RDF_OFFERS = [m.name for m in RDF_DOCUMENTS.values()]


@router.api_route(
    "/health",
    methods=["GET", "HEAD"],
    summary="200 when queries can be answered (with the data version), 503 and why otherwise",
    responses={503: {"description": "The backend cannot answer queries now"}},
)
async def health(backend: BackendDep) -> Response:
    state = await backend.health()
    ready = state.get("status") == "ok"
    return JSONResponse(
        state,
        status_code=200 if ready else 503,
        headers={"Retry-After": "5"} if not ready else None,
    )


@router.api_route(
    "/.well-known/void",
    methods=["GET", "HEAD"],
    summary="VoID description of the dataset (the well-known address of /void)",
    responses={
        200: {"content": {m: {} for m in _RDF_OFFERS}},
        406: {"description": "Not acceptable"},
    },
)
@router.api_route(
    "/void",
    methods=["GET", "HEAD"],
    summary="VoID description of the dataset: its named graphs, files and triple counts",
    responses={
        200: {"content": {m: {} for m in _RDF_OFFERS}},
        406: {"description": "Not acceptable"},
    },
)
async def void(request: Request, settings: SettingsDep, format: str | None = None) -> Response:
    media_type = negotiate(request.headers.get("accept"), _RDF_OFFERS, format)
    if media_type is None:
        raise ProblemError(
            406, "Not Acceptable", f"offered: {', '.join(_RDF_OFFERS)}", parameter="format"
        )
    graph = dataset_description(
        settings.turtle_dir, settings.ontology_dir / "poa.ttl", f"{settings.base_url}/sparql"
    )
    body = graph.serialize(format=rdflib_format(media_type), encoding="utf-8")
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
