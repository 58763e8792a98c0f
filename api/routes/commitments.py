"""``/commitments``: filter, sort and page through commitments; one commitment with its paragraph,
document, meeting, strength, mentions and provenance."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.models import (
    CommitmentOut,
    CommitmentPage,
    CommitmentSummary,
    MentionOut,
    Ref,
    Span,
)
from api.params import entity_term, kind_of, short_id, text_term
from poa_kg import queries
from poa_kg.backends import Row, select_rows
from poa_kg.formats import CSV, JSON
from poa_kg.namespaces import entity

router = APIRouter(prefix="/commitments", tags=["commitments"])


def _ref(iri: object, label: object, kind: str) -> Ref:
    return Ref(iri=str(iri), id=short_id(iri, kind), label=None if label is None else str(label))


def _maybe_ref(iri: object, label: object, kind: str) -> Ref | None:
    return None if iri is None else _ref(iri, label, kind)


def _summary(row: Row) -> CommitmentSummary:
    notation = row.get("notation")
    return CommitmentSummary(
        id=short_id(row["statement"], "statement"),
        iri=str(row["statement"]),
        statement_class=str(row["class"]).rsplit("#", 1)[-1],
        number=None if row.get("number") is None else str(row["number"]),
        text=str(row["text"]),
        document=_ref(row["document"], None, "document"),
        meeting=_maybe_ref(row.get("meeting"), None, "meeting"),
        strength=short_id(row["strength"], "level") if row.get("strength") else None,
        strength_notation=int(notation) if notation is not None else None,
        lead_verb=None if row.get("leadVerb") is None else str(row["leadVerb"]),
    )


@router.get(
    "",
    response_model=CommitmentPage,
    summary="Commitments by actor, State, instrument, meeting, document, theme, strength, text",
    responses={
        200: {"content": {JSON: {}, CSV: {}}},
        400: {"content": {"application/problem+json": {}}},
    },
)
async def list_commitments(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    actor: Annotated[
        str | None, Query(description="actor key or IRI", examples=["interpol"])
    ] = None,
    state: Annotated[
        str | None, Query(description="ISO 3166 alpha-3 or IRI", examples=["FRA"])
    ] = None,
    instrument: Annotated[str | None, Query(examples=["iti"])] = None,
    meeting: Annotated[str | None, Query(examples=["bms8"])] = None,
    document: Annotated[str | None, Query(examples=["revcon3-2018"])] = None,
    theme: Annotated[str | None, Query(examples=["tracing"])] = None,
    strength: Annotated[
        str | None, Query(description="strength level key", examples=["firm-undertaking"])
    ] = None,
    q: Annotated[
        str | None, Query(description="text the paragraph contains", max_length=200)
    ] = None,
    sort: Literal["document", "strength", "-strength"] = "document",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    bindings: dict[str, queries.Term] = {}
    for name, variable, value, kind in (
        ("actor", "actor", actor, "actor"),
        ("state", "state", state, "state"),
        ("instrument", "instrument", instrument, "instrument"),
        ("meeting", "forMeeting", meeting, "meeting"),
        ("document", "forDocument", document, "document"),
        ("theme", "theme", theme, "theme"),
        ("strength", "level", strength, "level"),
    ):
        if value:
            bindings[variable] = entity_term(value, kind, name)
    if q:
        bindings["q"] = text_term(q, "q")
    base = f"{settings.base_url}/sparql"
    count_job = queries.job("commitments-count", JSON, settings.row_cap, base, bindings)
    counted = await select_rows(backend, count_job, settings.deadline)
    total = int(counted[0]["total"] or 0) if counted else 0
    list_bindings = dict(bindings)
    if sort != "document":
        list_bindings["sort"] = text_term(sort, "sort")
    job = queries.job(
        "commitments",
        JSON,
        settings.row_cap,
        base,
        list_bindings,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    rows = await select_rows(backend, job, settings.deadline)
    body = CommitmentPage(
        items=[_summary(r) for r in rows],
        total=total,
        page=page,
        per_page=per_page,
        truncated=counted.truncated or rows.truncated,
    )
    headers = {"X-Total-Count": str(total), "Vary": "Accept"}
    links = _links(request, settings.base_url, page, per_page, total)
    if links:
        headers["Link"] = links
    if CSV in request.headers.get("accept", "") and JSON not in request.headers.get("accept", ""):
        return Response(_csv(body), media_type=f"{CSV}; charset=utf-8", headers=headers)
    return Response(body.model_dump_json(), media_type=JSON, headers=headers)


def _links(request: Request, base_url: str, page: int, per_page: int, total: int) -> str:
    """RFC 8288 paging links, on the configured public address (never the request's Host)."""
    last = max(1, -(-total // per_page))
    parts = []
    for rel, number in (("first", 1), ("prev", page - 1), ("next", page + 1), ("last", last)):
        if 1 <= number <= last and not (rel in ("prev", "next") and number == page):
            url = request.url.include_query_params(page=number, per_page=per_page)
            parts.append(f'<{base_url}{url.path}?{url.query}>; rel="{rel}"')
    return ", ".join(parts)


def _csv(page: CommitmentPage) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["id", "class", "number", "document", "meeting", "strength", "lead_verb", "text"]
    )
    for item in page.items:
        writer.writerow(
            [
                item.id,
                item.statement_class,
                item.number or "",
                item.document.id,
                item.meeting.id if item.meeting else "",
                item.strength or "",
                item.lead_verb or "",
                item.text,
            ]
        )
    return out.getvalue().encode("utf-8")


@router.get(
    "/{commitment_id:path}",
    response_model=CommitmentOut,
    summary="One commitment (or any statement): paragraph, document, meeting, strength, mentions",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_commitment(
    commitment_id: str, backend: BackendDep, settings: SettingsDep
) -> CommitmentOut:
    statement = entity_term(entity("statement", commitment_id), "statement", "id")
    base = f"{settings.base_url}/sparql"
    bindings = {"statement": statement}
    rows = await select_rows(
        backend, queries.job("statement", JSON, 10, base, bindings), settings.deadline
    )
    if not rows:
        raise ProblemError(404, "Not Found", f"no statement {commitment_id!r}", parameter="id")
    row = rows[0]
    terms = await select_rows(
        backend, queries.job("statement-terms", JSON, 1000, base, bindings), settings.deadline
    )
    mentions = await select_rows(
        backend,
        queries.job("statement-mentions", JSON, settings.row_cap, base, bindings),
        settings.deadline,
    )
    facet = {
        name: [t for t in terms if t["facet"] == name]
        for name in ("verb", "qualifier", "theme", "inherited-theme")
    }
    source = str(row["document"]).replace("/document/", "/source/")
    return CommitmentOut(
        id=commitment_id,
        iri=str(statement.value),
        statement_class=str(row["class"]).rsplit("#", 1)[-1],
        paragraph=_ref(row["unit"], row.get("eid"), "unit"),
        number=None if row.get("number") is None else str(row["number"]),
        text=str(row["text"]),
        span=Span(source=source, start=int(row["start"] or 0), end=int(row["end"] or 0)),
        document=_ref(row["document"], row.get("documentTitle"), "document"),
        meeting=_maybe_ref(row.get("meeting"), row.get("meetingLabel"), "meeting"),
        section=None if row.get("heading") is None else str(row["heading"]),
        chapeau=None if row.get("chapeauText") is None else str(row["chapeauText"]),
        strength=_ref(row["strength"], row.get("strengthLabel"), "level")
        if row.get("strength")
        else None,
        strength_notation=None if row.get("notation") is None else int(row["notation"] or 0),
        lead_verb=None if row.get("leadVerb") is None else str(row["leadVerb"]),
        verbs=[str(t["value"]) for t in facet["verb"]],
        qualifiers=[_ref(t["value"], t.get("label"), "qualifier") for t in facet["qualifier"]],
        addressee=_ref(row["addressee"], row.get("addresseeLabel"), "addressee")
        if row.get("addressee")
        else None,
        addressee_text=None if row.get("addresseeText") is None else str(row["addresseeText"]),
        themes=[_ref(t["value"], t.get("label"), "theme") for t in facet["theme"]],
        inherited_themes=[
            _ref(t["value"], t.get("label"), "theme") for t in facet["inherited-theme"]
        ],
        mentions=[
            MentionOut(
                entity=_ref(m["entity"], m.get("label"), kind_of(m["entity"])),
                kind=kind_of(m["entity"]),
                text=str(m["matched"]),
                start=int(m["start"] or 0),
                end=int(m["end"] or 0),
                method=str(m["method"]),
                in_list=bool(m.get("inList")),
            )
            for m in mentions
        ],
        links={
            "html": f"{settings.base_url}/page/statement/{commitment_id}",
            "turtle": f"{settings.base_url}/data/statement/{commitment_id}.ttl",
            "jsonld": f"{settings.base_url}/data/statement/{commitment_id}.jsonld",
        },
    )
