"""Quality issues → the quality graph: each issue as data, with what it is about and, where it
has one, its span of the source.

Takes ``(owner, issue)`` pairs (owner: a document key, or ``vocab``) and the keys of the documents
(``texts``); gives one rdflib ``Graph``. Issues are numbered per owner and type, in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from poa_kg.ingest.model import QualityIssue
from poa_kg.ingest.rdf.terms import add_text_span, iri, new_graph
from poa_kg.namespaces import ID, POA


def quality_graph(issues: Iterable[tuple[str, QualityIssue]], texts: dict[str, str]) -> Graph:
    """Quality issues as data: ``(document key or 'vocab', issue)`` pairs, numbered per type."""
    g = new_graph()
    counters: dict[tuple[str, str], int] = {}
    for owner, issue in issues:
        counters[(owner, issue.type)] = counters.get((owner, issue.type), 0) + 1
        node = iri("issue", f"{owner}/{issue.type}/{counters[(owner, issue.type)]}")
        g.add((node, RDF.type, POA.QualityIssue))
        g.add((node, DCTERMS.type, iri("issue-type", issue.type)))
        g.add((node, POA.severity, Literal(issue.severity)))
        g.add((node, RDFS.comment, Literal(issue.message)))
        if owner in texts:
            g.add((node, POA.inDocument, iri("document", owner)))
        about = _about(owner, issue, texts)
        g.add((node, POA.about, about))
        if issue.start is not None and owner in texts:
            end = issue.end if issue.end is not None else issue.start
            add_text_span(g, node, POA.textSpan, iri("source", owner), issue.start, end)
    return g


def _about(owner: str, issue: QualityIssue, texts: dict[str, str]) -> URIRef:
    if issue.about is None:
        return iri("document", owner) if owner in texts else iri("scheme", "issue-types")
    if issue.about.startswith("vote:"):
        return iri("vote", f"{owner}/{issue.about.removeprefix('vote:')}")
    if "/" in issue.about and owner in texts:
        return iri("unit", f"{owner}/{issue.about}")
    return URIRef(f"{ID}{issue.about}")
