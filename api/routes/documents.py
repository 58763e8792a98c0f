"""``/documents`` and ``/stats``: the corpus and the figures of the dataset."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import ReaderDep
from api.errors import ProblemError
from api.lists import truncation_headers
from poa_kg.serve.read import documents as read
from poa_kg.serve.read.records import DocumentOut, Stats

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=list[DocumentOut], summary="The documents of the corpus")
async def list_documents(reader: ReaderDep, response: Response) -> list[DocumentOut]:
    found = await read.documents(reader)
    response.headers.update(truncation_headers(found.truncated, reader.row_cap))
    return found


@router.get(
    "/documents/{key}",
    response_model=DocumentOut,
    summary="One document",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_document(key: str, reader: ReaderDep) -> DocumentOut:
    found = await read.document(reader, key)
    if found is None:
        raise ProblemError(404, "Not Found", f"no document {key!r}", parameter="key")
    return found


@router.get("/stats", response_model=Stats, summary="Figures of the dataset")
async def stats(reader: ReaderDep) -> Stats:
    return await read.stats(reader)
