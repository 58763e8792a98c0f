"""The token scan that refuses updates, LOAD and SERVICE (``inspect_query``) checked against an
independent reader: rdflib's SPARQL parser (decisions.md §9: too slow for the hot path, right for
tests).

The scan may refuse more than it must (it fails closed) but never less: whenever rdflib finds a
SERVICE clause or parses the text as an update, the scan refuses; and it refuses none of the
queries this project ships (the named ``.rq`` files).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from poa_kg import queries, sparql
from poa_kg.errors import QueryError
from poa_kg.sparql import QueryRefused, UpdateRefused, inspect_query


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
    "# SERVICE <http://127.0.0.1:9/> { }\n?s ?p ?o .",
    '?s ex:p ?o . FILTER (?o != "clear")',
    "OPTIONAL { ?s ex:q ?q }",
    "{ ?s ex:a ?b } UNION { ?s ex:c ?d }",
]
_SERVICE = [
    "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
    "SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o }",
    "service ?endpoint { ?s ?p ?o }",
    "OPTIONAL { SERVICE <http://10.0.0.1/sparql> { ?s ex:p ?o } }",
    "\\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
]
_PREFIX = "PREFIX ex: <http://example.org/>\n"
_HEADS = ["SELECT * WHERE", "ASK", "CONSTRUCT { ?s ?p ?o } WHERE", "DESCRIBE ?s WHERE"]
_UPDATES = [
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "LOAD SILENT <http://127.0.0.1:9/x> INTO GRAPH <g:x>",
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


def token_by_token_verdict(text: str, max_depth: int = 6) -> str:
    """The scan as first written, one token at a time over ``_LEXEME``: the reference the faster
    scan (strings, IRIs and comments blanked out by one substitution) must agree with."""
    depth = 0
    form = None
    refused = None
    for match in sparql._LEXEME.finditer(sparql.unescape(text)):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            refused = refused or ("service" if depth > max_depth else None)
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            word = match.group().lower()
            if word in sparql._UPDATE_KEYWORDS:
                refused = refused or "update"
            elif word == "service":
                refused = refused or "service"
            elif form is None and word in sparql._FORMS:
                form = word
    if refused:
        return "update" if refused == "update" else "refused"
    return form or "invalid"


_PIECES = st.sampled_from(
    [
        "SELECT",
        "ask",
        "Construct",
        "DESCRIBE",
        "insert",
        "Load",
        "with",
        "SERVICE",
        "service",
        "?service",
        "$load",
        "ex:drop",
        "drop:",
        ":add",
        "a.insert",
        "_:clear",
        "insert-x",
        "\\u0053ERVICE",
        "\\u0022",
        '"',
        "'",
        '"""',
        "'''",
        "\\",
        "<",
        ">",
        "<http://e/x>",
        "<insert>",
        "#",
        "\n",
        "\r",
        " ",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ".",
        ";",
        ",",
        "-",
        "%",
        "@en",
        "1.5e3",
        "^^",
        "|",
        "=",
        "!",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=24))
def test_fast_scan_agrees_with_token_by_token_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        fast = inspect_query(text, max_depth=6).form
    except UpdateRefused:
        fast = "update"
    except QueryRefused:
        fast = "refused"
    except QueryError:
        fast = "invalid"
    expected = token_by_token_verdict(text)
    # one kind of refusal may be found before another; both answer 403
    if expected in ("update", "refused") and fast in ("update", "refused"):
        return
    assert fast == expected, text


@pytest.mark.parametrize("brackets", ["{}", "()", "[]"])
def test_depth_limit_is_exact_and_ignores_brackets_in_strings(brackets: str) -> None:
    opening, closing = brackets
    at_limit = f"SELECT * WHERE {opening * 5}{closing * 5}"
    assert inspect_query("{" + at_limit + "}", max_depth=6).form == "select"
    with pytest.raises(QueryRefused):
        inspect_query("{{" + at_limit + "}}", max_depth=6)
    quoted = f'SELECT * WHERE {{ ?s ?p "{opening * 50}" }} # {opening * 50}'
    assert inspect_query(quoted, max_depth=6).form == "select"
