"""The response cache over the real service: a repeated GET is answered from memory with the same
status, headers and body; revalidation and other media types still reach the application."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.routing import Match

from api.response_cache import ResponseCache
from api.routes.sparql import plain_get

QUERY = "SELECT ?c WHERE { ?c a <https://w3id.org/poa-kg/ont#Commitment> } ORDER BY ?c LIMIT 3"


def response_cache(client: TestClient) -> ResponseCache:
    layer = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


def test_repeated_get_is_served_whole_from_memory(client: TestClient) -> None:
    cache = response_cache(client)
    query = QUERY + " # response-cache test"
    first = client.get("/sparql", params={"query": query})
    hits = cache.hits
    again = client.get("/sparql", params={"query": query})
    assert cache.hits == hits + 1
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again.headers == first.headers
    assert again.headers["etag"] and again.headers["x-result-rows"] == "3"

    revalidated = client.get(
        "/sparql", params={"query": query}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert revalidated.status_code == 304 and cache.hits == hits + 1

    as_csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and cache.hits == hits + 1


def test_refusals_and_errors_are_not_kept(client: TestClient) -> None:
    cache = response_cache(client)
    hits = cache.hits
    for query in ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SELECT nonsense"):
        statuses = [client.get("/sparql", params={"query": query}).status_code for _ in range(2)]
        assert statuses[0] == statuses[1] and statuses[0] in (400, 403)
    assert cache.hits == hits


def test_get_is_answered_by_the_plain_route_and_documented(client: TestClient) -> None:
    scope = {"type": "http", "method": "GET", "path": "/sparql", "root_path": ""}
    answering = next(r for r in client.app.routes if r.matches(scope)[0] == Match.FULL)  # type: ignore[attr-defined]
    assert answering is plain_get
    assert "get" in client.get("/openapi.json").json()["paths"]["/sparql"]
