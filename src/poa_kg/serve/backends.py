"""Backends: where a ``QueryJob`` runs — the embedded store or an external SPARQL server.

Both sit behind one small interface (``Backend``), as Prez does with its repositories:

- ``EmbeddedBackend``: the published on-disk store, through the ``Engine``'s killable worker
  processes. Answers are cached per store version, and carry an ETag derived from the store's
  content hash and the request, so a repeated query costs a dictionary lookup and a client can
  revalidate with ``If-None-Match``.
- ``RemoteBackend``: any SPARQL 1.1 server (Oxigraph, Fuseki, Virtuoso, GraphDB) reached over the
  protocol, tested against Oxigraph's server and Virtuoso 7.2. Bindings become a ``VALUES`` block
  built from typed RDF terms; answers are re-read term by term and re-serialised, so the row cap
  and the media types behave exactly as embedded; the data version and the dataset come from the
  publication manifest loaded with the data (``poa_kg.serve.publication``); engine extension
  functions are refused before a query leaves (``refuse_engine_extensions``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Protocol, cast
from urllib.parse import urlencode, urljoin

import httpx
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolution,
    RdfFormat,
    Store,
    Triple,
    parse,
)

from poa_kg.config import BackendKind, Settings
from poa_kg.errors import QueryError, StoreError
from poa_kg.serve.engine import DeadlinePassed, Engine
from poa_kg.serve.formats import GRAPH_TYPES, SOLUTIONS_JSON
from poa_kg.serve.publication import MANIFEST_QUERY, foreign_graphs_query
from poa_kg.serve.sparql import (
    Answer,
    QueryJob,
    QueryRefused,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
    unescape,
)
from poa_kg.serve.store import current_version, publish_store

_CACHE_LIMIT = 1_048_576  # bytes: bigger answers are not kept


class Backend(Protocol):
    """Runs query jobs; ``version`` names the data so answers can be cached and revalidated."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def version(self) -> str: ...

    def etag(self, job: QueryJob) -> str | None: ...

    async def health(self) -> dict[str, str]:
        """``{"status": "ok", …}`` when queries can be answered, else ``"unavailable"`` and why."""
        ...

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
            settings.store_dir,
            settings.workers,
            settings.queue_size,
            settings.memory_quads,
            long_queries=settings.long_queries,
            long_after=settings.long_after,
            query_memory=settings.query_memory,
            spares=settings.spare_workers,
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

    async def health(self) -> dict[str, str]:
        try:
            return {"status": "ok", "backend": "embedded", "data": self.version()}
        except (OSError, StoreError) as err:
            return {"status": "unavailable", "backend": "embedded", "reason": str(err)}

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
                or self._cached_bytes > self.settings.cache_bytes // 2  # the other half: app
            ):
                _old_key, old = self._cache.popitem(last=False)
                self._cached_bytes -= len(old.body)
        return answer


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
        self._cache: OrderedDict[tuple[str, str], Answer] = OrderedDict()
        self._cached_bytes = 0

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
        return hashlib.sha256(f"{self._version}:{_job_key(job)}".encode()).hexdigest()[:32]

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
            rows = _read_json_solutions(response.content, "")[1]
            hashes = {row["hash"].value for row in rows if row["hash"] is not None}
            graphs = tuple(sorted({row["graph"].value for row in rows if row["graph"]}))
            version = next(iter(hashes)) if len(hashes) == 1 else UNPUBLISHED
            if version != self._version:
                if graphs:
                    # name the graphs only where the engine holds others (its own, Virtuoso)
                    probe = await self._post(
                        foreign_graphs_query(list(graphs)), SOLUTIONS_JSON, [], deadline
                    )
                    if not _read_json_solutions(probe.content, "")[1]:
                        graphs = ()
                self._cache.clear()
                self._cached_bytes = 0
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
        if not self._graphs or _uses_from(job.query):
            return []
        pairs = [("default-graph-uri", g) for g in self._graphs]
        return pairs + [("named-graph-uri", g) for g in self._graphs]

    async def run(self, job: QueryJob, deadline: float) -> Answer:
        refuse_engine_extensions(job.query)
        started = time.monotonic()
        with contextlib.suppress(StoreError, DeadlinePassed, QueryError):
            await self._refresh()  # a failed read keeps the last manifest; the query will tell
        key = (self._version, _job_key(job))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        query = _with_base(bind_in_place(job.query, _ascii_terms(job.substitutions)), job.base_iri)
        graph_result = job.media_type in GRAPH_TYPES
        remaining = max(0.001, deadline - (time.monotonic() - started))
        accept = "application/n-triples" if graph_result else SOLUTIONS_JSON
        response = await self._post(query, accept, self._dataset(job), remaining)
        engine_cap = response.headers.get("x-sparql-maxrows", "")
        if graph_result:
            triples = list(_read_triples(response.content, job.base_iri))
            answer = serialize_triples(triples, job.media_type, job.cap)
            count = len(triples)
        else:
            variables, rows = _read_json_solutions(response.content, job.base_iri)
            if variables is None:
                return serialize_boolean(_BOOLEANS[bool(rows)], job.media_type)
            solutions = cast(Iterator[QuerySolution], iter(rows))
            answer = serialize_solutions(variables, solutions, job.media_type, job.cap)
            count = len(rows)
        if engine_cap.isdigit() and count >= int(engine_cap):
            answer.truncated = True  # the engine cut the answer at its own limit
        if self._version != UNPUBLISHED and len(answer.body) <= _CACHE_LIMIT:
            self._keep(key, answer)
        return answer

    def _keep(self, key: tuple[str, str], answer: Answer) -> None:
        self._cache[key] = answer
        self._cached_bytes += len(answer.body)
        while (
            len(self._cache) > self.settings.cache_entries
            or self._cached_bytes > self.settings.cache_bytes
        ):
            _old_key, old = self._cache.popitem(last=False)
            self._cached_bytes -= len(old.body)


