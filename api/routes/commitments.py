"""``/commitments``: the commitment-only view of ``/statements`` (commitments and procedural
decisions), with the same filters; one commitment (or any statement) with its paragraph,
document, meeting, strength, mentions and how each tag was obtained."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import ReaderDep
from api.routes.statements import ListParametersDep, statement_detail, statement_list
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
    request: Request, reader: ReaderDep, asked: ListParametersDep
) -> Response:
    return await statement_list(request, reader, "commitment", asked)


@router.get(
    "/{commitment_id:path}",
    response_model=CommitmentOut,
    summary="One commitment (or any statement): paragraph, document, meeting, strength, mentions",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_commitment(commitment_id: str, reader: ReaderDep) -> CommitmentOut:
    return await statement_detail(commitment_id, reader)
