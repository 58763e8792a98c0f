"""Backends: where a ``QueryJob`` runs — the embedded store or an external SPARQL server.

Both sit behind one small interface (``Backend``), as Prez does with its repositories:

- ``EmbeddedBackend``: the published on-disk store, through the ``Engine``'s killable worker
  processes. Answers are cached per store version, and carry an ETag derived from the store's
  content hash and the request, so a repeated query costs a dictionary lookup and a client can
  revalidate with ``If-None-Match``.
- ``RemoteBackend``: any SPARQL 1.1 server (Oxigraph, Fuseki, Virtuoso, GraphDB) reached over the
  protocol. Bindings become a ``VALUES`` block built from typed RDF terms; answers are re-read with
  pyoxigraph and re-serialised, so the row cap and the media types behave exactly as embedded.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlencode

import httpx
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
)

from poa_kg.config import BackendKind, Settings
from poa_kg.engine import DeadlinePassed, Engine, QueryJob
from poa_kg.errors import QueryError, StoreError
from poa_kg.sparql import (
    GRAPH_TYPES,
    Answer,
    inject_values,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
)
from poa_kg.store import current_version, publish_store

_CACHE_LIMIT = 1_048_576  # bytes: bigger answers are not kept


class Backend(Protocol):
    """Runs query jobs; ``version`` names the data so answers can be cached and revalidated."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def version(self) -> str: ...

    def etag(self, job: QueryJob) -> str | None: ...

    async def run(self, job: QueryJob, deadline: float) -> Answer: ...


def _job_key(job: QueryJob) -> str:
    parts = [
        job.query,
        job.media_type,
        str(job.cap),
        job.base_iri,
        repr(job.default_graphs),
        repr(job.named_graphs),
        repr(job.substitutions),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class EmbeddedBackend:
    """The published store, queried in worker processes."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = Engine(
            settings.store_dir, settings.workers, settings.queue_size, settings.memory_quads
        )
        self._cache: OrderedDict[tuple[str, str], Answer] = OrderedDict()
        self._cached_bytes = 0

    async def start(self) -> None:
        try:
            current_version(self.settings.store_dir)
        except StoreError:
            # Nothing published yet: load what the last build wrote.
            publish_store(
                self.settings.turtle_dir,
                self.settings.store_dir,
                self.settings.ontology_dir / "poa.ttl",
            )
        await self.engine.start()

    async def close(self) -> None:
        self.engine.close()

    def version(self) -> str:
        return self.engine.version().content_hash

    def etag(self, job: QueryJob) -> str | None:
        return hashlib.sha256(f"{self.version()}:{_job_key(job)}".encode()).hexdigest()[:32]

    async def run(self, job: QueryJob, deadline: float) -> Answer:
        version = self.version()
        key = (version, _job_key(job))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        pinned = QueryJob(**{**job.__dict__, "store_hash": version})
        answer = await self.engine.run(pinned, deadline)
        if len(answer.body) <= _CACHE_LIMIT:
            self._cache[key] = answer
            self._cached_bytes += len(answer.body)
            while (
                len(self._cache) > self.settings.cache_entries
                or self._cached_bytes > self.settings.cache_bytes
            ):
                _old_key, old = self._cache.popitem(last=False)
                self._cached_bytes -= len(old.body)
        return answer


class RemoteBackend:
    """An external SPARQL 1.1 query endpoint."""

    def __init__(self, settings: Settings):
        if not settings.sparql_endpoint:
            raise StoreError("backend 'remote' needs POA_KG_SPARQL_ENDPOINT (the query URL)")
        self.endpoint = settings.sparql_endpoint
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = httpx.AsyncClient()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def version(self) -> str:
        return "remote"

    def etag(self, job: QueryJob) -> str | None:
        return None  # the remote data may change at any time

    async def run(self, job: QueryJob, deadline: float) -> Answer:
        if self._client is None:
            raise RuntimeError("RemoteBackend.start() was not awaited")
        graph_result = job.media_type in GRAPH_TYPES
        accept = "application/n-triples" if graph_result else "application/sparql-results+json"
        data: list[tuple[str, str]] = [("query", inject_values(job.query, job.substitutions))]
        data += [("default-graph-uri", g) for g in job.default_graphs or ()]
        data += [("named-graph-uri", g) for g in job.named_graphs or ()]
        try:
            response = await self._client.post(
                self.endpoint,
                content=urlencode(data).encode("ascii"),
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=deadline,
            )
        except httpx.TimeoutException as err:
            raise DeadlinePassed(f"the SPARQL server did not answer within {deadline:g} s") from err
        except httpx.HTTPError as err:
            raise StoreError(f"SPARQL server {self.endpoint} unreachable: {err}") from err
        if response.status_code == 400:
            raise QueryError(response.text.strip() or "the SPARQL server rejected the query")
        if response.status_code >= 300:
            raise StoreError(
                f"SPARQL server answered {response.status_code}: {response.text[:200]}"
            )
        if graph_result:
            triples = (q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES))
            return serialize_triples(triples, job.media_type, job.cap)
        results = parse_query_results(response.content, format=QueryResultsFormat.JSON)
        if isinstance(results, QueryBoolean):
            return serialize_boolean(results, job.media_type)
        assert isinstance(results, QuerySolutions)  # noqa: S101 - the only other kind
        variables = [v.value for v in results.variables]
        return serialize_solutions(variables, results, job.media_type, job.cap)


BACKENDS: dict[BackendKind, Callable[[Settings], Backend]] = {
    BackendKind.embedded: EmbeddedBackend,
    BackendKind.remote: RemoteBackend,
}


def make_backend(settings: Settings) -> Backend:
    return BACKENDS[settings.backend](settings)


Row = dict[str, str | int | float | bool | None]


def json_rows(body: bytes) -> list[Row]:
    """SPARQL JSON results → plain rows (integers and decimals as numbers, the rest as text)."""
    document = json.loads(body)
    variables: list[str] = document["head"]["vars"]
    rows: list[Row] = []
    for binding in document["results"]["bindings"]:
        row: Row = {}
        for variable in variables:
            term = binding.get(variable)
            row[variable] = None if term is None else _value(term)
        rows.append(row)
    return rows


_INTEGER = {
    f"http://www.w3.org/2001/XMLSchema#{t}"
    for t in ("integer", "int", "long", "nonNegativeInteger")
}
_DECIMAL = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("decimal", "double", "float")}
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _value(term: dict[str, str]) -> str | int | float | bool:
    value = term["value"]
    datatype = term.get("datatype", "")
    if datatype in _INTEGER:
        return int(value)
    if datatype in _DECIMAL:
        return float(value)
    if datatype == _BOOLEAN:
        return value == "true"
    return value


async def select_rows(backend: Backend, job: QueryJob, deadline: float) -> list[Row]:
    """Run a SELECT job as JSON and return its rows."""
    answer = await backend.run(
        QueryJob(**{**job.__dict__, "media_type": "application/sparql-results+json"}), deadline
    )
    return json_rows(answer.body)
