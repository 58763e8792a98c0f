"""Query inspection, negotiation and the capped serialisers (unit level; the live tests cover HTTP)."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Store

from poa_kg.errors import QueryError
from poa_kg.serve import answers
from poa_kg.serve.sparql import (
    QueryJob,
    QueryRefused,
    UpdateRefused,
    inspect_query,
    negotiate,
)
from poa_kg.serve.worker import execute


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
    assert big.truncated and big.rows == 10  # more rows than the cap: re-run and cut
    small = execute(store, QueryJob("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", media_type, 1000, "x:"))
    assert not small.truncated and small.rows == 3
    exact = execute(store, QueryJob("SELECT ?s WHERE { ?s ?p ?o }", media_type, 50, "x:"))
    assert not exact.truncated and exact.rows == 50  # a big answer at the cap stays native


# Text that looks like the delimiters the row counter relies on, in every format.
_NASTY = st.lists(
    st.sampled_from(
        [
            "},{",
            "[{",
            "}]",
            '"',
            '\\"',
            "\\",
            '""',
            ",",
            "\n",
            "\r\n",
            "\t",
            "<result>",
            "a",
            "é",
            " ",
        ]
    ),
    max_size=6,
).map("".join)


def _parsed_rows(body: bytes, kind: str) -> int:
    """Rows as a real parser sees them."""
    if kind == "json":
        return len(json.loads(body)["results"]["bindings"])
    if kind == "xml":
        return len(ElementTree.fromstring(body).findall(".//{*}result"))  # noqa: S314 - ours
    if kind == "csv":
        return len(list(csv.reader(io.StringIO(body.decode(), newline="")))) - 1
    return len(body.decode().split("\n")) - 2  # header line; the body ends with a newline


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.tuples(_NASTY, st.booleans(), st.booleans()), max_size=8))
@pytest.mark.parametrize("kind", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("parsed_json_bytes", [answers.PARSED_JSON_BYTES, 0])
def test_row_count_matches_a_real_parser(
    kind: str,
    values: list[tuple[str, bool, bool]],
    parsed_json_bytes: int,
) -> None:
    """Rows with nasty literals, language tags, unbound variables, empty rows and triple terms;
    JSON counted both ways (parsed when small, by its skeleton when large)."""
    rows = []
    for i, (text, tagged, bound) in enumerate(values):
        literal = Literal(text, language="en") if tagged else Literal(text)
        rows.append(f"({literal} <http://e/{i}>)" if bound else "(UNDEF UNDEF)")
    query = f"SELECT ?o ?s WHERE {{ VALUES (?o ?s) {{ {' '.join(rows)} }} }}"
    # Oxigraph writes a triple term into CSV unquoted even when it holds a quote or a line break, so
    # no CSV reader can split that row: triple terms are tried in the other formats only.
    if values and values[0][1] and kind != "csv":
        query = query.replace("SELECT ?o ?s", "SELECT ?o ?s (<<( ?s <http://e/p> ?o )>> AS ?t)")
    store = Store()
    result = store.query(query)
    body = result.serialize(format=answers._BOOLEAN_FORMATS[kind])
    counted = answers.count_rows(body, kind, parsed_json_bytes)
    assert counted == _parsed_rows(body, kind) == len(values)


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


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT * WHERE { ?s a poa:Actor }",
            "line 1, column 32: the prefix poa: is not declared: add PREFIX poa: "
            "<https://w3id.org/poa-kg/ont#>",
        ),
        ("SELECT * WHERE {\n ?s a foo:Bar }", "line 2, column 14: the prefix foo: is not declared"),
        ("SELEC * {}", "line 1, column 10 near “SELEC * {”: the query does not parse; expected"),
    ],
)
def test_a_syntax_error_reads_as_one_sentence(query: str, expected: str) -> None:
    from pyoxigraph import Store

    from poa_kg.serve.sparql import readable_syntax_error

    with pytest.raises(SyntaxError) as raised:
        Store().query(query)
    message = readable_syntax_error(str(raised.value), query)
    assert message.startswith(expected)
    assert "\\u{" not in message and "\n" not in message
