"""Media types: the one table of every format the project reads or writes, and the views of it
that negotiation, the SPARQL serialisers, rdflib and the routes need.

Each row names a media type once, with its file extension, the ``format=`` aliases a user may
type, what it carries (SPARQL solutions, an RDF graph, a table, a page) and the serialiser names
of pyoxigraph and rdflib. Everything else (``SOLUTION_TYPES``, ``GRAPH_TYPES``,
``FORMAT_ALIASES``, ``RDF_DOCUMENTS``) is derived, so a format added here is offered everywhere
it fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pyoxigraph import RdfFormat

Carries = Literal["solutions", "graph", "table", "page", "json", "citation"]


@dataclass(frozen=True)
class MediaType:
    name: str
    carries: Carries
    extension: str | None = None
    aliases: tuple[str, ...] = ()
    results: str | None = None
    """The SPARQL results serialiser (json, xml, csv, tsv) for solutions."""
    oxigraph: RdfFormat | None = None
    rdflib: str | None = None
    document: bool = False
    """Offered for RDF documents (``/data``, ``/ont``, ``/graph``, ``/void``)."""


TABLE: tuple[MediaType, ...] = (
    MediaType("application/sparql-results+json", "solutions", "srj", ("json", "srj"), "json"),
    MediaType("application/sparql-results+xml", "solutions", "srx", ("xml", "srx"), "xml"),
    MediaType("text/csv", "solutions", "csv", ("csv",), "csv"),
    MediaType("text/tab-separated-values", "solutions", "tsv", ("tsv",), "tsv"),
    MediaType("application/json", "solutions", results="json"),
    MediaType("application/xml", "solutions", results="xml"),
    MediaType(
        "text/turtle", "graph", "ttl", ("ttl", "turtle"), None, RdfFormat.TURTLE, "turtle", True
    ),
    MediaType(
        "application/n-triples",
        "graph",
        "nt",
        ("nt", "ntriples"),
        None,
        RdfFormat.N_TRIPLES,
        "nt",
        True,
    ),
    MediaType(
        "application/rdf+xml",
        "graph",
        "rdf",
        ("rdf", "rdfxml", "xml-rdf"),
        None,
        RdfFormat.RDF_XML,
        "xml",
        True,
    ),
    MediaType(
        "application/ld+json",
        "graph",
        "jsonld",
        ("jsonld", "json-ld"),
        None,
        RdfFormat.JSON_LD,
        "json-ld",
        True,
    ),
    MediaType("application/n-quads", "graph", "nq", ("nq",), None, RdfFormat.N_QUADS, "nquads"),
    MediaType("text/plain", "graph", oxigraph=RdfFormat.N_TRIPLES, rdflib="nt"),
    MediaType("text/html", "page", "html"),
    MediaType("application/x-bibtex", "citation", "bib"),
    MediaType("application/vnd.citationstyles.csl+json", "citation"),
)

BY_NAME = {m.name: m for m in TABLE}

SOLUTION_TYPES: dict[str, str] = {
    m.name: m.results for m in TABLE if m.carries == "solutions" and m.results
}
"""Media types of SPARQL SELECT/ASK answers → the results serialiser."""
GRAPH_TYPES: dict[str, RdfFormat] = {
    m.name: m.oxigraph for m in TABLE if m.carries == "graph" and m.oxigraph
}
"""Media types of CONSTRUCT/DESCRIBE answers → pyoxigraph's format."""
FORMAT_ALIASES: dict[str, str] = {alias: m.name for m in TABLE for alias in m.aliases}
"""``format=`` values → media types."""
RDF_DOCUMENTS: dict[str, MediaType] = {
    m.extension: m for m in TABLE if m.document and m.extension is not None
}
"""File extensions of the RDF documents the service offers (Turtle first) → their type."""
HTML = "text/html"
JSON = "application/json"
CSV = "text/csv"
TEXT = "text/plain"
BIBTEX = "application/x-bibtex"
CSL_JSON = "application/vnd.citationstyles.csl+json"
SOLUTIONS_JSON = "application/sparql-results+json"


def rdflib_format(media_type: str) -> str:
    """rdflib's serialiser name for an RDF media type.

    Raises:
        KeyError: not an RDF media type.
    """
    name = BY_NAME[media_type].rdflib
    if name is None:
        raise KeyError(media_type)
    return name
