"""The dataset as served: the build's VoID manifest (``data/turtle/void.ttl``) plus the graphs the
store adds (the ontology's and the publication manifest's), as one rdflib graph that ``/void``,
``/.well-known/void``, ``/graph/{name}`` and the SPARQL service description all read."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, VOID

from poa_kg.namespaces import DATASET, ONTOLOGY_GRAPH
from poa_kg.serve.publication import PUBLICATION


def dataset_description(turtle_dir: Path, ontology: Path, endpoint: str) -> Graph:
    """The dataset as served: the build's VoID manifest (``void.ttl``: each graph of
    ``data/turtle`` and its triple count), the ontology's graph the store adds, and the SPARQL
    endpoint. ``/void`` and the SPARQL service description both describe the dataset from it, so
    the two cannot disagree."""
    g = Graph().parse(turtle_dir / "void.ttl", format="turtle")
    dataset, ontology_graph = URIRef(DATASET), URIRef(ONTOLOGY_GRAPH)
    triples = len(Graph().parse(ontology, format="turtle"))
    g.add((dataset, VOID.subset, ontology_graph))
    g.add((ontology_graph, RDF.type, VOID.Dataset))
    g.add((ontology_graph, VOID.triples, RdfLiteral(triples)))
    # the manifest: its hash, and one void:subset per graph it names (itself aside)
    subsets = len(set(g.objects(dataset, VOID.subset)))
    manifest_graph = URIRef(PUBLICATION)
    g.add((dataset, VOID.subset, manifest_graph))
    g.add((manifest_graph, RDF.type, VOID.Dataset))
    g.add((manifest_graph, VOID.triples, RdfLiteral(1 + subsets)))
    g.set((dataset, VOID.triples, RdfLiteral(_subset_triples(g, dataset))))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    return g


def _subset_triples(g: Graph, dataset: URIRef) -> int:
    counts = (g.value(subset, VOID.triples) for subset in g.objects(dataset, VOID.subset))
    return sum(int(str(count)) for count in counts if count is not None)
