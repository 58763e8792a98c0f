"""SHACL validation time: ``uv run --frozen python -m bench.validate_time [--synthetic 20]``.

Side by side, each in a fresh process (seconds of validation, parsing apart; peak RSS of the whole
process):

- ``plain``: the old path, pyshacl on the union of every graph (``validate_graph``);
- ``graphs/<engine>``: graph by graph (``validate_graphs``), cold (empty cache), then the
  one-document change: a triple added to one document graph (``--touch``, default the largest)
  and the graphs validated again with the warm cache; then, as the next ``poa-kg build`` would,
  a new process parses everything again, changes the same document once more and validates with
  the cache and the record the first process left (``next run 1-doc``).

First on the real graph (``data/turtle``), then, with ``--synthetic N``, on the synthetic graph of
``bench/synthetic.py`` (N copies of the document graphs, ~1M triples at 20) plus the original
document graphs (which graph/lineage names). Targets: 1M triples ≤ 10 s, a one-document change
≤ 2 s. Results go to ``build/bench/validate-time.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from poa_kg.config import ROOT

RUNS = ("plain", "graphs/pyshacl", "graphs/turbo")


def measure(folder: Path, run: str, touch: str, cache: Path, phase: str) -> dict[str, object]:
    """One run in this process (``phase``: "first", or "next" on the cache the first left); the
    figures as a dict."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDFS

    from poa_kg.config import ShaclEngine
    from poa_kg.ingest.validate import load_shapes, validate_graph
    from poa_kg.ingest.validate_units import validate_graphs
    from poa_kg.namespaces import ID

    started = time.perf_counter()
    files = sorted(folder.glob("*.ttl"))
    written = {p.stem: p.read_bytes() for p in files}
    graphs = {name: Graph().parse(data=text, format="turtle") for name, text in written.items()}
    ontology = Graph().parse(ROOT / "ontology" / "poa.ttl", format="turtle")
    shapes = load_shapes(ROOT / "shapes")
    figures: dict[str, object] = {
        "run": run,
        "triples": sum(len(g) for g in graphs.values()),
        "graphs": len(graphs),
        "parse_s": round(time.perf_counter() - started, 1),
    }
    if run == "plain":
        started = time.perf_counter()
        union = Graph()
        for graph in graphs.values():
            union += graph
        union += ontology
        report = validate_graph(union, shapes, ontology)
        figures["full_s"] = round(time.perf_counter() - started, 1)
    else:
        engine = ShaclEngine(run.split("/")[1])
        document = ID[f"document/{touch}"]
        if phase == "next":
            graphs[touch].add((document, RDFS.comment, Literal("touched by the next run")))
            written[touch] = graphs[touch].serialize(format="turtle", encoding="utf-8")
            started = time.perf_counter()
            report = validate_graphs(graphs, shapes, ontology, engine, cache, written)
            return {
                "next_run_one_document_s": round(time.perf_counter() - started, 2),
                "next_run_results": len(report.results),
            }
        started = time.perf_counter()
        report = validate_graphs(graphs, shapes, ontology, engine, cache, written)
        figures["full_s"] = round(time.perf_counter() - started, 1)
        # the one-document change: the document graph gains a comment, is written again
        graphs[touch].add((document, RDFS.comment, Literal("touched by bench.validate_time")))
        written[touch] = graphs[touch].serialize(format="turtle", encoding="utf-8")
        started = time.perf_counter()
        again = validate_graphs(graphs, shapes, ontology, engine, cache, written)
        figures["one_document_s"] = round(time.perf_counter() - started, 2)
        figures["one_document_results"] = len(again.results)
    figures["results"] = len(report.results)
    figures["violations"] = len(report.violations)
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return figures


def _child(folder: Path, run: str, touch: str) -> dict[str, object]:
    """The run's first process, then (graph by graph) the next one on the cache it left."""
    with tempfile.TemporaryDirectory() as cache:
        figures = _process(folder, run, touch, cache, "first")
        if run != "plain":
            figures.update(_process(folder, run, touch, cache, "next"))
    figures["load_average"] = round(os.getloadavg()[0], 1)
    return figures


def _process(folder: Path, run: str, touch: str, cache: str, phase: str) -> dict[str, object]:
    command = [sys.executable, "-m", "bench.validate_time", "--one", run, str(folder), touch]
    done = subprocess.run(  # noqa: S603 (our own interpreter and module, no user input)
        [*command, cache, phase], capture_output=True, text=True, check=True
    )
    figures: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return figures


def _largest_document(folder: Path) -> str:
    documents = [p for p in folder.glob("*.ttl") if _is_document(p.stem)]
    return max(documents, key=lambda p: p.stat().st_size).stem


_NOT_DOCUMENTS = {"lineage", "lineage-quality", "quality", "accuracy"}


def _is_document(stem: str) -> bool:
    return stem not in _NOT_DOCUMENTS and not stem.startswith(("vocab-", "void", "lineage-s"))


def _table(name: str, rows: list[dict[str, object]]) -> list[str]:
    lines = [
        f"{name}: {rows[0]['triples']} triples in {rows[0]['graphs']} graphs",
        f"  {'run':<16} {'parse s':>8} {'full s':>7} {'1-doc s':>8} {'next run 1-doc s':>17} "
        f"{'peak MiB':>9} {'results':>8} {'load':>5}",
    ]
    for row in rows:
        lines.append(
            f"  {row['run']!s:<16} {row['parse_s']!s:>8} {row['full_s']!s:>7} "
            f"{row.get('one_document_s', '-')!s:>8} "
            f"{row.get('next_run_one_document_s', '-')!s:>17} {row['peak_rss_mib']!s:>9} "
            f"{row['results']!s:>8} {row['load_average']!s:>5}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    parser.add_argument("--touch", default=None, help="document graph changed (default: largest)")
    parser.add_argument("--runs", default=",".join(RUNS), help="comma-separated, of " + str(RUNS))
    parser.add_argument(
        "--no-lineage",
        action="store_true",
        help="synthetic copies without their lineage facts (each copied statement a violation)",
    )
    parser.add_argument("--one", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run, folder, touch, cache, phase = args.one
        print(json.dumps(measure(Path(folder), run, touch, Path(cache), phase)))
        return
    runs = args.runs.split(",")
    folders = {"real graph": ROOT / "data" / "turtle"}
    if args.synthetic:
        from bench.synthetic import DOCUMENT_GRAPHS, generate

        out = ROOT / "build" / "bench" / "synthetic-validate"
        generate(ROOT / "data" / "turtle", out, args.synthetic, lineage=not args.no_lineage)
        for stem in DOCUMENT_GRAPHS:  # graph/lineage names the originals' statements
            original = ROOT / "data" / "turtle" / f"{stem}.ttl"
            (out / f"{stem}.ttl").write_bytes(original.read_bytes())
        label = "without lineage" if args.no_lineage else "with lineage"
        folders[f"synthetic x{args.synthetic} ({label})"] = out
    print(f"cores {os.cpu_count()}; targets: 1M triples <= 10 s, one-document change <= 2 s")
    saved = {}
    for name, folder in folders.items():
        touch = args.touch or _largest_document(folder)
        rows = [_child(folder, run, touch) for run in runs]
        saved[name] = {"touched": touch, "rows": rows}
        print("\n".join(_table(name, rows)) + f"\n  (one-document change: {touch})", flush=True)
    target = ROOT / "build" / "bench" / "validate-time.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(saved, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
