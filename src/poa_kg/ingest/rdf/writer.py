"""The graph of one document while it is written, and what every part of it hangs from.

Takes a parsed ``Document``; gives ``DocumentWriter``: the graph being filled, the document's and
its source's IRIs, unit IRIs, and the small writers that structure (``structure.py``) and findings
(``findings.py``) both use: a text span quoted from the source, a link to the official text, a
document cited by symbol.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from poa_kg.citation import official_url
from poa_kg.ingest.model import Document
from poa_kg.ingest.rdf.terms import add_text_span, draft_key, iri, new_graph
from poa_kg.namespaces import OA, POA


class DocumentWriter:
    """The named graph of one document being written (``g``) and the IRIs it is built on."""

    def __init__(self, document: Document):
        self.doc = document
        self.key = document.id
        self.text = document.source.text
        self.g = new_graph()
        self.doc_iri = iri("document", self.key)
        self.source_iri = iri("source", self.key)

    def unit_iri(self, part: str, eid: str) -> URIRef:
        return iri("unit", f"{self.key}/{part}/{eid}")

    def official(self, node: URIRef, symbol: str | None) -> None:
        """``node``'s official text at the UN, when its symbol gives one."""
        url = official_url(symbol)
        if url is not None:
            self.g.add((node, POA.officialText, URIRef(url)))

    def text_span(self, node: URIRef, start: int, end: int, link: URIRef = OA.hasTarget) -> None:
        """``node``'s span in this document's source, quoted (``terms.add_text_span``)."""
        add_text_span(self.g, node, link, self.source_iri, start, end, self.text)

    def cited_document(self, symbol: str, stated_in: str) -> URIRef:
        """A document this one names by its symbol but the corpus does not hold."""
        cited = iri("document", draft_key(symbol))
        self.g.add((cited, RDF.type, POA.CitedDocument))
        self.g.add((cited, DCTERMS.identifier, Literal(symbol)))
        self.official(cited, symbol)
        self.g.add((cited, POA.symbolSource, Literal(f"stated in {stated_in}")))
        return cited
