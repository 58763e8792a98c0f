"""The SPARQL 1.1 Protocol at ``/sparql`` (https://www.w3.org/TR/sparql11-protocol/).

Query by GET (``?query=``), POST form-encoded (decoded once) and POST ``application/sparql-query``;
``default-graph-uri`` / ``named-graph-uri`` select the dataset (the default graph is otherwise the
union of the named graphs). The answer's media type is negotiated by ``Accept`` with ``format=`` as
a fallback; HEAD answers like GET. Refused before any engine sees them: updates (403), SERVICE and
LOAD (403), queries nested too deeply (403). A GET without a query gives browsers the query editor
and RDF clients the SPARQL Service Description.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID
from starlette.routing import Route

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.routes.pages import editor_page
from poa_kg.config import Settings
from poa_kg.namespaces import DATASET
from poa_kg.serve.backends import Backend
from poa_kg.serve.dataset import dataset_description
from poa_kg.serve.formats import GRAPH_TYPES, HTML, SOLUTION_TYPES, rdflib_format
from poa_kg.serve.sparql import QueryJob, UpdateRefused, inspect_query, negotiate

router = APIRouter(tags=["SPARQL"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
_SOLUTION_OFFERS = list(SOLUTION_TYPES)
_GRAPH_OFFERS = list(GRAPH_TYPES)
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "Query results",
        "content": {media: {} for media in (*_SOLUTION_OFFERS, *_GRAPH_OFFERS, HTML)},
    },
    304: {"description": "Not modified (ETag matched)"},
    400: {"description": "Malformed query or request", "content": {"application/problem+json": {}}},
    403: {
        "description": "Refused by policy (update, SERVICE, LOAD, nesting)",
        "content": {"application/problem+json": {}},
    },
    406: {"description": "No acceptable media type", "content": {"application/problem+json": {}}},
    413: {"description": "Request body too large", "content": {"application/problem+json": {}}},
    415: {
        "description": "Unsupported Content-Type or charset",
        "content": {"application/problem+json": {}},
    },
    429: {"description": "Too many requests waiting", "content": {"application/problem+json": {}}},
    503: {"description": "Deadline passed", "content": {"application/problem+json": {}}},
}
_EXAMPLE = (
    "SELECT ?commitment WHERE { ?commitment a <https://w3id.org/poa-kg/ont#Commitment> } LIMIT 5"
)


_GET_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "description": "The SPARQL query (none: the editor, or the service description)",
        "schema": {"type": "string"},
        "example": _EXAMPLE,
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "description": "A graph of the default graph (repeatable); none: the union of all",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "description": "A named graph the query may use (repeatable)",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "format",
        "in": "query",
        "description": "Fallback for Accept: json, xml, csv, tsv, ttl, nt, rdf, jsonld",
        "schema": {"type": "string"},
    },
    {
        "name": "timeout",
        "in": "query",
        "description": "Seconds; can only lower the deadline",
        "schema": {"type": "number", "exclusiveMinimum": 0},
    },
]


@router.api_route(
    "/sparql",
    methods=["GET", "HEAD"],
    responses=_RESPONSES,
    summary="SPARQL query by GET (no query: the editor or the service description)",
    openapi_extra={"parameters": _GET_PARAMETERS},
)
async def sparql_get(request: Request) -> Response:
    # The parameters are read here, not declared to FastAPI: its validation of five optional
    # parameters cost more than the rest of a cached answer (they are documented in
    # _GET_PARAMETERS and checked the same way as the form-encoded POST's).
    settings: Settings = request.app.state.settings
    backend: Backend = request.app.state.backend
    params = request.query_params
    if "update" in params:
        raise UpdateRefused("updates are refused: this endpoint is read-only")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ProblemError(400, "Bad request", "more than one query parameter", parameter="query")
    fmt = params.get("format")
    if not queries:
        return await _describe_service(request, settings, fmt)
    return await _answer(
        request,
        backend,
        settings,
        queries[0],
        params.getlist("default-graph-uri") or None,
        params.getlist("named-graph-uri") or None,
        fmt,
        _timeout(params.get("timeout")),
    )


# create_app places this plain Starlette route first, so GET and HEAD skip FastAPI's per-request
# work (dependency solving and wrapping: a fifth of the service's own time on an uncached query;
# 1,701 -> 2,074 lookups/s); the APIRoute above runs the same function and is what OpenAPI shows.
plain_get = Route("/sparql", sparql_get, methods=["GET", "HEAD"], include_in_schema=False)


@router.post("/sparql", responses=_RESPONSES, summary="SPARQL query by POST (form or direct)")
async def sparql_post(request: Request, backend: BackendDep, settings: SettingsDep) -> Response:
    content_type = request.headers.get("content-type", "")
    media, _, parameters = content_type.partition(";")
    media = media.strip().lower()
    charset = _charset(parameters)
    if charset not in (None, "utf-8", "utf8"):
        raise ProblemError(
            415, "Unsupported charset", f"charset {charset!r}: only UTF-8 is accepted"
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_body:
        raise ProblemError(413, "Body too large", f"the body exceeds {settings.max_body} bytes")
    body = await _read_body(request, settings.max_body)
    if len(body) > settings.max_body:
        raise ProblemError(413, "Body too large", f"the body exceeds {settings.max_body} bytes")
    url = request.query_params
    if media == UPDATE_TYPE:
        raise UpdateRefused("updates are refused: this endpoint is read-only")
    if media == FORM_TYPE:
        form = _decode_form(body)
        if "update" in form or "using-graph-uri" in form or "using-named-graph-uri" in form:
            raise UpdateRefused("updates are refused: this endpoint is read-only")
        queries = form.get("query", [])
        if len(queries) != 1:
            raise ProblemError(
                400, "Bad request", "a form POST carries exactly one query", parameter="query"
            )
        default_graphs = form.get("default-graph-uri") or url.getlist("default-graph-uri") or None
        named_graphs = form.get("named-graph-uri") or url.getlist("named-graph-uri") or None
        fmt: str | None = form["format"][0] if "format" in form else url.get("format")
        timeout_text: str | None = form["timeout"][0] if "timeout" in form else url.get("timeout")
        text = queries[0]
    elif media == QUERY_TYPE:
        text = _decode(body)
        default_graphs = url.getlist("default-graph-uri") or None
        named_graphs = url.getlist("named-graph-uri") or None
        fmt, timeout_text = url.get("format"), url.get("timeout")
    else:
        shown = media or "none"
        raise ProblemError(
            415,
            "Unsupported Media Type",
            f"Content-Type {shown}: send {QUERY_TYPE} or {FORM_TYPE}",
        )
    timeout = _timeout(timeout_text)
    return await _answer(
        request, backend, settings, text, default_graphs, named_graphs, fmt, timeout
    )


@router.api_route(
    "/sparql",
    methods=["PUT", "DELETE", "PATCH"],
    include_in_schema=False,
)
async def sparql_other(request: Request) -> Response:
    raise ProblemError(
        405,
        "Method Not Allowed",
        f"{request.method} is not part of the SPARQL query protocol",
        headers={"Allow": "GET, HEAD, POST"},
    )


# ---------------------------------------------------------------------- helpers


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, read no further than one byte past ``limit`` (chunked bodies have no length)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProblemError(
            400, "Bad encoding", f"the body is not UTF-8 (byte {err.start})"
        ) from err


def _decode_form(body: bytes) -> dict[str, list[str]]:
    """A form body, percent-decoded exactly once."""
    fields: dict[str, list[str]] = {}
    try:
        pairs = parse_qsl(
            _decode(body), keep_blank_values=True, strict_parsing=False, errors="strict"
        )
    except UnicodeDecodeError as err:
        raise ProblemError(400, "Bad encoding", "the form is not UTF-8 once decoded") from err
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def _timeout(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError as err:
        raise ProblemError(
            400, "Bad parameter", f"timeout: {text!r} is not a number", parameter="timeout"
        ) from err
    if value <= 0:
        raise ProblemError(400, "Bad parameter", "timeout: must be positive", parameter="timeout")
    return value


async def _answer(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    text: str,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    fmt: str | None,
    timeout: float | None,
) -> Response:
    info = inspect_query(text, settings.max_depth, settings.max_operators)
    offers = _SOLUTION_OFFERS if info.form in ("select", "ask") else _GRAPH_OFFERS
    media_type = negotiate(request.headers.get("accept"), offers, fmt)
    if media_type is None:
        wanted = fmt or request.headers.get("accept", "")
        raise ProblemError(
            406,
            "Not Acceptable",
            f"no offered media type matches {wanted!r}; offered: {', '.join(offers)}",
            parameter="format" if fmt else None,
        )
    job = QueryJob(
        query=text,
        media_type=_canonical(media_type),
        cap=settings.row_cap,
        byte_cap=settings.answer_bytes,
        base_iri=f"{settings.base_url}/sparql",
        default_graphs=tuple(default_graphs) if default_graphs else None,
        named_graphs=tuple(named_graphs) if named_graphs else None,
        subject_lookup=info.subject_lookup,
    )
    headers = {"Vary": "Accept"}
    etag = backend.etag(job)
    if etag is not None:
        headers["ETag"] = f'"{etag}"'
        if request.headers.get("if-none-match", "").strip() in (f'"{etag}"', f'W/"{etag}"', "*"):
            return Response(status_code=304, headers=headers)
    deadline = min(settings.deadline, timeout) if timeout else settings.deadline
    answer = await backend.run(job, deadline)
    if answer.rows >= 0:
        headers["X-Result-Rows"] = str(answer.rows)
    if answer.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Cap"] = str(settings.row_cap)
        headers["X-Result-Byte-Cap"] = str(settings.answer_bytes)
    body = b"" if request.method == "HEAD" else answer.body
    response = Response(body, media_type=None, headers=headers)
    response.headers["content-type"] = _label(answer.media_type, media_type)
    if request.method == "HEAD":
        response.headers["content-length"] = str(len(answer.body))
    return response


def _canonical(media_type: str) -> str:
    """The serialiser behind an offered type (application/json is SPARQL JSON, …)."""
    if media_type in SOLUTION_TYPES:
        return {
            "json": "application/sparql-results+json",
            "xml": "application/sparql-results+xml",
        }.get(SOLUTION_TYPES[media_type], media_type)
    return media_type if media_type in GRAPH_TYPES else "text/turtle"


def _label(served: str, asked: str) -> str:
    """Answer with the media type the client asked for when it is an alias of the one served."""
    if asked == served.split(";")[0]:
        return served
    return served.replace(served.split(";")[0], asked, 1)


async def _describe_service(request: Request, settings: SettingsDep, fmt: str | None) -> Response:
    offers = [HTML, *_GRAPH_OFFERS]
    accept = request.headers.get("accept")
    media_type = negotiate(accept, offers, fmt) if (accept or fmt) else "text/turtle"
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", f"offered: {', '.join(offers)}")
    if media_type == HTML:
        return editor_page(request, settings.base_url)
    graph = service_description(settings)
    body = graph.serialize(format=rdflib_format(media_type), encoding="utf-8")
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def service_description(settings: SettingsDep) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service = URIRef(f"{settings.base_url}/sparql#service")
    endpoint = URIRef(f"{settings.base_url}/sparql")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ):
        g.add((service, SD.resultFormat, FORMATS[name]))
    # the default dataset is the one /void describes, named graphs and counts from the same graph
    void = dataset_description(
        settings.turtle_dir, settings.ontology_dir / "poa.ttl", str(endpoint)
    )
    dataset = URIRef(DATASET)
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, void.value(dataset, DCTERMS.title) or Literal("poa-kg")))
    g.add((dataset, VOID.sparqlEndpoint, endpoint))
    g.add((dataset, VOID.triples, void.value(dataset, VOID.triples) or Literal(0)))
    for subset in sorted(void.objects(dataset, VOID.subset), key=str):
        named = URIRef(f"{subset}#sd")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, subset))
        g.add((named, SD.graph, subset))
        g.add((subset, VOID.triples, void.value(subset, VOID.triples) or Literal(0)))
    return g
