"""A real server on loopback: uvicorn in a thread on a free port, over a store that holds the
published graph plus the SPARQL Protocol suite's three test graphs."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from api.server import server_config
from poa_kg.config import ROOT, Settings
from poa_kg.serve.dump import dump
from poa_kg.serve.store import current_version, publish_store

PROTOCOL = ROOT / "tests" / "data" / "sparql-protocol"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(settings: Settings) -> Iterator[str]:
    """Run the app in a thread until the fixture ends; yield its base URL."""
    server = uvicorn.Server(server_config(create_app(settings), settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield settings.base_url
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def with_downloads(settings: Settings) -> None:
    """Write the downloads of the settings' store, as ``poa-kg serve`` does before it serves."""
    version = current_version(settings.store_dir)
    dump(version.path, version.content_hash, settings.downloads_dir, settings.base_url)


def store_with_suite(root: Path) -> Path:
    store_dir = root / "store"
    publish_store(
        ROOT / "data" / "turtle",
        store_dir,
        ROOT / "ontology" / "poa.ttl",
        quads=(PROTOCOL / "data" / "dataset.nq",),
    )
    return store_dir


@pytest.fixture(scope="session")
def live_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("live")
    settings = Settings(
        store_dir=store_with_suite(root),
        downloads_dir=root / "downloads",
        port=free_port(),
        workers=2,
        queue_size=8,
        deadline=3.0,
        row_cap=1000,
        cors_origins=["*"],
    )
    with_downloads(settings)
    return settings


@pytest.fixture(scope="session")
def live_url(live_settings: Settings) -> Iterator[str]:
    yield from serve(live_settings)


@pytest.fixture(scope="module")
def tight_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One worker, one waiting place and a short deadline: to see 429 and 503 happen."""
    root = tmp_path_factory.mktemp("tight")
    settings = Settings(
        store_dir=store_with_suite(root), port=free_port(), workers=1, queue_size=1, deadline=1.5
    )
    yield from serve(settings)
