"""The remote backend's pieces that need no engine (issue 24): parameters bound where they are
used, engine extensions refused, answers read term by term."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Store

from poa_kg.serve import queries
from poa_kg.serve.read.reader import json_rows
from poa_kg.serve.remote_answers import read_json_solutions, read_triples
from poa_kg.serve.remote_queries import ascii_terms, bind_in_place, refuse_engine_extensions
from poa_kg.serve.sparql import QueryRefused

ID = "https://w3id.org/poa-kg/id/"


def test_a_bound_variable_becomes_its_term_where_it_is_used() -> None:
    query = (
        "SELECT ?a ?n (COUNT(?x) AS ?c) WHERE { ?x <p> ?a . FILTER (?n != '?a') } "
        "GROUP BY ?a ?n ORDER BY DESC(?c) ?a"
    )
    bound = bind_in_place(query, (("a", "<urn:a>"),))
    assert bound == (
        "SELECT (<urn:a> AS ?a) ?n (COUNT(?x) AS ?c) WHERE { ?x <p> <urn:a> . "
        "FILTER (?n != '?a') } GROUP BY (<urn:a>) ?n ORDER BY DESC(?c) (<urn:a>)"
    )


@pytest.mark.parametrize("name", queries.names())
def test_every_named_query_stays_valid_once_bound(name: str) -> None:
    """Each declared parameter bound at once: the text still parses and answers as pyoxigraph's
    own substitution does (on an empty store: the same variables)."""
    terms = dict.fromkeys(queries.header(name).binds, f"<{ID}x>")
    job = queries.job(name, "x", 1, "x:", {k: NamedNode(v[1:-1]) for k, v in terms.items()})
    text = bind_in_place(job.query, job.substitutions)
    result = Store().query(text)
    if hasattr(result, "variables"):
        assert [v.value for v in result.variables] == [
            v.value
            for v in Store().query(job.query).variables  # type: ignore[union-attr]
        ]


def test_terms_travel_in_ascii() -> None:
    assert ascii_terms((("q", '"States’ 𝔸"'),)) == (("q", '"States\\u2019 \\U0001D538"'),)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (bif:sys_stat('st_dbms_ver') AS ?v) {}",
        "SELECT (SQL:x(1) AS ?v) {}",
        "SELECT * { ?s bif:contains 'x' }",
        "PREFIX v: <http://www.openlinksw.com/schemas/virtrdf#> SELECT * { ?s v:p ?o }",
        "SELECT (<java:org.example.F>(1) AS ?v) {}",
        "PREFIX f: <http://example.org/> SELECT (f:g(1) AS ?v) {}",
        "SELECT (<http://jena.apache.org/ARQ/function#sha1sum>('x') AS ?v) {}",
        "define input:inference 'x' SELECT * { ?s ?p ?o }",
        "SELECT (\\u0062if:sys_stat(1) AS ?v) {}",
    ],
)
def test_engine_extensions_are_refused(query: str) -> None:
    with pytest.raises(QueryRefused):
        refuse_engine_extensions(query)


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT (xsd:integer('1') AS ?v) {}",
        "SELECT (STRLEN('bif:sys_stat(1)') AS ?v) {} # bif:sys_stat(1)",
        "SELECT ?s WHERE { ?s <http://example.org/p> (1 2) }",
        "SELECT ?defined WHERE { ?s <http://example.org/defined> ?defined }",
        "SELECT (COUNT(*) AS ?n) (GROUP_CONCAT(?x; SEPARATOR=',') AS ?all) { ?s ?p ?x }",
    ],
)
def test_standard_queries_pass(query: str) -> None:
    refuse_engine_extensions(query)


def test_answers_are_read_term_by_term() -> None:
    body = json.dumps(
        {
            "head": {"vars": ["b", "r", "t", "c", "x"]},
            "results": {
                "bindings": [
                    {
                        "b": {"type": "bnode", "value": "nodeID://b10006"},
                        "r": {"type": "uri", "value": "relative"},
                        "t": {
                            "type": "typed-literal",
                            "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
                            "value": "1",
                        },
                        "c": {
                            "type": "literal",
                            "datatype": "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
                            "value": "42",
                        },
                        "x": {"type": "bnode", "value": "nodeID://b10006"},
                    }
                ]
            },
        }
    ).encode()
    variables, rows = read_json_solutions(body, "http://example.org/sparql")
    assert variables == ["b", "r", "t", "c", "x"]
    row = rows[0]
    assert isinstance(row["b"], BlankNode) and row["b"] == row["x"]
    assert row["r"] == NamedNode("http://example.org/relative")
    assert row["t"] == Literal(
        "true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    )
    assert row["c"] == Literal(
        "42", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
    )
    assert row["missing"] is None


def test_a_boolean_written_one_is_true_for_the_routes() -> None:
    body = json.dumps(
        {
            "head": {"vars": ["curated"]},
            "results": {
                "bindings": [
                    {
                        "curated": {
                            "type": "typed-literal",
                            "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
                            "value": "1",
                        }
                    }
                ]
            },
        }
    ).encode()
    assert json_rows(body) == [{"curated": True}]


def test_triples_with_virtuoso_blank_nodes_and_relative_iris() -> None:
    body = b'<nodeID://b1> <p> "x" .\n<s> <p> <nodeID://b1> .\n'
    triples = list(read_triples(body, "http://example.org/"))
    assert triples[0].subject == triples[1].object
    assert isinstance(triples[0].subject, BlankNode)
    assert triples[1].subject == NamedNode("http://example.org/s")
