"""Publication manifest: a small named graph (``graph/publication``) loaded with the data into any
SPARQL engine. It names every graph the publication holds (``void:subset``) and the content hash
of the files they came from (``schema:sha256``, the hash ``store.publish_store`` names the
embedded store after), so that a service reading the engine over the protocol

- knows the data version, and every cache keyed on it refreshes when a new build is loaded;
- queries exactly the published graphs, never the engine's own: when the engine holds a graph
  the manifest does not name (``FOREIGN_GRAPHS_QUERY``: Virtuoso keeps its system graphs in the
  same quad store), the reader names the published graphs (``default-graph-uri`` and
  ``named-graph-uri``); otherwise it leaves the engine's default graph alone (Oxigraph answers a
  long list of graphs many times slower than its union default graph).

The manifest is a separate file, not part of ``data/turtle``: the build output is unchanged, and a
loader writes the manifest last, so an engine holds a manifest only once its data is complete. The
embedded store holds the same manifest (``store.publish_store``), so both answer alike.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from poa_kg.namespaces import GRAPH

PUBLICATION = f"{GRAPH}publication"
SHA256 = "https://schema.org/sha256"
SUBSET = "http://rdfs.org/ns/void#subset"


def content_hash(files: list[Path]) -> str:
    """SHA-256 over the names and bytes of the files, in name order: the data version."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def graphs_of(pairs: list[tuple[Path, str | None]]) -> list[str]:
    """The graph IRIs a list of (file, graph) pairs fills; an N-Quads file (graph None) names its
    own."""
    names: set[str] = set()
    for path, graph in pairs:
        if graph is not None:
            names.add(graph)
            continue
        for quad in parse(path=str(path), format=RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, NamedNode):
                names.add(quad.graph_name.value)
    return sorted(names)


def manifest(pairs: list[tuple[Path, str | None]]) -> list[Quad]:
    """The manifest quads for what ``pairs`` load."""
    subject = NamedNode(PUBLICATION)
    graph = NamedNode(PUBLICATION)
    digest = content_hash([path for path, _graph in pairs])
    quads = [Quad(subject, NamedNode(SHA256), Literal(digest), graph)]
    return quads + [Quad(subject, NamedNode(SUBSET), NamedNode(g), graph) for g in graphs_of(pairs)]


def write_manifest(pairs: list[tuple[Path, str | None]], path: Path) -> Path:
    """Write the manifest of ``pairs`` as N-Quads to ``path``."""
    serialize(manifest(pairs), output=str(path), format=RdfFormat.N_QUADS)
    return path


MANIFEST_QUERY = f"""SELECT ?hash ?graph WHERE {{
  GRAPH <{PUBLICATION}> {{ <{PUBLICATION}> <{SHA256}> ?hash ; <{SUBSET}> ?graph }}
}}"""
"""What a reader asks an engine: the content hash and the graphs (one row per graph)."""


def foreign_graphs_query(graphs: list[str]) -> str:
    """ASK whether the engine holds a non-empty graph besides ``graphs`` and the manifest."""
    names = ", ".join(f"<{g}>" for g in [*graphs, PUBLICATION])
    return f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({names})) }}"
