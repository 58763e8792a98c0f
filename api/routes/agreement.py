"""``/analyses/vote-agreement``: how often two States voted alike in the recorded votes, ranked.

The pairs come from the named query ``analysis-vote-agreement.rq`` (one row per pair of States
that took part in a common vote), the States' names, UN regional groups and M49 regions from
``vote-agreement-states.rq``. ``state=`` keeps the pairs that include one State; ``group=`` those
where both States are of one UN regional group, or ``group=A,B`` one of each; ``min_shared=``
the pairs that shared at least that many votes; ``sort=`` orders them (``-agreement``, most
alike first, is the default; ``agreement`` least alike first; ``shared``/``-shared``, ``state``);
``by=group`` answers one row per pair of regional groups instead (mean agreement over their
State pairs). Every row carries its ``rank`` in that order (equal values share a rank); the list
pages as every list (``page``, ``per_page``, ``Link``, ``X-Total-Count``); ``format=csv`` or
``Accept: text/csv`` gives CSV. This route is registered before the generic ``/analyses/{name}``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from api.deps import ReaderDep
from api.errors import ProblemError
from api.paging import paging_headers
from poa_kg.serve.formats import CSV, JSON
from poa_kg.serve.read.votes import agreement_pairs, voting_states
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["votes"])
SORTS = ("-agreement", "agreement", "-shared", "shared", "state")
PARAMETERS = {"state", "group", "min_shared", "sort", "by", "page", "per_page", "format"}


class StateOut(BaseModel):
    iso3: str
    label: str
    un_group: str | None
    m49_region: str | None


class PairOut(BaseModel):
    rank: int
    first: StateOut
    second: StateOut
    votes_compared: int
    votes_alike: int
    agreement: float


class GroupPairOut(BaseModel):
    rank: int
    first_group: str
    second_group: str
    state_pairs: int
    votes_compared: int
    votes_alike: int
    agreement: float
    """Votes alike ÷ votes compared, over every State pair of the two groups."""


class AgreementPage(BaseModel):
    items: list[PairOut] | list[GroupPairOut]
    total: int
    page: int
    per_page: int
    sort: str
    by: str


def _ranked(rows: list[dict[str, Any]], key: str) -> None:
    """Competition ranking ("1224"): equal values share the rank of the first of them."""
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row[key] != previous:
            rank, previous = position, row[key]
        row["rank"] = rank


@router.get(
    "/analyses/vote-agreement",
    response_model=AgreementPage,
    summary="Pairs of States (or of UN regional groups) ranked by how often they voted alike",
    responses={
        200: {"content": {JSON: {}, CSV: {}}},
        406: {"content": {"application/problem+json": {}}},
    },
)
async def vote_agreement(
    request: Request,
    reader: ReaderDep,
    state: Annotated[str | None, Query(description="ISO3 of one State", examples=["FRA"])] = None,
    group: Annotated[
        str | None, Query(description="A UN regional group, or two separated by a comma")
    ] = None,
    min_shared: Annotated[int, Query(ge=1, le=10_000)] = 1,
    sort: Annotated[str, Query(description=", ".join(SORTS))] = "-agreement",
    by: Annotated[str, Query(description="state (pairs of States) or group")] = "state",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    format: Annotated[str | None, Query(description="json (default) or csv")] = None,
) -> Response:
    unknown = sorted(set(request.query_params) - PARAMETERS)
    if unknown:
        raise ProblemError(
            400,
            "Bad parameter",
            f"{unknown[0]}: not a parameter of this analysis; use {', '.join(sorted(PARAMETERS))}",
            unknown[0],
        )
    if sort not in SORTS:
        raise ProblemError(400, "Bad parameter", f"sort: one of {', '.join(SORTS)}", "sort")
    if by not in ("state", "group"):
        raise ProblemError(400, "Bad parameter", "by: state or group", "by")
    media_type = negotiate(request.headers.get("accept"), [JSON, CSV], format)
    if media_type is None and format is not None:
        raise ProblemError(400, "Bad parameter", "format: one of json, csv", "format")
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", "offered: application/json, text/csv")
    states_rows = await voting_states(reader)
    states = {
        str(r["iso3"]): StateOut(
            iso3=str(r["iso3"]),
            label=str(r["name"]),
            un_group=None if r.get("group") is None else str(r["group"]),
            m49_region=None if r.get("region") is None else str(r["region"]),
        )
        for r in states_rows
    }
    if state is not None and state.upper() not in states:
        raise ProblemError(
            400,
            "Bad parameter",
            f"state: {state!r} took part in no recorded vote; see /votes for who did",
            "state",
        )
    groups = {s.un_group for s in states.values() if s.un_group}
    wanted = [g.strip() for g in group.split(",")] if group else []
    for name in wanted:
        if name not in groups or len(wanted) > 2:
            raise ProblemError(
                400,
                "Bad parameter",
                f"group: one or two of {', '.join(sorted(groups))} (comma-separated)",
                "group",
            )
    pairs = await agreement_pairs(reader)
    rows: list[dict[str, Any]] = []
    for r in pairs:
        first, second = states[str(r["firstIso3"])], states[str(r["secondIso3"])]
        compared = int(r["votesCompared"] or 0)
        if compared < min_shared:
            continue
        if state is not None and state.upper() not in (first.iso3, second.iso3):
            continue
        if wanted and sorted([first.un_group or "", second.un_group or ""]) != sorted(
            wanted * (3 - len(wanted))
        ):
            continue
        if state is not None and second.iso3 == state.upper():
            first, second = second, first  # the asked-for State first
        rows.append(
            {
                "first": first,
                "second": second,
                "votes_compared": compared,
                "votes_alike": int(r["votesAlike"] or 0),
                "agreement": float(str(r["agreement"])),
            }
        )
    if by == "group":
        rows = _by_group(rows)
    key = {"agreement": "agreement", "shared": "votes_compared", "state": "name"}[sort.lstrip("-")]
    for row in rows:
        row["name"] = (
            f"{row['first'].label}|{row['second'].label}"
            if by == "state"
            else f"{row['first_group']}|{row['second_group']}"
        )
    rows.sort(key=lambda row: row["name"])
    rows.sort(key=lambda row: row[key], reverse=sort.startswith("-"))
    _ranked(rows, key)
    total = len(rows)
    shown = rows[(page - 1) * per_page : page * per_page]
    model = PairOut if by == "state" else GroupPairOut
    items: list[BaseModel] = [
        model(**{k: v for k, v in row.items() if k != "name"}) for row in shown
    ]
    headers = {
        **paging_headers(request, reader.base_url, total, page, per_page),
        "Vary": "Accept",
    }
    if media_type == CSV:
        return Response(_csv(items), media_type="text/csv; charset=utf-8", headers=headers)
    body = AgreementPage(
        items=items,  # type: ignore[arg-type]
        total=total,
        page=page,
        per_page=per_page,
        sort=sort,
        by=by,
    )
    return Response(body.model_dump_json(), media_type=JSON, headers=headers)


def _by_group(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        pair = sorted([row["first"].un_group or "no group", row["second"].un_group or "no group"])
        entry = totals[(pair[0], pair[1])]
        entry[0] += 1
        entry[1] += row["votes_compared"]
        entry[2] += row["votes_alike"]
    return [
        {
            "first_group": first,
            "second_group": second,
            "state_pairs": n,
            "votes_compared": compared,
            "votes_alike": alike,
            "agreement": round(alike / compared, 4) if compared else 0.0,
        }
        for (first, second), (n, compared, alike) in totals.items()
    ]


def _csv(items: Sequence[BaseModel]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for number, item in enumerate(items):
        flat: dict[str, Any] = {}
        for name, value in item.model_dump().items():
            if isinstance(value, dict):
                flat.update({f"{name}_{k}": v for k, v in value.items()})
            else:
                flat[name] = value
        if number == 0:
            writer.writerow(flat)
        writer.writerow(flat.values())
    return out.getvalue()
