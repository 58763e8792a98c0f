"""The scan's *subject lookup* verdict (``QueryInfo.subject_lookup``) checked against rdflib's
algebra, an independent reader: whenever the scan says "lookup", rdflib reads the query as one
triple pattern whose subject is an IRI under nothing but projection, DISTINCT/REDUCED and a slice.
The engine answers such queries without a worker and without a deadline, so the scan may miss a
lookup (it then goes to a worker) but must never take anything else for one.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyparsing import ParseException
from rdflib import URIRef
from rdflib.plugins.sparql import prepareQuery

from poa_kg.errors import QueryError
from poa_kg.serve.sparql import inspect_query

_BOUNDED_OPERATORS = frozenset(
    {"SelectQuery", "AskQuery", "Project", "Distinct", "Reduced", "Slice", "BGP"}
)


def _nodes(node: Any) -> list[Any]:
    """Every algebra operator under ``node`` (rdflib's ``CompValue`` trees)."""
    found = [node]
    for value in getattr(node, "values", lambda: [])():
        if hasattr(value, "name"):
            found += _nodes(value)
    return found


def rdflib_reads_a_lookup(text: str) -> bool | None:
    """True or False as rdflib's algebra reads the text; None when rdflib cannot parse it."""
    try:
        query = prepareQuery(text)
    except (ParseException, ValueError, TypeError, KeyError, AttributeError):
        return None
    operators = _nodes(query.algebra)
    if query.algebra.get("datasetClause"):
        return False
    if any(op.name not in _BOUNDED_OPERATORS for op in operators):
        return False
    patterns = [op for op in operators if op.name == "BGP"]
    if len(patterns) != 1 or len(patterns[0].triples) != 1:
        return False
    return isinstance(patterns[0].triples[0][0], URIRef)


def scan_reads_a_lookup(text: str) -> bool | None:
    try:
        return inspect_query(text).subject_lookup
    except QueryError:
        return None


_HEADS = [
    "SELECT ?p ?o WHERE",
    "SELECT * WHERE",
    "SELECT DISTINCT ?o",
    "SELECT REDUCED ?p WHERE",
    "ASK WHERE",
    "ASK",
    "SELECT (COUNT(*) AS ?n) WHERE",
    "SELECT ?p (STR(?o) AS ?t) WHERE",
    "CONSTRUCT WHERE",
    "DESCRIBE <http://example.org/s> WHERE",
    "SELECT ?p FROM <http://example.org/g> WHERE",
]
_SUBJECTS = ["<http://example.org/s>", "ex:s", "?s", "[]", "_:b", '"x"']
_PREDICATES = ["?p", "ex:p", "a", "<http://example.org/p>", "ex:p/ex:q", "ex:p*", "^ex:p"]
_OBJECTS = ["?o", "ex:o", "<http://example.org/o>", '"x"', "1", "?o . ?o ?q ?r", "[ ex:q ?r ]"]
_TAILS = ["", " .", " FILTER(?o != 1)", " OPTIONAL { ?o ex:q ?r }", " . ?s2 ?p2 ?o2"]
_MODIFIERS = ["", " LIMIT 5", " OFFSET 2 LIMIT 1", " ORDER BY ?p", " GROUP BY ?p", " # LIMIT"]
_PREFIX = "PREFIX ex: <http://example.org/>\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.sampled_from(_HEADS),
    subject=st.sampled_from(_SUBJECTS),
    predicate=st.sampled_from(_PREDICATES),
    value=st.sampled_from(_OBJECTS),
    tail=st.sampled_from(_TAILS),
    modifier=st.sampled_from(_MODIFIERS),
)
def test_the_scan_never_takes_more_than_one_pattern_about_an_iri_for_a_lookup(
    head: str, subject: str, predicate: str, value: str, tail: str, modifier: str
) -> None:
    text = f"{_PREFIX}{head} {{ {subject} {predicate} {value}{tail} }}{modifier}"
    expected = rdflib_reads_a_lookup(text)
    got = scan_reads_a_lookup(text)
    if got:
        assert expected is True, text


def test_the_common_lookups_are_recognised() -> None:
    for text in (
        "SELECT ?p ?o WHERE { <http://example.org/s> ?p ?o }",
        "SELECT ?p ?o WHERE { <http://example.org/s> ?p ?o } # a comment, 7-42",
        f"{_PREFIX}SELECT DISTINCT * {{ ex:s a ?type . }} LIMIT 10 OFFSET 0",
        "ASK { <http://example.org/s> <http://example.org/p> <http://example.org/o> }",
        "BASE <http://example.org/> SELECT ?o WHERE { <s> <p> ?o }",
    ):
        assert rdflib_reads_a_lookup(text) is True, text
        assert scan_reads_a_lookup(text) is True, text


def test_what_reaches_further_than_one_subject_is_not_a_lookup() -> None:
    for text in (
        "SELECT ?s WHERE { ?s ?p ?o }",  # every triple
        "SELECT ?o WHERE { <http://example.org/s> <http://example.org/p>+ ?o }",  # a path
        "SELECT ?r WHERE { <http://example.org/s> ?p ?o . ?o ?q ?r }",  # a join
        "SELECT ?o WHERE { <http://example.org/s> ?p ?o } ORDER BY ?o",  # sorts
        "SELECT ?o FROM <http://example.org/g> WHERE { <http://example.org/s> ?p ?o }",
        "CONSTRUCT WHERE { <http://example.org/s> ?p ?o }",
    ):
        assert scan_reads_a_lookup(text) is False, text
