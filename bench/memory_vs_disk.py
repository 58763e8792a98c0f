"""In-process comparison behind the choice of on-disk workers: the same lookup and list queries on
the read-only on-disk store and on an in-memory copy, and how much the copy grows the process.

    uv run python -m bench.memory_vs_disk build/bench/store-real
    uv run python -m bench.memory_vs_disk build/bench/store-synthetic-x20  # after --synthetic 20
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from pyoxigraph import Store

from bench.__main__ import floor_ms, sample_queries
from poa_kg.serve.store import current_version


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
    list_repeats = 40 if len(disk) > 500_000 else 100
    print(
        f"{args.store_dir.name}: {len(disk)} quads; in-memory copy {loaded:.1f} s, +{grown:.0f} MiB"
    )
    for kind, repeats in (("lookup", 500), ("list", list_repeats)):
        floor_ms(disk, queries[kind], len(queries[kind]))  # warm: the copy above read it all too
        on_disk = floor_ms(disk, queries[kind], repeats)
        in_memory = floor_ms(memory, queries[kind], repeats)
        print(f"{kind:6} median: on disk {on_disk:.3f} ms, in memory {in_memory:.3f} ms")


if __name__ == "__main__":
    main()
