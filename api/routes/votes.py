"""``/votes``: the recorded votes with stated and counted totals and each State's position;
``/states/{iso3}/votes``: one State's record across the votes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import ReaderDep
from api.errors import ProblemError
from api.paging import paging_headers, truncation_headers
from api.params import entity_term
from poa_kg.serve.read import votes as read
from poa_kg.serve.read.records import StateVoteOut, VoteOut

router = APIRouter(tags=["votes"])


@router.get("/votes", response_model=list[VoteOut], summary="The recorded votes")
async def list_votes(request: Request, response: Response, reader: ReaderDep) -> list[VoteOut]:
    found = await read.votes(reader)
    response.headers.update(paging_headers(request, reader.base_url, len(found)))
    response.headers.update(truncation_headers(found.truncated, reader.row_cap))
    return found


@router.get(
    "/votes/{vote_id:path}",
    response_model=VoteOut,
    summary="One recorded vote with every State's position",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_vote(vote_id: str, reader: ReaderDep) -> VoteOut:
    found = await read.vote(reader, entity_term(vote_id, "vote", "id"))
    if found is None:
        raise ProblemError(404, "Not Found", f"no recorded vote {vote_id!r}", parameter="id")
    return found


@router.get(
    "/states/{iso3}/votes",
    response_model=list[StateVoteOut],
    summary="A State's positions across the recorded votes",
)
async def state_votes(
    iso3: str, request: Request, response: Response, reader: ReaderDep
) -> list[StateVoteOut]:
    found = await read.state_votes(reader, entity_term(iso3, "state", "iso3"))
    response.headers.update(paging_headers(request, reader.base_url, len(found)))
    response.headers.update(truncation_headers(found.truncated, reader.row_cap))
    return found
