"""Two real SPARQL engines for the remote backend, each started by the tests on loopback and
loaded like the embedded store (the build's Turtle files one named graph per file, the ontology,
the Protocol suite's graphs) plus the publication manifest (``poa_kg.serve.publication``):

- Oxigraph's own server (``oxigraph serve-read-only``, PyPI package ``oxigraph``);
- Virtuoso 7.2.5 from Debian's ``virtuoso-opensource`` (``scripts/virtuoso.py``: temporary
  folder, random ports and DBA password, anonymous user read-only).

``engine_endpoint`` is parametrised over both; ``remote_url`` is poa-kg served on it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from poa_kg.config import ROOT, BackendKind, Settings
from poa_kg.namespaces import GRAPH
from poa_kg.serve.store import StoreVersion, publish_store
from scripts import virtuoso
from tests.live.conftest import PROTOCOL, free_port, serve

ENGINES = ("oxigraph", "virtuoso")


Pairs = list[tuple[Path, str | None]]


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Pairs:
    """A snapshot of the build's Turtle files and the ontology (the checkout may be rebuilt while
    the tests run), with the Protocol suite's graphs: what every engine here is loaded with."""
    root = tmp_path_factory.mktemp("published")
    shutil.copytree(ROOT / "data" / "turtle", root / "turtle")
    shutil.copy(ROOT / "ontology" / "poa.ttl", root / "poa.ttl")
    return virtuoso.graph_files(
        root / "turtle", root / "poa.ttl", (PROTOCOL / "data" / "dataset.nq",)
    )


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url, params={"query": "ASK {}"}).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"{url} did not start")
        time.sleep(0.1)


def embedded_store(pairs: Pairs, root: Path) -> StoreVersion:
    """The pairs published as the embedded store (``publish_store``'s own layout)."""
    turtle, ontology = pairs[0][0].parent, next(p for p, g in pairs if g == f"{GRAPH}ontology")
    quads = tuple(path for path, graph in pairs if graph is None)
    return publish_store(turtle, root / "store", ontology, quads=quads)


def oxigraph_server(pairs: Pairs, root: Path) -> Iterator[str]:
    store = embedded_store(pairs, root)  # publish_store writes the publication manifest itself
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert binary is not None, "the oxigraph server (PyPI package 'oxigraph') is not installed"
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own server binary on loopback
        [
            binary,
            "serve-read-only",
            "--location",
            str(store.path),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def virtuoso_server(pairs: Pairs, root: Path) -> Iterator[str]:
    with virtuoso.running(pairs, folder=root) as server:
        yield server.endpoint


@pytest.fixture(scope="session", params=ENGINES)
def engine_endpoint(
    request: pytest.FixtureRequest, published: Pairs, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The query URL of a real SPARQL engine holding the published graphs."""
    root = tmp_path_factory.mktemp(request.param)
    starter = oxigraph_server if request.param == "oxigraph" else virtuoso_server
    yield from starter(published, root)


def remote_settings(endpoint: str, root: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "backend": BackendKind.remote,
        "sparql_endpoint": endpoint,
        "store_dir": root,
        "port": free_port(),
        "deadline": 10.0,
        "row_cap": 1000,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def remote_url(engine_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """poa-kg with ``POA_KG_BACKEND=remote`` on the engine."""
    yield from serve(remote_settings(engine_endpoint, tmp_path_factory.mktemp("unused")))
