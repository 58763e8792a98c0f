"""The SPARQL endpoint, live, with real clients: the W3C Protocol suite, SPARQLWrapper, rdflib's
SPARQLStore and plain HTTP for each media type; refusals; deadlines; the queue; the row cap."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from tests.live.conftest import PROTOCOL

pytestmark = pytest.mark.live

POA = "https://w3id.org/poa-kg/ont#"
INTERPOL = "https://w3id.org/poa-kg/id/actor/interpol"
COMMITMENTS_OF_INTERPOL = f"""
PREFIX poa: <{POA}>
SELECT ?statement WHERE {{ ?statement a poa:Commitment ; poa:engages <{INTERPOL}> }}
ORDER BY ?statement
"""
_THOUSAND = " ".join(str(i) for i in range(1000))
SLOW = (  # counts 10^9 rows in constant memory: only the deadline stops it
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_THOUSAND} }} VALUES ?b {{ {_THOUSAND} }} "
    f"VALUES ?c {{ {_THOUSAND} }} }}"
)


def sparql(url: str) -> str:
    return f"{url}/sparql"


# ---------------------------------------------------------------- the W3C suite


def test_w3c_protocol_suite_passes(live_url: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = subprocess.run(  # noqa: S603 - our own runner, our own server
        [
            sys.executable,
            str(PROTOCOL / "run.py"),
            "--endpoint",
            sparql(live_url),
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout
    assert summary.startswith("39 passed, 0 failed"), summary


# ---------------------------------------------------------------- real clients


def test_sparqlwrapper_in_every_results_format(live_url: str) -> None:
    client = SPARQLWrapper(sparql(live_url))
    client.setQuery(COMMITMENTS_OF_INTERPOL)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert len(rows) >= 5
    statements = [r["statement"]["value"] for r in rows]
    assert "https://w3id.org/poa-kg/id/statement/revcon3-2018/annex/sec_II__para_13" in statements
    for fmt, marker in ((XML, b"<sparql"), (CSV, b"statement\r\n"), (TSV, b"?statement\n")):
        client.setReturnFormat(fmt)
        body = client.query().response.read()
        assert marker in body, fmt


def test_sparqlwrapper_construct_as_turtle(live_url: str) -> None:
    client = SPARQLWrapper(sparql(live_url))
    client.setQuery(f"CONSTRUCT {{ <{INTERPOL}> ?p ?o }} WHERE {{ <{INTERPOL}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(INTERPOL), None, None) in graph


def test_rdflib_sparqlstore(live_url: str) -> None:
    graph = Graph(store=SPARQLStore(sparql(live_url), returnFormat="json"))
    rows = list(graph.query(COMMITMENTS_OF_INTERPOL))
    assert len(rows) >= 5
    assert graph.query(f"ASK {{ <{INTERPOL}> ?p ?o }}").askAnswer is True


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ],
)
def test_select_media_types(live_url: str, accept: str, content_type: str) -> None:
    response = httpx.get(
        sparql(live_url), params={"query": COMMITMENTS_OF_INTERPOL}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert "Accept" in response.headers["vary"]
    assert "sec_II__para_13" in response.text


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_and_describe_media_types(live_url: str, accept: str, rdflib_format: str) -> None:
    for query in (
        f"DESCRIBE <{INTERPOL}>",
        f"CONSTRUCT {{ <{INTERPOL}> ?p ?o }} WHERE {{ <{INTERPOL}> ?p ?o }}",
    ):
        response = httpx.get(sparql(live_url), params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == accept
        graph = Graph().parse(data=response.content, format=rdflib_format)
        assert (URIRef(INTERPOL), None, None) in graph


def test_format_parameter_is_a_fallback(live_url: str) -> None:
    response = httpx.get(
        sparql(live_url), params={"query": COMMITMENTS_OF_INTERPOL, "format": "tsv"}
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_ask_as_csv_and_tsv_answers_true(live_url: str) -> None:
    for accept in ("text/csv", "text/tab-separated-values"):
        response = httpx.get(
            sparql(live_url), params={"query": "ASK {}"}, headers={"Accept": accept}
        )
        assert response.status_code == 200 and response.text.strip() == "true"


def test_nothing_acceptable_is_406(live_url: str) -> None:
    response = httpx.get(
        sparql(live_url), params={"query": "ASK {}"}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"


def test_head_answers_like_get(live_url: str) -> None:
    get = httpx.get(sparql(live_url), params={"query": COMMITMENTS_OF_INTERPOL})
    head = httpx.head(sparql(live_url), params={"query": COMMITMENTS_OF_INTERPOL})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)


def test_etag_revalidation(live_url: str) -> None:
    first = httpx.get(sparql(live_url), params={"query": COMMITMENTS_OF_INTERPOL})
    etag = first.headers["etag"]
    again = httpx.get(
        sparql(live_url), params={"query": COMMITMENTS_OF_INTERPOL}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304


def test_default_graph_uri_restricts_the_dataset(live_url: str) -> None:
    query = f"ASK {{ <{INTERPOL}> ?p ?o }}"
    answers = {}
    for graph in ("vocab-actors", "vocab-states"):
        response = httpx.get(
            sparql(live_url),
            params={"query": query, "default-graph-uri": f"https://w3id.org/poa-kg/graph/{graph}"},
        )
        answers[graph] = response.json()["boolean"]
    assert answers == {"vocab-actors": True, "vocab-states": False}


def test_form_post_is_decoded_once(live_url: str) -> None:
    response = httpx.post(
        sparql(live_url),
        content=b"query=ASK%20%7B%20FILTER(%22%2541%22%20%3D%20CONCAT(%22%25%22%2C%20%2241%22))%20%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.json()["boolean"] is True


def test_service_description_and_editor(live_url: str) -> None:
    turtle = httpx.get(sparql(live_url), headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    service = URIRef(f"{live_url}/sparql#service")
    assert (
        service,
        URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"),
        None,
    ) in graph
    html = httpx.get(sparql(live_url), headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "/static/vendor/yasgui/yasgui.min.js" in html.text  # the YASGUI editor


def test_void_description(live_url: str) -> None:
    response = httpx.get(f"{live_url}/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    counts = list(graph.objects(None, URIRef("http://rdfs.org/ns/void#triples")))
    assert len(counts) > 10


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/poa-kg/graph/quality>",
    ],
)
def test_updates_are_refused_everywhere(live_url: str, update: str) -> None:
    attempts = [
        httpx.get(sparql(live_url), params={"update": update}),
        httpx.get(sparql(live_url), params={"query": update}),
        httpx.post(sparql(live_url), data={"update": update}),
        httpx.post(
            sparql(live_url), content=update, headers={"Content-Type": "application/sparql-update"}
        ),
        httpx.post(
            sparql(live_url), content=update, headers={"Content-Type": "application/sparql-query"}
        ),
    ]
    assert [r.status_code for r in attempts] == [403] * 5
    still = httpx.get(
        sparql(live_url),
        params={"query": "ASK { GRAPH <https://w3id.org/poa-kg/graph/quality> { ?s ?p ?o } }"},
    )
    assert still.json()["boolean"] is True


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP listener on loopback that records every connection it accepts."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    seen: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            seen.append(str(address))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=2)
    server.close()


def test_service_to_loopback_is_refused_and_never_connects(
    live_url: str, listener: tuple[int, list[str]]
) -> None:
    port, seen = listener
    target = f"http://127.0.0.1:{port}/sparql"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ {{ service silent <{target}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX s: <{target}> SELECT * WHERE {{ SERVICE s: {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        response = httpx.get(sparql(live_url), params={"query": query})
        assert response.status_code == 403, query
        assert "SERVICE" in response.json()["detail"]
    time.sleep(0.3)
    assert seen == []


def test_words_inside_strings_and_iris_are_not_refused(live_url: str) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE INSERT LOAD" AS ?x) FILTER(?x != <urn:delete:load>) } # DROP'
    response = httpx.get(sparql(live_url), params={"query": query})
    assert response.status_code == 200


def test_deep_nesting_is_refused_before_parsing(live_url: str) -> None:
    query = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    response = httpx.post(
        sparql(live_url), content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 403
    assert httpx.get(f"{live_url}/health").status_code == 200


def test_malformed_query_gets_the_parser_message_with_position(live_url: str) -> None:
    response = httpx.get(sparql(live_url), params={"query": "SELECT ?x WHERE {\n  ?x ?y \n}"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "3" in detail and ("line" in detail.lower() or ":" in detail)


def test_unknown_content_type_is_415(live_url: str) -> None:
    response = httpx.post(
        sparql(live_url), content="ASK {}", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


# ---------------------------------------------------------------- limits that hold


def test_row_cap_is_signalled(live_url: str) -> None:
    response = httpx.get(
        sparql(live_url),
        params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 1 + 1000
    assert response.headers["x-result-truncated"] == "true"


def test_deadline_stops_a_query_while_others_are_answered(tight_url: str) -> None:
    async def scenario() -> tuple[httpx.Response, float, list[int]]:
        async with httpx.AsyncClient(timeout=30) as client:
            started = time.monotonic()
            slow = asyncio.create_task(client.get(sparql(tight_url), params={"query": SLOW}))
            await asyncio.sleep(0.1)
            fast = []
            for _ in range(3):
                answer = await client.get(f"{tight_url}/health")
                fast.append(answer.status_code)
            response = await slow
            return response, time.monotonic() - started, fast

    response, elapsed, fast = asyncio.run(scenario())
    assert response.status_code == 503
    assert "deadline" in response.json()["detail"]
    assert elapsed < 5
    assert fast == [200, 200, 200]
    # a fresh worker replaces the killed one once it has opened its store (a second or two)
    statuses = []
    for _ in range(20):
        statuses.append(httpx.get(sparql(tight_url), params={"query": "ASK {}"}).status_code)
        if statuses[-1] == 200:
            break
    assert statuses[-1] == 200 and set(statuses) <= {200, 503}, statuses


def test_timeout_parameter_lowers_the_deadline(tight_url: str) -> None:
    started = time.monotonic()
    response = httpx.get(sparql(tight_url), params={"query": SLOW, "timeout": "0.3"}, timeout=30)
    assert response.status_code == 503
    assert time.monotonic() - started < 1.4


def test_full_queue_answers_429(tight_url: str) -> None:
    async def scenario() -> list[int]:
        async with httpx.AsyncClient(timeout=30) as client:
            tasks = [
                asyncio.create_task(
                    client.get(sparql(tight_url), params={"query": SLOW + f" # {i}"})
                )
                for i in range(4)
            ]
            responses = await asyncio.gather(*tasks)
            return sorted(r.status_code for r in responses)

    statuses = asyncio.run(scenario())
    assert 429 in statuses
    assert set(statuses) <= {429, 503}


def test_json_results_are_valid_json(live_url: str) -> None:
    response = httpx.get(sparql(live_url), params={"query": COMMITMENTS_OF_INTERPOL})
    document = json.loads(response.content)
    assert document["head"]["vars"] == ["statement"]


def test_body_over_the_limit_is_413(live_url: str) -> None:
    query = "ASK {}" + " " * 1_100_000
    response = httpx.post(
        sparql(live_url), content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
