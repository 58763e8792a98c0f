"""Where rdflib-endpoint (0.6.3) falls short, poa-kg must not: one test per shortcoming the
service issue lists, each against the live server."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from rdflib import Graph

pytestmark = pytest.mark.live

INTERPOL = "https://w3id.org/poa-kg/id/actor/interpol"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_slow_query_does_not_block_other_clients(live_url: str) -> None:
    async def scenario() -> tuple[int, list[float]]:
        async with httpx.AsyncClient(timeout=30) as client:
            slow = asyncio.create_task(client.get(f"{live_url}/sparql", params={"query": SLOW}))
            await asyncio.sleep(0.2)
            latencies = []
            for _ in range(5):
                started = time.monotonic()
                answer = await client.get(
                    f"{live_url}/sparql", params={"query": "ASK { ?s ?p ?o }"}
                )
                assert answer.status_code == 200
                latencies.append(time.monotonic() - started)
            return (await slow).status_code, latencies

    status, latencies = asyncio.run(scenario())
    assert status == 503  # stopped at the deadline (3 s here)
    assert max(latencies) < 1.0  # answered while the slow query ran


def test_queries_have_a_timeout(live_url: str) -> None:
    started = time.monotonic()
    response = httpx.get(f"{live_url}/sparql", params={"query": SLOW}, timeout=30)
    assert response.status_code == 503 and time.monotonic() - started < 6


def test_describe_is_labelled_as_rdf(live_url: str) -> None:
    response = httpx.get(f"{live_url}/sparql", params={"query": f"DESCRIBE <{INTERPOL}>"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.text, format="turtle")) > 3


def test_construct_as_turtle_is_labelled_turtle_even_when_csv_is_asked_first(live_url: str) -> None:
    response = httpx.get(
        f"{live_url}/sparql",
        params={"query": f"CONSTRUCT {{ <{INTERPOL}> ?p ?o }} WHERE {{ <{INTERPOL}> ?p ?o }}"},
        headers={"Accept": "text/csv, text/turtle;q=0.5"},
    )
    assert response.headers["content-type"].startswith("text/turtle")


def test_answers_406_when_nothing_fits(live_url: str) -> None:
    response = httpx.get(
        f"{live_url}/sparql",
        params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"},
        headers={"Accept": "text/turtle"},
    )
    assert response.status_code == 406


def test_offers_tsv(live_url: str) -> None:
    response = httpx.get(
        f"{live_url}/sparql", params={"query": "SELECT (1 AS ?x) {}", "format": "tsv"}
    )
    assert response.text == "?x\n1\n"


def test_ask_as_csv_is_200(live_url: str) -> None:
    response = httpx.get(
        f"{live_url}/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"}
    )
    assert (response.status_code, response.text) == (200, "true")


def test_default_graph_uri_is_honoured(live_url: str) -> None:
    query = f"ASK {{ <{INTERPOL}> ?p ?o }}"
    elsewhere = httpx.get(
        f"{live_url}/sparql",
        params={"query": query, "default-graph-uri": "https://w3id.org/poa-kg/graph/vocab-themes"},
    )
    assert elsewhere.json()["boolean"] is False


def test_form_posted_query_is_decoded_once(live_url: str) -> None:
    response = httpx.post(
        f"{live_url}/sparql",
        data={"query": 'SELECT ("%41" AS ?x) {}'},
        headers={"Accept": "text/csv"},
    )
    assert response.text.splitlines()[1] == "%41"


def test_head_is_answered(live_url: str) -> None:
    response = httpx.head(f"{live_url}/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200


def test_service_to_loopback_is_refused(live_url: str) -> None:
    response = httpx.get(
        f"{live_url}/sparql",
        params={"query": f"SELECT * {{ SERVICE <{live_url}/sparql> {{ ?s ?p ?o }} }}"},
    )
    assert response.status_code == 403
