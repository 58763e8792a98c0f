"""``/votes``: the recorded votes with stated and counted totals and each State's position;
``/states/{iso3}/votes``: one State's record across the votes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.models import PositionOut, Ref, StateVoteOut, VoteOut
from api.paging import add_paging_headers
from api.params import entity_term, short_id
from poa_kg.serve import queries
from poa_kg.serve.backends import Row, select_rows
from poa_kg.serve.formats import JSON

router = APIRouter(tags=["votes"])


def _vote(row: Row) -> VoteOut:
    stated = {
        k: int(row[f"stated{k.capitalize()}"] or 0)
        for k in ("yes", "no", "abstain")
        if row.get(f"stated{k.capitalize()}") is not None
    }
    motion = row.get("motion")
    adopted = row.get("adopted")
    return VoteOut(
        id=short_id(row["vote"], "vote"),
        iri=str(row["vote"]),
        label=str(row["label"]),
        paragraph=Ref(iri=str(row["paragraph"]), id=short_id(row["paragraph"], "unit")),
        motion=Ref(
            iri=str(motion),
            id=short_id(motion, "unit"),
            label=None if row.get("motionLabel") is None else str(row["motionLabel"]),
        )
        if motion
        else None,
        adopted_paragraph=Ref(iri=str(adopted), id=short_id(adopted, "unit")) if adopted else None,
        stated=stated,
        counted={k: int(row[k] or 0) for k in ("yes", "no", "abstain")},
    )


@router.get("/votes", response_model=list[VoteOut], summary="The recorded votes")
async def list_votes(
    request: Request, response: Response, backend: BackendDep, settings: SettingsDep
) -> list[VoteOut]:
    base = f"{settings.base_url}/sparql"
    rows = await select_rows(
        backend, queries.job("votes", JSON, settings.row_cap, base), settings.deadline
    )
    add_paging_headers(response, request, settings.base_url, len(rows))
    return [_vote(r) for r in rows]


@router.get(
    "/votes/{vote_id:path}",
    response_model=VoteOut,
    summary="One recorded vote with every State's position",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_vote(vote_id: str, backend: BackendDep, settings: SettingsDep) -> VoteOut:
    vote = entity_term(vote_id, "vote", "id")
    base = f"{settings.base_url}/sparql"
    rows = await select_rows(
        backend, queries.job("votes", JSON, settings.row_cap, base), settings.deadline
    )
    found = [r for r in rows if str(r["vote"]) == vote.value]
    if not found:
        raise ProblemError(404, "Not Found", f"no recorded vote {vote_id!r}", parameter="id")
    out = _vote(found[0])
    positions = await select_rows(
        backend,
        queries.job("vote-positions", JSON, settings.row_cap, base, {"vote": vote}),
        settings.deadline,
    )
    out.positions = [
        PositionOut(
            state=Ref(iri=str(p["state"]), id=str(p["iso3"]), label=str(p["name"])),
            option=str(p["option"]),
            un_group=None if p.get("group") is None else str(p["group"]),
            m49_region=None if p.get("region") is None else str(p["region"]),
        )
        for p in positions
    ]
    for position in out.positions:
        groups = out.by_group.setdefault(position.option, {})
        group = position.un_group or "no group"
        groups[group] = groups.get(group, 0) + 1
    return out


@router.get(
    "/states/{iso3}/votes",
    response_model=list[StateVoteOut],
    summary="A State's positions across the recorded votes",
)
async def state_votes(
    iso3: str, request: Request, response: Response, backend: BackendDep, settings: SettingsDep
) -> list[StateVoteOut]:
    state = entity_term(iso3, "state", "iso3")
    base = f"{settings.base_url}/sparql"
    rows = await select_rows(
        backend,
        queries.job("state-votes", JSON, settings.row_cap, base, {"state": state}),
        settings.deadline,
    )
    add_paging_headers(response, request, settings.base_url, len(rows))
    return [
        StateVoteOut(
            vote=Ref(iri=str(r["vote"]), id=short_id(r["vote"], "vote"), label=str(r["label"])),
            option=str(r["option"]),
            citation=None if r.get("citation") is None else str(r["citation"]),
            voted_on=None if r.get("adoptedCitation") is None else str(r["adoptedCitation"]),
        )
        for r in rows
    ]
