"""``poa-kg publish --to URL`` into each real engine the tests start (Oxigraph's server, writable;
Virtuoso 7.2.5): version A is published, then version B while readers poll the engine's
endpoint without pause; every count and every manifest hash they saw must be A's or B's, and
never A's again once B's was seen. A publication that fails (a file that does not parse, an
engine that refuses) exits with an error naming the file or the address, and B stays served.
Then poa-kg's remote backend reads B's data version from the manifest (issue 24)."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from poa_kg.cli import main
from poa_kg.config import ROOT
from poa_kg.errors import PublishError
from poa_kg.ingest.publish_remote import Target, publish_remote, read_publication
from poa_kg.ingest.publish_remote import oxigraph as oxigraph_publisher
from poa_kg.ingest.publish_remote import virtuoso as virtuoso_publisher
from poa_kg.ingest.publish_remote.virtuoso import STAGING
from poa_kg.serve.publication import PUBLICATION, SHA256
from poa_kg.serve.remote import MANIFEST_TTL, RemoteBackend
from scripts import virtuoso
from tests.live.conftest import free_port
from tests.live.remote_engines import remote_settings

pytestmark = pytest.mark.live

UNION = ("--union-default-graph",)  # as the tests serve the embedded layout read-only
STATE = f"""SELECT ?n ?h WHERE {{
  {{ SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} }}
  OPTIONAL {{ GRAPH <{PUBLICATION}> {{ <{PUBLICATION}> <{SHA256}> ?h }} }}
}}"""


@dataclass
class Engine:
    name: str
    to: str  # what `poa-kg publish --to` takes
    endpoint: str  # where readers query
    stage: Path
    password_file: Path | None = None
    server: virtuoso.Virtuoso | None = None


def _oxigraph(root: Path) -> Iterator[Engine]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert binary is not None, "the oxigraph server (PyPI package 'oxigraph') is not installed"
    port, location = free_port(), root / "db"
    location.mkdir(parents=True)
    process = subprocess.Popen(  # noqa: S603 - our own server binary on loopback
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *UNION],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "oxigraph did not start"
            time.sleep(0.1)
        yield Engine("oxigraph", base, f"{base}/query", root / "stage")
    finally:
        process.terminate()
        process.wait(timeout=10)


def _virtuoso(root: Path) -> Iterator[Engine]:
    server = virtuoso.Virtuoso(root / "db")
    stage = root / "stage"
    stage.mkdir(parents=True)
    server.start(dirs_allowed=[stage])
    try:
        server.load([])  # the anonymous user reads granted graphs only
        password = root / "password"
        password.write_text(server.password, encoding="utf-8")
        to = f"virtuoso://127.0.0.1:{server.sql_port}"
        yield Engine("virtuoso", to, server.endpoint, stage, password, server)
    finally:
        server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    starter = _oxigraph if request.param == "oxigraph" else _virtuoso
    yield from starter(tmp_path / request.param)


def _build(root: Path, documents: tuple[str, ...], broken: bool = False) -> Path:
    """A copy of the vocabularies and some documents of the build (the checkout may change)."""
    turtle = root / "turtle"
    turtle.mkdir(parents=True)
    for path in (ROOT / "data" / "turtle").glob("*.ttl"):
        if path.stem.startswith("vocab-") or path.stem in documents:
            shutil.copy(path, turtle / path.name)
    if broken:
        (turtle / "zz-broken.ttl").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    return turtle


def _publish(engine: Engine, turtle: Path) -> int:
    args = ["publish", "--to", engine.to, "--turtle", str(turtle), "--stage", str(engine.stage)]
    if engine.password_file is not None:
        args += ["--password-file", str(engine.password_file)]
    return main(args)


def _ask(client: httpx.Client, endpoint: str) -> str:
    """The engine's triple count and manifest hash, read by one query: "count/hash"."""
    answer = client.get(
        endpoint, params={"query": STATE}, headers={"Accept": "application/sparql-results+json"}
    )
    answer.raise_for_status()
    rows = answer.json()["results"]["bindings"]
    return ",".join(
        sorted(f"{row['n']['value']}/{row.get('h', {}).get('value', '')}" for row in rows)
    )


def _state(engine: Engine) -> str:
    with httpx.Client(timeout=30) as client:
        return _ask(client, engine.endpoint)


@dataclass(frozen=True)
class Read:
    start: float
    end: float
    value: str


