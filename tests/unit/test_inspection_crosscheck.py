"""The token scan that refuses updates, LOAD and SERVICE (``inspect_query``) checked against an
independent reader: rdflib's SPARQL parser (docs/decisions.md §9: too slow for the hot path, right for
tests).

The scan may refuse more than it must (it fails closed) but never less: whenever rdflib finds a
SERVICE clause or parses the text as an update, the scan refuses; and it refuses none of the
queries this project ships (the named ``.rq`` files).
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from multiprocessing.pool import Pool
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, Store
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from poa_kg.errors import QueryError
from poa_kg.serve import queries
from poa_kg.serve.sandbox import deny_network
from poa_kg.serve.sparql import QueryRefused, UpdateRefused, inspect_query


def _has_service(node: Any) -> bool:
    """Whether rdflib's parse tree holds a SERVICE clause anywhere."""
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(value) for value in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_has_service(item) for item in node)
    return False


def rdflib_verdict(text: str) -> str:
    """``service``, ``update``, a query form, or ``invalid``, as rdflib's parser reads the text."""
    try:
        tree = parseQuery(text)
    except (ParseException, ValueError, TypeError):
        try:
            parseUpdate(text)
        except (ParseException, ValueError, TypeError):
            return "invalid"
        return "update"
    if _has_service(tree):
        return "service"
    return str(tree[1].name).removesuffix("Query").lower()


def scan_verdict(text: str) -> str:
    try:
        return inspect_query(text).form
    except UpdateRefused:
        return "update"
    except QueryRefused:
        return "service"
    except QueryError:
        return "invalid"


# Fragments a query body is built from: triple patterns whose strings, IRIs, prefixed names,
# variables and comments spell the refused keywords, and the real clauses the scan must catch.
_HARMLESS = [
    '?s ex:p "SERVICE <http://127.0.0.1/> { }" .',
    "?s ex:p 'LOAD <http://x/>' .",
    '?s ex:p """INSERT DATA { <a:b> <a:c> <a:d> }""" .',
    "?s <http://e/service/insert> ?o .",
    "?s ex:delete ?load .",
    "?service ex:p ?drop .",
    "# SERVICE <http://127.0.0.1:8123/> { }\n?s ?p ?o .",
    '?s ex:p ?o . FILTER (?o != "clear")',
    "OPTIONAL { ?s ex:q ?q }",
    "{ ?s ex:a ?b } UNION { ?s ex:c ?d }",
    "?s ex:p ?o FILTER(?o < 3 && ?o > <http://e/service>)",
    "?s ex:p ?o FILTER(?o<3&&?o>1)",
    "VALUES (?a ?b) { (<urn:x> <http://e/service>) }",
    "?s ex:p (<urn:a> <urn:load>) .",
    "?s ex:p ex:x\\#service .",
    "?s ex:p ?o . FILTER (?o IN (<urn:with>, <urn:drop>))",
    "?s (ex:a|ex:b)/ex:c ?o .",
]
_SERVICE = [
    "SERVICE <http://127.0.0.1:8123/> { ?s ?p ?o }",
    "SERVICE SILENT <http://127.0.0.1:8123/> { ?s ?p ?o }",
    "service ?endpoint { ?s ?p ?o }",
    "OPTIONAL { SERVICE <http://10.0.0.1/sparql> { ?s ex:p ?o } }",
    "\\u0053ERVICE <http://127.0.0.1:8123/> { ?s ?p ?o }",
    # disguises found by an attack run: a dot glued to the token before, escapes in local names
    "?s ?p ?o.SERVICE <http://127.0.0.1:8123/sparql> { ?x ?y ?z }",
    "?s ?p $o.SERVICE <http://127.0.0.1:8123/sparql> { ?x ?y ?z }",
    '?s ?p "x"@en.SERVICE <http://127.0.0.1:8123/sparql> { ?x ?y ?z }',
    "?s ?p true.SERVICE <http://127.0.0.1:8123/sparql> { ?x ?y ?z }",
    "?s ?p 1.SERVICE <http://127.0.0.1:8123/sparql> { ?x ?y ?z }",
    "?s a ex:\\#Commitment . SERVICE <http://127.0.0.1:8123/sparql> { ?x ?y ?z }",
    "?s a ex:\\'x . SERVICE <http://127.0.0.1:8123/sparql> { ?x ?y ?z }",
    # "<" after an operand inside an expression compares: no IRI hides what follows
    "?s ?p ?o FILTER(?o<1)SERVICE ?o#>\n{ ?x ?y ?z }",
]
_PREFIX = "PREFIX ex: <http://example.org/>\n"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADS = ["SELECT * WHERE", "ASK", "CONSTRUCT { ?s ?p ?o } WHERE", "DESCRIBE ?s WHERE"]
_UPDATES = [
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:8123/data.ttl>",
    "LOAD SILENT <http://127.0.0.1:8123/x> INTO GRAPH <g:x>",
    "CLEAR ALL",
    "DROP GRAPH <g:x>",
    "CREATE GRAPH <g:y>",
    "WITH <g:x> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "COPY DEFAULT TO <g:z>",
]


