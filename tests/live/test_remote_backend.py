"""The external backend against a real Oxigraph server that the test starts (serve-read-only,
union default graph, loopback): REST and SPARQL answer as with the embedded store."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from poa_kg.config import BackendKind, Settings
from poa_kg.store import current_version
from tests.live.conftest import PROTOCOL, free_port, serve, store_with_suite

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("oxigraph")
    store = current_version(store_with_suite(root)).path
    port = free_port()
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert binary is not None, "the oxigraph server (PyPI package 'oxigraph') is not installed"
    process = subprocess.Popen(  # noqa: S603 - our own server binary on loopback
        [
            binary,
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("oxigraph server did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote_url(oxigraph_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        backend=BackendKind.remote,
        sparql_endpoint=f"{oxigraph_url}/query",
        store_dir=tmp_path_factory.mktemp("unused"),
        port=free_port(),
        deadline=5.0,
        row_cap=1000,
    )
    yield from serve(settings)


def test_rest_answers_match_the_embedded_store(remote_url: str, live_url: str) -> None:
    for path, params in (
        ("/commitments", {"actor": "interpol", "per_page": 500}),
        ("/commitments", {"theme": "tracing", "strength": "effort"}),
        ("/votes", {}),
        ("/commitments/revcon3-2018/annex/sec_II__para_13", {}),
        ("/states/USA/votes", {}),
    ):
        remote = httpx.get(f"{remote_url}{path}", params=params)
        embedded = httpx.get(f"{live_url}{path}", params=params)
        assert remote.status_code == 200, (path, remote.text)
        assert _without_links(remote.json()) == _without_links(embedded.json()), path


def _without_links(body: object) -> object:
    """The same answer, less the links to the serving host (the two servers differ in port)."""
    if isinstance(body, dict):
        return {k: _without_links(v) for k, v in body.items() if k != "links"}
    if isinstance(body, list):
        return [_without_links(v) for v in body]
    return body


def test_sparql_through_the_remote_backend_passes_the_w3c_suite(remote_url: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own runner and server
        [sys.executable, str(PROTOCOL / "run.py"), "--endpoint", f"{remote_url}/sparql"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("39 passed, 0 failed")


def test_row_cap_holds_on_the_remote_backend(remote_url: str) -> None:
    response = httpx.get(
        f"{remote_url}/sparql",
        params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/tab-separated-values"},
    )
    assert response.headers["x-result-truncated"] == "true"
    assert len(response.text.strip().splitlines()) == 1 + 1000
