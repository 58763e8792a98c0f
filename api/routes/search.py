"""``/search``: full-text search over every unit of every document (``poa_kg.serve.search``), as
JSON or, for a browser, as the search page.

``q`` is the query (words all required, ``"phrases"``, ``prefix*``, ``OR``, ``NOT``; hyphens and
spaces alike); ``document``, ``year``, ``kind``, ``strength``, ``actor``, ``state``,
``instrument``, ``meeting``, ``theme`` narrow it (short keys, as the rest of the API); ``page`` and
``per_page`` page it (``Link`` and ``X-Total-Count`` as every list). The answer carries the hits,
best first by BM25, with highlighted snippets and citations, and facets: per filter, the values
found among all the matches with their counts. A query that does not parse, an unknown filter
value or an unknown parameter is 400 naming the parameter. The index is the one built with the
store being served (embedded backend); with a remote engine there is none (503).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import BackendDep, SettingsDep, templates
from api.errors import ProblemError
from api.paging import paging_headers
from poa_kg.namespaces import ID
from poa_kg.serve.backends import Backend, EmbeddedBackend
from poa_kg.serve.search import FILTERS, SearchIndex, SearchSyntaxError, UnknownFilterValue
from poa_kg.serve.search_index import INDEX, ensure_index
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["search"])
JSON, HTML = "application/json", "text/html"
_PARAMETERS = {"q", "page", "per_page", "format", *FILTERS}
_OPEN: dict[Path, SearchIndex] = {}


class HitOut(BaseModel):
    unit: str
    statement: str | None
    page: str
    citation: str
    document: str
    title: str
    year: int
    kind: str
    strength: str | None
    snippet: str
    """HTML: the paragraph's text around the matches, escaped, each match in ``<mark>``."""
    score: float
    """BM25 as SQLite computes it: lower is better."""


class FacetValue(BaseModel):
    value: str
    label: str | None
    count: int


class SearchOut(BaseModel):
    q: str
    filters: dict[str, str]
    total: int
    page: int
    per_page: int
    items: list[HitOut]
    facets: dict[str, list[FacetValue]]


def _index(backend: Backend) -> SearchIndex:
    if not isinstance(backend, EmbeddedBackend):
        raise ProblemError(
            503, "No search index", "full-text search needs the embedded store (POA_KG_BACKEND)"
        )
    version = backend.engine.version()
    path = version.path / INDEX
    index = _OPEN.get(path)
    if index is None:
        ensure_index(version.path, version.content_hash)
        for old in [p for p in _OPEN if p != path]:
            _OPEN.pop(old).close()
        index = _OPEN[path] = SearchIndex(path)
    return index


@router.get(
    "/search",
    response_model=SearchOut,
    summary="Full-text search over every paragraph of every document",
    responses={
        200: {"content": {HTML: {}}},
        406: {"content": {"application/problem+json": {}}},
        503: {"content": {"application/problem+json": {}}},
    },
)
async def search(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    q: Annotated[
        str | None,
        Query(description='Words, "phrases", prefix*, OR, NOT', examples=["record keeping"]),
    ] = None,
    document: Annotated[str | None, Query(examples=["revcon3-2018"])] = None,
    year: Annotated[str | None, Query(examples=["2018"])] = None,
    kind: Annotated[
        str | None, Query(description="Statement class", examples=["Commitment"])
    ] = None,
    strength: Annotated[str | None, Query(examples=["firm-undertaking"])] = None,
    actor: Annotated[str | None, Query(examples=["interpol"])] = None,
    state: Annotated[str | None, Query(examples=["FRA"])] = None,
    instrument: Annotated[str | None, Query(examples=["iti"])] = None,
    meeting: Annotated[str | None, Query(examples=["bms8"])] = None,
    theme: Annotated[str | None, Query(examples=["tracing"])] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    format: Annotated[str | None, Query(description="json or html")] = None,
) -> Response:
    unknown = sorted(set(request.query_params) - _PARAMETERS)
    if unknown:
        raise ProblemError(
            400,
            "Bad parameter",
            f"{unknown[0]}: not a parameter of /search; use {', '.join(sorted(_PARAMETERS))}",
            unknown[0],
        )
    media_type = negotiate(request.headers.get("accept"), [JSON, HTML], format)
    if media_type is None and format is not None:
        raise ProblemError(400, "Bad parameter", "format: one of json, html", "format")
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", f"offered: {JSON}, {HTML}")
    values = {
        "document": document,
        "year": year,
        "kind": kind,
        "strength": strength,
        "actor": actor,
        "state": state,
        "instrument": instrument,
        "meeting": meeting,
        "theme": theme,
    }
    filters = {k: v.removeprefix(f"{ID}{k}/") for k, v in values.items() if v}
    if not q or not q.strip():
        if media_type == HTML:
            return _page(request, settings.base_url, "", filters, None, page, per_page)
        raise ProblemError(400, "Bad parameter", "q: say what to search for", "q")
    index = _index(backend)
    try:
        found = await run_in_threadpool(index.search, q, filters, per_page, (page - 1) * per_page)
    except SearchSyntaxError as err:
        raise ProblemError(400, "Bad search query", f"q: {err}", "q") from err
    except UnknownFilterValue as err:
        raise ProblemError(400, "Bad parameter", str(err), err.name) from err
    base = settings.base_url
    # one validation of plain dicts, in pydantic's core: a model per hit and per facet value
    # (built or constructed in Python) cost more than the SQL that found them
    body = SearchOut.model_validate(
        {
            "q": q,
            "filters": filters,
            "total": found.total,
            "page": page,
            "per_page": per_page,
            "items": [
                {"page": f"{base}/page/{_path(hit.statement or hit.unit)}", **hit.__dict__}
                for hit in found.hits
            ],
            "facets": {
                name: [{"value": v, "label": label, "count": n} for v, label, n in values_]
                for name, values_ in found.facets.items()
            },
        }
    )
    headers = {
        **paging_headers(request, settings.base_url, found.total, page, per_page),
        "Vary": "Accept",
    }
    if media_type == HTML:
        response = _page(request, settings.base_url, q, filters, body, page, per_page)
        response.headers.update(headers)
        return response
    return Response(body.model_dump_json(), media_type=JSON, headers=headers)


def _path(iri: str) -> str:
    return iri.removeprefix(str(ID))


def _page(
    request: Request,
    base: str,
    q: str,
    filters: dict[str, str],
    body: SearchOut | None,
    page: int,
    per_page: int,
) -> Response:
    context: dict[str, Any] = {
        "base": base,
        "q": q,
        "filters": filters,
        "result": body,
        "page": page,
        "per_page": per_page,
        "filter_names": FILTERS,
    }
    return templates.TemplateResponse(request, "search.html", context)