UNPUBLISHED = "remote-unversioned"
"""The version of a remote store without a publication manifest (nothing is cached then)."""
MANIFEST_TTL = 2.0
"""Seconds between two reads of the publication manifest."""

_BOOLEANS = {
    value: cast(QueryBoolean, Store().query("ASK {}" if value else "ASK { FILTER(false) }"))
    for value in (True, False)
}
"""The two ASK answers (pyoxigraph makes a QueryBoolean only as a query's result)."""


# ---------------------------------------------------------------------- engine extensions

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
ALLOWED_FUNCTION_NAMESPACES = (XSD_NS,)
"""Namespaces whose IRIs a query may call as functions: the XSD casts (SPARQL 1.1 §17.5). Every
other standard function is a keyword of the language (``STR``, ``REGEX``, ``COUNT`` …)."""
ENGINE_NAMESPACES = (
    "http://www.openlinksw.com/",  # Virtuoso: bif:, sql:, virtrdf: …
    "http://jena.apache.org/",  # Jena ARQ functions and property functions
    "http://jena.hpl.hp.com/",
    "java:",
    "http://www.ontotext.com/",  # GraphDB
    "http://www.bigdata.com/",  # Blazegraph
    "http://franz.com/",  # AllegroGraph
    "tag:stardog:",
)
"""Namespaces of engines' private functions, property functions and settings: refused anywhere in
a query, called or not (``?s bif:contains "x"`` is a function in a predicate's place)."""
ENGINE_PREFIXES = frozenset({"bif", "sql", "virtrdf", "xsql"})
"""Prefixes Virtuoso declares itself: a query may use them without a PREFIX line."""
_PREFIX_DECL = re.compile(r"(?i)\bprefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_TOKENS = re.compile(
    r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*")'
    r"|(?P<comment>\#[^\n\r]*)"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<variable>[?$]\w+)"
    r"|(?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.%-]*)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<paren>\()"
    r"|(?P<other>\S)"
)


