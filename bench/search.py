"""Full-text search latency: p50 and p95 of a two-word query (and a phrase, a prefix and a
filtered query) on the real graph and on the synthetic ~1M-triple graph, in-process on the FTS5
index and through the HTTP service: ``poa-kg serve`` in a process of its own, asked by a plain
``http.client`` connection kept alive (JSON, facets included), so client and server do not share
an interpreter.

    uv run python -m bench.search [--synthetic 20] [--runs 200]

Target: p50 ≤ 10 ms for a two-word query at 1M triples. Results go to
build/bench/search-{dataset}.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench.synthetic import generate
from poa_kg.config import ROOT
from poa_kg.serve.search import SearchIndex
from poa_kg.serve.search_index import index_path
from poa_kg.serve.store import publish_store

OUT = ROOT / "build" / "bench"
QUERIES = {
    "two words": ("record keeping", {}),
    "phrase": ('"end-user certificates"', {}),
    "prefix": ("broker*", {}),
    "two words, filtered": ("tracing weapons", {"kind": "Commitment"}),
}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
    }


def in_process(index: SearchIndex, runs: int) -> dict[str, dict[str, float]]:
    results = {}
    for name, (q, filters) in QUERIES.items():
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            found = index.search(q, filters)
            samples.append(time.perf_counter() - start)
        results[name] = {**_percentiles(samples), "hits": found.total}
    return results


def over_http(store_dir: Path, turtle_dir: Path, runs: int) -> dict[str, dict[str, float]]:
    port = _free_port()
    env = {
        **os.environ,
        "POA_KG_STORE_DIR": str(store_dir),
        "POA_KG_TURTLE_DIR": str(turtle_dir),  # serve publishes these: the benchmark's graph
        "POA_KG_PORT": str(port),
        "POA_KG_WORKERS": "1",
    }
    server = subprocess.Popen(  # noqa: S603 - our own server, on loopback
        [str(Path(sys.executable).parent / "poa-kg"), "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = {}
    try:
        connection = _ready(port, server)
        for name, (q, filters) in QUERIES.items():
            samples = []
            for i in range(runs):
                # a distinct parameter each time: the whole-response cache stays out of it
                params = {"q": q, **filters, "per_page": str(20 + i % 50)}
                target = f"/search?{urllib.parse.urlencode(params)}"
                start = time.perf_counter()
                connection.request("GET", target, headers={"Accept": "application/json"})
                answer = connection.getresponse()
                body = answer.read()
                samples.append(time.perf_counter() - start)
                if answer.status != 200:
                    raise RuntimeError(f"{target}: HTTP {answer.status}: {body[:200]!r}")
            results[name] = {**_percentiles(samples), "hits": json.loads(body)["total"]}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def _ready(
    port: int, server: subprocess.Popen[bytes], timeout: float = 300
) -> http.client.HTTPConnection:
    """A kept-alive connection to the server once it answers (a first search opens the index)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"poa-kg serve exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/search?q=arms")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return connection
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"poa-kg serve on port {port} not ready after {timeout} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=0, help="copies (0: the real graph)")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    if args.synthetic:
        turtle = OUT / "synthetic-turtle"
        generate(ROOT / "data" / "turtle", turtle, args.synthetic)
        name = f"synthetic-x{args.synthetic}"
    else:
        turtle, name = ROOT / "data" / "turtle", "real"
    store_dir = OUT / f"search-store-{name}"
    shutil.rmtree(store_dir, ignore_errors=True)
    start = time.perf_counter()
    version = publish_store(turtle, store_dir, ROOT / "ontology" / "poa.ttl")
    publish_s = time.perf_counter() - start
    index = SearchIndex(index_path(version.path))
    units = index.connection.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    measured = in_process(index, args.runs)
    served = over_http(store_dir, turtle, args.runs)
    for query, figures in served.items():
        if figures["hits"] != measured[query]["hits"]:
            raise RuntimeError(f"{query}: the server found other hits: not the graph benchmarked")
    report = {
        "dataset": name,
        "quads": version.quads,
        "units": units,
        "index_bytes": index_path(version.path).stat().st_size,
        "publish_with_index_s": round(publish_s, 2),
        "in_process": measured,
        "http": served,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"search-{name}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
