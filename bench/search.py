"""Full-text search latency: p50 and p95 of a two-word query (and a phrase, a prefix and a
filtered query) on the real graph and on the synthetic ~1M-triple graph, in-process on the FTS5
index and through the HTTP service (live server on loopback, JSON, facets included).

    uv run python -m bench.search [--synthetic 20] [--runs 200]

Target: p50 ≤ 10 ms for a two-word query at 1M triples. Results go to
build/bench/search-{dataset}.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from api.app import create_app
from api.server import server_config
from bench.synthetic import generate
from poa_kg.config import ROOT, Settings
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


def over_http(store_dir: Path, runs: int) -> dict[str, dict[str, float]]:
    settings = Settings(store_dir=store_dir, port=_free_port(), workers=1)
    server = uvicorn.Server(server_config(create_app(settings), settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    results = {}
    try:
        with httpx.Client(base_url=settings.base_url) as client:
            for name, (q, filters) in QUERIES.items():
                samples = []
                for i in range(runs):
                    # a distinct parameter each time: the whole-response cache stays out of it
                    params = {"q": q, **filters, "per_page": str(20 + i % 50)}
                    start = time.perf_counter()
                    answer = client.get("/search", params=params)
                    samples.append(time.perf_counter() - start)
                    answer.raise_for_status()
                results[name] = {**_percentiles(samples), "hits": answer.json()["total"]}
    finally:
        server.should_exit = True
        thread.join(timeout=15)
    return results


def _free_port() -> int:
    import socket

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
    report = {
        "dataset": name,
        "quads": version.quads,
        "units": units,
        "index_bytes": index_path(version.path).stat().st_size,
        "publish_with_index_s": round(publish_s, 2),
        "in_process": in_process(index, args.runs),
        "http": over_http(store_dir, args.runs),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"search-{name}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
