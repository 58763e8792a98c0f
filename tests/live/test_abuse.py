"""SPARQL abuse against the live server: every request gets a clear refusal within the configured
limits (deadline 3 s here, body 1 MiB, nesting 128), no outbound connection is ever made, and the
server keeps answering afterwards."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

pytestmark = pytest.mark.live

SELECT_ONE = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"


def _get(url: str, query: str, **params: str) -> httpx.Response:
    return httpx.get(
        f"{url}/sparql",
        params={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )


def _problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    detail: str = response.json()["detail"]
    assert detail
    return detail


@pytest.fixture
def still_answers(live_url: str):  # type: ignore[no-untyped-def]
    yield
    assert _get(live_url, SELECT_ONE).status_code == 200


def test_a_huge_query_body_is_413(live_url: str, still_answers: None) -> None:
    body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 * 1024 * 1024)
    response = httpx.post(
        f"{live_url}/sparql",
        content=body.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert "exceeds" in _problem(response, 413)


def test_a_deeply_nested_query_is_refused_before_parsing(
    live_url: str, still_answers: None
) -> None:
    nested = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000  # would crash pyoxigraph
    response = httpx.post(
        f"{live_url}/sparql",
        content=nested.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert "nested" in _problem(response, 403)


@pytest.mark.parametrize(
    "query",
    [
        # a cartesian product of the whole graph with itself, three times
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        # a regular expression that backtracks, over every literal
        'SELECT ?o WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "^(a+)+$") '
        '?x ?y ?z FILTER REGEX(STR(?z), "(.*a){12}") }',
        # deep property paths over every node
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:q>)* ?b . ?b (!<urn:r>)* ?c }",
    ],
)
def test_expensive_queries_stop_at_the_deadline(
    live_url: str, query: str, still_answers: None
) -> None:
    started = time.monotonic()
    response = _get(live_url, query)
    took = time.monotonic() - started
    assert took < 3.0 + 2.0  # the deadline (3 s in the live settings) plus slack
    if response.status_code == 200:
        return  # fast enough to finish: also fine
    detail = _problem(response, 503)
    # stopped at its deadline, or sooner at the memory a query may take (a join's hash table)
    assert "deadline" in detail or "MiB of memory a query may use" in detail, detail


class _Listener:
    """A TCP listener that counts connections (what a SERVICE or LOAD would make)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.socket.close()


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/sparql",
        "http://localhost:{port}/sparql",
        "http://[::1]:{port}/",
        "http://10.0.0.1/sparql",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
def test_service_is_refused_and_nothing_connects(
    live_url: str, target: str, still_answers: None
) -> None:
    listener = _Listener()
    try:
        iri = target.format(port=listener.port)
        for query in (
            f"SELECT * WHERE {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{iri}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ BIND(<{iri}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        ):
            assert "SERVICE" in _problem(_get(live_url, query), 403)
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


@pytest.mark.parametrize(
    ("how", "text"),
    [
        ("query", "LOAD <http://127.0.0.1:9/data.ttl>"),
        ("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
        ("query", "DELETE WHERE { ?s ?p ?o }"),
        ("query", "CLEAR ALL"),
        ("query", "DROP SILENT GRAPH <urn:g>"),
        ("update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
        ("update", "LOAD <http://127.0.0.1:9/x>"),
    ],
)
def test_updates_and_load_are_refused_in_get(
    live_url: str, how: str, text: str, still_answers: None
) -> None:
    response = httpx.get(f"{live_url}/sparql", params={how: text}, timeout=30)
    assert "read-only" in _problem(response, 403) or "refused" in response.json()["detail"]


def test_update_by_post_is_refused(live_url: str, still_answers: None) -> None:
    response = httpx.post(
        f"{live_url}/sparql",
        content=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )
    assert response.status_code in (403, 415)
    assert response.headers["content-type"] == "application/problem+json"


def test_a_malformed_query_names_line_and_column(live_url: str) -> None:
    detail = _problem(_get(live_url, "SELECT * WHERE {\n  ?s ?p \n}"), 400)
    assert "2" in detail  # the parser's position
