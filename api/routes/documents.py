"""``/documents`` and ``/stats``: the corpus and the figures of the dataset. ``/documents`` and
``/documents/{key}`` are pages for a browser (``api.html``), JSON otherwise."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.html import page_or_json
from api.models import DocumentOut, Ref, Stats
from api.paging import paging_headers
from api.params import short_id
from poa_kg.serve import queries
from poa_kg.serve.backends import Row, select_rows
from poa_kg.serve.formats import HTML, JSON

router = APIRouter(tags=["documents"])


def _document(row: Row) -> DocumentOut:
    return DocumentOut(
        id=short_id(row["document"], "document"),
        iri=str(row["document"]),
        title=str(row["title"]),
        date=str(row["date"]),
        kind=str(row["kind"]),
        symbol=None if row.get("symbol") is None else str(row["symbol"]),
        meeting=None
        if row.get("meeting") is None
        else Ref(
            iri=str(row["meeting"]),
            id=short_id(row["meeting"], "meeting"),
            label=None if row.get("meetingLabel") is None else str(row["meetingLabel"]),
        ),
        statements=int(row["statements"] or 0),
        citation=None if row.get("citation") is None else str(row["citation"]),
        official=None if row.get("official") is None else str(row["official"]),
    )


@router.get(
    "/documents",
    response_model=list[DocumentOut],
    summary="The documents of the corpus",
    responses={200: {"content": {HTML: {}}}},
)
async def list_documents(
    request: Request, response: Response, backend: BackendDep, settings: SettingsDep
) -> Any:
    documents = await documents_of(backend, settings)
    headers = paging_headers(request, settings.base_url, len(documents))
    context = {"documents": documents}
    return page_or_json(request, response, documents, "documents.html", context, headers)


async def documents_of(backend: BackendDep, settings: SettingsDep) -> list[DocumentOut]:
    base = f"{settings.base_url}/sparql"
    rows = await select_rows(
        backend, queries.job("documents", JSON, settings.row_cap, base), settings.deadline
    )
    return [_document(r) for r in rows]


@router.get(
    "/documents/{key}",
    response_model=DocumentOut,
    summary="One document",
    responses={
        200: {"content": {HTML: {}}},
        404: {"content": {"application/problem+json": {}}},
    },
)
async def get_document(
    key: str, request: Request, response: Response, backend: BackendDep, settings: SettingsDep
) -> Any:
    for document in await documents_of(backend, settings):
        if document.id == key:
            context = {"d": document}
            return page_or_json(request, response, document, "document.html", context)
    raise ProblemError(404, "Not Found", f"no document {key!r}", parameter="key")


def _figure(row: Row) -> str:
    return str(row["figure"])


@router.get("/stats", response_model=Stats, summary="Figures of the dataset")
async def stats(backend: BackendDep, settings: SettingsDep) -> Stats:
    base = f"{settings.base_url}/sparql"
    rows = await select_rows(backend, queries.job("stats", JSON, 100, base), settings.deadline)
    return Stats(
        # by name: the query's row order is the engine's, and moves when the store does
        figures={str(r["figure"]): int(r["value"] or 0) for r in sorted(rows, key=_figure)},
        data_version=backend.version(),
    )
