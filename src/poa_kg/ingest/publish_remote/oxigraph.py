"""Publish into Oxigraph's server (``oxigraph serve``): one SPARQL 1.1 Update request
(https://www.w3.org/TR/sparql11-update/#graphManagement) that drops the graphs of the previous
manifest and of the new build and inserts the new ones, manifest last.

Oxigraph runs an update request as one transaction, and its readers read snapshots, so a reader
sees the old publication or the new one (measured in ``tests/live/test_publish_remote.py``); a
request the server refuses changes nothing. Graphs the manifests do not name are left alone.
"""

from __future__ import annotations

import httpx
from pyoxigraph import (
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    parse_query_results,
    serialize,
)

from poa_kg.errors import PublishError
from poa_kg.serve.publication import MANIFEST_QUERY

TIMEOUT = httpx.Timeout(
    10.0, read=600.0
)  # a whole build is one request; the engine may take minutes


def publish(url: str, graphs: dict[str, list[Quad]]) -> None:
    """Replace the publication at ``url`` (the server's base, or its ``/query``/``/update``).

    Raises:
        PublishError: the server could not be reached or refused the update (its answer quoted).
    """
    base = _base(url)
    old = previous_graphs(base)
    body = update_text(sorted(set(old) | set(graphs)), graphs)
    try:
        answer = httpx.post(
            f"{base}/update",
            content=body,
            headers={"Content-Type": "application/sparql-update"},
            timeout=TIMEOUT,
        )
    except httpx.HTTPError as err:
        raise PublishError(
            f"{base}/update: {err}; the previous publication is still served"
        ) from err
    if answer.status_code >= 300:
        raise PublishError(
            f"{base}/update answered {answer.status_code}: {answer.text[:500]}; "
            "the previous publication is still served"
        )


def previous_graphs(base: str) -> list[str]:
    """The graphs the server's current manifest names (none before a first publication).

    Raises:
        PublishError: the server could not be reached or did not answer the query.
    """
    try:
        answer = httpx.post(
            f"{base}/query",
            data={"query": MANIFEST_QUERY},
            headers={"Accept": "application/sparql-results+json"},
            timeout=TIMEOUT,
        )
        answer.raise_for_status()
    except httpx.HTTPError as err:
        raise PublishError(f"{base}/query: {err}; nothing was published") from err
    rows = parse_query_results(answer.content, format=QueryResultsFormat.JSON)
    return sorted({row["graph"].value for row in rows})  # type: ignore[union-attr]


def update_text(drop: list[str], graphs: dict[str, list[Quad]]) -> bytes:
    """``DROP SILENT GRAPH`` each of ``drop``, then one ``INSERT DATA`` of every graph in order.

    The terms are written by pyoxigraph's N-Triples serialiser, whose syntax is that of a
    SPARQL triple (escapes included)."""
    parts = [f"DROP SILENT GRAPH {NamedNode(name)} ;\n".encode() for name in drop]
    parts.append(b"INSERT DATA {\n")
    for name, quads in graphs.items():
        triples = serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES)
        parts += [f"GRAPH {NamedNode(name)} {{\n".encode(), triples or b"", b"}\n"]
    parts.append(b"}\n")
    return b"".join(parts)


def _base(url: str) -> str:
    url = url.rstrip("/")
    for suffix in ("/query", "/update", "/store"):
        url = url.removesuffix(suffix)
    return url
