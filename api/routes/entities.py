"""``/actors``, ``/states``, ``/instruments``, ``/meetings``, ``/themes``: the vocabularies, each
entry with the number of commitments naming it, and one entry with its statements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import ReaderDep
from api.errors import ProblemError
from api.paging import paging_headers
from api.params import entity_term
from poa_kg.serve.formats import JSON
from poa_kg.serve.read.entities import entity_page, entity_record
from poa_kg.serve.read.reader import Reader
from poa_kg.serve.read.records import EntityOut, EntityPage

# path segment → (IRI kind, concept scheme)
KINDS = {
    "actors": ("actor", "actors"),
    "states": ("state", "states"),
    "instruments": ("instrument", "instruments"),
    "meetings": ("meeting", "meetings"),
    "themes": ("theme", "themes"),
}


def make_router(segment: str) -> APIRouter:
    kind, scheme = KINDS[segment]
    router = APIRouter(prefix=f"/{segment}", tags=[segment])

    @router.get("", response_model=EntityPage, summary=f"The {segment}, most named first")
    async def list_entities(
        request: Request,
        reader: ReaderDep,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> Response:
        body = await entity_page(reader, kind, scheme, page, per_page)
        headers = paging_headers(request, reader.base_url, body.total, page, per_page)
        return Response(body.model_dump_json(), media_type=JSON, headers=headers)

    @router.get(
        "/{key}",
        response_model=EntityOut,
        summary=f"One entry of {segment}, with the statements naming it",
        responses={404: {"content": {"application/problem+json": {}}}},
    )
    async def get_entity(key: str, reader: ReaderDep) -> EntityOut:
        return await describe(key, kind, reader)

    return router


async def describe(key: str, kind: str, reader: Reader) -> EntityOut:
    found = await entity_record(reader, entity_term(key, kind, "key"), kind)
    if found is None:
        raise ProblemError(404, "Not Found", f"no {kind} {key!r}", parameter="key")
    return found


routers = [make_router(segment) for segment in KINDS]
