"""A remote engine's answers read term by term: SPARQL JSON results → rows of pyoxigraph terms,
N-Triples → triples, whatever the engine's own habits (blank node labels such as Virtuoso's
``nodeID://b1``, relative IRIs, booleans written ``1``/``0``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urljoin

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from poa_kg.errors import StoreError

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN = f"{XSD_NS}boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


class _Row(dict[str, "NamedNode | BlankNode | Literal | None"]):
    """A solution as ``serialize_solutions`` reads it: ``row[variable]``, None when unbound."""

    def __missing__(self, key: str) -> None:
        return None


def read_json_solutions(body: bytes, base_iri: str) -> tuple[list[str] | None, list[_Row]]:
    """SPARQL JSON results → (variables, rows); (None, [a row if true]) for a boolean.

    Raises:
        StoreError: the server's answer is not SPARQL JSON results.
    """
    try:
        document = json.loads(body)
        if "boolean" in document:
            return None, [_Row()] if document["boolean"] else []
        variables = [str(v) for v in document["head"]["vars"]]
        blank: dict[str, BlankNode] = {}
        rows = [
            _Row({name: _term(value, base_iri, blank) for name, value in binding.items()})
            for binding in document["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise StoreError(f"the SPARQL server's answer is not SPARQL JSON results: {err}") from err
    return variables, rows


def _term(
    value: dict[str, str], base_iri: str, blank: dict[str, BlankNode]
) -> NamedNode | BlankNode | Literal:
    """One JSON term: blank node labels (Virtuoso's ``nodeID://b1``) renamed consistently within
    the answer, relative IRIs resolved against the base, typed literals kept with their datatype,
    booleans written ``1``/``0`` read as ``true``/``false``."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return NamedNode(urljoin(base_iri, text) if base_iri else text)
    if kind == "bnode":
        return blank.setdefault(text, BlankNode())
    if kind not in ("literal", "typed-literal"):
        raise ValueError(f"unknown term type {kind!r}")
    if "xml:lang" in value:
        return Literal(text, language=value["xml:lang"])
    datatype = value.get("datatype")
    if not datatype:
        return Literal(text)
    if datatype == _XSD_BOOLEAN:
        text = _CANONICAL_BOOLEAN.get(text.strip(), text)
    return Literal(text, datatype=NamedNode(datatype))


_NODE_ID = re.compile(rb"<nodeID://([^>]*)>")


def read_triples(body: bytes, base_iri: str) -> Iterator[Triple]:
    """The server's N-Triples, read as Turtle with the base IRI (relative IRIs resolved), and
    Virtuoso's ``<nodeID://b1>`` blank nodes as blank nodes.

    Raises:
        StoreError: the answer does not parse.
    """
    body = _NODE_ID.sub(lambda m: b"_:vnode" + re.sub(rb"\W", b"_", m.group(1)), body)
    try:
        for quad in parse(body, format=RdfFormat.TURTLE, base_iri=base_iri or None):
            yield quad.triple
    except SyntaxError as err:
        raise StoreError(f"the SPARQL server's answer does not parse: {err}") from err
