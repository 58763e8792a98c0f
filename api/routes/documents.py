"""``/documents`` and ``/stats``: the corpus and the figures of the dataset; a page of the list or
of one document for a browser (``api.html``), JSON otherwise."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.deps import ReaderDep
from api.errors import ProblemError
from api.html import page_or_json
from api.paging import paging_headers, truncation_headers
from poa_kg.serve.formats import HTML
from poa_kg.serve.read import documents as read
from poa_kg.serve.read.records import DocumentOut, Stats

router = APIRouter(tags=["documents"])


@router.get(
    "/documents",
    response_model=list[DocumentOut],
    summary="The documents of the corpus",
    responses={200: {"content": {HTML: {}}}},
)
async def list_documents(request: Request, response: Response, reader: ReaderDep) -> Any:
    documents = await read.documents(reader)
    headers = paging_headers(request, reader.base_url, len(documents))
    headers |= truncation_headers(documents.truncated, reader.row_cap)
    context = {"documents": documents}
    return page_or_json(request, response, documents, "documents.html", context, headers)


@router.get(
    "/documents/{key}",
    response_model=DocumentOut,
    summary="One document",
    responses={
        200: {"content": {HTML: {}}},
        404: {"content": {"application/problem+json": {}}},
    },
)
async def get_document(key: str, request: Request, response: Response, reader: ReaderDep) -> Any:
    document = await read.document(reader, key)
    if document is None:
        raise ProblemError(404, "Not Found", f"no document {key!r}", parameter="key")
    return page_or_json(request, response, document, "document.html", {"d": document})


@router.get("/stats", response_model=Stats, summary="Figures of the dataset")
async def stats(reader: ReaderDep) -> Stats:
    return await read.stats(reader)
