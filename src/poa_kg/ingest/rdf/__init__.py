"""RDF: model objects → named graphs (rdflib ``Graph``s keyed by graph name), no blank nodes.

- ``document_graph`` (``document.py``): a document, its source, parts, sections, units,
  statements, mentions and recorded votes. Every statement and mention has a W3C Web Annotation
  target (text position and text quote selectors) and ``prov:wasDerivedFrom`` its unit.
- ``quality_graph`` (``quality.py``): the quality issues of every document and vocabulary.
- ``vocabulary_graph`` and ``minted_graph`` (``vocabulary.py``): one SKOS scheme per vocabulary
  file, plus the generated one of resolutions minted from their numbers.

Identifiers follow ``ontology/README.md`` (``terms.py``); sub-resources are hash IRIs, so the
output has no blank nodes and serialises byte for byte the same on every run.
"""

from poa_kg.ingest.rdf.document import document_graph
from poa_kg.ingest.rdf.quality import quality_graph
from poa_kg.ingest.rdf.terms import draft_key, iri, new_graph, statement_iri
from poa_kg.ingest.rdf.vocabulary import (
    SCHEMES,
    minted_graph,
    resolution_entries,
    vocabulary_graph,
)

__all__ = [
    "SCHEMES",
    "document_graph",
    "draft_key",
    "iri",
    "minted_graph",
    "new_graph",
    "quality_graph",
    "resolution_entries",
    "statement_iri",
    "vocabulary_graph",
]
