"""In-process comparison behind the choice of on-disk workers: the same lookup and list queries on
the read-only on-disk store and on an in-memory copy, and how much the copy grows the process.

    uv run python -m bench.memory_vs_disk build/bench/store-real
    uv run python -m bench.memory_vs_disk build/bench/store-synthetic-x20  # after --synthetic 20
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from pyoxigraph import QueryResultsFormat, Store

from bench.__main__ import sample_queries
from poa_kg.store import current_version


def median_ms(store: Store, queries: list[str], repeats: int) -> float:
    timings = []
    for i in range(repeats):
        started = time.perf_counter()
        result = store.query(queries[i % len(queries)], use_default_graph_as_union=True)
        result.serialize(format=QueryResultsFormat.JSON)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store_dir", type=Path)
    args = parser.parse_args()
    disk = Store.read_only(str(current_version(args.store_dir).path))
    queries = sample_queries(disk)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    memory = Store()
    started = time.perf_counter()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    loaded = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    list_repeats = 10 if len(disk) > 500_000 else 100
    print(
        f"{args.store_dir.name}: {len(disk)} quads; in-memory copy {loaded:.1f} s, +{grown:.0f} MiB"
    )
    for kind, repeats in (("lookup", 500), ("list", list_repeats)):
        on_disk = median_ms(disk, queries[kind], repeats)
        in_memory = median_ms(memory, queries[kind], repeats)
        print(f"{kind:6} median: on disk {on_disk:.3f} ms, in memory {in_memory:.3f} ms")


if __name__ == "__main__":
    main()
