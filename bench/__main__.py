"""Serve the same data with poa-kg, Oxigraph's own server and rdflib-endpoint, and measure them
side by side with the same client: a lookup and a list query, distinct and repeated, latency with
one client and throughput with 8, memory summed over each server's processes (PSS), and the
in-process floor (the query run directly on a pyoxigraph store).

    uv run python -m bench                      # the real graph
    uv run python -m bench --synthetic 20       # ~1M triples: the corpus copied 20 times
    uv run python -m bench --servers poa-kg,oxigraph --seconds 5
    uv run python -m bench --report build/bench/results-real.json   # the ratios again
    uv run python -m bench --servers poa-kg,poa-kg-worker-lookups,oxigraph   # lookups in-process
                                                # and through the workers, side by side
    uv run python -m bench --servers poa-kg,python-floor,oxigraph   # and the least a Python
                                                # server does per request (bench/python_floor.py)

Results are printed as a table and written to build/bench/results-{dataset}.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import QueryResultsFormat, Store

from bench.synthetic import generate
from poa_kg.config import ROOT
from poa_kg.serve import queries
from poa_kg.serve.store import current_version, publish_store

OUT = ROOT / "build" / "bench"
BIN = Path(sys.executable).parent
POA = "https://w3id.org/poa-kg/ont#"

LOOKUP = "SELECT ?p ?o WHERE { <%s> ?p ?o }"


# The list query is the REST API's commitment list (commitments.rq), filtered by one actor: what a
# user's "commitments that engage X" request runs. Inlining the IRI is safe here: it comes from
# the store, not from a request.
LIST = queries.with_blocks(queries.load("commitments"), {"actor"}).replace(
    "?statement poa:engages ?actor .", "?statement poa:engages <%s> ."
)
assert "<%s>" in LIST


@dataclass
class Server:
    name: str
    path: str
    process: subprocess.Popen[bytes]
    port: int


@dataclass
class Measure:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p90_ms(self) -> float:
        if len(self.latencies) < 10:
            return float("nan")
        return statistics.quantiles(self.latencies, n=10)[-1] * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(
    port: int, path: str, process: subprocess.Popen[bytes], timeout: float = 900
) -> None:
    deadline = time.monotonic() + timeout
    query = urllib.parse.quote("ASK {}")
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request(
                "GET",
                f"{path}?query={query}",
                headers={"Accept": "application/sparql-results+json"},
            )
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server on port {port} not ready after {timeout} s")


def start(name: str, store_dir: Path, turtle_dir: Path) -> Server:
    port = free_port()
    if name in ("poa-kg", "poa-kg-worker-lookups"):
        env = {
            **os.environ,
            "POA_KG_STORE_DIR": str(store_dir),
            "POA_KG_TURTLE_DIR": str(turtle_dir),
            "POA_KG_PORT": str(port),
            "POA_KG_ROW_CAP": "100000",
            # the second name: every lookup through a worker, as before subject lookups
            "POA_KG_SUBJECT_LOOKUPS_IN_PROCESS": str(name == "poa-kg").lower(),
        }
        command, path = [str(BIN / "poa-kg"), "serve"], "/sparql"
    elif name == "oxigraph":
        env = dict(os.environ)
        location = str(current_version(store_dir).path)
        command = [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            location,
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ]
        path = "/query"
    elif name == "python-floor":
        env = {**os.environ, "BENCH_FLOOR_STORE": str(current_version(store_dir).path)}
        command = [
            str(BIN / "uvicorn"),
            "bench.python_floor:app",
            "--port",
            str(port),
            "--http",
            "httptools",
            "--loop",
            "uvloop",
            "--no-access-log",
            "--app-dir",
            str(ROOT),
        ]
        path = "/sparql"
    else:
        env = dict(os.environ)
        files = [str(p) for p in sorted(turtle_dir.glob("*.ttl"))]
        command = [
            str(BIN / "rdflib-endpoint"),
            "serve",
            *files,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        path = "/"
    process = subprocess.Popen(  # noqa: S603 - our own servers, on loopback
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_ready(port, path, process)
    return Server(name, path, process, port)


def stop(server: Server) -> None:
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.process.pid, signal.SIGKILL)


def pss_mib(root: int) -> float:
    """Proportional set size of a process and its descendants, in MiB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _client(args: tuple[int, str, list[str], float, bool, int]) -> tuple[int, int, list[float]]:
    port, path, queries, seconds, distinct, offset = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    done = errors = 0
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds
    i = offset
    while time.monotonic() < stop_at:
        query = queries[i % len(queries)]
        if distinct:
            query += f" # {offset}-{i}"  # a new text each time: no cache can answer it
        i += 1
        started = time.monotonic()
        try:
            connection.request(
                "GET",
                f"{path}?query={urllib.parse.quote(query)}",
                headers={"Accept": "application/sparql-results+json"},
            )
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            ok = False
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append(time.monotonic() - started)
        done += ok
        errors += not ok
    return done, errors, latencies