def _switch_window(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Start and end of Virtuoso's switch transaction, filled in when it runs."""
    window: list[float] = []
    run = virtuoso_publisher._Server.sql

    def timed(self: virtuoso_publisher._Server, statements: str, timeout: float = 600) -> str:
        if "POA_KG_PUBLISH" not in statements:
            return run(self, statements, timeout)
        window.append(time.monotonic())
        try:
            return run(self, statements, timeout)
        finally:
            window.append(time.monotonic())

    monkeypatch.setattr(virtuoso_publisher._Server, "sql", timed)
    return window


def test_readers_see_a_or_b(
    engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # B drops a graph of A, keeps one and adds two
    a = _build(tmp_path / "a", ("ga-res-57-72-2002", "ga-res-58-241-2003"))
    b = _build(tmp_path / "b", ("ga-res-58-241-2003", "ga-res-59-86-2004", "ga-res-60-81-2005"))
    assert _publish(engine, a) == 0
    state_a = _state(engine)
    digest = read_publication(a, ROOT / "ontology" / "poa.ttl").content_hash
    assert state_a.endswith(f"/{digest}")

    window = _switch_window(monkeypatch)
    readers: list[list[Read]] = [[] for _ in range(2)]
    errors: list[Exception] = []
    done = threading.Event()

    def watch(reads: list[Read]) -> None:
        with httpx.Client(timeout=30) as client:
            while not done.is_set():
                try:
                    start = time.monotonic()
                    value = _ask(client, engine.endpoint)
                    reads.append(Read(start, time.monotonic(), value))
                except httpx.HTTPError as err:  # an engine that fails a read is a finding too
                    errors.append(err)

    threads = [threading.Thread(target=watch, args=(reads,)) for reads in readers]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        assert _publish(engine, b) == 0
        took = time.monotonic() - started
        time.sleep(0.3)
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    state_b = _state(engine)
    assert not errors
    old, new = state_a, state_b
    assert new.split("/")[0] != old.split("/")[0] and new.split("/")[1] != old.split("/")[1]
    mixed: list[Read] = []
    for reads in readers:
        assert reads[0].value == old and reads[-1].value == new
        values = [read.value for read in reads]
        mixed += [read for read in reads if read.value not in (old, new)]
        last_old = len(values) - 1 - values[::-1].index(old)
        assert new not in values[:last_old], "a reader saw B, then A again"
    if engine.name == "oxigraph":
        assert not mixed, f"readers saw a mix: {mixed}"
    else:
        # Virtuoso makes the commit visible row by row (docs/deployment.md): a reader may see a
        # mix while the switch transaction commits, and only then; never during the load
        assert len(window) == 2
        outside = [r for r in mixed if r.end < window[0] or r.start > window[1]]
        assert not outside, f"readers saw a mix outside the switch {window}: {outside}"
    reads = sum(len(r) for r in readers)
    switch = f", switch {window[1] - window[0]:.2f} s" if window else ""
    summary = f"{engine.name}: publish {took:.2f} s{switch}, {reads} reads, {len(mixed)} mixed"

    # A file that does not parse: nothing reaches the engine.
    broken = _build(tmp_path / "c", ("ga-res-57-72-2002",), broken=True)
    capsys.readouterr()
    assert _publish(engine, broken) == 2
    assert "zz-broken.ttl: does not parse" in capsys.readouterr().err
    assert _state(engine) == state_b

    # The engine fails half way, after the old graphs were dropped and the new ones inserted in
    # its transaction: Oxigraph at a LOAD it cannot fetch, Virtuoso at an error signalled just
    # before the commit. Then an address with no engine behind it.
    if engine.server is not None:
        switch = virtuoso_publisher._switch
        monkeypatch.setattr(
            virtuoso_publisher,
            "_switch",
            lambda drop, new: switch(drop, new).replace(
                "commit work;", "signal ('42000', 'failure injected before the commit');"
            ),
        )
        target = Target(engine.to, engine.server.password, engine.stage)
        refused = "failure injected"
    else:
        text = oxigraph_publisher.update_text
        monkeypatch.setattr(
            oxigraph_publisher,
            "update_text",
            lambda drop, graphs: text(drop, graphs) + f" ; LOAD <{engine.to}/nowhere>".encode(),
        )
        target = Target(engine.to)
        refused = "/update answered"
    with pytest.raises(PublishError, match=refused):
        publish_remote(a, ROOT / "ontology" / "poa.ttl", target)
    assert _state(engine) == state_b
    with pytest.raises(PublishError, match=r"127\.0\.0\.1:1\b"):
        publish_remote(a, None, Target(f"{engine.to.split(':')[0]}://127.0.0.1:1", "x", tmp_path))
    assert _state(engine) == state_b
    if engine.server is not None:  # and nothing staged is left behind
        leftover = engine.server.sql(
            f"SPARQL SELECT COUNT(*) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER (STRSTARTS (STR (?g), '{STAGING}')) }};"
        )
        assert re.findall(r"(\d+)\s*$", leftover, re.MULTILINE) == ["0"], leftover

    time.sleep(MANIFEST_TTL)
    assert asyncio.run(_backend_version(engine.endpoint, tmp_path)) == new.split("/")[1]
    print(f"{summary}; A {old}, B {new}")


async def _backend_version(endpoint: str, root: Path) -> str:
    backend = RemoteBackend(remote_settings(endpoint, root))
    await backend.start()
    try:
        return backend.version()
    finally:
        await backend.close()
