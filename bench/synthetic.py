"""A synthetic graph shaped like the real one: the published document graphs copied N times under
new document keys (``revcon3-2018-s7``…), the vocabularies and quality graph once.

    python -m bench.synthetic --copies 20 --out build/bench/synthetic-turtle [--lineage]

Every IRI that names a document, unit, statement, mention, vote or position gets the copy's key,
so the copies are disjoint and each keeps the real graph's shape (degree, literal sizes, joins).
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pyoxigraph

from poa_kg.config import ROOT

DOCUMENT_GRAPHS = ("revcon3-2018", "prepcom-2018-outline", "bms8-2022-draft")
_KINDS = "document|source|part|section|unit|statement|mention|vote|position|issue"


def generate(source: Path, out: Path, copies: int, lineage: bool = False) -> int:
    """Write the synthetic Turtle folder; return the number of files written.

    ``lineage``: also give each copy the lineage facts of its documents (``lineage-s{n}.ttl``:
    the triples of graph/lineage about their statements, under the copy's keys), so the copies
    conform to the shapes as the originals do; without them, every copied statement lacks
    ``poa:firstAppearance`` (8,420 violations at 20 copies)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written = 0
    for path in sorted(source.glob("*.ttl")):
        if path.stem not in DOCUMENT_GRAPHS:
            shutil.copy(path, out / path.name)
            written += 1
    for stem in DOCUMENT_GRAPHS:
        text = (source / f"{stem}.ttl").read_text(encoding="utf-8")
        pattern = re.compile(rf"(https://w3id\.org/poa-kg/id/(?:{_KINDS})/){re.escape(stem)}\b")
        for copy in range(copies):
            key = f"{stem}-s{copy}"
            (out / f"{key}.ttl").write_text(pattern.sub(rf"\g<1>{key}", text), encoding="utf-8")
            written += 1
    if lineage:
        written += _copy_lineage(source / "lineage.ttl", out, copies)
    return written


def _copy_lineage(lineage: Path, out: Path, copies: int) -> int:
    """Per copy, the lineage triples whose subject is a statement or lineage node of a copied
    document, with every copied document's keys renamed (links between the three documents stay
    inside one copy; links to other documents point at the originals)."""
    stems = "|".join(re.escape(stem) for stem in DOCUMENT_GRAPHS)
    subject = re.compile(rf"^https://w3id\.org/poa-kg/id/(?:statement|lineage)/(?:{stems})/")
    kept = [
        quad
        for quad in pyoxigraph.parse(path=str(lineage), format=pyoxigraph.RdfFormat.TURTLE)
        if subject.match(quad.subject.value)
    ]
    text = (pyoxigraph.serialize(kept, format=pyoxigraph.RdfFormat.N_TRIPLES) or b"").decode()
    pattern = re.compile(rf"(https://w3id\.org/poa-kg/id/(?:{_KINDS}|lineage)/)({stems})\b")
    for copy in range(copies):
        renamed = pattern.sub(rf"\g<1>\g<2>-s{copy}", text)
        (out / f"lineage-s{copy}.ttl").write_text(renamed, encoding="utf-8")
    return copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--source", type=Path, default=ROOT / "data" / "turtle")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "synthetic-turtle")
    parser.add_argument("--lineage", action="store_true", help="copy the lineage facts too")
    args = parser.parse_args()
    print(generate(args.source, args.out, args.copies, args.lineage), "files in", args.out)


if __name__ == "__main__":
    main()