def refuse_engine_extensions(query: str) -> None:
    """Refuse a query that calls anything but a standard SPARQL function, names an engine's
    private namespace, or carries an engine pragma (``DEFINE``) — before it leaves poa-kg.

    Virtuoso's ``bif:sys_stat`` reveals its version and host name, its ``bif:sequence_set``
    changes stored state: the read-only promise holds only if no such call reaches the engine.
    The scan reads the tokens outside strings and comments, after SPARQL's ``\\u`` escapes; an
    IRI or prefixed name followed by ``(`` is a call, allowed only in
    ``ALLOWED_FUNCTION_NAMESPACES``.

    Raises:
        QueryRefused: the query would reach an engine extension (HTTP 403).
    """
    text = unescape(query)
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(text)}
    called: str | None = None  # the IRI of the token before, when it could be a function name
    # An IRI followed by "(" is a call inside an expression: within brackets, right after FILTER,
    # or in the solution modifiers; elsewhere it is a predicate before a collection.
    expression = False  # the IRI before "(" sits where an expression may
    parens = 0
    modifiers = after_filter = False
    for match in _TOKENS.finditer(text):
        kind, lexeme = match.lastgroup, match.group()
        if kind in ("string", "comment"):
            called, after_filter = None, False
            continue
        if kind == "word":
            word = lexeme.lower()
            if word == "define":
                raise QueryRefused("engine pragmas (DEFINE) are refused")
            modifiers = modifiers or word in ("group", "order", "having")
            after_filter = word == "filter"
            called = None
            continue
        if kind == "paren":
            if (
                called is not None
                and expression
                and not called.startswith(ALLOWED_FUNCTION_NAMESPACES)
            ):
                raise QueryRefused(
                    f"function <{called}> is refused: only standard SPARQL functions reach "
                    "the SPARQL server"
                )
            parens += 1
            called, after_filter = None, False
            continue
        if kind == "iri":
            iri = lexeme[1:-1]
        elif kind == "pname":
            prefix, _, local = lexeme.partition(":")
            if prefix not in prefixes and prefix.lower() in ENGINE_PREFIXES:
                raise QueryRefused(f"{prefix}: is an engine's private namespace: refused")
            iri = prefixes.get(prefix, f"{prefix}:") + local
        else:
            if lexeme == ")":
                parens = max(0, parens - 1)
            elif lexeme == "}" and parens == 0:
                modifiers = False  # a sub-select's modifiers end with its group
            called, after_filter = None, False
            continue
        if iri.startswith(ENGINE_NAMESPACES):
            raise QueryRefused(f"<{iri}> is in an engine's private namespace: refused")
        expression = parens > 0 or modifiers or after_filter
        called, after_filter = iri, False


def bind_in_place(query: str, bindings: tuple[tuple[str, str], ...]) -> str:
    """The query with each bound variable replaced by its term where it is used — what
    pyoxigraph's ``substitutions=`` does, so a named query means the same on every engine.

    A top-level ``VALUES`` block would not: it is joined with the whole pattern, where an
    OPTIONAL or a branch of a UNION left the variable unbound (Virtuoso then drops the row, and
    Oxigraph's server evaluates the branches unbound first: 30 s instead of 50 ms for
    compare-documents). In a projection the variable stays a column (``(<term> AS ?v)``); in
    GROUP BY and ORDER BY the term is bracketed (``(<term>)``); terms are N-Triples syntax of
    typed RDF terms, never raw input.
    """
    if not bindings:
        return query
    terms = dict(bindings)
    out: list[str] = []
    position = 0
    clause = "where"  # "projection" from SELECT to WHERE or "{", "modifier" after GROUP/ORDER BY
    braces = parens = 0
    for match in _TOKENS.finditer(query):
        kind, lexeme = match.lastgroup, match.group()
        if kind == "word":
            word = lexeme.lower()
            if word == "select":
                clause = "projection"
            elif word == "where" and clause == "projection":
                clause = "where"
            elif word in ("group", "order", "having"):
                clause = "modifier"  # until the group around a sub-select closes
        elif kind == "paren":
            parens += 1
        elif lexeme == ")":
            parens -= 1
        elif lexeme == "{":
            braces += 1
            if clause == "projection":
                clause = "where"
        elif lexeme == "}":
            braces -= 1
            clause = "where"
        elif kind == "variable" and lexeme[1:] in terms:
            term = terms[lexeme[1:]]
            previous = query[: match.start()].rstrip()
            if previous.lower().endswith(" as") or previous.lower().endswith("(as"):
                continue  # a variable being assigned keeps its name
            if clause == "projection" and parens == 0:
                term = f"({term} AS {lexeme})"
            elif clause == "modifier" and parens == 0:
                term = f"({term})"
            out.append(query[position : match.start()] + term)
            position = match.end()
    out.append(query[position:])
    return "".join(out)


