"""A new build swaps the served graph between requests: readers see the old graph or the new
one, never a half-loaded one, and no request fails while it happens."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from poa_kg.config import ROOT, Settings
from poa_kg.serve.store import publish_store
from tests.live.conftest import free_port, serve

pytestmark = pytest.mark.live
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def reload_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    root = tmp_path_factory.mktemp("reload")
    full, partial = root / "full", root / "partial"
    shutil.copytree(ROOT / "data" / "turtle", full)
    shutil.copytree(ROOT / "data" / "turtle", partial)
    (partial / "quality.ttl").unlink()
    store_dir = root / "store"
    publish_store(full, store_dir)
    settings = Settings(store_dir=store_dir, port=free_port(), workers=2)
    for url in serve(settings):
        yield url, store_dir, partial


def count(url: str) -> int:
    response = httpx.get(f"{url}/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    return int(response.text.splitlines()[1])


def test_new_store_is_picked_up_and_no_request_fails(reload_setup: tuple[str, Path, Path]) -> None:
    url, store_dir, partial = reload_setup
    before = count(url)
    seen: set[int] = set()
    failures: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            try:
                seen.add(count(url))
            except (AssertionError, httpx.HTTPError) as err:
                failures.append(repr(err))

    threads = [threading.Thread(target=hammer, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        version = publish_store(partial, store_dir)
        after = count(url)
    finally:  # a failure above must not leave the threads hammering the server
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []
    assert after < before
    assert seen <= {before, after}  # old graph or new graph, nothing in between
    assert httpx.get(f"{url}/health").json()["data"] == version.content_hash
