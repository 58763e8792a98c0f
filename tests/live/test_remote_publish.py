"""Publishing a new build into a running Virtuoso (``scripts/virtuoso.py --publish-to``): one
transaction, after which poa-kg's remote backend reads the new content hash from the manifest and
its cached answers refresh (issue 24). Readers of Virtuoso's endpoint may see the publication
half done (its SPARQL reads are uncommitted reads); this test records what they saw."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from poa_kg.config import ROOT
from poa_kg.serve.publication import content_hash
from poa_kg.serve.remote import MANIFEST_TTL, RemoteBackend
from poa_kg.serve.sparql import QueryJob
from scripts import virtuoso
from tests.live.remote_engines import remote_settings

pytestmark = pytest.mark.live

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _build(root: Path, documents: tuple[str, ...]) -> list[tuple[Path, str | None]]:
    """A build of the vocabularies and some documents (a copy: the checkout may change)."""
    turtle = root / "turtle"
    turtle.mkdir(parents=True)
    for path in (ROOT / "data" / "turtle").glob("*.ttl"):
        if path.stem.startswith("vocab-") or path.stem in documents:
            shutil.copy(path, turtle / path.name)
    return virtuoso.graph_files(turtle, None)


def _count(endpoint: str) -> int:
    answer = httpx.get(
        endpoint, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=60
    )
    return int(answer.text.splitlines()[1])


def test_publish_replaces_the_build_and_the_backend_follows(tmp_path: Path) -> None:
    first = _build(tmp_path / "a", ("revcon3-2018",))
    second = _build(tmp_path / "b", ("revcon3-2018", "bms8-2022-draft"))
    with virtuoso.running(first, folder=tmp_path / "engine") as server:
        before = _count(server.endpoint)
        seen: set[int] = set()
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                with contextlib.suppress(httpx.HTTPError, ValueError, IndexError):
                    seen.add(_count(server.endpoint))  # an error page mid-way is no count

        async def version_and_count() -> tuple[str, bytes]:
            backend = RemoteBackend(remote_settings(server.endpoint, tmp_path))
            await backend.start()
            try:
                job = QueryJob(COUNT, "text/csv", 10, "http://127.0.0.1/sparql")
                answer = await backend.run(job, 30.0)
                return backend.version(), answer.body
            finally:
                await backend.close()

        version, answer = asyncio.run(version_and_count())
        assert version == content_hash([path for path, _graph in first])

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            server.publish(second, tmp_path / "stage")
        finally:
            done.set()
            watcher.join(timeout=60)
        after = _count(server.endpoint)
        assert after > before
        assert after in seen or before in seen  # the watcher read the engine meanwhile

        time.sleep(MANIFEST_TTL)
        version, answer_after = asyncio.run(version_and_count())
        assert version == content_hash([path for path, _graph in second])
        assert answer_after != answer
