"""The remote backend: any SPARQL 1.1 query endpoint, holding the same promises as the embedded
store (data version, dataset, row cap, deadline, read-only).

Takes ``QueryJob``s; gives ``Answer``s serialised here from the engine's answer, re-read term by
term (``remote_answers``), after the query text was made portable and checked
(``remote_queries``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from typing import cast
from urllib.parse import urlencode

import httpx
from pyoxigraph import QueryBoolean, QuerySolution, Store

from poa_kg.config import Settings
from poa_kg.errors import QueryError, StoreError
from poa_kg.serve.answer_cache import AnswerCache, etag
from poa_kg.serve.answers import Answer, serialize_boolean, serialize_solutions, serialize_triples
from poa_kg.serve.engine import DeadlinePassed
from poa_kg.serve.formats import GRAPH_TYPES, SOLUTIONS_JSON
from poa_kg.serve.publication import MANIFEST_QUERY, foreign_graphs_query
from poa_kg.serve.remote_answers import read_json_solutions, read_triples
from poa_kg.serve.remote_queries import (
    ascii_terms,
    bind_in_place,
    refuse_engine_extensions,
    uses_from,
    with_base,
)
from poa_kg.serve.sparql import QueryJob

UNPUBLISHED = "remote-unversioned"
"""The version of a remote store without a publication manifest (nothing is cached then)."""
MANIFEST_TTL = 2.0
"""Seconds between two reads of the publication manifest."""

_BOOLEANS = {
    value: cast(QueryBoolean, Store().query("ASK {}" if value else "ASK { FILTER(false) }"))
    for value in (True, False)
}
"""The two ASK answers (pyoxigraph makes a QueryBoolean only as a query's result)."""


class RemoteBackend:
    """An external SPARQL 1.1 query endpoint (Oxigraph's server, Virtuoso, Fuseki, GraphDB …).

    What it promises, whatever the engine:

    - the data version is the content hash in the publication manifest loaded with the data
      (``poa_kg.serve.publication``), read again every few seconds, so every cache keyed on it
      refreshes after a reload; the default dataset is the manifest's graphs, never the engine's
      own;
    - only standard SPARQL functions reach the engine (``refuse_engine_extensions``: 403);
    - bound parameters travel as a ``VALUES`` block (characters above U+007F as ``\\u`` escapes)
      and the service's base IRI as ``BASE``;
    - answers are re-read term by term (blank nodes renamed, relative IRIs resolved, typed
      literals kept with their datatype, booleans ``1``/``0`` read as ``true``/``false``) and
      re-serialised with the row cap; an engine's own cut (Virtuoso's ``X-SPARQL-MaxRows``)
      counts as truncation, its stopped query (``X-SQL-State: S1TAT``) as a passed deadline;
    - the deadline reaches the engine as Virtuoso's ``timeout`` parameter (milliseconds; other
      engines ignore it), and the connection is closed when it passes.
    """

    def __init__(self, settings: Settings):
        if not settings.sparql_endpoint:
            raise StoreError("backend 'remote' needs POA_KG_SPARQL_ENDPOINT (the query URL)")
        self.settings = settings
        self.endpoint = settings.sparql_endpoint
        self._client: httpx.AsyncClient | None = None
        self._version = UNPUBLISHED
        self._graphs: tuple[str, ...] = ()
        self._checked = -MANIFEST_TTL
        self._lock = asyncio.Lock()
        self._cache = AnswerCache(settings)

    async def start(self) -> None:
        self._client = httpx.AsyncClient()
        with contextlib.suppress(StoreError, DeadlinePassed, QueryError):
            await self._refresh(force=True)  # an engine still starting is read on first use

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def version(self) -> str:
        return self._version

    def etag(self, job: QueryJob) -> str | None:
        if self._version == UNPUBLISHED:
            return None  # no manifest: the data may change at any time
        return etag(self._version, job)

    async def health(self) -> dict[str, str]:
        """The engine's state: ``ok`` when it answers within 2 s, else ``unavailable`` and why
        (``/health`` should then answer 503)."""
        try:
            await self._refresh(force=True, deadline=2.0)
        except (StoreError, DeadlinePassed, QueryError) as err:
            return {"status": "unavailable", "backend": "remote", "reason": str(err)}
        return {"status": "ok", "backend": "remote", "data": self._version}

    async def _refresh(self, force: bool = False, deadline: float = 5.0) -> None:
        """Read the publication manifest again when the last read is older than a few seconds.

        Raises:
            StoreError, DeadlinePassed: the engine did not answer.
        """
        if not force and time.monotonic() - self._checked < MANIFEST_TTL:
            return
        async with self._lock:
            if not force and time.monotonic() - self._checked < MANIFEST_TTL:
                return
            response = await self._post(MANIFEST_QUERY, SOLUTIONS_JSON, [], deadline)
            rows = read_json_solutions(response.content, "")[1]
            hashes = {row["hash"].value for row in rows if row["hash"] is not None}
            graphs = tuple(sorted({row["graph"].value for row in rows if row["graph"]}))
            version = next(iter(hashes)) if len(hashes) == 1 else UNPUBLISHED
            if version != self._version:
                if graphs:
                    # name the graphs only where the engine holds others (its own, Virtuoso)
                    probe = await self._post(
                        foreign_graphs_query(list(graphs)), SOLUTIONS_JSON, [], deadline
                    )
                    if not read_json_solutions(probe.content, "")[1]:
                        graphs = ()
                self._cache.clear()
                self._graphs = graphs
            self._version = version
            self._checked = time.monotonic()

    async def _post(
        self, query: str, accept: str, dataset: list[tuple[str, str]], deadline: float
    ) -> httpx.Response:
        if self._client is None:
            raise RuntimeError("RemoteBackend.start() was not awaited")
        data = [("query", query), *dataset, ("timeout", str(max(1, int(deadline * 1000))))]
        try:
            response = await self._client.post(
                self.endpoint,
                content=urlencode(data).encode("ascii"),
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=deadline,
            )
        except httpx.TimeoutException as err:
            # closing the connection is the only way to stop an engine without a timeout setting
            raise DeadlinePassed(f"the SPARQL server did not answer within {deadline:g} s") from err
        except httpx.HTTPError as err:
            raise StoreError(f"SPARQL server {self.endpoint} unreachable: {err}") from err
        if response.headers.get("x-sql-state", "").upper() == "S1TAT":
            raise DeadlinePassed(
                f"the SPARQL server stopped the query at its deadline ({deadline:g} s)"
            )
        if response.status_code == 400:
            raise QueryError(response.text.strip()[:2000] or "the SPARQL server rejected the query")
        if response.status_code >= 300:
            raise StoreError(
                f"SPARQL server answered {response.status_code}: {response.text[:200]}"
            )
        return response

    def _dataset(self, job: QueryJob) -> list[tuple[str, str]]:
        """The dataset parameters: the client's; else the published graphs, unless the query
        names its own with FROM (the parameters would override it)."""
        if job.default_graphs is not None or job.named_graphs is not None:
            pairs = [("default-graph-uri", g) for g in job.default_graphs or ()]
            return pairs + [("named-graph-uri", g) for g in job.named_graphs or ()]
        if not self._graphs or uses_from(job.query):
            return []
        pairs = [("default-graph-uri", g) for g in self._graphs]
        return pairs + [("named-graph-uri", g) for g in self._graphs]

    async def run(self, job: QueryJob, deadline: float) -> Answer:
        refuse_engine_extensions(job.query)
        started = time.monotonic()
        with contextlib.suppress(StoreError, DeadlinePassed, QueryError):
            await self._refresh()  # a failed read keeps the last manifest; the query will tell
        cached = self._cache.get(self._version, job)
        if cached is not None:
            return cached
        query = with_base(bind_in_place(job.query, ascii_terms(job.substitutions)), job.base_iri)
        graph_result = job.media_type in GRAPH_TYPES
        remaining = max(0.001, deadline - (time.monotonic() - started))
        accept = "application/n-triples" if graph_result else SOLUTIONS_JSON
        response = await self._post(query, accept, self._dataset(job), remaining)
        engine_cap = response.headers.get("x-sparql-maxrows", "")
        if graph_result:
            triples = list(read_triples(response.content, job.base_iri))
            answer = serialize_triples(triples, job.media_type, job.cap)
            count = len(triples)
        else:
            variables, rows = read_json_solutions(response.content, job.base_iri)
            if variables is None:
                return serialize_boolean(_BOOLEANS[bool(rows)], job.media_type)
            solutions = cast(Iterator[QuerySolution], iter(rows))
            answer = serialize_solutions(variables, solutions, job.media_type, job.cap)
            count = len(rows)
        if engine_cap.isdigit() and count >= int(engine_cap):
            answer.truncated = True  # the engine cut the answer at its own limit
        if self._version != UNPUBLISHED:
            self._cache.keep(self._version, job, answer)
        return answer
