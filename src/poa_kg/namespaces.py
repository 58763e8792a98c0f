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
DATASET = f"{BASE}dataset"
"""The dataset as a whole: VoID's ``void:Dataset`` and the SPARQL service's default dataset."""
ONTOLOGY_GRAPH = f"{GRAPH}ontology"
"""The named graph the store loads the ontology into, beside the graphs of ``data/turtle``."""

ORG = Namespace("http://www.w3.org/ns/org#")
OPENGOV = Namespace("http://www.w3.org/ns/opengov#")
OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
SDG = Namespace("http://metadata.un.org/sdg/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ISO639_1 = Namespace("http://id.loc.gov/vocabulary/iso639-1/")
"""The Library of Congress's ISO 639-1 languages: each is a ``dcterms:LinguisticSystem``, the
range DCTerms gives ``dcterms:language``."""
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
    "iso639-1": ISO639_1,
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
    "entity_iri",
    "key_of",
    "kind_of",
]


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A vocabulary entry's key: lower-case words joined by hyphens (``interpol``, ``bms8``)."""
RESOLUTION_KEY = re.compile(r"[AS]-RES-\d+(?:-\d+)?")
"""A resolution's key: its symbol with "/" as "-" (``A-RES-72-55``, ``S-RES-2220``)."""
VOCABULARY_KEY = re.compile(f"{SLUG.pattern}|{RESOLUTION_KEY.pattern}")
DOCUMENT_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
"""A document's key: its source file's stem (``revcon3-2018``, ``ga-res-74-60-2019``)."""
_UNIT_KEY = rf"{DOCUMENT_KEY.pattern}/(?:main|annex(?:_\w+)?)/[A-Za-z0-9_]+(?:-\d+)?"

_KEYS = {
    "state": re.compile(r"[A-Za-z]{3}"),
    "actor": SLUG,
    "instrument": VOCABULARY_KEY,
    "meeting": SLUG,
    "theme": SLUG,
    "level": SLUG,
    "document": DOCUMENT_KEY,
    "statement": re.compile(_UNIT_KEY),
    "vote": re.compile(_UNIT_KEY),
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


def key_of(iri: object, kind: str) -> str:
    """The key of one of our IRIs of ``kind`` (its path after ``id/{kind}/``); any other IRI as
    given. The inverse of ``entity``."""
    text = str(iri)
    prefix = f"{ID}{kind}/"
    return text.removeprefix(prefix) if text.startswith(prefix) else text


def kind_of(iri: object) -> str:
    """The kind segment of one of our IRIs (``actor``, ``state``, …), or '' for others."""
    text = str(iri)
    if not text.startswith(str(ID)):
        return ""
    return text[len(str(ID)) :].split("/", 1)[0]
