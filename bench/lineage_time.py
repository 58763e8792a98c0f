"""Lineage time over the whole series: ``uv run python -m bench.lineage_time [--runs 3]``.

Reads the statements of every document as the build does (parse and extract, not timed), then
runs ``poa_kg.ingest.lineage.link`` over all of them ``--runs`` times in a fresh process each
(candidates from every earlier document, word alignment, classifier, links, first appearances,
dropped statements) and prints the seconds of each run, the median, the counts and the cores
available. The target is 30 s for the 21 documents on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

_RUN = """
import json, time
from poa_kg.ingest.build import read_lineage_statements
from poa_kg.config import Settings
from poa_kg.ingest.lineage import link
statements = read_lineage_statements(Settings())
started = time.perf_counter()
lineage = link(statements)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "statements": len(statements),
                  "documents": len({s.document for s in statements}),
                  "links": len(lineage.links), "new": len(lineage.new()),
                  "dropped": len(lineage.dropped)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = []
    for _ in range(args.runs):
        done = subprocess.run(  # noqa: S603 (our own interpreter and code, no user input)
            [sys.executable, "-c", _RUN], capture_output=True, text=True, check=True
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    last = results[-1]
    times = [r["seconds"] for r in results]
    print(f"documents      {last['documents']} ({last['statements']} statements)")
    print(f"links          {last['links']} (new {last['new']}, dropped {last['dropped']})")
    print(f"cores          {os.cpu_count()} (load average {os.getloadavg()[0]:.1f})")
    print("runs (s)       " + " ".join(f"{t:.2f}" for t in times))
    print(f"median (s)     {statistics.median(times):.2f}   target <= 30")


if __name__ == "__main__":
    main()
