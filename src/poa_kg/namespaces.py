"""The RDF namespaces poa-kg writes and reads, defined once.

Everything the project mints lives under one base, ``https://w3id.org/poa-kg/``; see
``ontology/README.md`` for the identifier scheme.
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

BASE = "https://w3id.org/poa-kg/"
ONTOLOGY_IRI = f"{BASE}ont"

POA = Namespace(f"{BASE}ont#")
ID = Namespace(f"{BASE}id/")
GRAPH = Namespace(f"{BASE}graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
OPENGOV = Namespace("http://www.w3.org/ns/opengov#")
OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
SDG = Namespace("http://metadata.un.org/sdg/")

PREFIXES: dict[str, Namespace] = {
    "poa": POA,
    "dcterms": Namespace(str(DCTERMS)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "org": ORG,
    "opengov": OPENGOV,
    "oa": OA,
    "foaf": FOAF,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "void": Namespace(str(VOID)),
    "sh": Namespace(str(SH)),
    "wd": WIKIDATA,
    "sdg": SDG,
}


def entity(kind: str, key: str) -> str:
    """IRI of an instance: ``https://w3id.org/poa-kg/id/{kind}/{key}``."""
    return f"{ID}{kind}/{key}"


__all__ = [
    "BASE",
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "OA",
    "ONTOLOGY_IRI",
    "OPENGOV",
    "ORG",
    "OWL",
    "POA",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDG",
    "SH",
    "SKOS",
    "VOID",
    "WIKIDATA",
    "XSD",
    "entity",
]