def load(
    server: Server, queries: list[str], clients: int, seconds: float, distinct: bool
) -> Measure:
    jobs = [
        (server.port, server.path, queries, seconds, distinct, n * 7919) for n in range(clients)
    ]
    started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, jobs)
    measure = Measure(seconds=time.monotonic() - started)
    for done, errors, latencies in results:
        measure.requests += done
        measure.errors += errors
        measure.latencies += latencies
    return measure


def floor_ms(store: Store, queries: list[str], repeats: int = 200) -> float:
    """Median in-process latency: query and serialise as JSON on a read-only store."""
    timings = []
    for i in range(repeats):
        started = time.perf_counter()
        result = store.query(queries[i % len(queries)], use_default_graph_as_union=True)
        result.serialize(format=QueryResultsFormat.JSON)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def sample_queries(store: Store) -> dict[str, list[str]]:
    statements = [
        str(s["s"].value)
        for s in store.query(
            f"SELECT ?s WHERE {{ ?s a <{POA}Commitment> }} ORDER BY ?s LIMIT 200",
            use_default_graph_as_union=True,
        )
    ]
    actors = [
        str(s["a"].value)
        for s in store.query(
            f"SELECT ?a (COUNT(*) AS ?n) WHERE {{ ?c <{POA}engages> ?a }} "
            "GROUP BY ?a ORDER BY DESC(?n) LIMIT 20",
            use_default_graph_as_union=True,
        )
    ]
    return {"lookup": [LOOKUP % s for s in statements], "list": [LIST % a for a in actors]}


@contextmanager
def dataset(synthetic: int) -> Iterator[tuple[str, Path, Path]]:
    if synthetic:
        turtle = OUT / "synthetic-turtle"
        generate(ROOT / "data" / "turtle", turtle, synthetic)
        name = f"synthetic-x{synthetic}"
    else:
        turtle, name = ROOT / "data" / "turtle", "real"
    store_dir = OUT / f"store-{name}"
    shutil.rmtree(store_dir, ignore_errors=True)
    publish_store(turtle, store_dir, ROOT / "ontology" / "poa.ttl")
    yield name, turtle, store_dir


def run(args: argparse.Namespace) -> dict[str, object]:
    results: dict[str, object] = {}
    with dataset(args.synthetic) as (name, turtle, store_dir):
        store = Store.read_only(str(current_version(store_dir).path))
        triples = len(store)
        queries = sample_queries(store)
        floors = {kind: floor_ms(store, qs) for kind, qs in queries.items()}
        del store
        print(
            f"# dataset {name}: {triples} quads; in-process floor "
            f"lookup {floors['lookup']:.2f} ms, list {floors['list']:.2f} ms",
            flush=True,
        )
        results = {"dataset": name, "quads": triples, "floor_ms": floors, "servers": {}}
        for server_name in args.servers.split(","):
            started = time.monotonic()
            server = start(server_name, store_dir, turtle)
            load_s = time.monotonic() - started
            figures: dict[str, object] = {"startup_s": round(load_s, 1)}
            try:
                for kind in ("lookup", "list"):
                    for mode in ("distinct", "repeated"):
                        qs = queries[kind] if mode == "distinct" else queries[kind][:1]
                        load(server, qs, 2, 1.0, mode == "distinct")  # warm-up
                        single = load(server, qs, 1, args.seconds, mode == "distinct")
                        many = load(server, qs, args.clients, args.seconds, mode == "distinct")
                        figures[f"{kind}/{mode}"] = {
                            "median_ms_1_client": round(single.median_ms, 2),
                            "p90_ms_1_client": round(single.p90_ms, 2),
                            "throughput_8_clients": round(many.throughput, 1),
                            "median_ms_8_clients": round(many.median_ms, 2),
                            "errors": single.errors + many.errors,
                        }
                        errors = single.errors + many.errors
                        print(
                            f"{server_name:16} {kind:6} {mode:8} "
                            f"1 client median {single.median_ms:8.2f} ms | "
                            f"{args.clients} clients {many.throughput:9.1f} req/s "
                            f"median {many.median_ms:8.2f} ms | errors {errors}",
                            flush=True,
                        )
                figures["pss_mib"] = round(pss_mib(server.process.pid), 1)
                print(
                    f"{server_name:16} memory (PSS, server and workers) {figures['pss_mib']} MiB; "
                    f"ready after {load_s:.1f} s",
                    flush=True,
                )
            finally:
                stop(server)
            results["servers"][server_name] = figures  # type: ignore[index]
    return results


