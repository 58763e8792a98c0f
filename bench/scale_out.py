"""Scale-out: throughput of 1 and 2 stateless poa-kg replicas on this machine, each on its own
copy of the published store (``--backend embedded``) or all on one Virtuoso (``--backend
remote``), and what limits it (CPU of the replicas, of the engine, of the clients, machine idle).

    uv run --frozen python -m bench.scale_out                      # embedded, 1 then 2 replicas
    uv run --frozen python -m bench.scale_out --backend remote     # one Virtuoso behind both
    uv run --frozen python -m bench.scale_out --seconds 10 --clients 8

The clients play the load balancer: client ``i`` keeps one connection to replica ``i % N``
(what a connection-level balancer such as HAProxy's ``roundrobin`` does). Two workloads:
``distinct`` (a SPARQL lookup whose text changes every request: no cache answers it) and
``rest`` (REST lists over seven actors and 40 page sizes: mostly cache hits after a while).
Results: a table on stdout and ``build/bench/scale-out-{backend}.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.__main__ import BIN, OUT, free_port
from poa_kg.config import ROOT
from poa_kg.serve.store import publish_store

STATEMENTS = (
    "revcon3-2018/annex/sec_II__para_13",
    "revcon3-2018/annex/sec_III__para_12",
    "bms8-2022-draft/main/para_48",
    "bms8-2022-draft/main/para_71",
)
ACTORS = ("interpol", "wco", "unodc", "civil-society", "industry", "women", "law-enforcement")


def _path(workload: str, i: int) -> str:
    if workload == "distinct":
        iri = f"https://w3id.org/poa-kg/id/statement/{STATEMENTS[i % len(STATEMENTS)]}"
        query = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} # {i}"
        return f"/sparql?query={urllib.parse.quote(query)}"
    return f"/commitments?actor={ACTORS[i % len(ACTORS)]}&per_page={10 + i % 40}"


def _client(args: tuple[int, int, str, float]) -> dict[str, object]:
    port, number, workload, seconds = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    i = number * 1_000_000
    while time.monotonic() < stop:
        started = time.monotonic()
        try:
            connection.request("GET", _path(workload, i), headers={"Accept": "application/json"})
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
        except OSError:
            errors += 1
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append((time.monotonic() - started) * 1000)
        i += 1
    return {"latencies": latencies, "errors": errors}


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the processes and their (waited-for) children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def _group(pid: int) -> list[int]:
    """A process and its descendants (a replica's server and worker processes)."""
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in found:
                found.append(int(entry.name))
    return found


def _machine_idle() -> tuple[float, float]:
    fields = [float(f) for f in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return fields[3] + fields[4], sum(fields)  # idle + iowait, total


@contextmanager
def _replicas(count: int, env: dict[str, str], stores: list[Path]) -> Iterator[list[int]]:
    processes: list[subprocess.Popen[bytes]] = []
    ports = []
    try:
        for index in range(count):
            port = free_port()
            replica_env = {**env, "POA_KG_PORT": str(port), "POA_KG_STORE_DIR": str(stores[index])}
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own server on loopback
                    [str(BIN / "poa-kg"), "serve"],
                    env=replica_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            ports.append(port)
        for port in ports:
            _wait(port)
        yield [*ports, *(p.pid for p in processes)]
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"replica on port {port} did not start")


def _run(ports: list[int], pids: list[int], engine: list[int], args: argparse.Namespace) -> dict:
    results = {}
    for workload in ("distinct", "rest"):
        groups = [_group(pid) for pid in pids]
        engine_group = [p for pid in engine for p in _group(pid)]
        before = [_cpu_seconds(group) for group in groups]
        engine_before = _cpu_seconds(engine_group)
        idle_before, total_before = _machine_idle()
        started = time.monotonic()
        jobs = [(ports[n % len(ports)], n, workload, args.seconds) for n in range(args.clients)]
        with multiprocessing.Pool(args.clients) as pool:
            outcomes = pool.map(_client, jobs)
        elapsed = time.monotonic() - started
        idle_after, total_after = _machine_idle()
        latencies = [v for o in outcomes for v in o["latencies"]]  # type: ignore[attr-defined]
        ordered = sorted(latencies)
        results[workload] = {
            "requests": len(latencies),
            "errors": sum(int(o["errors"]) for o in outcomes),  # type: ignore[call-overload]
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 2),
            "replica_cpu": [
                round((_cpu_seconds(g) - b) / elapsed, 2)
                for g, b in zip(groups, before, strict=True)
            ],
            "engine_cpu": round((_cpu_seconds(engine_group) - engine_before) / elapsed, 2),
            "machine_idle": round((idle_after - idle_before) / (total_after - total_before), 2),
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("embedded", "remote"), default="embedded")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="poa-kg-scale-"))
    turtle, ontology = root / "turtle", root / "poa.ttl"
    shutil.copytree(ROOT / "data" / "turtle", turtle)
    shutil.copy(ROOT / "ontology" / "poa.ttl", ontology)
    stores = []
    for index in range(max(args.replicas)):  # each replica its own copy of the published store
        publish_store(turtle, root / f"store-{index}", ontology)
        stores.append(root / f"store-{index}")
    env = {**os.environ, "POA_KG_BACKEND": args.backend}
    report: dict[str, object] = {
        "backend": args.backend,
        "cores": os.cpu_count(),
        "load_before": [round(v, 1) for v in os.getloadavg()],
    }
    try:
        with _engine(args.backend, turtle, ontology, root) as (endpoint, engine_pid):
            if endpoint:
                env["POA_KG_SPARQL_ENDPOINT"] = endpoint
            engine = [engine_pid] if engine_pid else []
            for count in args.replicas:
                with _replicas(count, env, stores) as ports_and_pids:
                    ports, pids = ports_and_pids[:count], ports_and_pids[count:]
                    report[f"{count}"] = _run(ports, pids, engine, args)
                    report[f"{count}"]["load_average"] = os.getloadavg()  # type: ignore[index]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    out = OUT / f"scale-out-{args.backend}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"backend {args.backend}, {os.cpu_count()} cores, {args.clients} clients,", end=" ")
    print(f"{args.seconds:g} s, load average before {report.get('load_before')}")
    print(
        "replicas workload  req/s   p50 ms  p99 ms  replica CPU (cores)  engine CPU  machine idle"
    )
    for count in args.replicas:
        for workload, row in report[f"{count}"].items():  # type: ignore[attr-defined]
            if workload == "load_average":
                continue
            print(
                f"{count:>8} {workload:<9} {row['per_second']:>6} {row['p50_ms']:>8} "
                f"{row['p99_ms']:>7}  {row['replica_cpu']!s:<19}  {row['engine_cpu']:>10}  "
                f"{row['machine_idle']:>12}"
            )
    print(f"-> {out}")
    return 0


@contextmanager
def _engine(
    backend: str, turtle: Path, ontology: Path, root: Path
) -> Iterator[tuple[str, int | None]]:
    if backend == "embedded":
        yield "", None
        return
    sys.path.insert(0, str(ROOT))
    from scripts import virtuoso

    with virtuoso.running(virtuoso.graph_files(turtle, ontology), folder=root / "virtuoso") as v:
        assert v.process is not None
        yield v.endpoint, v.process.pid


if __name__ == "__main__":
    sys.exit(main())
