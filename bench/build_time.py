"""Build time of the whole corpus: ``uv run python -m bench.build_time [--runs 3]``.

Runs ``poa-kg build`` (parse, extract, RDF, SHACL validation, publication into a temporary folder)
``--runs`` times in a fresh process each and prints the wall-clock seconds of each run, the
median, the number of documents and the cores available. The target is 60 s for the 21 documents
on 2 cores, SHACL validation included.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            done = subprocess.run(  # noqa: S603 (our own interpreter and module, no user input)
                [sys.executable, "-m", "poa_kg.cli", "build", "--out", str(Path(out) / "t")],
                capture_output=True,
                text=True,
                check=True,
            )
            times.append(time.perf_counter() - started)
    documents = next(
        (line.split()[1] for line in done.stdout.splitlines() if line.startswith("documents")), "?"
    )
    print(f"documents      {documents}")
    print(f"cores          {os.cpu_count()} (load average {os.getloadavg()[0]:.1f})")
    print("runs (s)       " + " ".join(f"{t:.1f}" for t in times))
    print(f"median (s)     {statistics.median(times):.1f}   target <= 60")


if __name__ == "__main__":
    main()