# (kind, peer, least ratio of poa-kg's throughput to the peer's): the must-haves against
# rdflib-endpoint, the stretch against Oxigraph's own server (docs/decisions.md §9).
TARGETS = (
    ("list", "rdflib-endpoint", 30.0),
    ("lookup", "rdflib-endpoint", 4.0),
    ("list", "oxigraph", 1.0),
    ("lookup", "oxigraph", 0.5),
)


def report(results: dict[str, object]) -> None:
    """Each throughput ratio, for distinct texts (every answer computed) and repeated ones (the
    answer cache at work), and the latency targets, each marked met or not."""
    servers: dict[str, dict[str, dict[str, float]]] = results["servers"]  # type: ignore[assignment]
    floors: dict[str, float] = results["floor_ms"]  # type: ignore[assignment]
    poa = servers.get("poa-kg")
    if poa is None:
        return
    print("\n# throughput ratios, 8 clients (poa-kg ÷ peer)")
    for kind, peer, least in TARGETS:
        if peer not in servers:
            continue
        for mode in ("distinct", "repeated"):
            ours = poa[f"{kind}/{mode}"]["throughput_8_clients"]
            theirs = servers[peer][f"{kind}/{mode}"]["throughput_8_clients"]
            ratio = ours / theirs if theirs else float("inf")
            mark = "met" if ratio >= least else "NOT met"
            print(f"  {kind:6} {mode:8} vs {peer:16} {ratio:8.1f}x  (target ≥ {least:g}x: {mark})")
    floor = servers.get("python-floor")
    if floor is not None:
        print("# beside the least a Python server does (bench/python_floor.py; no target)")
        for kind in ("lookup", "list"):
            ours = poa[f"{kind}/distinct"]["throughput_8_clients"]
            theirs = floor[f"{kind}/distinct"]["throughput_8_clients"]
            ratio = ours / theirs if theirs else float("inf")
            print(f"  {kind:6} distinct vs python-floor     {ratio:8.2f}x")
    print("# latency, 1 client, distinct texts")
    for kind, bound, rule in (
        ("list", 3 * floors["list"], "≤ 3× floor"),
        ("lookup", floors["lookup"] + 1, "≤ floor + 1 ms"),
    ):
        median = poa[f"{kind}/distinct"]["median_ms_1_client"]
        mark = "met" if median <= bound else "NOT met"
        print(f"  {kind:6} median {median:.2f} ms vs floor {floors[kind]:.2f} ms ({rule}: {mark})")
    pss = poa.get("pss_mib")
    if isinstance(pss, float):
        print(f"# memory: {pss} MiB PSS (target < 500 MiB: {'met' if pss < 500 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--synthetic", type=int, default=0, help="copies of the corpus (0: the real graph)"
    )
    parser.add_argument("--servers", default="poa-kg,oxigraph,rdflib-endpoint")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="print the ratios of an earlier run and stop"
    )
    args = parser.parse_args()
    if args.report:
        report(json.loads(args.report.read_text(encoding="utf-8")))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results = run(args)
    report(results)
    path = OUT / f"results-{results['dataset']}.json"
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nwritten {path}")


if __name__ == "__main__":
    main()
