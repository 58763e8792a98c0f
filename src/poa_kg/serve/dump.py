"""Dump: a published store → the downloadable files of the whole dataset, named with its version.

``dump(version, out_dir)`` writes into ``out_dir/{content hash[:16]}/``:

- ``poa-kg-{date}-{hash}.nq.gz`` and ``.trig.gz``: every quad, each named graph kept (gzip);
- ``.jsonld.gz``: the same as JSON-LD, compacted against the published context
  ``poa-kg-context.jsonld`` (prefixes only: ``poa:text``, ``id:unit/…``), referenced by URL;
- ``.statements.csv``: one row per statement (class, document, citation, text, strength, the
  entities it names) with its CSVW description ``.statements.csv-metadata.json`` (W3C "Model
  for Tabular Data and Metadata": every column's name, title, datatype and meaning);
- ``.void.ttl``: VoID and DCAT for the files (size, SHA-256 checksum, triples or rows, media
  type, licence CC BY 4.0), and ``manifest.json``, the same for the service's ``/downloads``.

``{date}`` is the day the store was published and ``{hash}`` the first 12 hex digits of its
content hash (``store.py``), so two dumps of the same data have the same names. Files are
written beside their final name and renamed. Parquet is not written: pyarrow is not a
dependency of poa-kg (it would add about 100 MB for a file the CSV and its CSVW description
already give).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store

from poa_kg.citation import DATA_LICENCE
from poa_kg.namespaces import BASE, ID, PREFIXES
from poa_kg.serve.answers import XSD_STRING
from poa_kg.serve.dump_table import COLUMNS, csvw, write_statements_csv

CONTEXT = "poa-kg-context.jsonld"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class DumpFile:
    """One downloadable file and what it holds."""

    name: str
    media_type: str
    encoding: str | None
    description: str
    bytes: int
    sha256: str
    records: int
    record_kind: str
    """``quads``, ``rows`` (CSV), ``columns`` (CSVW) or ``terms`` (the context)."""


@dataclass(frozen=True)
class Dump:
    version: str
    date: str
    content_hash: str
    licence: str
    folder: Path
    files: list[DumpFile]


def version_name(content_hash: str, published: datetime) -> str:
    """``2026-12-06-1a2b3c4d5e6f``: the day the store was published and its content hash."""
    return f"{published:%Y-%m-%d}-{content_hash[:12]}"


def published_version(store_path: Path, content_hash: str) -> str:
    """The version name of a published store: the day it was published and its hash."""
    published = datetime.fromtimestamp((store_path / "READY").stat().st_mtime, tz=UTC)
    return version_name(content_hash, published)


def context() -> dict[str, Any]:
    """The compact JSON-LD context: the prefixes poa-kg writes, and ``id:`` for its instances."""
    terms: dict[str, Any] = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    terms["id"] = str(ID)
    terms["graph"] = f"{BASE}graph/"
    return {"@context": terms}


def dump(store_path: Path, content_hash: str, out_dir: Path, base_url: str) -> Dump:
    """Write every download of the store at ``store_path`` (see the module docstring)."""
    store = Store.read_only(str(store_path))
    published = datetime.fromtimestamp((store_path / "READY").stat().st_mtime, tz=UTC)
    version = version_name(content_hash, published)
    folder = out_dir / content_hash[:16]
    staging = out_dir / f".{content_hash[:16]}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    stem = f"poa-kg-{version}"
    files: list[DumpFile] = []
    quads = len(store)
    for suffix, fmt, description in (
        ("nq", RdfFormat.N_QUADS, "N-Quads: every quad, graphs kept"),
        ("trig", RdfFormat.TRIG, "TriG: every named graph with its triples"),
    ):
        path = staging / f"{stem}.{suffix}.gz"
        with gzip.open(path, "wb", compresslevel=6) as out:
            store.dump(
                cast(IO[bytes], out), format=fmt, prefixes=_prefixes() if suffix == "trig" else None
            )
        files.append(_describe(path, fmt.media_type, "gzip", description, quads, "quads"))
    context_path = staging / CONTEXT
    context_path.write_text(json.dumps(context(), indent=2) + "\n", encoding="utf-8")
    path = staging / f"{stem}.jsonld.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as text:
        _write_jsonld(store, text, f"{base_url}/downloads/{CONTEXT}")
    files.append(_describe(path, "application/ld+json", "gzip", "JSON-LD, compact", quads, "quads"))
    rows = write_statements_csv(store, staging / f"{stem}.statements.csv")
    files.append(
        _describe(
            staging / f"{stem}.statements.csv",
            "text/csv",
            None,
            "one row per statement (CSVW description beside it)",
            rows,
            "rows",
        )
    )
    metadata = staging / f"{stem}.statements.csv-metadata.json"
    metadata.write_text(json.dumps(csvw(f"{stem}.statements.csv"), indent=2) + "\n", "utf-8")
    files.append(
        _describe(metadata, "application/csvm+json", None, "CSVW", len(COLUMNS), "columns")
    )
    files.append(
        _describe(
            context_path,
            "application/ld+json",
            None,
            "JSON-LD context",
            len(context()["@context"]),
            "terms",
        )
    )
    result = Dump(version, f"{published:%Y-%m-%d}", content_hash, DATA_LICENCE, folder, files)
    void = staging / f"{stem}.void.ttl"
    void.write_text(void_turtle(result, base_url), encoding="utf-8")
    (staging / "manifest.json").write_text(manifest_json(result), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return result


def manifest_json(result: Dump) -> str:
    body = {k: v for k, v in asdict(result).items() if k != "folder"}
    return json.dumps(body, indent=2) + "\n"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / "manifest.json"
    if not path.is_file():
        return None
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()} | {
        "id": str(ID),
        "graph": f"{BASE}graph/",
    }


def _describe(
    path: Path,
    media_type: str,
    encoding: str | None,
    description: str,
    records: int,
    kind: str,
) -> DumpFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return DumpFile(
        path.name,
        media_type,
        encoding,
        description,
        path.stat().st_size,
        digest.hexdigest(),
        records,
        kind,
    )


# ---------------------------------------------------------------------- JSON-LD
_COMPACT = sorted(((str(ns), p) for p, ns in _prefixes().items()), key=lambda x: -len(x[0]))


def compact(iri: str) -> str:
    """``https://w3id.org/poa-kg/ont#text`` → ``poa:text`` (the longest matching prefix)."""
    for namespace, prefix in _COMPACT:
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _term(term: object) -> Any:
    if isinstance(term, NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, BlankNode):
        return {"@id": f"_:{term.value}"}
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}
    raise TypeError(f"not an RDF term: {term!r}")


