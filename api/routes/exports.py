"""``/exports``: the graph projections for Gephi as GEXF 1.3 or GraphML files, streamed.

``GET /exports`` lists the projections; ``GET /exports/{projection}.{gexf|graphml}`` builds one
from the named ``export-*.rq`` queries, narrowed by ``meeting``, ``document`` and ``theme``, and
streams it as a download (``Content-Disposition``) with its media type. The files are the ones
``poa-kg export`` writes. A browser gets ``/exports`` as a page (``api.html``).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Annotated, Any
from urllib.parse import quote

import networkx as nx
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from api.deps import BackendDep, ReaderDep, SettingsDep
from api.errors import ProblemError
from api.html import page_or_json
from api.paging import paging_headers
from api.params import entity_term, short_id
from poa_kg import export
from poa_kg.serve.backends import UNPUBLISHED, Backend, EmbeddedBackend
from poa_kg.serve.dump import published_version
from poa_kg.serve.formats import HTML

router = APIRouter(tags=["exports"])


class ExportOut(BaseModel):
    projection: str
    description: str
    filters: list[str]
    gexf: str
    graphml: str


_PARAMETERS = {"meeting": "forMeeting", "document": "forDocument", "theme": "theme"}
_GRAPHS_KEPT = 8
_GRAPHS: OrderedDict[tuple[str, str, tuple[tuple[str, str], ...]], nx.Graph] = OrderedDict()
"""The last projections built, by data version, projection and filters: an export of the same
data is built once (the writers only read the graph, so concurrent downloads share it)."""


def _data_version(backend: Backend) -> str:
    """The version written into an export's metadata: date and hash of the served store."""
    if isinstance(backend, EmbeddedBackend):
        version = backend.engine.version()
        return published_version(version.path, version.content_hash)
    return backend.version()[:12]


def content_disposition(filename: str) -> str:
    """An attachment header any client reads (RFC 6266): a plain ASCII name, and the exact name
    percent-encoded as UTF-8 in ``filename*``."""
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", filename)
    exact = quote(filename.replace("/", "-"), safe="")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{exact}"


@router.get(
    "/exports",
    response_model=list[ExportOut],
    summary="The projections for Gephi",
    responses={200: {"content": {HTML: {}}}},
)
async def list_exports(request: Request, response: Response, settings: SettingsDep) -> Any:
    exports = _exports(settings.base_url)
    headers = paging_headers(request, settings.base_url, len(exports))
    return page_or_json(request, response, exports, "exports.html", {"exports": exports}, headers)


def _exports(base: str) -> list[ExportOut]:
    by_variable = {v: k for k, v in _PARAMETERS.items()}
    return [
        ExportOut(
            projection=name,
            description=export.DESCRIPTIONS[name],
            filters=[by_variable[v] for v in export.FILTERS[name]],
            gexf=f"{base}/exports/{name}.gexf",
            graphml=f"{base}/exports/{name}.graphml",
        )
        for name in sorted(export.QUERIES)
    ]


@router.get(
    "/exports/{projection}.{fmt}",
    summary="One projection as a GEXF 1.3 or GraphML file",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file, as a download",
            "content": {"application/gexf+xml": {}, "application/graphml+xml": {}},
        },
        400: {"content": {"application/problem+json": {}}},
        404: {"content": {"application/problem+json": {}}},
    },
)
async def get_export(
    projection: str,
    fmt: str,
    backend: BackendDep,
    reader: ReaderDep,
    meeting: Annotated[
        str | None, Query(description="Meeting key or IRI", examples=["bms8"])
    ] = None,
    document: Annotated[str | None, Query(description="Document key or IRI")] = None,
    theme: Annotated[str | None, Query(description="Theme key or IRI")] = None,
) -> StreamingResponse:
    if projection not in export.QUERIES:
        raise ProblemError(
            404,
            "Not found",
            f"no projection {projection!r}; choose one of: {', '.join(sorted(export.QUERIES))}",
            "projection",
        )
    if fmt not in export.FORMATS:
        raise ProblemError(404, "Not found", f"no format {fmt!r}; choose gexf or graphml", "format")
    filters = {}
    named: list[str] = []
    for parameter, value in (("meeting", meeting), ("document", document), ("theme", theme)):
        if value is None:
            continue
        if _PARAMETERS[parameter] not in export.FILTERS[projection]:
            raise ProblemError(
                400,
                "Bad parameter",
                f"{parameter}: the {projection} projection cannot be narrowed by {parameter}",
                parameter,
            )
        term = entity_term(value, parameter, parameter)
        filters[_PARAMETERS[parameter]] = term
        named.append(short_id(term.value, parameter))
    version = backend.version()
    key = (version, projection, tuple(sorted((k, t.value) for k, t in filters.items())))
    # an engine without a publication manifest has no data version: its graph may change at any
    # time, so nothing built from it is kept
    cached = None if version == UNPUBLISHED else _GRAPHS.get(key)
    if cached is None:
        rows = await export.rows_from_reader(reader, projection, filters)
        graph: nx.Graph = await run_in_threadpool(export.build, projection, rows)  # off the loop
        graph.graph["data_version"] = _data_version(backend)
        if version != UNPUBLISHED:
            _GRAPHS[key] = graph
        while len(_GRAPHS) > _GRAPHS_KEPT:
            _GRAPHS.popitem(last=False)
    else:
        graph = cached
        _GRAPHS.move_to_end(key)
    chosen = export.FORMATS[fmt]
    narrowed = "".join(f"-{name}" for name in named)
    filename = f"poa-kg-{projection}{narrowed}{chosen.suffix}"
    return StreamingResponse(
        chosen.write(graph),
        media_type=chosen.media_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "X-Graph-Nodes": str(graph.number_of_nodes()),
            "X-Graph-Edges": str(graph.number_of_edges()),
        },
    )
