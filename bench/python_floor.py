"""The least a Python HTTP server can do per SPARQL request, as a reference beside the peers:
uvicorn (httptools, uvloop) and a bare ASGI app that runs ``GET ?query=`` on a read-only
pyoxigraph store and sends pyoxigraph's JSON. No routing, negotiation, refusal scan, caps,
deadlines, caches or headers beyond Content-Type: what poa-kg does on top of this is its own cost.

    uv run python -m bench --servers poa-kg,python-floor,oxigraph

Started by ``bench/__main__.py`` with the store's folder in ``BENCH_FLOOR_STORE``; not a service.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from pyoxigraph import QueryResultsFormat, Store
from starlette.types import Receive, Scope, Send

_STORE = (
    Store.read_only(os.environ["BENCH_FLOOR_STORE"]) if "BENCH_FLOOR_STORE" in os.environ else None
)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http" or _STORE is None:
        return
    query = parse_qs(scope["query_string"].decode())["query"][0]
    result = _STORE.query(query, use_default_graph_as_union=True)
    body = result.serialize(format=QueryResultsFormat.JSON)
    headers = [(b"content-type", b"application/sparql-results+json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
