"""Lineage and analyses.

``/commitments/{id}/lineage``: a statement's links to earlier versions, best first (restated,
revised, realised, merged or split; confidence, words added and removed, strength or class
change; none: new) and the later statements linked to it.
``/statements/{id}/history``: its timeline, every version from the first appearance on
(``poa_kg.serve.read.history``).
``/documents/{earlier}/compare/{later}``: every statement of the later document with what it is
to the earlier one, and the earlier statements the later one dropped.
``/analyses`` and ``/analyses/{name}``: the named ``analysis-*.rq`` queries as JSON rows (or CSV;
a page of the list or of the table for a browser, ``api.html``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.deps import ReaderDep
from api.errors import ProblemError
from api.html import page_or_json
from api.paging import paging_headers, truncation_headers
from api.params import entity_term
from api.routes.statements import known_statement
from poa_kg.namespaces import ID
from poa_kg.serve.formats import CSV, HTML, JSON
from poa_kg.serve.read import analyses
from poa_kg.serve.read.documents import documents
from poa_kg.serve.read.history import HistoryOut, history
from poa_kg.serve.read.lineage import ComparisonOut, LineageOut, comparison, lineage
from poa_kg.serve.read.statements import statement_exists

router = APIRouter(tags=["lineage and analyses"])


@router.get(
    "/commitments/{commitment_id:path}/lineage",
    response_model=LineageOut,
    summary="A commitment's predecessor in earlier documents and its successors in later ones",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_lineage(commitment_id: str, reader: ReaderDep) -> LineageOut:
    statement = await known_statement(commitment_id, statement_exists(reader, commitment_id))
    return await lineage(reader, statement, commitment_id)


@router.get(
    "/statements/{statement_id:path}/history",
    response_model=HistoryOut,
    summary="A statement's history: every version from its first appearance on, with word diffs, "
    "strength per version and confidence per link",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_history(statement_id: str, reader: ReaderDep) -> HistoryOut:
    statement = await known_statement(statement_id, statement_exists(reader, statement_id))
    return await known_statement(statement_id, history(reader, statement, statement_id))


@router.get(
    "/documents/{earlier}/compare/{later}",
    response_model=ComparisonOut,
    summary="Two documents compared: restated, revised, realised, new and dropped statements",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def compare_documents(earlier: str, later: str, reader: ReaderDep) -> ComparisonOut:
    terms = {
        "earlier": entity_term(earlier, "document", "earlier"),
        "later": entity_term(later, "document", "later"),
    }
    known = {d.iri for d in await documents(reader)}
    for name, term in terms.items():
        if term.value not in known:
            raise ProblemError(404, "Not Found", f"no document {term.value!r}", parameter=name)
    return await comparison(reader, terms["earlier"], terms["later"])


_ROWS = {"type": "array", "items": {"type": "object"}, "description": "One object per row"}


@router.get(
    "/analyses",
    response_model=list[analyses.AnalysisOut],
    summary="The named analyses",
    responses={200: {"content": {HTML: {}}}},
)
async def list_analyses(request: Request, response: Response, reader: ReaderDep) -> Any:
    catalogue = analyses.catalogue(reader.base_url)
    headers = paging_headers(request, reader.base_url, len(catalogue))
    context = {"analyses": catalogue}
    return page_or_json(request, response, catalogue, "analyses.html", context, headers)


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
    reader: ReaderDep,
    actor: Annotated[
        str | None, Query(description="actor-engagement: one actor (key or IRI)")
    ] = None,
    format: Annotated[str | None, Query(description="json (default) or csv")] = None,
) -> Any:
    if name not in analyses.names():
        raise ProblemError(
            404,
            "Not Found",
            f"no analysis {name!r}; choose one of: {', '.join(analyses.names())}",
            parameter="name",
        )
    bindings = {}
    if actor is not None:
        if "actor" not in analyses.parameters(name):
            raise ProblemError(
                400, "Bad parameter", f"actor: the {name} analysis takes no actor", "actor"
            )
        bindings["actor"] = entity_term(actor, "actor", "actor")
    if format not in (None, "json", "csv"):
        raise ProblemError(400, "Bad parameter", "format: json or csv", "format")
    if format == "csv":
        answer = await analyses.analysis_csv(reader, name, bindings)
        headers = paging_headers(request, reader.base_url, answer.rows)
        headers |= truncation_headers(answer.truncated, reader.row_cap)
        return Response(answer.body, media_type="text/csv; charset=utf-8", headers=headers)
    rows = await analyses.analysis_rows(reader, name, bindings)
    headers = paging_headers(request, reader.base_url, len(rows))
    headers |= truncation_headers(rows.truncated, reader.row_cap)
    if format == "json":  # asked for by name: JSON even for a browser
        response.headers.update(headers)
        return rows
    context = {
        "name": name,
        "summary": analyses.summary(name),
        "columns": list(dict.fromkeys(k for row in rows for k in row)),
        "rows": rows,
        "truncated": rows.truncated,
        "local": str(ID),
    }
    return page_or_json(request, response, rows, "analysis.html", context, headers)