def _subjects(quads: Iterator[Quad]) -> Iterator[dict[str, Any]]:
    """Node objects, one per subject, from quads sorted by subject."""
    node: dict[str, Any] | None = None
    for quad in quads:
        subject = quad.subject
        key = compact(subject.value) if isinstance(subject, NamedNode) else f"_:{subject}"
        if node is None or node["@id"] != key:
            if node is not None:
                yield node
            node = {"@id": key}
        predicate = quad.predicate.value
        if predicate == RDF_TYPE and isinstance(quad.object, NamedNode):
            node.setdefault("@type", []).append(compact(quad.object.value))
        else:
            node.setdefault(compact(predicate), []).append(_term(quad.object))
    if node is not None:
        yield node


def _write_jsonld(store: Store, out: IO[str], context_url: str) -> None:
    """The dataset as compact JSON-LD, one named graph object per graph, streamed."""
    out.write('{"@context": ' + json.dumps(context_url) + ',\n "@graph": [\n')
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, NamedNode))
    for number, graph in enumerate(graphs):
        quads = sorted(
            store.quads_for_pattern(None, None, None, NamedNode(graph)),
            key=lambda q: (str(q.subject), str(q.predicate), str(q.object)),
        )
        out.write("  " if number == 0 else ",\n  ")
        out.write('{"@id": ' + json.dumps(compact(graph)) + ', "@graph": [')
        for index, node in enumerate(_subjects(iter(quads))):
            out.write("\n    " if index == 0 else ",\n    ")
            out.write(json.dumps(node, ensure_ascii=False, separators=(",", ":")))
        out.write("]}")
    out.write("\n]}\n")


# ---------------------------------------------------------------------- VoID + DCAT
def void_turtle(result: Dump, base_url: str) -> str:
    """VoID and DCAT of the dump: one distribution per file with size, checksum and records."""
    dataset = f"{BASE}dataset"
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix spdx: <http://spdx.org/rdf/terms#> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<{dataset}> a void:Dataset, dcat:Dataset ;",
        '    dcterms:title "poa-kg: the UN Programme of Action knowledge graph" ;',
        f"    dcterms:license <{result.licence}> ;",
        f'    dcterms:issued "{result.date}"^^xsd:date ;',
        f'    dcat:version "{result.version}" ;',
    ]
    quads = next((f.records for f in result.files if f.record_kind == "quads"), 0)
    lines.append(f"    void:triples {quads} ;")
    for file in result.files:
        lines.append(f"    dcat:distribution <{base_url}/downloads/{file.name}> ;")
        if file.media_type in ("application/n-quads", "application/trig"):
            lines.append(f"    void:dataDump <{base_url}/downloads/{file.name}> ;")
    lines[-1] = lines[-1].removesuffix(" ;") + " ."
    for file in result.files:
        lines += [
            "",
            f"<{base_url}/downloads/{file.name}> a dcat:Distribution ;",
            f"    dcterms:title {json.dumps(file.description)} ;",
            f"    dcat:downloadURL <{base_url}/downloads/{file.name}> ;",
            f'    dcat:mediaType "{file.media_type}" ;',
            f"    dcat:byteSize {file.bytes} ;",
            f"    dcterms:license <{result.licence}> ;",
            "    spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;",
            f'        spdx:checksumValue "{file.sha256}"^^xsd:hexBinary ] ;',
        ]
        if file.encoding:
            lines.append(f'    dcat:compressFormat "application/{file.encoding}" ;')
        count = "void:triples" if file.record_kind == "quads" else "void:entities"
        lines.append(f"    {count} {file.records} .")
    return "\n".join(lines) + "\n"
