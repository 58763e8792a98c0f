"""The attack suite: every request an attack run on a live server found to misbehave, with the
status it must now get, run against a real ``poa-kg serve`` on loopback.

    uv run python -m bench.attack             # the long form: 5 rounds, default settings
    uv run python -m bench.attack --rounds 1  # what the live test runs, plus its assertions

Each case is one request (or a raw exchange on a socket) and the statuses it may answer; a loopback
listener counts connections (a SERVICE that got through would reach it); the proportional set size
(PSS) of the server and all its workers is sampled every half second. Then two deadline-length
queries run while a client measures cheap queries, and the memory is followed for 30 s after the
attack. Results: ``build/bench/attack-{time}.json`` and a table on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.__main__ import BIN, OUT, free_port, pss_mib
from poa_kg.config import ROOT
from poa_kg.serve.store import publish_store

JSON = "application/sparql-results+json"
PROBLEM = "application/problem+json"
FRANCE = "https://w3id.org/poa-kg/id/state/FRA"


class Listener:
    """A loopback TCP listener counting the connections it receives."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.socket.close()


@dataclass
class Outcome:
    name: str
    status: int
    expected: tuple[int, ...]
    seconds: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status in self.expected and not self.note.startswith("FAIL")


@dataclass
class Case:
    """One attack: ``send(base_url, listener_port) -> (status, note)``; note starting with FAIL
    marks a wrong answer even with a right status."""

    name: str
    expected: tuple[int, ...]
    send: Callable[[str, int], tuple[int, str]]


def _sparql(query: str, **headers: str) -> Callable[[str, int], tuple[int, str]]:
    def send(url: str, port: int) -> tuple[int, str]:
        text = query.replace("{PORT}", str(port))
        response = httpx.post(
            f"{url}/sparql",
            content=text.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": JSON, **headers},
            timeout=60,
        )
        note = ""
        if response.status_code >= 400 and response.headers.get("content-type") != PROBLEM:
            note = f"FAIL: {response.status_code} as {response.headers.get('content-type')}"
        if response.headers.get("x-result-truncated"):
            note = f"cut at {len(response.content)} bytes"
        return response.status_code, note

    return send


def _get(path: str, check: Callable[[httpx.Response], str] = lambda _r: "", **headers: str):  # type: ignore[no-untyped-def]
    def send(url: str, _port: int) -> tuple[int, str]:
        response = httpx.get(f"{url}{path}", headers=headers, timeout=60)
        return response.status_code, check(response)

    return send


def _raw(data: bytes, wait: float) -> Callable[[str, int], tuple[int, str]]:
    """Send bytes as they are and read what comes back within ``wait`` seconds."""

    def send(url: str, _port: int) -> tuple[int, str]:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=wait) as connection:
            with contextlib.suppress(OSError):  # the server may close first: that is the point
                connection.sendall(data)
            connection.settimeout(wait)
            try:
                reply = connection.recv(4096)
            except TimeoutError:
                return 0, "FAIL: still open"
            except OSError:
                return 0, "closed"
        line = reply.split(b"\r\n", 1)[0].decode(errors="replace")
        return (int(line.split()[1]) if line.startswith("HTTP/") else 0), line

    return send


def _no_evil(response: httpx.Response) -> str:
    reflected = [h for h in ("location", "link") if "evil.example" in response.headers.get(h, "")]
    return f"FAIL: Host reflected in {reflected}" if reflected else ""


def _safe_disposition(response: httpx.Response) -> str:
    disposition = response.headers.get("content-disposition", "")
    try:
        disposition.encode("latin-1")
    except UnicodeEncodeError:
        return "FAIL: header not Latin-1"
    return ""


