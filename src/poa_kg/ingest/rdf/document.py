"""A document's extraction → its named graph: structure first, then what was found in it.

Takes an ``Extraction`` (``extract/``) and the corpus map of resolution instrument keys to
document keys; gives one rdflib ``Graph``. ``structure.py`` writes the document, its parts,
sections, units and footnotes; ``findings.py`` its mentions, statements, votes and citations.
"""

from __future__ import annotations

from rdflib import Graph

from poa_kg.ingest.extract import Extraction
from poa_kg.ingest.model import Mention
from poa_kg.ingest.rdf.findings import write_citations, write_mention, write_statement, write_vote
from poa_kg.ingest.rdf.structure import write_document, write_footnote, write_section, write_unit
from poa_kg.ingest.rdf.writer import DocumentWriter
from poa_kg.ingest.vocab import Vocabulary


def document_graph(
    extraction: Extraction, vocabulary: Vocabulary, corpus: dict[str, str] | None = None
) -> Graph:
    """The named graph of one document. ``corpus`` maps the instrument key of each resolution
    in the corpus (``A-RES-62-47``) to its document key, so citations link documents."""
    w = DocumentWriter(extraction.document)
    write_document(w)
    for section in w.doc.sections:
        write_section(w, section)
    for unit in w.doc.units:
        write_unit(w, unit)
    mentions_by_unit: dict[tuple[str, str], list[Mention]] = {}
    for mention in extraction.mentions:
        write_mention(w, mention)
        mentions_by_unit.setdefault((mention.unit.part, mention.unit.eid), []).append(mention)
    for statement in extraction.statements:
        key = (statement.unit.part, statement.unit.eid)
        inherited = extraction.inherited_themes.get(key, [])
        write_statement(w, statement, mentions_by_unit.get(key, []), inherited)
    for vote in extraction.votes:
        write_vote(w, vote)
    for footnote in w.doc.footnotes:
        write_footnote(w, footnote)
    write_citations(w, extraction.mentions, corpus or {})
    return w.g
