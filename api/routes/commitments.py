"""``/commitments``: the commitment-only view of ``/statements`` (commitments and procedural
decisions), with the same filters; one commitment (or any statement) with its paragraph,
document, meeting, strength, mentions and how each tag was obtained."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import ReaderDep
from api.routes.statements import ListFormat, Sort, statement_detail, statement_list
from poa_kg.serve.formats import CSV, JSON
from poa_kg.serve.read.records import CommitmentOut, CommitmentPage

router = APIRouter(prefix="/commitments", tags=["commitments"])


@router.get(
    "",
    response_model=CommitmentPage,
    summary="Commitments by actor, State, instrument, meeting, document, theme, strength, text "
    "(every kind of statement: /statements)",
    responses={
        200: {"content": {JSON: {}, CSV: {}}},
        400: {"content": {"application/problem+json": {}}},
    },
)
async def list_commitments(
    request: Request,
    reader: ReaderDep,
    actor: Annotated[
        str | None, Query(description="actor key or IRI", examples=["interpol"])
    ] = None,
    state: Annotated[
        str | None, Query(description="ISO 3166 alpha-3 or IRI", examples=["FRA"])
    ] = None,
    instrument: Annotated[str | None, Query(examples=["iti"])] = None,
    meeting: Annotated[str | None, Query(examples=["bms8"])] = None,
    document: Annotated[str | None, Query(examples=["revcon3-2018"])] = None,
    theme: Annotated[
        str | None,
        Query(description="a theme the paragraph's own words name", examples=["tracing"]),
    ] = None,
    theme_inherited: Annotated[
        bool, Query(description="also match themes inherited from a heading")
    ] = False,
    strength: Annotated[
        str | None, Query(description="strength level key", examples=["firm-undertaking"])
    ] = None,
    q: Annotated[
        str | None, Query(description="text the paragraph contains", max_length=200)
    ] = None,
    sort: Sort = "document",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    format: ListFormat | None = None,
) -> Response:
    filters = {
        "actor": actor,
        "state": state,
        "instrument": instrument,
        "meeting": meeting,
        "document": document,
        "theme": theme,
        "strength": strength,
    }
    return await statement_list(
        request,
        reader,
        filters,
        "commitment",
        theme_inherited,
        q,
        sort,
        page,
        per_page,
        format,
    )


@router.get(
    "/{commitment_id:path}",
    response_model=CommitmentOut,
    summary="One commitment (or any statement): paragraph, document, meeting, strength, mentions",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_commitment(commitment_id: str, reader: ReaderDep) -> CommitmentOut:
    return await statement_detail(commitment_id, reader)
