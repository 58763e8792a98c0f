"""Every named query: it parses, its declared bindings occur in it (and in its projection), the
``check-*`` queries return no row and the ``example-*`` queries return rows on the built graph."""

from __future__ import annotations

import re

import pytest
from pyoxigraph import Literal, Store
from rdflib.plugins.sparql import prepareQuery

from poa_kg.config import ROOT
from poa_kg.serve import queries
from poa_kg.serve.store import open_store, publish_store
from poa_kg.serve.worker import execute


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    version = publish_store(
        ROOT / "data" / "turtle",
        tmp_path_factory.mktemp("queries") / "store",
        ROOT / "ontology" / "poa.ttl",
    )
    return open_store(version)


@pytest.mark.parametrize("name", queries.names())
def test_query_parses_and_declares_what_it_binds(name: str) -> None:
    text = queries.load(name)
    prepareQuery(text)  # rdflib's parser as an independent check of the syntax
    header = queries.header(name)
    assert header.summary, f"{name}.rq has no summary comment"
    for variable in header.binds:
        assert f"?{variable}" in text.split("WHERE", 1)[1], (name, variable)
        head = text.split("WHERE", 1)[0]
        if "SELECT" in head:
            assert re.search(rf"\?{variable}\b", head), f"{name}: ?{variable} must be projected"


@pytest.mark.parametrize("name", [n for n in queries.names() if n.startswith("check-")])
def test_check_queries_find_nothing(store: Store, name: str) -> None:
    answer = execute(store, queries.job(name, "text/csv", 1000, "http://localhost/sparql"))
    assert answer.rows == 0, answer.body.decode()


@pytest.mark.parametrize("name", [n for n in queries.names() if n.startswith("example-")])
def test_example_queries_return_rows(store: Store, name: str) -> None:
    answer = execute(store, queries.job(name, "text/csv", 1000, "http://localhost/sparql"))
    assert answer.rows > 0


def test_abstentions_example_gives_the_23_states(store: Store) -> None:
    job = queries.job("example-states-abstaining-on-every-paragraph-vote", "text/csv", 1000, "x:")
    assert execute(store, job).rows == 23


def test_a_binding_not_declared_is_refused() -> None:
    with pytest.raises(ValueError, match="does not bind"):
        queries.job("votes", "text/csv", 10, "x:", {"anything": Literal("x")})
