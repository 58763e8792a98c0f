"""The named queries stay in the portable core of SPARQL 1.1 (issue 24): no ``*``/``+`` path over
``rdfs:subClassOf`` (Virtuoso 7.2 loses rows when the subject is bound by a join), and each class
list that replaces one (``VALUES ?class { … }`` or, inside an OPTIONAL where a VALUES block
would be joined first, ``FILTER (?class IN (…))``, each marked ``# poa:X and its subclasses``) is exactly the
closure the ontology gives, so the list cannot go stale unnoticed."""

from __future__ import annotations

import re

import pytest
from pyoxigraph import RdfFormat, Store

from poa_kg.config import ROOT
from poa_kg.serve import queries

POA = "https://w3id.org/poa-kg/ont#"
_LIST = re.compile(
    r"(?:VALUES \?\w+ \{ ([^}]*) \}|FILTER \(\?\w+ IN \(([^)]*)\)\))[^#\n]*"
    r"# poa:(\w+) and its subclasses(?: except ((?:poa:\w+ ?)+))?"
)


@pytest.fixture(scope="module")
def ontology() -> Store:
    store = Store()
    store.load(path=str(ROOT / "ontology" / "poa.ttl"), format=RdfFormat.TURTLE)
    return store


def _closure(ontology: Store, cls: str) -> set[str]:
    query = (
        f"SELECT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{POA}{cls}> }}"
    )
    found = {row[0].value for row in ontology.query(query)}  # type: ignore[union-attr]
    return {f"poa:{iri.removeprefix(POA)}" for iri in found | {POA + cls}}


@pytest.mark.parametrize("name", queries.names())
def test_no_transitive_path_over_subclass(name: str) -> None:
    assert not re.search(r"subClassOf[*+?]", queries.load(name)), name


@pytest.mark.parametrize("name", queries.names())
def test_class_lists_are_the_ontology_closure(ontology: Store, name: str) -> None:
    for match in _LIST.finditer(queries.load(name)):
        listed = set((match.group(1) or match.group(2)).replace(",", " ").split())
        excluded = set((match.group(4) or "").split())
        assert listed == _closure(ontology, match.group(3)) - excluded, (name, match.group(0))


def test_the_class_lists_are_found() -> None:
    found = sum(len(_LIST.findall(queries.load(name))) for name in queries.names())
    assert found >= 14


def test_the_closure_query_sees_the_hierarchy(ontology: Store) -> None:
    assert "poa:ProceduralDecision" in _closure(ontology, "Commitment")