def cases() -> list[Case]:
    service = "SERVICE <http://127.0.0.1:{PORT}/sparql> { ?x ?y ?z }"
    operators = " AS ?x) }"
    return [
        Case(
            "service after ?o.", (403,), _sparql(f"SELECT * WHERE {{ <{FRANCE}> a ?o.{service} }}")
        ),
        Case("service after $o.", (403,), _sparql(f"SELECT * WHERE {{ ?s ?p $o.{service} }}")),
        Case("service after @en.", (403,), _sparql(f'SELECT * WHERE {{ ?s ?p "x"@en.{service} }}')),
        Case("service after true.", (403,), _sparql(f"SELECT * WHERE {{ ?s ?p true.{service} }}")),
        Case(
            "service after e:\\#",
            (403,),
            _sparql(f"PREFIX e: <urn:> SELECT * WHERE {{ ?s a e:\\#Commitment . {service} }}"),
        ),
        Case(
            "service after e:\\'",
            (403,),
            _sparql(f"PREFIX e: <urn:> SELECT * WHERE {{ ?s a e:\\'x . {service} }}"),
        ),
        Case(
            "service after a fake IRI",
            (403,),
            _sparql("SELECT * WHERE { ?s ?p ?o FILTER(?o<1)SERVICE ?o#>\n{ ?x ?y ?z } }"),
        ),
        Case(
            "3,000 braces after e:\\#",
            (403,),
            _sparql(
                "PREFIX e: <urn:> SELECT * WHERE { ?s a e:\\#x . " + "{" * 3000 + "}" * 3000 + "}"
            ),
        ),
        Case(
            "10,000 additions",
            (403,),
            _sparql("SELECT * WHERE { BIND(" + "+".join(["1"] * 10_000) + operators),
        ),
        Case(
            "10,000 negations",
            (403,),
            _sparql("SELECT * WHERE { BIND(" + "!" * 10_000 + "true" + operators),
        ),
        Case(
            "5,000 unions",
            (403,),
            _sparql("SELECT * WHERE { " + " UNION ".join(["{ BIND(1 AS ?x) }"] * 5000) + " }"),
        ),
        Case("unknown function", (200, 400), _sparql("SELECT * WHERE { BIND(<urn:f>(1) AS ?x) }")),
        Case(
            "sort of a cartesian product",
            (503,),
            _sparql("SELECT * WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY DESC(?c) ?f LIMIT 1"),
        ),
        Case(
            "10,000 rows of doubled strings",
            (200, 503),
            _sparql(
                "SELECT ?x WHERE { ?s ?p ?o BIND(CONCAT(STR(?o),STR(?o),STR(?o),STR(?o)) AS ?a) "
                "BIND(CONCAT(?a,?a,?a,?a,?a,?a,?a,?a) AS ?b) BIND(CONCAT(?b,?b,?b,?b,?b,?b,?b,?b) "
                "AS ?x) } LIMIT 10000"
            ),
        ),
        Case("2 MB Origin", (431,), _get("/sparql?query=ASK%7B%7D", Origin="o" * 2_000_000)),
        Case("8 MB Accept", (431,), _get("/sparql?query=ASK%7B%7D", Accept="a" * 8_000_000)),
        Case("40 KB request target", (414,), _get("/sparql?query=" + "%20" * 14_000 + "ASK%7B%7D")),
        Case(
            "Host reflected in Location",
            (303,),
            _get("/id/state/FRA", _no_evil, Host="evil.example", Accept="text/html"),
        ),
        Case(
            "Host reflected in Link",
            (200,),
            _get("/commitments?per_page=1", _no_evil, Host="evil.example"),
        ),
        Case(
            "non-Latin-1 IRI in an export's file name",
            (200, 400),
            _get(
                "/exports/entities.gexf?meeting=https://w3id.org/poa-kg/id/meeting/%E4%B8%AD",
                _safe_disposition,
            ),
        ),
        Case(
            "half-sent request", (408, 0), _raw(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ", 20)
        ),
        Case("request line never sent", (408, 0), _raw(b"", 20)),
    ]


# ---------------------------------------------------------------------- the server


@contextmanager
def server(root: Path = ROOT, **settings: str) -> Iterator[tuple[str, int]]:
    """``poa-kg serve`` on a free loopback port over the graph published under ``root``
    (``data/turtle`` and ``ontology``): (base URL, pid)."""
    store_dir = OUT / f"store-attack-{os.getpid()}"
    shutil.rmtree(store_dir, ignore_errors=True)
    publish_store(root / "data" / "turtle", store_dir, root / "ontology" / "poa.ttl")
    port = free_port()
    environment = {f"POA_KG_{name.upper()}": value for name, value in settings.items()}
    env = {
        **os.environ,
        "POA_KG_STORE_DIR": str(store_dir),
        "POA_KG_TURTLE_DIR": str(root / "data" / "turtle"),
        "POA_KG_ONTOLOGY_DIR": str(root / "ontology"),
        "POA_KG_PORT": str(port),
    }
    process = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [str(BIN / "poa-kg"), "serve"],
        env={**env, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(store_dir, ignore_errors=True)


@dataclass
class Memory:
    """PSS of the server and its workers, sampled in the background."""

    pid: int
    samples: list[tuple[float, float]] = field(default_factory=list)
    running: bool = True

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while self.running:
            self.samples.append((round(time.monotonic() - self.started, 1), pss_mib(self.pid)))
            time.sleep(0.5)

    def peak(self) -> float:
        return max(value for _t, value in self.samples)


def run_cases(url: str, listener: Listener) -> list[Outcome]:
    outcomes = []
    for case in cases():
        started = time.monotonic()
        status, note = case.send(url, listener.port)
        outcomes.append(Outcome(case.name, status, case.expected, time.monotonic() - started, note))
    return outcomes


def cheap_while_slow(url: str, deadline: float, slow: int = 2) -> dict[str, Any]:
    """Latency of cheap queries (one client) while ``slow`` deadline-length queries run."""
    long_query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    statuses: list[int] = []

    def run_slow() -> None:
        response = httpx.get(f"{url}/sparql", params={"query": long_query}, timeout=60)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=run_slow) for _ in range(slow)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # both are long by now
    timings: list[float] = []
    failed = 0
    with httpx.Client(timeout=30) as client:
        number = 0
        stop = time.monotonic() + max(1.0, deadline - 2.0)
        while time.monotonic() < stop:
            number += 1
            query = f"SELECT ?p ?o WHERE {{ <{FRANCE}> ?p ?o }} LIMIT {number}"  # new text
            started = time.monotonic()
            response = client.get(f"{url}/sparql", params={"query": query})
            timings.append(time.monotonic() - started)
            failed += response.status_code != 200
    for thread in threads:
        thread.join()
    timings.sort()
    return {
        "requests": len(timings),
        "failed": failed,
        "p50_ms": round(1000 * timings[len(timings) // 2], 1),
        "p99_ms": round(1000 * timings[int(len(timings) * 0.99) - 1], 1),
        "slow_statuses": sorted(statuses),
    }


def attack(
    url: str, pid: int, rounds: int, deadline: float, settle: float, back_mib: float | None = None
) -> dict[str, Any]:
    """Every case ``rounds`` times, then cheap-under-slow, then ``settle`` seconds of quiet (cut
    short once the memory is back within ``back_mib`` of idle, when given)."""
    listener = Listener()
    memory = Memory(pid)
    idle = pss_mib(pid)
    outcomes: list[Outcome] = []
    for _ in range(rounds):
        outcomes += run_cases(url, listener)
    latency = cheap_while_slow(url, deadline)
    under_attack = memory.peak()
    quiet = time.monotonic()
    while time.monotonic() - quiet < settle:
        if back_mib is not None and pss_mib(pid) <= idle + back_mib:
            break
        time.sleep(0.5)
    settled = time.monotonic() - quiet
    memory.running = False
    listener.close()
    return {
        "outcomes": [outcome.__dict__ | {"ok": outcome.ok} for outcome in outcomes],
        "connections_at_listener": listener.connections,
        "pss_idle_mib": round(idle, 1),
        "pss_peak_mib": round(under_attack, 1),
        "pss_after_mib": round(pss_mib(pid), 1),
        "settle_s": round(settled, 1),
        "cheap_while_two_slow": latency,
        "memory_samples": memory.samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="times each case is sent")
    parser.add_argument("--settle", type=float, default=30.0, help="seconds watched after")
    parser.add_argument("--deadline", type=float, default=10.0, help="the server's deadline")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose graph is served")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with server(args.root, deadline=str(args.deadline), request_timeout="5") as (url, pid):
        report = attack(url, pid, args.rounds, deadline=args.deadline, settle=args.settle)
    path = OUT / f"attack-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    for outcome in report["outcomes"][: len(cases())]:
        mark = "ok " if outcome["ok"] else "BAD"
        status, seconds = outcome["status"], outcome["seconds"]
        print(f"{mark} {status:>3} {seconds:6.2f}s  {outcome['name']}  {outcome['note']}")
    bad = sum(not outcome["ok"] for outcome in report["outcomes"])
    seen = report["connections_at_listener"]
    print(f"\n{len(report['outcomes'])} requests, {bad} wrong; listener saw {seen} connections")
    print(
        f"PSS (server + workers): idle {report['pss_idle_mib']} MiB, peak "
        f"{report['pss_peak_mib']} MiB, {report['settle_s']:g} s after "
        f"{report['pss_after_mib']} MiB"
    )
    cheap = report["cheap_while_two_slow"]
    print(
        f"cheap queries while two deadline-length queries run: {cheap['requests']} requests, "
        f"p50 {cheap['p50_ms']} ms, p99 {cheap['p99_ms']} ms, {cheap['failed']} failed; "
        f"slow ones answered {cheap['slow_statuses']}"
    )
    print(f"saved {path}")


if __name__ == "__main__":
    main()
