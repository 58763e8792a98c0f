"""Load test: 8 concurrent clients on loopback for 60 s mixing SPARQL lookups, REST list queries
and exports, while the data is reloaded (a new store version published) half way through. Reports
errors, latency percentiles per kind, and the server's memory (PSS over the server and its
workers) sampled every second.

    uv run python -m bench.load                 # 60 s, the documented run (make load)
    uv run python -m bench.load --seconds 10    # a short one

Exit status 1 when any request failed or a client did not see the reloaded data.
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
import threading
import time
import urllib.parse

from bench.__main__ import BIN, OUT, free_port, pss_mib
from poa_kg.config import ROOT
from poa_kg.serve.store import publish_store

ACTORS = ("interpol", "wco", "unodc", "civil-society", "industry", "women", "law-enforcement")
STATEMENTS = (
    "revcon3-2018/annex/sec_II__para_13",
    "revcon3-2018/annex/sec_III__para_12",
    "bms8-2022-draft/main/para_48",
    "bms8-2022-draft/main/para_71",
)
EXPORTS = ("actor-instrument.gexf", "votes.graphml", "commitment-theme.gexf")


def _request(kind: str, i: int) -> str:
    if kind == "lookup":
        iri = f"https://w3id.org/poa-kg/id/statement/{STATEMENTS[i % len(STATEMENTS)]}"
        query = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} # {i}"
        return f"/sparql?query={urllib.parse.quote(query)}"
    if kind == "list":
        return f"/commitments?actor={ACTORS[i % len(ACTORS)]}&per_page={10 + i % 40}"
    return f"/exports/{EXPORTS[i % len(EXPORTS)]}"


GRACE_S = 120.0
"""How long past ``--seconds`` a client goes on waiting to see the reloaded data before it stops."""

_RELOADED = multiprocessing.get_context("fork").Event()
"""Set once the new store is published (the clients, forked, share it)."""


def _client(args: tuple[int, int, float]) -> dict[str, object]:
    port, number, seconds = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: dict[str, list[float]] = {"lookup": [], "list": [], "export": []}
    errors: list[str] = []
    versions: set[str] = set()
    stop = time.monotonic() + seconds
    give_up = stop + GRACE_S
    i = number * 1000
    # At least ``seconds``, and on until this client has seen the reloaded data: on a slow machine
    # an export takes seconds, and asking /stats only every tenth request could miss the switch.
    while time.monotonic() < give_up and (
        time.monotonic() < stop or not _RELOADED.is_set() or len(versions) < 2
    ):
        kind = ("lookup", "lookup", "list", "list", "export")[i % 5] if i % 10 else "stats"
        path = "/stats" if kind == "stats" else _request(kind, i)
        i += 1
        started = time.monotonic()
        try:
            connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            body = response.read()
            if response.status >= 400:
                errors.append(f"{response.status} {path[:80]}")
            elif kind == "stats":
                versions.add(json.loads(body)["data_version"])
        except OSError as err:
            errors.append(f"{type(err).__name__} {path[:80]}")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        if kind != "stats":
            latencies[kind].append((time.monotonic() - started) * 1000)
    return {"latencies": latencies, "errors": errors, "versions": sorted(versions)}


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "count": len(values),
        "p50": round(statistics.median(values), 2),
        "p90": round(pick(0.90), 2),
        "p99": round(pick(0.99), 2),
        "max": round(ordered[-1], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    store_dir = OUT / "store-load"
    shutil.rmtree(store_dir, ignore_errors=True)
    turtle = ROOT / "data" / "turtle"
    publish_store(turtle, store_dir, ROOT / "ontology" / "poa.ttl")
    port = free_port()
    env = {**os.environ, "POA_KG_STORE_DIR": str(store_dir), "POA_KG_PORT": str(port)}
    server = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [str(BIN / "poa-kg"), "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    memory: list[tuple[float, float]] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        started = time.monotonic()
        sampling = True

        def sample() -> None:
            while sampling:
                memory.append((round(time.monotonic() - started, 1), pss_mib(server.pid)))
                time.sleep(1.0)

        def reload() -> None:
            time.sleep(args.seconds / 2)
            extra = OUT / "load-extra"
            shutil.rmtree(extra, ignore_errors=True)
            shutil.copytree(turtle, extra)
            (extra / "load-marker.ttl").write_text(
                f'<urn:poa-kg:load> <urn:poa-kg:reloaded> "{time.time()}" .\n', encoding="utf-8"
            )
            try:
                publish_store(extra, store_dir, ROOT / "ontology" / "poa.ttl")
            finally:
                _RELOADED.set()

        threads = [threading.Thread(target=sample), threading.Thread(target=reload)]
        for thread in threads:
            thread.start()
        jobs = [(port, n, args.seconds) for n in range(args.clients)]
        with multiprocessing.get_context("fork").Pool(args.clients) as pool:
            results = pool.map(_client, jobs)
        sampling = False
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    errors = [e for r in results for e in r["errors"]]  # type: ignore[attr-defined]
    versions = sorted({v for r in results for v in r["versions"]})  # type: ignore[attr-defined]
    report = {
        "seconds": args.seconds,
        "clients": args.clients,
        "requests": sum(len(v) for r in results for v in r["latencies"].values()),  # type: ignore[attr-defined]
        "errors": len(errors),
        "first_errors": errors[:10],
        "data_versions_seen": versions,
        "clients_that_saw_the_reload": sum(len(r["versions"]) >= 2 for r in results),  # type: ignore[arg-type]
        "latency_ms": {
            kind: _percentiles([x for r in results for x in r["latencies"][kind]])  # type: ignore[index]
            for kind in ("lookup", "list", "export")
        },
        "pss_mib": {
            "first": memory[0][1] if memory else None,
            "max": max(m for _t, m in memory) if memory else None,
            "last": memory[-1][1] if memory else None,
            "every_5_s": [round(m, 1) for t, m in memory if int(t) % 5 == 0],
        },
    }
    path = OUT / "load.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    print(f"written {path}")
    everyone_saw_it = report["clients_that_saw_the_reload"] == args.clients
    return 0 if not errors and len(versions) == 2 and everyone_saw_it else 1


if __name__ == "__main__":
    sys.exit(main())
