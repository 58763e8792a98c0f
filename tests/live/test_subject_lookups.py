"""Subject lookups (one triple pattern about one IRI) answered in the server's own process:
they do not wait for a worker, and they answer exactly what a worker would (rows, caps, errors,
the current store version).

The server here has one worker (on the on-disk store), one waiting place, a short deadline and
a row cap of 5. A query
that differs from a lookup only by a ``FILTER(true)`` is not a lookup, so it goes to the worker:
each test compares the two paths on the same data.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from poa_kg.config import ROOT, Settings
from poa_kg.serve.store import publish_store
from tests.live.conftest import PROTOCOL, free_port, serve

STATEMENT = "https://w3id.org/poa-kg/id/statement/revcon3-2018/main/para_11"
SUITE_DOCUMENT = "http://kasei.us/2009/09/sparql/data/data1.rdf"
LOOKUP = "SELECT ?p ?o WHERE { <%s> ?p ?o }"
VIA_WORKER = "SELECT ?p ?o WHERE { <%s> ?p ?o FILTER(true) }"
_THOUSAND = " ".join(str(i) for i in range(1000))
SLOW = (  # counts 10^9 rows: only the deadline stops it
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_THOUSAND} }} VALUES ?b {{ {_THOUSAND} }} "
    f"VALUES ?c {{ {_THOUSAND} }} }}"
)
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store_dir = tmp_path_factory.mktemp("lookups") / "store"
    publish_store(ROOT / "data" / "turtle", store_dir, ROOT / "ontology" / "poa.ttl")
    return store_dir


@pytest.fixture(scope="module")
def url(store_dir: Path) -> Iterator[str]:
    settings = Settings(
        store_dir=store_dir,
        port=free_port(),
        workers=1,
        queue_size=1,
        deadline=1.5,
        row_cap=5,
        memory_quads=0,  # the worker reads the disk too: a new version opens at once
    )
    yield from serve(settings)


def ask(url: str, query: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{url}/sparql", params={"query": query}, headers={**JSON, **headers})


def rows(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    return sorted(
        (b["p"]["value"], b["o"]["value"]) for b in response.json()["results"]["bindings"]
    )


def test_a_lookup_answers_what_the_worker_answers(url: str) -> None:
    subject = "https://w3id.org/poa-kg/id/scheme/states"  # more triples than the cap
    here, there = ask(url, LOOKUP % subject), ask(url, VIA_WORKER % subject)
    assert len(rows(here)) == len(rows(there)) == 5
    for name in ("X-Result-Truncated", "X-Result-Rows", "X-Result-Cap"):
        assert here.headers.get(name) == there.headers.get(name), name
    assert here.headers["X-Result-Truncated"] == "true"
    small = f"{STATEMENT}#target"  # its selector: four triples, under the cap
    here_rows, there_rows = rows(ask(url, LOOKUP % small)), rows(ask(url, VIA_WORKER % small))
    assert here_rows == there_rows
    assert here_rows


def test_a_malformed_lookup_gets_the_workers_error(url: str) -> None:
    here = ask(url, "SELECT ?p WHERE { nope:s ?p ?o }")
    there = ask(url, "SELECT ?p WHERE { nope:s ?p ?o FILTER(true) }")
    assert here.status_code == there.status_code == 400
    assert here.json()["detail"] == there.json()["detail"]
    assert "nope" in here.json()["detail"]


def test_a_lookup_reads_the_store_published_after_it_started(url: str, store_dir: Path) -> None:
    assert rows(ask(url, LOOKUP % SUITE_DOCUMENT)) == []
    publish_store(
        ROOT / "data" / "turtle",
        store_dir,
        ROOT / "ontology" / "poa.ttl",
        quads=(PROTOCOL / "data" / "dataset.nq",),
    )
    found = rows(ask(url, LOOKUP % SUITE_DOCUMENT))
    assert found
    assert found == rows(ask(url, VIA_WORKER % SUITE_DOCUMENT))


# last: the worker it stops at the deadline takes a while to be replaced
def test_a_lookup_answers_while_the_only_worker_is_busy_and_the_line_is_full(url: str) -> None:
    async def scenario() -> tuple[list[int], int, float, int]:
        async with httpx.AsyncClient(base_url=url, timeout=30, headers=JSON) as client:
            slow = [
                asyncio.create_task(client.get("/sparql", params={"query": SLOW + f" # {i}"}))
                for i in range(2)
            ]
            await asyncio.sleep(0.3)  # the worker computes one, the other waits
            queued = await client.get("/sparql", params={"query": VIA_WORKER % STATEMENT})
            started = time.monotonic()
            lookup = await client.get("/sparql", params={"query": LOOKUP % STATEMENT})
            seconds = time.monotonic() - started
            statuses = [r.status_code for r in await asyncio.gather(*slow)]
            return statuses, queued.status_code, seconds, lookup.status_code

    slow_statuses, queued_status, seconds, lookup_status = asyncio.run(scenario())
    assert queued_status == 429  # the worker and its waiting place were taken
    assert lookup_status == 200
    assert seconds < 1.0  # it did not wait for the deadline-length query
    assert set(slow_statuses) <= {503, 429}
