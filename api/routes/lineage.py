"""Lineage and analyses.

``/commitments/{id}/lineage``: a statement's links to earlier versions, best first (restated,
revised, realised, merged or split; confidence, words added and removed, strength or class
change; none: new) and the later statements linked to it.
``/statements/{id}/history``: its timeline, every version from the first appearance on
(``api.history``).
``/documents/{earlier}/compare/{later}``: every statement of the later document with what it is
to the earlier one, and the earlier statements the later one dropped.
``/analyses`` and ``/analyses/{name}``: the named ``analysis-*.rq`` queries as JSON rows (or CSV;
a page of the list or of the table for a browser, ``api.html``).
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from pyoxigraph import NamedNode

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.history import HistoryOut, timeline
from api.html import page_or_json
from api.models import Ref
from api.paging import paging_headers
from api.params import entity_term, short_id
from poa_kg.namespaces import ID, entity
from poa_kg.serve import queries
from poa_kg.serve.backends import Row, select_rows
from poa_kg.serve.formats import CSV, HTML, JSON

router = APIRouter(tags=["lineage and analyses"])


class LineageStep(BaseModel):
    statement: Ref
    document: Ref | None = None
    text: str | None = None
    relation: str
    confidence: float
    rank: int
    """The link's place among the later statement's links (1: the best)."""
    words_added: list[str] = []
    words_removed: list[str] = []
    strength_change: int | None = None
    class_change: str | None = None
    """"Declaration → Commitment" when the classes differ (then no strength change)."""


class LineageOut(BaseModel):
    id: str
    iri: str
    relation: str
    """What this statement is to its best earlier version; ``new`` when it has none."""
    predecessor: LineageStep | None
    """The best earlier version (``predecessors[0]``)."""
    predecessors: list[LineageStep]
    successors: list[LineageStep]


class ComparedStatement(BaseModel):
    status: str
    statement: Ref
    predecessor: Ref | None = None
    confidence: float | None = None
    strength_change: int | None = None
    text: str


class ComparisonOut(BaseModel):
    earlier: Ref
    later: Ref
    counts: dict[str, int]
    statements: list[ComparedStatement]


class AnalysisOut(BaseModel):
    name: str
    summary: str
    parameters: dict[str, str]
    href: str


def _words(value: object) -> list[str]:
    """The words of a GROUP_CONCAT, sorted: engines concatenate in an order of their own."""
    return sorted(w for w in str(value or "").split(" | ") if w)


def _step(row: Row) -> LineageStep:
    other = str(row["other"])
    return LineageStep(
        statement=Ref(iri=other, id=short_id(other, "statement")),
        document=Ref(iri=str(row["otherDocument"]), id=short_id(row["otherDocument"], "document"))
        if row.get("otherDocument")
        else None,
        text=None if row.get("otherText") is None else str(row["otherText"]),
        relation=str(row["relation"]),
        confidence=float(str(row["confidence"])),
        rank=int(str(row["rank"])),
        words_added=_words(row.get("wordsAdded")),
        words_removed=_words(row.get("wordsRemoved")),
        strength_change=_integer(row.get("strengthChange")),
        class_change=None if row.get("classChange") is None else str(row["classChange"]),
    )


def _integer(value: object) -> int | None:
    return None if value is None else int(str(value))


@router.get(
    "/commitments/{commitment_id:path}/lineage",
    response_model=LineageOut,
    summary="A commitment's predecessor in earlier documents and its successors in later ones",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_lineage(commitment_id: str, backend: BackendDep, settings: SettingsDep) -> LineageOut:
    statement = await _known_statement(commitment_id, backend, settings)
    rows = await select_rows(
        backend,
        queries.job(
            "lineage",
            JSON,
            settings.row_cap,
            f"{settings.base_url}/sparql",
            {"statement": statement},
        ),
        settings.deadline,
    )
    before = [_step(r) for r in rows if r["direction"] == "predecessor"]
    before.sort(key=lambda step: step.rank)
    return LineageOut(
        id=commitment_id,
        iri=statement.value,
        relation=before[0].relation if before else "new",
        predecessor=before[0] if before else None,
        predecessors=before,
        successors=[_step(r) for r in rows if r["direction"] == "successor"],
    )


async def _known_statement(
    statement_id: str, backend: BackendDep, settings: SettingsDep
) -> NamedNode:
    statement = entity_term(entity("statement", statement_id), "statement", "id")
    exists = await select_rows(
        backend,
        queries.job("statement", JSON, 1, f"{settings.base_url}/sparql", {"statement": statement}),
        settings.deadline,
    )
    if not exists:
        raise ProblemError(404, "Not Found", f"no statement {statement_id!r}", parameter="id")
    return statement


@router.get(
    "/statements/{statement_id:path}/history",
    response_model=HistoryOut,
    summary="A statement's history: every version from its first appearance on, with word diffs, "
    "strength per version and confidence per link",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_history(statement_id: str, backend: BackendDep, settings: SettingsDep) -> HistoryOut:
    statement = await _known_statement(statement_id, backend, settings)
    rows = await select_rows(
        backend,
        queries.job(
            "statement-history",
            JSON,
            settings.row_cap,
            f"{settings.base_url}/sparql",
            {"statement": statement},
        ),
        settings.deadline,
    )
    versions = timeline(rows, statement.value)
    if not versions:
        raise ProblemError(404, "Not Found", f"no statement {statement_id!r}", parameter="id")
    return HistoryOut(
        id=statement_id, iri=statement.value, first_appearance=versions[0], versions=versions
    )


@router.get(
    "/documents/{earlier}/compare/{later}",
    response_model=ComparisonOut,
    summary="Two documents compared: restated, revised, realised, new and dropped statements",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def compare_documents(
    earlier: str, later: str, backend: BackendDep, settings: SettingsDep
) -> ComparisonOut:
    terms = {
        "earlier": entity_term(earlier, "document", "earlier"),
        "later": entity_term(later, "document", "later"),
    }
    base = f"{settings.base_url}/sparql"
    known = {
        str(r["document"])
        for r in await select_rows(
            backend, queries.job("documents", JSON, 1000, base), settings.deadline
        )
    }
    for name, term in terms.items():
        if term.value not in known:
            raise ProblemError(404, "Not Found", f"no document {term.value!r}", parameter=name)
    rows = await select_rows(
        backend,
        queries.job("compare-documents", JSON, settings.row_cap, base, terms),
        settings.deadline,
    )
    statements = [
        ComparedStatement(
            status=str(r["status"]),
            statement=Ref(iri=str(r["statement"]), id=short_id(r["statement"], "statement")),
            predecessor=Ref(iri=str(r["predecessor"]), id=short_id(r["predecessor"], "statement"))
            if r.get("predecessor")
            else None,
            confidence=None if r.get("confidence") is None else float(r["confidence"] or 0),
            strength_change=_integer(r.get("strengthChange")),
            text=str(r["text"]),
        )
        for r in rows
    ]
    return ComparisonOut(
        earlier=Ref(iri=terms["earlier"].value, id=short_id(terms["earlier"].value, "document")),
        later=Ref(iri=terms["later"].value, id=short_id(terms["later"].value, "document")),
        counts=dict(sorted(Counter(s.status for s in statements).items())),
        statements=statements,
    )


_ROWS = {"type": "array", "items": {"type": "object"}, "description": "One object per row"}


def _analyses() -> list[str]:
    return [n.removeprefix("analysis-") for n in queries.names() if n.startswith("analysis-")]


@router.get(
    "/analyses",
    response_model=list[AnalysisOut],
    summary="The named analyses",
    responses={200: {"content": {HTML: {}}}},
)
async def list_analyses(request: Request, response: Response, settings: SettingsDep) -> Any:
    analyses = _analysis_list(settings.base_url)
    headers = paging_headers(request, settings.base_url, len(analyses))
    context = {"analyses": analyses}
    return page_or_json(request, response, analyses, "analyses.html", context, headers)


def _analysis_list(base: str) -> list[AnalysisOut]:
    return [
        AnalysisOut(
            name=name,
            summary=queries.header(f"analysis-{name}").summary,
            parameters=queries.header(f"analysis-{name}").binds,
            href=f"{base}/analyses/{name}",
        )
        for name in _analyses()
    ]


@router.get(
    "/analyses/{name}",
    summary="One analysis: its rows as JSON (or CSV with format=csv; a page for a browser)",
    responses={
        200: {"content": {JSON: {"schema": _ROWS}, CSV: {}, HTML: {}}},
        404: {"content": {"application/problem+json": {}}},
    },
)
async def run_analysis(
    name: str,
    request: Request,
    response: Response,
    backend: BackendDep,
    settings: SettingsDep,
    actor: Annotated[
        str | None, Query(description="actor-engagement: one actor (key or IRI)")
    ] = None,
    format: Annotated[str | None, Query(description="json (default) or csv")] = None,
) -> Any:
    if name not in _analyses():
        raise ProblemError(
            404,
            "Not Found",
            f"no analysis {name!r}; choose one of: {', '.join(_analyses())}",
            parameter="name",
        )
    bindings = {}
    if actor is not None:
        if "actor" not in queries.header(f"analysis-{name}").binds:
            raise ProblemError(
                400, "Bad parameter", f"actor: the {name} analysis takes no actor", "actor"
            )
        bindings["actor"] = entity_term(actor, "actor", "actor")
    base = f"{settings.base_url}/sparql"
    if format not in (None, "json", "csv"):
        raise ProblemError(400, "Bad parameter", "format: json or csv", "format")
    if format == "csv":
        job = queries.job(f"analysis-{name}", CSV, settings.row_cap, base, bindings)
        answer = await backend.run(job, settings.deadline)
        headers = paging_headers(request, settings.base_url, answer.rows)
        return Response(answer.body, media_type="text/csv; charset=utf-8", headers=headers)
    rows = await select_rows(
        backend,
        queries.job(f"analysis-{name}", JSON, settings.row_cap, base, bindings),
        settings.deadline,
    )
    headers = paging_headers(request, settings.base_url, len(rows))
    if format == "json":  # asked for by name: JSON even for a browser
        response.headers.update(headers)
        return rows
    context = {
        "name": name,
        "summary": queries.header(f"analysis-{name}").summary,
        "columns": list(dict.fromkeys(k for row in rows for k in row)),
        "rows": rows,
        "truncated": rows.truncated,
        "local": str(ID),
    }
    return page_or_json(request, response, rows, "analysis.html", context, headers)