def _uses_from(query: str) -> bool:
    """Does the query name its dataset itself (FROM or FROM NAMED, outside strings and IRIs)?"""
    return any(
        m.lastgroup == "word" and m.group().lower() == "from"
        for m in _TOKENS.finditer(unescape(query))
    )


def _with_base(query: str, base_iri: str) -> str:
    """The query with the service's base IRI first, so relative IRIs in it resolve as embedded
    (a BASE of the query's own, later in its prologue, still wins for what follows it)."""
    if not base_iri:
        return query
    return f"BASE <{base_iri}>\n{query}"


def _ascii_terms(bindings: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Terms with every character above U+007F written as a SPARQL ``\\u`` escape: an engine that
    reads a query's literals as Latin-1 (Virtuoso) still gets the right characters."""
    return tuple((name, "".join(_ascii(char) for char in term)) for name, term in bindings)


def _ascii(char: str) -> str:
    code = ord(char)
    if code < 0x80:
        return char
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


# ---------------------------------------------------------------------- reading answers

_XSD_BOOLEAN = f"{XSD_NS}boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


class _Row(dict[str, "NamedNode | BlankNode | Literal | None"]):
    """A solution as ``serialize_solutions`` reads it: ``row[variable]``, None when unbound."""

    def __missing__(self, key: str) -> None:
        return None


def _read_json_solutions(body: bytes, base_iri: str) -> tuple[list[str] | None, list[_Row]]:
    """SPARQL JSON results → (variables, rows); (None, [a row if true]) for a boolean.

    Raises:
        StoreError: the server's answer is not SPARQL JSON results.
    """
    try:
        document = json.loads(body)
        if "boolean" in document:
            return None, [_Row()] if document["boolean"] else []
        variables = [str(v) for v in document["head"]["vars"]]
        blank: dict[str, BlankNode] = {}
        rows = [
            _Row({name: _term(value, base_iri, blank) for name, value in binding.items()})
            for binding in document["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise StoreError(f"the SPARQL server's answer is not SPARQL JSON results: {err}") from err
    return variables, rows


def _term(
    value: dict[str, str], base_iri: str, blank: dict[str, BlankNode]
) -> NamedNode | BlankNode | Literal:
    """One JSON term: blank node labels (Virtuoso's ``nodeID://b1``) renamed consistently within
    the answer, relative IRIs resolved against the base, typed literals kept with their datatype,
    booleans written ``1``/``0`` read as ``true``/``false``."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return NamedNode(urljoin(base_iri, text) if base_iri else text)
    if kind == "bnode":
        return blank.setdefault(text, BlankNode())
    if kind not in ("literal", "typed-literal"):
        raise ValueError(f"unknown term type {kind!r}")
    if "xml:lang" in value:
        return Literal(text, language=value["xml:lang"])
    datatype = value.get("datatype")
    if not datatype:
        return Literal(text)
    if datatype == _XSD_BOOLEAN:
        text = _CANONICAL_BOOLEAN.get(text.strip(), text)
    return Literal(text, datatype=NamedNode(datatype))


_NODE_ID = re.compile(rb"<nodeID://([^>]*)>")


def _read_triples(body: bytes, base_iri: str) -> Iterator[Triple]:
    """The server's N-Triples, read as Turtle with the base IRI (relative IRIs resolved), and
    Virtuoso's ``<nodeID://b1>`` blank nodes as blank nodes.

    Raises:
        StoreError: the answer does not parse.
    """
    body = _NODE_ID.sub(lambda m: b"_:vnode" + re.sub(rb"\W", b"_", m.group(1)), body)
    try:
        for quad in parse(body, format=RdfFormat.TURTLE, base_iri=base_iri or None):
            yield quad.triple
    except SyntaxError as err:
        raise StoreError(f"the SPARQL server's answer does not parse: {err}") from err


BACKENDS: dict[BackendKind, Callable[[Settings], Backend]] = {
    BackendKind.embedded: EmbeddedBackend,
    BackendKind.remote: RemoteBackend,
}


def make_backend(settings: Settings) -> Backend:
    return BACKENDS[settings.backend](settings)
