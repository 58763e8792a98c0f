"""The RDF namespaces poa-kg writes and reads, defined once.

Everything the project mints lives under one base, ``https://w3id.org/poa-kg/``; see
``ontology/README.md`` for the identifier scheme.
"""

import re

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
ELI = Namespace("http://data.europa.eu/eli/ontology#")
DQV = Namespace("http://www.w3.org/ns/dqv#")

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
    "eli": ELI,
    "dqv": DQV,
}


def entity(kind: str, key: str) -> str:
    """IRI of an instance: ``https://w3id.org/poa-kg/id/{kind}/{key}``."""
    return f"{ID}{kind}/{key}"


__all__ = [
    "BASE",
    "DCTERMS",
    "DQV",
    "ELI",
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


_KEYS = {
    "state": re.compile(r"[A-Za-z]{3}"),
    "actor": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
    "instrument": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[AS]-RES-\d+(?:-\d+)?"),
    "meeting": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
    "theme": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
    "level": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
    "document": re.compile(r"[a-z0-9][a-z0-9-]*"),
    "statement": re.compile(r"[a-z0-9][a-z0-9-]*/(?:main|annex(?:_\w+)?)/[A-Za-z0-9_]+(?:-\d+)?"),
    "vote": re.compile(r"[a-z0-9][a-z0-9-]*/(?:main|annex(?:_\w+)?)/[A-Za-z0-9_]+(?:-\d+)?"),
}


def entity_iri(value: str, kind: str) -> str:
    """The IRI a user names: a full IRI as given, or a key of ``kind`` (``FRA``, ``interpol``,
    ``bms8``) under ``id/{kind}/``.

    Raises:
        ValueError: the value is neither (the message says what was expected).
    """
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return value
    if not _KEYS[kind].fullmatch(value):
        raise ValueError(f"{value!r} is neither an IRI nor a {kind} key")
    return f"{ID}{kind}/{value.upper() if kind == 'state' else value}"
