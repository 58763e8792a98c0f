"""``/statements``: every kind of statement (commitments, decisions, declarations, preambular
paragraphs, proceedings, outline elements, questions), filtered by ``kind`` and the filters of
``/commitments``; one statement with its paragraph, mentions and how each tag was obtained.

``theme=`` matches the themes a paragraph's own words name; ``theme_inherited=true`` adds those it
inherits from a heading. ``/commitments`` is the same list with ``kind=commitment``."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.models import (
    CommitmentOut,
    CommitmentSummary,
    InheritedThemeOut,
    MentionOut,
    Ref,
    RuleOut,
    Span,
    StatementPage,
)
from api.paging import paging_headers
from api.params import entity_term, kind_of, short_id, text_term
from api.routes.citations import cite
from poa_kg.config import Settings
from poa_kg.namespaces import ID
from poa_kg.serve import queries
from poa_kg.serve.backends import Backend, Row, select_rows
from poa_kg.serve.formats import CSV, JSON
from poa_kg.serve.sparql import negotiate

router = APIRouter(prefix="/statements", tags=["statements"])

Kind = Literal[
    "commitment",
    "decision",
    "declaration",
    "preambular",
    "proceeding",
    "proposed-element",
    "question",
    "unclassified",
]
Sort = Literal["document", "strength", "-strength"]
ListFormat = Literal["json", "csv"]
FORMATS = {"json": JSON, "csv": CSV}
"""``format=`` on a list: the REST JSON (not SPARQL results JSON) or the CSV table."""


def _ref(iri: object, label: object, kind: str) -> Ref:
    return Ref(iri=str(iri), id=short_id(iri, kind), label=None if label is None else str(label))


def _maybe_ref(iri: object, label: object, kind: str) -> Ref | None:
    return None if iri is None else _ref(iri, label, kind)


def _rule(rule: object, label: object, evidence: object, distance: object = None) -> RuleOut | None:
    if rule is None:
        return None
    return RuleOut(
        rule=_ref(rule, label, "rule"),
        evidence=None if evidence is None else str(evidence),
        distance=None if distance is None else int(str(distance)),
    )


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


async def statement_list(
    request: Request,
    backend: Backend,
    settings: Settings,
    filters: dict[str, str | None],
    kind: str | None,
    theme_inherited: bool,
    q: str | None,
    sort: str,
    page: int,
    per_page: int,
    fmt: str | None = None,
) -> Response:
    """One page of statements as JSON or CSV (``format=``, else ``Accept``), with paging
    headers."""
    # format= decides; else Accept, and JSON when Accept names neither (a client that asks every
    # route for SPARQL results still gets the list, as REST clients expect, rather than a 406)
    media_type = FORMATS[fmt] if fmt else negotiate(request.headers.get("accept"), [JSON, CSV])
    media_type = media_type or JSON
    bindings: dict[str, queries.Term] = {}
    theme_variable = "anyTheme" if theme_inherited else "theme"
    for name, variable, kind_key in (
        ("actor", "actor", "actor"),
        ("state", "state", "state"),
        ("instrument", "instrument", "instrument"),
        ("meeting", "forMeeting", "meeting"),
        ("document", "forDocument", "document"),
        ("theme", theme_variable, "theme"),
        ("strength", "level", "level"),
    ):
        value = filters.get(name)
        if value:
            bindings[variable] = entity_term(value, kind_key, name)
    if kind:
        bindings["kind"] = text_term(kind, "kind")
    if q:
        bindings["q"] = text_term(q, "q")
    base = f"{settings.base_url}/sparql"
    count_job = queries.job("statements-count", JSON, settings.row_cap, base, bindings)
    counted = await select_rows(backend, count_job, settings.deadline)
    total = int(counted[0]["total"] or 0) if counted else 0
    list_bindings = dict(bindings)
    if sort != "document":
        list_bindings["sort"] = text_term(sort, "sort")
    job = queries.job(
        "statements",
        JSON,
        settings.row_cap,
        base,
        list_bindings,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    rows = await select_rows(backend, job, settings.deadline)
    body = StatementPage(
        items=[_summary(r) for r in rows],
        total=total,
        page=page,
        per_page=per_page,
        truncated=counted.truncated or rows.truncated,
    )
    headers = {
        **paging_headers(request, settings.base_url, total, page, per_page),
        "Vary": "Accept",
    }
    if media_type == CSV:
        return Response(_csv(body), media_type=f"{CSV}; charset=utf-8", headers=headers)
    return Response(body.model_dump_json(), media_type=JSON, headers=headers)


@router.get(
    "",
    response_model=StatementPage,
    summary="Statements of every kind by kind, actor, State, instrument, meeting, document, theme, "
    "strength, text",
    responses={
        200: {"content": {JSON: {}, CSV: {}}},
        400: {"content": {"application/problem+json": {}}},
    },
)
async def list_statements(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    kind: Annotated[
        Kind | None,
        Query(description="kind of statement (default: every kind)", examples=["declaration"]),
    ] = None,
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
        Query(description="a theme the paragraph's own words name", examples=["ammunition"]),
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
        request, backend, settings, filters, kind, theme_inherited, q, sort, page, per_page, format
    )


def _csv(page: StatementPage) -> bytes:
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


async def statement_detail(
    statement_id: str, backend: Backend, settings: Settings
) -> CommitmentOut:
    """One statement with its mentions and the provenance of every tag.

    Raises:
        ProblemError: 404 when there is no such statement.
    """
    statement = entity_term(f"{ID}statement/{statement_id}", "statement", "id")
    base = f"{settings.base_url}/sparql"
    bindings = {"statement": statement}

    async def run(name: str, cap: int) -> list[Row]:
        return await select_rows(
            backend, queries.job(name, JSON, cap, base, bindings), settings.deadline
        )

    rows = await run("statement", 10)
    if not rows:
        raise ProblemError(404, "Not Found", f"no statement {statement_id!r}", parameter="id")
    row = rows[0]
    terms = await run("statement-terms", 1000)
    mentions = await run("statement-mentions", settings.row_cap)
    inherited = await run("statement-inherited-themes", 1000)
    facet = {
        name: [t for t in terms if t["facet"] == name] for name in ("verb", "qualifier", "theme")
    }
    source = str(row["document"]).replace("/document/", "/source/")
    cited = await cite(f"statement/{statement_id}", backend, settings, parameter="id")
    return CommitmentOut(
        id=statement_id,
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
        class_obtained_by=_rule(
            row.get("classRule"), row.get("classRuleLabel"), row.get("classEvidence")
        ),
        strength_obtained_by=_rule(
            row.get("levelRule"), row.get("levelRuleLabel"), row.get("levelEvidence")
        ),
        themes=[_ref(t["value"], t.get("label"), "theme") for t in facet["theme"]],
        inherited_themes=[
            InheritedThemeOut(
                iri=str(t["theme"]),
                id=short_id(t["theme"], "theme"),
                label=None if t.get("label") is None else str(t["label"]),
                section=_ref(t["section"], None, "section"),
                heading=str(t["heading"]),
                obtained_by=RuleOut(
                    rule=_ref(t["rule"], t.get("ruleLabel"), "rule"),
                    evidence=str(t.get("matched") or t["cue"]),
                ),
            )
            for t in inherited
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
                obtained_by=_rule(
                    m.get("rule"), m.get("ruleLabel"), m.get("cue"), m.get("distance")
                ),
            )
            for m in mentions
        ],
        citation=None if cited is None else cited.citation,
        official=None if cited is None else cited.official,
        links={
            "html": f"{settings.base_url}/page/statement/{statement_id}",
            "turtle": f"{settings.base_url}/data/statement/{statement_id}.ttl",
            "jsonld": f"{settings.base_url}/data/statement/{statement_id}.jsonld",
            "cite": f"{settings.base_url}/cite/statement/{statement_id}",
            "accuracy": f"{settings.base_url}/accuracy",
        },
    )


@router.get(
    "/{statement_id:path}",
    response_model=CommitmentOut,
    summary="One statement: paragraph, document, meeting, strength, mentions, and how each tag "
    "was obtained",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_statement(
    statement_id: str, backend: BackendDep, settings: SettingsDep
) -> CommitmentOut:
    return await statement_detail(statement_id, backend, settings)
