"""Every IRI dereferences: ``/id/{path}`` answers ``303 See Other`` to ``/page/{path}`` for browsers
and to ``/data/{path}.{ttl|jsonld|nt|rdf}`` for RDF clients, chosen by ``Accept`` (``Vary:
Accept``). The data is the resource's own description (with its hash sub-resources)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pyoxigraph import NamedNode

from api.deps import BackendDep, SettingsDep, templates
from api.errors import ProblemError
from poa_kg import queries
from poa_kg.backends import select_rows
from poa_kg.namespaces import ID
from poa_kg.sparql import negotiate

router = APIRouter(tags=["linked data"])

EXTENSIONS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
HTML = "text/html"
_OFFERS = [HTML, *EXTENSIONS.values()]


def _resource(path: str) -> NamedNode:
    try:
        return NamedNode(f"{ID}{path}")
    except ValueError as err:
        raise ProblemError(
            400, "Bad IRI", f"{path!r} does not make an IRI: {err}", parameter="path"
        ) from err


@router.api_route(
    "/id/{path:path}",
    methods=["GET", "HEAD"],
    status_code=303,
    summary="Dereference an entity IRI: 303 to its page or its data",
    responses={
        303: {"description": "See Other"},
        406: {"content": {"application/problem+json": {}}},
    },
)
async def dereference(path: str, request: Request, settings: SettingsDep) -> Response:
    media_type = negotiate(request.headers.get("accept"), _OFFERS)
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", f"offered: {', '.join(_OFFERS)}")
    if media_type == HTML:
        target = f"{settings.base_url}/page/{path}"
    else:
        extension = next(e for e, m in EXTENSIONS.items() if m == media_type)
        target = f"{settings.base_url}/data/{path}.{extension}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


@router.api_route(
    "/data/{path:path}",
    methods=["GET", "HEAD"],
    summary="The description of an entity as Turtle, JSON-LD, N-Triples or RDF/XML (by extension)",
    responses={
        200: {"content": {m: {} for m in EXTENSIONS.values()}},
        404: {"content": {"application/problem+json": {}}},
    },
)
async def data(path: str, request: Request, backend: BackendDep, settings: SettingsDep) -> Response:
    stem, _, extension = path.rpartition(".")
    if extension not in EXTENSIONS or not stem:
        raise ProblemError(
            404, "Not Found", f"use one of .{', .'.join(EXTENSIONS)}", parameter="path"
        )
    job = queries.job(
        "resource",
        EXTENSIONS[extension],
        settings.row_cap,
        f"{settings.base_url}/sparql",
        {"resource": _resource(stem)},
    )
    answer = await backend.run(job, settings.deadline)
    if answer.rows == 0:
        raise ProblemError(404, "Not Found", f"nothing is known of {ID}{stem}", parameter="path")
    body = b"" if request.method == "HEAD" else answer.body
    return Response(body, headers={"content-type": answer.media_type})


@router.get(
    "/page/{path:path}",
    summary="A readable page for an entity",
    responses={200: {"content": {HTML: {}}}, 404: {"content": {"application/problem+json": {}}}},
)
async def page(path: str, request: Request, backend: BackendDep, settings: SettingsDep) -> Response:
    resource = _resource(path)
    rows = await select_rows(
        backend,
        queries.job(
            "entity",
            "application/json",
            settings.row_cap,
            f"{settings.base_url}/sparql",
            {"entity": resource},
        ),
        settings.deadline,
    )
    if not rows:
        raise ProblemError(
            404, "Not Found", f"nothing is known of {resource.value}", parameter="path"
        )
    label = next((str(r["value"]) for r in rows if str(r["property"]).endswith("#prefLabel")), path)
    return templates.TemplateResponse(
        request,
        "entity.html",
        {
            "iri": resource.value,
            "path": path,
            "label": label,
            "rows": rows,
            "local": str(ID),
            "base": settings.base_url,
        },
    )
