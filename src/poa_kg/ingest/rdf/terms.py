"""RDF terms every graph writer shares: instance IRIs, literals and a text span.

Takes keys, strings and offsets; gives rdflib terms, a graph with the project's prefixes bound,
and ``add_text_span``, the one writer of a W3C Web Annotation target (position selector, and a
quote selector when the text is at hand). Identifiers follow ``ontology/README.md``; sub-resources
are hash IRIs, so no writer makes a blank node.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from poa_kg.namespaces import ID, OA, PREFIXES, entity

QUOTE_CONTEXT = 32
"""Characters of context a quote selector keeps on either side of the quoted text."""

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def iri(kind: str, key: str) -> URIRef:
    """IRI of an instance: ``…/id/{kind}/{key}`` (``namespaces.entity``) as an rdflib term."""
    return URIRef(entity(kind, key))


def statement_iri(document: str, key: str) -> URIRef:
    """IRI of a statement: ``…/id/statement/{document}/{part}/{eId}``."""
    return iri("statement", f"{document}/{key}")


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    graph.bind("id", ID)
    return graph


def quotable(text: str) -> str:
    """A quote as RDF/XML can carry it: a page break (form feed, U+000C) or another C0 control
    character that XML 1.0 forbids becomes a line feed. Same length, so offsets still hold."""
    return _NOT_XML.sub("\n", text)


def date_literal(value: str) -> Literal:
    """``YYYY`` → ``xsd:gYear``, ``YYYY-MM-DD`` → ``xsd:date``; never padded."""
    return Literal(value, datatype=XSD.gYear if len(value) == 4 else XSD.date)


def draft_key(symbol: str) -> str:
    """Document key of a UN symbol: '/' becomes '-' (A/CONF.192/… → A-CONF.192-…)."""
    return symbol.replace("/", "-")


def add_text_span(
    g: Graph,
    node: URIRef,
    link: URIRef,
    source: URIRef,
    start: int,
    end: int,
    text: str | None = None,
) -> None:
    """``node``'s span ``start``–``end`` of ``source`` as a W3C Web Annotation specific resource
    linked by ``link``: the target of an annotation (``oa:hasTarget``), or the ``poa:textSpan``
    of what is not an annotation and so must not use a property whose domain is one. With the
    source's ``text``, a quote selector (exact, prefix, suffix) beside the position selector."""
    target, position = URIRef(f"{node}#target"), URIRef(f"{node}#position")
    g.add((node, link, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, source))
    g.add((target, OA.hasSelector, position))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    if text is None:
        return
    quote = URIRef(f"{node}#quote")
    g.add((target, OA.hasSelector, quote))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(quotable(text[start:end]))))
    prefix = text[max(0, start - QUOTE_CONTEXT) : start]
    g.add((quote, OA.prefix, Literal(quotable(prefix))))
    g.add((quote, OA.suffix, Literal(quotable(text[end : end + QUOTE_CONTEXT]))))
