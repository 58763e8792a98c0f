"""Lineage and analyses.

``/commitments/{id}/lineage``: a statement's predecessor (restated, revised, realised or new;
similarity, words added and removed, strength change) and its successors.
``/documents/{earlier}/compare/{later}``: every statement of the later document with what it is
to the earlier one, and the earlier statements the later one dropped.
``/analyses`` and ``/analyses/{name}``: the named ``analysis-*.rq`` queries as JSON rows (or CSV).
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.models import Ref
from api.params import entity_term, short_id
from poa_kg import queries
from poa_kg.backends import Row, select_rows
from poa_kg.formats import CSV, JSON
from poa_kg.namespaces import entity

router = APIRouter(tags=["lineage and analyses"])


class LineageStep(BaseModel):
    statement: Ref
    document: Ref | None = None
    text: str | None = None
    relation: str
    similarity: float | None = None
    words_added: list[str] = []
    words_removed: list[str] = []
    strength_change: int | None = None


class LineageOut(BaseModel):
    id: str
    iri: str
    relation: str | None
    """What this statement is to its predecessor (None: the earliest document)."""
    predecessor: LineageStep | None
    best_match: Ref | None = None
    best_similarity: float | None = None
    successors: list[LineageStep]


class ComparedStatement(BaseModel):
    status: str
    statement: Ref
    predecessor: Ref | None = None
    similarity: float | None = None
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
        similarity=None if row.get("similarity") is None else float(row["similarity"] or 0),
        words_added=_words(row.get("wordsAdded")),
        words_removed=_words(row.get("wordsRemoved")),
        strength_change=_integer(row.get("strengthChange")),
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
    statement = entity_term(entity("statement", commitment_id), "statement", "id")
    base = f"{settings.base_url}/sparql"
    exists = await select_rows(
        backend,
        queries.job("statement", JSON, 1, base, {"statement": statement}),
        settings.deadline,
    )
    if not exists:
        raise ProblemError(404, "Not Found", f"no statement {commitment_id!r}", parameter="id")
    rows = await select_rows(
        backend,
        queries.job("lineage", JSON, settings.row_cap, base, {"statement": statement}),
        settings.deadline,
    )
    before = next((r for r in rows if r["direction"] == "predecessor"), None)
    return LineageOut(
        id=commitment_id,
        iri=statement.value,
        relation=None if before is None else str(before["relation"]),
        predecessor=_step(before) if before is not None and before.get("other") else None,
        best_match=Ref(iri=str(before["bestMatch"]), id=short_id(before["bestMatch"], "statement"))
        if before is not None and before.get("bestMatch")
        else None,
        best_similarity=None
        if before is None or before.get("bestSimilarity") is None
        else float(before["bestSimilarity"] or 0),
        successors=[_step(r) for r in rows if r["direction"] == "successor"],
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
            similarity=None if r.get("similarity") is None else float(r["similarity"] or 0),
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


def _analyses() -> list[str]:
    return [n.removeprefix("analysis-") for n in queries.names() if n.startswith("analysis-")]


@router.get("/analyses", response_model=list[AnalysisOut], summary="The named analyses")
async def list_analyses(settings: SettingsDep) -> list[AnalysisOut]:
    return [
        AnalysisOut(
            name=name,
            summary=queries.header(f"analysis-{name}").summary,
            parameters=queries.header(f"analysis-{name}").binds,
            href=f"{settings.base_url}/analyses/{name}",
        )
        for name in _analyses()
    ]


@router.get(
    "/analyses/{name}",
    summary="One analysis: its rows as JSON (or CSV with format=csv or Accept: text/csv)",
    responses={
        200: {"content": {JSON: {}, CSV: {}}},
        404: {"content": {"application/problem+json": {}}},
    },
)
async def run_analysis(
    name: str,
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
        return Response(answer.body, media_type="text/csv; charset=utf-8")
    return await select_rows(
        backend,
        queries.job(f"analysis-{name}", JSON, settings.row_cap, base, bindings),
        settings.deadline,
    )
