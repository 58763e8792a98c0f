"""Query inspection, negotiation and the capped serialisers (unit level; the live tests cover HTTP)."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from poa_kg.engine import QueryJob, execute
from poa_kg.errors import QueryError
from poa_kg.sparql import QueryRefused, UpdateRefused, inject_values, inspect_query, negotiate


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    for i in range(50):
        store.add(Quad(NamedNode(f"http://e/{i}"), NamedNode("http://e/p"), Literal(str(i))))
    return store


@pytest.mark.parametrize(
    "media_type",
    [
        "text/csv",
        "text/tab-separated-values",
        "application/sparql-results+xml",
        "application/sparql-results+json",
    ],
)
def test_cap_holds_on_both_serialiser_paths(store: Store, media_type: str) -> None:
    big = execute(store, QueryJob("SELECT ?s WHERE { ?s ?p ?o }", media_type, 10, "x:"))
    assert big.truncated and big.rows == 10  # too big for the native path: re-run and cut
    small = execute(store, QueryJob("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", media_type, 1000, "x:"))
    assert not small.truncated and small.rows in (3, -1)  # native path (JSON rows uncounted)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", UpdateRefused),
        ("with <g:x> delete { ?s ?p ?o } where { ?s ?p ?o }", UpdateRefused),
        ("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", QueryRefused),
        ("SELECT * { \\u0053ERVICE <http://x/> { } }", QueryRefused),
        ("SELECT * WHERE " + "{" * 200 + "}" * 200, QueryRefused),
        ("this is not a query", QueryError),
    ],
)
def test_inspection_refuses_before_parsing(query: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        inspect_query(query)


def test_keywords_inside_strings_iris_and_comments_are_ignored() -> None:
    info = inspect_query(
        'PREFIX ex: <http://e/insert/> SELECT ?load { ?s ex:drop "SERVICE" } # DELETE'
    )
    assert info.form == "select"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml;q=0", None),  # nothing else named: nothing acceptable
        ("*/*, application/sparql-results+json;q=0", "application/sparql-results+xml"),
        ("image/png", None),
    ],
)
def test_negotiation(accept: str | None, chosen: str | None) -> None:
    offered = [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ]
    assert negotiate(accept, offered) == chosen


def test_values_block_opens_the_top_level_where_group() -> None:
    query = "SELECT ?x ?y WHERE { { SELECT ?x WHERE { ?x ?p ?o } } ?x ?q ?y }"
    bound = inject_values(query, (("y", '"a \\"quoted\\" value"'),))
    assert bound.startswith('SELECT ?x ?y WHERE { VALUES (?y) { ("a \\"quoted\\" value") }')
