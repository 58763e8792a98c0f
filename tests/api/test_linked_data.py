"""The linked data a reviewer checks: the dataset's own IRIs dereference (/ont, /graph/{name},
/.well-known/void), VoID and the service description agree, and the data uses its vocabularies
by their definitions (annotations, spans, languages, top concepts, supertypes)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, VOID

from poa_kg.namespaces import DATASET, GRAPH, ONTOLOGY_IRI, POA

SD = "http://www.w3.org/ns/sparql-service-description#"
OA = "http://www.w3.org/ns/oa#"


def _ask(client: TestClient, query: str) -> bool:
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def _count(client: TestClient, query: str) -> int:
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


PREFIXES = f"PREFIX poa: <{POA}> PREFIX oa: <{OA}> PREFIX rdfs: <{RDFS}> PREFIX skos: <{SKOS}> "


def test_the_ontology_dereferences_as_a_page_and_as_rdf(client: TestClient) -> None:
    page = client.get("/ont", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'id="Commitment"' in page.text and "poa:textSpan" in page.text
    assert page.headers["vary"] == "Accept"
    for accept, extension, rdflib_format in (
        ("text/turtle", "ttl", "turtle"),
        ("application/ld+json", "jsonld", "json-ld"),
        ("application/n-triples", "nt", "nt"),
    ):
        by_accept = client.get("/ont", headers={"Accept": accept})
        by_extension = client.get(f"/ont.{extension}")
        assert by_accept.headers["content-type"].startswith(accept)
        graph = Graph().parse(data=by_accept.content, format=rdflib_format)
        assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in graph
        assert by_accept.content == by_extension.content
    assert client.get("/ont.docx").status_code == 404
    assert client.get("/ont", headers={"Accept": "image/png"}).status_code == 406


def test_every_named_graph_dereferences_with_the_triples_void_counts(client: TestClient) -> None:
    void = Graph().parse(
        data=client.get("/void", headers={"Accept": "text/turtle"}).content, format="turtle"
    )
    subsets = sorted(void.objects(URIRef(DATASET), VOID.subset), key=str)
    assert URIRef(f"{GRAPH}ontology") in subsets and URIRef(f"{GRAPH}lineage") in subsets
    for subset in (URIRef(f"{GRAPH}lineage"), URIRef(f"{GRAPH}ga-res-74-60-2019")):
        name = str(subset).removeprefix(str(GRAPH))
        answer = client.get(f"/graph/{name}", headers={"Accept": "application/n-triples"})
        assert answer.status_code == 200
        graph = Graph().parse(data=answer.content, format="nt")
        assert len(graph) == int(void.value(subset, VOID.triples))
        assert client.get(f"/graph/{name}.ttl").headers["content-type"].startswith("text/turtle")
    missing = client.get("/graph/bms99")
    assert missing.status_code == 404 and missing.json()["parameter"] == "name"


def test_void_at_its_well_known_address_and_in_the_service_description(client: TestClient) -> None:
    void = client.get("/void", headers={"Accept": "text/turtle"})
    well_known = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == well_known.status_code == 200
    assert void.content == well_known.content
    described = Graph().parse(data=void.content, format="turtle")
    service = Graph().parse(
        data=client.get("/sparql", headers={"Accept": "text/turtle"}).content, format="turtle"
    )
    dataset = URIRef(DATASET)
    assert (None, URIRef(f"{SD}defaultDataset"), dataset) in service
    named = {
        service.value(n, URIRef(f"{SD}name"))
        for n in service.objects(dataset, URIRef(f"{SD}namedGraph"))
    }
    assert named == set(described.objects(dataset, VOID.subset))
    assert service.value(dataset, VOID.triples) == described.value(dataset, VOID.triples)
    total = sum(int(described.value(s, VOID.triples)) for s in named)
    assert int(described.value(dataset, VOID.triples)) == total


def test_the_data_uses_its_vocabularies_by_their_definitions(client: TestClient) -> None:
    # a mention is a Web Annotation in so many words; a statement has a span, not an oa:hasTarget
    assert _ask(client, PREFIXES + "ASK { ?m a poa:Mention , oa:Annotation ; oa:hasTarget ?t }")
    assert not _ask(
        client, PREFIXES + "ASK { ?m a poa:Mention FILTER NOT EXISTS { ?m a oa:Annotation } }"
    )
    assert not _ask(client, PREFIXES + "ASK { ?s a poa:Commitment ; oa:hasTarget ?t }")
    assert _ask(client, PREFIXES + "ASK { ?s a poa:Commitment ; poa:textSpan/oa:hasSelector ?x }")
    # a document's language is a linguistic system, not a string
    assert _ask(
        client,
        "ASK { ?d <http://purl.org/dc/terms/language> <http://id.loc.gov/vocabulary/iso639-1/en> }",
    )
    # every concept scheme has top concepts, and a concept with a broader one is not among them
    assert not _ask(
        client,
        PREFIXES
        + "ASK { ?scheme a skos:ConceptScheme FILTER NOT EXISTS { ?scheme skos:hasTopConcept ?c } }",
    )
    assert not _ask(client, PREFIXES + "ASK { ?c skos:topConceptOf ?s ; skos:broader ?b }")


def test_supertypes_are_reached_through_the_ontology_in_the_store(client: TestClient) -> None:
    """Supertypes are not materialised: the store holds the ontology, and a query reaches every
    kind of actor with ``a/rdfs:subClassOf*`` (README, "Querying by supertype")."""
    direct = _count(client, PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) { ?a a poa:Actor }")
    reasoned = _count(
        client, PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) { ?a a/rdfs:subClassOf* poa:Actor }"
    )
    states = _count(client, PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) { ?a a poa:State }")
    assert direct < reasoned and states < reasoned
    assert _count(
        client,
        PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a/rdfs:subClassOf* poa:Statement }",
    ) > _count(client, PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a poa:Commitment }")


@pytest.mark.parametrize("term", ["Commitment", "textSpan", "engages"])
def test_the_ontology_s_own_terms_say_where_they_are_defined(client: TestClient, term: str) -> None:
    graph = Graph().parse(data=client.get("/ont.ttl").content, format="turtle")
    assert (POA[term], RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) in graph


def test_json_ld_of_the_ontology_is_json(client: TestClient) -> None:
    assert isinstance(json.loads(client.get("/ont.jsonld").content), (list, dict))
