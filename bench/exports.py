"""Export benchmark: every projection in both formats from a store, timed, with peak memory, and
each GEXF file checked against the patched GEXF XSD (linear time; the RELAX NG check is for the
small files of the tests).

    uv run python -m bench.exports                  # the real graph
    uv run python -m bench.exports --synthetic 20   # ~1.1M quads (bench/synthetic.py)

Target (issue 9): the largest projection of the ~1M-triple graph under 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from lxml import etree
from pyoxigraph import Store

from bench.__main__ import OUT, dataset
from poa_kg import export
from poa_kg.config import ROOT
from poa_kg.serve.store import current_version, open_store

XSD = ROOT / "tests" / "data" / "gexf-1.3" / "xsd-patched" / "gexf.xsd"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=0, help="copies of the corpus (0: real)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    xsd = etree.XMLSchema(etree.parse(str(XSD)))
    results: dict[str, object] = {}
    with dataset(args.synthetic) as (name, _turtle, store_dir):
        store: Store = open_store(current_version(store_dir), memory_quads=0)  # as served: on disk
        folder = OUT / f"exports-{name}"
        folder.mkdir(exist_ok=True)
        print(f"# dataset {name}: {len(store)} quads")
        for projection in sorted(export.QUERIES):
            started = time.perf_counter()
            rows = export.rows_in_process(store, projection, {}, "x:")
            queried = time.perf_counter() - started
            graph = export.build(projection, rows)
            built = time.perf_counter() - started
            for fmt in export.FORMATS.values():
                began = time.perf_counter()
                path = folder / f"{projection}{fmt.suffix}"
                with path.open("wb") as out:
                    for chunk in fmt.write(graph):
                        out.write(chunk)
                written = time.perf_counter() - began
                total = built + written
                valid = ""
                if fmt.name == "gexf":
                    valid = " valid (XSD)" if xsd.validate(etree.parse(str(path))) else " INVALID"
                size = path.stat().st_size / 2**20
                print(
                    f"{projection:17} {fmt.name:8} {graph.number_of_nodes():8} nodes "
                    f"{graph.number_of_edges():9} edges | queries {queried:6.2f} s, graph "
                    f"{built - queried:5.2f} s, write {written:5.2f} s, total {total:6.2f} s | "
                    f"{size:7.1f} MiB{valid}",
                    flush=True,
                )
                results[f"{projection}/{fmt.name}"] = {
                    "nodes": graph.number_of_nodes(),
                    "edges": graph.number_of_edges(),
                    "total_s": round(total, 2),
                    "mib": round(size, 1),
                    "valid": valid.strip() or None,
                }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MiB")
    results["peak_mib"] = round(peak)
    path = OUT / f"exports-{name}.json"
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written {path}")


if __name__ == "__main__":
    main()
