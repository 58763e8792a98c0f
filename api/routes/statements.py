"""``/statements``: every kind of statement (commitments, decisions, declarations, preambular
paragraphs, proceedings, outline elements, questions), filtered by ``kind`` and the filters of
``/commitments``; one statement with its paragraph, mentions and how each tag was obtained.

``theme=`` matches the themes a paragraph's own words name; ``theme_inherited=true`` adds those it
inherits from a heading. ``/commitments`` is the same list with ``kind=commitment``."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import ReaderDep
from api.errors import ProblemError
from api.paging import paging_headers
from api.params import entity_term, text_term
from poa_kg.serve.formats import CSV, JSON
from poa_kg.serve.read.reader import Reader
from poa_kg.serve.read.records import CommitmentOut, StatementPage
from poa_kg.serve.read.statements import StatementFilter, statement, statement_page
from poa_kg.serve.sparql import negotiate

router = APIRouter(prefix="/statements", tags=["statements"])
T = TypeVar("T")

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


@dataclass(frozen=True)
class ListParameters:
    """The filters, order, page and format every list of statements takes."""

    filters: dict[str, str | None]
    theme_inherited: bool
    q: str | None
    sort: str
    page: int
    per_page: int
    format: str | None


async def list_parameters(
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
) -> ListParameters:
    filters = {
        "actor": actor,
        "state": state,
        "instrument": instrument,
        "meeting": meeting,
        "document": document,
        "theme": theme,
        "strength": strength,
    }
    return ListParameters(filters, theme_inherited, q, sort, page, per_page, format)


ListParametersDep = Annotated[ListParameters, Depends(list_parameters)]


async def statement_list(
    request: Request, reader: Reader, kind: str | None, asked: ListParameters
) -> Response:
    """One page of statements as JSON or CSV (``format=``, else ``Accept``), with paging
    headers."""
    # format= decides; else Accept, and JSON when Accept names neither (a client that asks every
    # route for SPARQL results still gets the list, as REST clients expect, rather than a 406)
    media_type = (
        FORMATS[asked.format]
        if asked.format
        else negotiate(request.headers.get("accept"), [JSON, CSV])
    )
    media_type = media_type or JSON
    kinds = {"strength": "level"}
    where = StatementFilter(
        entities={
            name: entity_term(value, kinds.get(name, name), name)
            for name, value in asked.filters.items()
            if value
        },
        kind=kind and text_term(kind, "kind").value,
        q=asked.q and text_term(asked.q, "q").value,
        theme_inherited=asked.theme_inherited,
        sort=asked.sort,
    )
    page, per_page = asked.page, asked.per_page
    body = await statement_page(reader, where, page, per_page)
    headers = {
        **paging_headers(request, reader.base_url, body.total, page, per_page),
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
    reader: ReaderDep,
    asked: ListParametersDep,
    kind: Annotated[
        Kind | None,
        Query(description="kind of statement (default: every kind)", examples=["declaration"]),
    ] = None,
) -> Response:
    return await statement_list(request, reader, kind, asked)


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


async def known_statement(statement_id: str, lookup: Awaitable[T | None]) -> T:
    """What a read function gave for statement ``statement_id``.

    Raises:
        ProblemError: 400 when the id makes no IRI, 404 when there is no such statement.
    """
    try:
        found = await lookup
    except ValueError as err:
        raise ProblemError(400, "Bad parameter", f"id: {err}", "id") from err
    if found is None:
        raise ProblemError(404, "Not Found", f"no statement {statement_id!r}", parameter="id")
    return found


async def statement_detail(statement_id: str, reader: Reader) -> CommitmentOut:
    """One statement with its mentions and the provenance of every tag (400, 404 as above)."""
    return await known_statement(statement_id, statement(reader, statement_id))


@router.get(
    "/{statement_id:path}",
    response_model=CommitmentOut,
    summary="One statement: paragraph, document, meeting, strength, mentions, and how each tag "
    "was obtained",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_statement(statement_id: str, reader: ReaderDep) -> CommitmentOut:
    return await statement_detail(statement_id, reader)