def _unescaped(text: str) -> str:
    # rdflib does not apply SPARQL's \\u escapes before parsing; the grammar (and Oxigraph) does
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.sampled_from(_HEADS),
    parts=st.lists(st.sampled_from(_HARMLESS + _SERVICE), min_size=1, max_size=4),
)
def test_scan_refuses_whatever_rdflib_reads_as_service(head: str, parts: list[str]) -> None:
    text = f"{_PREFIX}{head} {{\n" + "\n".join(parts) + "\n}"
    expected = rdflib_verdict(_unescaped(text))
    got = scan_verdict(text)
    if expected == "service":
        assert got == "service", text
    elif expected != "invalid":
        # no SERVICE clause: the scan may refuse only by failing closed on a keyword it cannot
        # place, and these fragments give it none; the form must agree
        assert got == expected, text


@pytest.mark.parametrize("update", _UPDATES)
def test_scan_refuses_every_update_form(update: str) -> None:
    assert rdflib_verdict(update) == "update"
    assert scan_verdict(update) == "update"
    assert scan_verdict(_PREFIX + update) == "update"


def _shipped_queries() -> list[tuple[str, str]]:
    """The named queries, each with every optional block in (the REST routes send both forms)."""
    return [
        (name, queries.with_blocks(queries.load(name), set(queries.header(name).binds)))
        for name in queries.names()
    ]


@pytest.mark.parametrize(("name", "text"), _shipped_queries())
def test_scan_accepts_every_shipped_query(name: str, text: str) -> None:
    expected = rdflib_verdict(text)
    assert expected not in ("service", "update", "invalid"), name
    assert scan_verdict(text) == expected, name


@pytest.mark.parametrize("brackets", ["{}", "()", "[]"])
def test_depth_limit_is_exact_and_ignores_brackets_in_strings(brackets: str) -> None:
    opening, closing = brackets
    at_limit = f"SELECT * WHERE {opening * 5}{closing * 5}"
    assert inspect_query("{" + at_limit + "}", max_depth=6).form == "select"
    with pytest.raises(QueryRefused):
        inspect_query("{{" + at_limit + "}}", max_depth=6)
    quoted = f'SELECT * WHERE {{ ?s ?p "{opening * 50}" }} # {opening * 50}'
    assert inspect_query(quoted, max_depth=6).form == "select"


_MATCHED = [
    ("<urn:s>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{uri}>")
    for uri in ("http://example.org/#Commitment", "http://example.org/'x")
] + [("<urn:s>", "<urn:p>", term) for term in ('"x"@en', "true", "1")]


def parse_term(text: str) -> Any:
    literal = {
        "true": Literal("true", datatype=NamedNode(f"{_XSD}boolean")),
        "1": Literal("1", datatype=NamedNode(f"{_XSD}integer")),
        '"x"@en': Literal("x", language="en"),
    }
    return literal.get(text) or NamedNode(text.strip("<>"))


def _engine_verdict(text: str) -> str:
    """How the engine itself reads the text: run on an empty store in a process that cannot open
    sockets, a SERVICE clause fails with PermissionError when the engine reaches for the network."""
    store = Store()
    for triple in _MATCHED:  # something for the patterns before SERVICE to match
        store.add(Quad(*(parse_term(term) for term in triple)))
    try:
        result = store.query(text)
        if not isinstance(result, QueryBoolean):
            list(result)
    except SyntaxError:
        return "invalid"
    except PermissionError:
        return "service"
    return "ran"


@pytest.fixture(scope="module")
def sandboxed() -> Iterator[Pool]:
    context = multiprocessing.get_context("forkserver")
    with context.Pool(1, initializer=deny_network) as pool:
        yield pool


@pytest.mark.parametrize("fragment", _SERVICE)
def test_every_disguise_of_service_is_service_to_the_engine_and_refused(
    fragment: str, sandboxed: Pool
) -> None:
    text = f"{_PREFIX}SELECT * WHERE {{ {fragment} }}"
    # silenced, on a variable, or escaped (the engine reads \u escapes only inside strings)
    if not re.search(r"SILENT|\?endpoint|\?o#>|\\u", fragment):
        assert sandboxed.apply(_engine_verdict, (text,)) == "service", "the engine would call"
    assert scan_verdict(text) == "service"


@pytest.mark.parametrize("fragment", _HARMLESS)
def test_harmless_fragments_pass_the_scan(fragment: str) -> None:
    text = f"{_PREFIX}SELECT * WHERE {{ {fragment} }}"
    assert rdflib_verdict(text) == "select"
    assert scan_verdict(text) == "select"
