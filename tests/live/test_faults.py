"""Faults: a build killed half way leaves the published Turtle and the store as they were; a store
publication killed half way leaves ``current`` on the previous store, which still answers; a
server killed with SIGKILL reopens the persistent store with the same contents."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from poa_kg.config import ROOT
from poa_kg.serve.store import current_version, open_store, publish_store
from tests.conftest import write_source
from tests.live.conftest import free_port

pytestmark = [pytest.mark.live, pytest.mark.slow]

POA_KG = [sys.executable, "-m", "poa_kg.cli"]
TURTLE = ROOT / "data" / "turtle"
ONTOLOGY = ROOT / "ontology" / "poa.ttl"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _kill_when(process: subprocess.Popen[str], marker: str, timeout: float = 120) -> str:
    """Read the process's stderr until ``marker`` appears, then SIGKILL it; return what it said."""
    assert process.stderr is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen += line
        if marker in line:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    return seen


def test_a_build_killed_half_way_leaves_the_published_graph(tmp_path: Path) -> None:
    out = tmp_path / "turtle"
    env = {
        **os.environ,
        "POA_KG_STORE_DIR": str(tmp_path / "store"),
        "POA_KG_TURTLE_DIR": str(out),  # the published folder: the build also publishes the store
    }
    # what a finished build leaves: the published Turtle (data/turtle is a build's output, byte
    # for byte: test_build) and the store made from it
    out.mkdir()
    for path in TURTLE.iterdir():
        (out / path.name).write_bytes(path.read_bytes())
    version = publish_store(out, tmp_path / "store", ONTOLOGY)
    before = _tree(out)
    # the second build, of one more document (its output would differ), is killed while it
    # validates: everything parsed and turned into RDF, nothing published yet
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in (ROOT / "data" / "sources").iterdir():
        if path.is_file():
            (sources / path.name).write_bytes(path.read_bytes())
    write_source(sources, "extra-2030", "1. To establish national laws with INTERPOL.\n")
    process = subprocess.Popen(  # noqa: S603 - our own command
        [*POA_KG, "build", "--sources", str(sources)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    said = _kill_when(process, "validate")
    assert "validate" in said and process.returncode == -signal.SIGKILL
    assert _tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "staging left in place"
    assert "extra-2030.ttl" not in {p.name for p in out.iterdir()}
    assert current_version(tmp_path / "store") == version
    store = open_store(current_version(tmp_path / "store"))  # the previous graph still answers
    assert len(store) == version.quads


def test_a_store_publication_killed_half_way_keeps_the_previous_store(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    old = publish_store(TURTLE, store_dir, ONTOLOGY)
    bigger = tmp_path / "bigger"
    bigger.mkdir()
    for path in TURTLE.glob("*.ttl"):
        (bigger / path.name).write_bytes(path.read_bytes())
    # a new content hash, and a load long enough to be killed during it
    (bigger / "extra.ttl").write_text(
        "".join(f"<urn:s{i}> <urn:p> {i} .\n" for i in range(400_000)), encoding="utf-8"
    )
    code = (
        "import sys; from pathlib import Path; from poa_kg.serve.store import publish_store; "
        "print('loading', file=sys.stderr, flush=True); "
        f"publish_store(Path({str(bigger)!r}), Path({str(store_dir)!r}), Path({str(ONTOLOGY)!r}))"
    )
    process = subprocess.Popen(  # noqa: S603 - our own code
        [sys.executable, "-c", code], stderr=subprocess.PIPE, text=True
    )
    _kill_when(process, "loading")
    assert process.returncode == -signal.SIGKILL
    assert current_version(store_dir) == old
    store = open_store(current_version(store_dir))
    assert len(store) == old.quads


def test_the_persistent_store_reopens_after_a_kill(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    publish_store(TURTLE, store_dir, ONTOLOGY)
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    answers = []
    for _attempt in range(2):
        port = free_port()
        env = {**os.environ, "POA_KG_STORE_DIR": str(store_dir), "POA_KG_PORT": str(port)}
        server = subprocess.Popen(  # noqa: S603 - our own command
            [*POA_KG, "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
            response = httpx.get(
                f"{url}/sparql", params=query, headers={"Accept": "text/csv"}, timeout=30
            )
            answers.append(response.text)
            figures = httpx.get(f"{url}/stats", timeout=30).json()["figures"]
            answers.append(str(sorted(figures.items())))
        finally:
            os.killpg(server.pid, signal.SIGKILL)  # server and its workers, no clean shutdown
            server.wait(timeout=30)
    assert answers[0] == answers[2] and answers[1] == answers[3]
    assert int(answers[0].split()[-1]) > 50_000
