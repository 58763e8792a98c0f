"""A document's structure → triples: the document and its source, its parts, sections, units and
footnotes, and who adopted it, when, where and on whose report.

Takes a ``DocumentWriter`` (``writer.py``) and the parsed pieces of its document; adds to its graph.
What extraction found in the units is written by ``findings.py``.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from poa_kg.citation import document_citation, document_name, unit_citation
from poa_kg.ingest.model import Footnote, Section, Unit
from poa_kg.ingest.rdf.terms import date_literal, draft_key, iri
from poa_kg.ingest.rdf.writer import DocumentWriter
from poa_kg.namespaces import ELI, ISO639_1, POA

_UNIT_CLASS = {
    "paragraph": POA.Paragraph,
    "unnumbered": POA.Paragraph,
    "recital": POA.Paragraph,
    "subitem": POA.SubItem,
    "chapeau": POA.Chapeau,
}


def write_document(w: DocumentWriter) -> None:
    """The document, its source text and its parts (main text, annexes)."""
    g, meta, d = w.g, w.doc.source.metadata, w.doc_iri
    g.add((d, RDF.type, POA.Document))
    g.add((d, DCTERMS.title, Literal(meta.title)))
    g.add((d, DCTERMS.date, date_literal(meta.date)))
    g.add((d, DCTERMS.language, ISO639_1[meta.language]))
    g.add((d, POA.documentKind, Literal(meta.kind)))
    if meta.meeting:
        g.add((d, POA.ofMeeting, iri("meeting", meta.meeting)))
    g.add((d, DCTERMS.source, w.source_iri))
    _adoption(w)
    if meta.symbol:
        g.add((d, DCTERMS.identifier, Literal(meta.symbol)))
        g.add((d, POA.symbolSource, Literal(meta.symbol_source or "")))
    cited = document_citation(meta.title, meta.date, meta.symbol)
    g.add((d, DCTERMS.bibliographicCitation, Literal(cited)))
    w.official(d, meta.symbol)
    s = w.source_iri
    g.add((s, RDF.type, POA.SourceText))
    g.add((s, RDFS.label, Literal(w.doc.source.path.name)))
    g.add((s, DCTERMS.format, Literal("text/plain; charset=utf-8")))
    g.add((s, POA.sha256, Literal(w.doc.source.sha256)))
    g.add((s, POA.characterCount, Literal(len(w.text))))
    for part, titles in w.doc.titles.items():
        p = iri("part", f"{w.key}/{part}")
        g.add((d, POA.hasPart, p))
        g.add((p, RDF.type, POA.DocumentPart))
        g.add((p, DCTERMS.isPartOf, d))
        g.add((p, POA.inDocument, d))
        g.add((p, POA.eId, Literal(part)))
        g.add((p, RDFS.label, Literal("main text" if part == "main" else part.replace("_", " "))))
        for title in titles:
            g.add((p, POA.titleLine, Literal(title)))


def _adoption(w: DocumentWriter) -> None:
    """Who adopted the document, when, where and on whose report (resolutions)."""
    g, meta, d = w.g, w.doc.source.metadata, w.doc_iri
    if meta.adopted_by:
        g.add((d, ELI.passed_by, iri("actor", meta.adopted_by)))
        g.add((d, ELI.date_document, date_literal(meta.date)))
    if meta.symbol and meta.symbol.startswith(("A/RES/", "S/RES/")):
        g.add((d, ELI.realizes, iri("instrument", draft_key(meta.symbol))))
    if meta.agenda_item:
        g.add((d, POA.agendaItem, Literal(meta.agenda_item)))
    if meta.session is not None:
        session = iri("session", f"{meta.adopted_by or 'organ'}/{meta.session}")
        g.add((session, RDF.type, POA.Session))
        g.add((session, POA.ordinal, Literal(meta.session)))
        g.add((session, RDFS.label, Literal(f"Session {meta.session}")))
        if meta.adopted_by:
            g.add((session, POA.sessionOf, iri("actor", meta.adopted_by)))
        if meta.plenary_meeting is not None:
            plenary = iri(
                "plenary-meeting",
                f"{meta.adopted_by or 'organ'}/{meta.session}/{meta.plenary_meeting}",
            )
            g.add((d, POA.adoptedAt, plenary))
            g.add((plenary, RDF.type, POA.PlenaryMeeting))
            g.add((plenary, POA.number, Literal(str(meta.plenary_meeting))))
            g.add((plenary, POA.ofSession, session))
            g.add((plenary, DCTERMS.date, date_literal(meta.date)))
            label = f"Plenary meeting {meta.plenary_meeting} of session {meta.session}"
            g.add((plenary, RDFS.label, Literal(label)))
    for symbol in (meta.committee_report or "").split(" and "):
        if not symbol.strip():
            continue
        report = w.cited_document(symbol.strip(), w.key)
        g.add((d, POA.onReportOf, report))
        if meta.committee:
            g.add((report, DCTERMS.creator, iri("actor", meta.committee)))


def write_section(w: DocumentWriter, section: Section) -> None:
    g = w.g
    s = iri("section", f"{w.key}/{section.part}/{section.eid}")
    parent = (
        iri("section", f"{w.key}/{section.part}/{section.parent}")
        if section.parent
        else iri("part", f"{w.key}/{section.part}")
    )
    g.add((s, RDF.type, POA.Section))
    g.add((s, DCTERMS.isPartOf, parent))
    g.add((s, POA.inDocument, w.doc_iri))
    g.add((s, POA.eId, Literal(section.eid)))
    g.add((s, POA.heading, Literal(section.heading)))
    g.add((s, POA.order, Literal(section.order)))
    g.add((s, POA.startOffset, Literal(section.start)))
    g.add((s, POA.endOffset, Literal(section.end)))
    if section.number:
        g.add((s, POA.number, Literal(section.number)))


def _container(w: DocumentWriter, unit: Unit) -> URIRef:
    if unit.parent_unit:
        return w.unit_iri(unit.part, unit.parent_unit)
    if unit.section:
        return iri("section", f"{w.key}/{unit.part}/{unit.section}")
    return iri("part", f"{w.key}/{unit.part}")


def write_unit(w: DocumentWriter, unit: Unit) -> None:
    g = w.g
    u = w.unit_iri(unit.part, unit.eid)
    g.add((u, RDF.type, _UNIT_CLASS[unit.kind]))
    g.add((u, DCTERMS.isPartOf, _container(w, unit)))
    g.add((u, POA.inDocument, w.doc_iri))
    g.add((u, POA.eId, Literal(unit.eid)))
    g.add((u, POA.order, Literal(unit.order)))
    g.add((u, POA.text, Literal(unit.text)))
    g.add((u, POA.startOffset, Literal(unit.start)))
    g.add((u, POA.endOffset, Literal(unit.end)))
    if unit.number:
        g.add((u, POA.number, Literal(unit.number)))
    if unit.kind == "recital":
        g.add((u, POA.preambular, Literal(True)))
    meta = w.doc.source.metadata
    name = document_name(meta.title, meta.date, meta.symbol)
    g.add((u, DCTERMS.bibliographicCitation, Literal(unit_citation(name, unit.part, unit.eid))))
    w.official(u, meta.symbol)
    for number in unit.footnotes:
        g.add((u, POA.refersToFootnote, iri("footnote", f"{w.key}/{number}")))


def write_footnote(w: DocumentWriter, footnote: Footnote) -> None:
    g = w.g
    f = iri("footnote", f"{w.key}/{footnote.number}")
    g.add((f, RDF.type, POA.Footnote))
    g.add((f, POA.inDocument, w.doc_iri))
    g.add((f, POA.number, Literal(footnote.number)))
    g.add((f, POA.text, Literal(footnote.text)))
    g.add((f, POA.startOffset, Literal(footnote.start)))
    g.add((f, POA.endOffset, Literal(footnote.end)))
    if footnote.unit is not None:
        part, eid = footnote.unit.split("/", 1)
        g.add((f, POA.footnoteOf, w.unit_iri(part, eid)))
    if footnote.marker is not None:
        g.add((f, POA.markerOffset, Literal(footnote.marker)))
    if footnote.at is not None:
        g.add((f, POA.markerPosition, Literal(footnote.at)))
