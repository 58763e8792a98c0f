"""What extraction found in a document → triples: mentions (Web Annotations), statements with
their class, verbs, strength and inherited themes, recorded votes, and citations of corpus
documents.

Takes a ``DocumentWriter`` (``writer.py``) whose units ``structure.py`` writes, and the pieces of
an ``Extraction``; adds to its graph. Every mention and statement is ``prov:wasDerivedFrom`` its
unit and carries its span of the source, quoted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from poa_kg.ingest.model import InheritedTheme, Mention, RecordedVote, Statement
from poa_kg.ingest.rdf.terms import draft_key, iri, statement_iri
from poa_kg.ingest.rdf.writer import DocumentWriter
from poa_kg.namespaces import ELI, OA, OPENGOV, POA

_MENTION_LINK = {
    "state": POA.engages,
    "actor": POA.engages,
    "instrument": POA.citesInstrument,
    "meeting": POA.refersToMeeting,
    "theme": POA.concerns,
}


def _mention_iri(w: DocumentWriter, mention: Mention) -> URIRef:
    start, end = mention.unit.source_span(mention.start, mention.end)
    if mention.kind == "theme":  # one span may serve two themes ("cross-border cooperation")
        return iri("mention", f"{w.key}/{start}-{end}/theme/{mention.entity}")
    return iri("mention", f"{w.key}/{start}-{end}/{mention.kind}")


def write_mention(w: DocumentWriter, mention: Mention) -> None:
    g = w.g
    m = _mention_iri(w, mention)
    start, end = mention.unit.source_span(mention.start, mention.end)
    g.add((m, RDF.type, POA.Mention))
    g.add((m, RDF.type, OA.Annotation))  # stated: a client without reasoning still sees it
    g.add((m, OA.hasBody, iri(mention.kind, mention.entity)))
    g.add((m, OA.motivatedBy, OA.classifying if mention.kind == "theme" else OA.identifying))
    g.add((m, PROV.wasDerivedFrom, w.unit_iri(mention.unit.part, mention.unit.eid)))
    g.add((m, POA.matchedText, Literal(mention.matched)))
    g.add((m, POA.matchMethod, Literal(mention.method)))
    g.add((m, POA.obtainedBy, iri("rule", mention.rule)))
    if mention.cue is not None:
        g.add((m, POA.cuePhrase, Literal(mention.cue)))
    if mention.distance is not None:
        g.add((m, POA.editDistance, Literal(mention.distance)))
    if mention.in_list:
        g.add((m, POA.inList, Literal(True)))
    w.text_span(m, start, end)


def write_statement(
    w: DocumentWriter,
    statement: Statement,
    mentions: Iterable[Mention],
    inherited_themes: Iterable[InheritedTheme],
) -> None:
    """A statement, what its unit's ``mentions`` name, and the themes it inherits."""
    g, unit = w.g, statement.unit
    s = statement_iri(w.key, f"{unit.part}/{unit.eid}")
    g.add((s, RDF.type, POA[statement.cls] if statement.cls else POA.Statement))
    g.add((s, PROV.wasDerivedFrom, w.unit_iri(unit.part, unit.eid)))
    g.add((s, POA.inDocument, w.doc_iri))
    if unit.chapeau:
        g.add((s, POA.chapeau, w.unit_iri(unit.part, unit.chapeau)))
    if statement.lead_verb:
        g.add((s, POA.leadVerb, Literal(statement.lead_verb)))
    if statement.lead_phrase:
        g.add((s, POA.leadPhrase, Literal(statement.lead_phrase)))
    for verb in statement.verbs:
        g.add((s, POA.verb, Literal(verb)))
    if statement.class_rule:
        g.add((s, POA.classObtainedBy, iri("rule", statement.class_rule)))
    if statement.class_evidence:
        g.add((s, POA.classEvidence, Literal(statement.class_evidence)))
    if statement.level:
        g.add((s, POA.strengthLevel, iri("level", statement.level)))
    if statement.level_rule:
        g.add((s, POA.levelObtainedBy, iri("rule", statement.level_rule)))
    if statement.level_evidence:
        g.add((s, POA.levelEvidence, Literal(statement.level_evidence)))
    for qualifier in statement.qualifiers:
        g.add((s, POA.qualifier, iri("qualifier", qualifier)))
    if statement.addressee:
        g.add((s, POA.addressee, iri("addressee", statement.addressee)))
    if statement.addressee_text:
        g.add((s, POA.addresseeText, Literal(statement.addressee_text)))
    for mention in mentions:
        g.add((s, _MENTION_LINK[mention.kind], iri(mention.kind, mention.entity)))
    for inherited in inherited_themes:
        g.add((s, POA.inheritsTheme, iri("theme", inherited.theme)))
        node = URIRef(f"{s}#inherits-{inherited.theme}")
        g.add((s, POA.themeInheritance, node))
        g.add((node, RDF.type, POA.ThemeInheritance))
        g.add((node, POA.theme, iri("theme", inherited.theme)))
        section = iri("section", f"{w.key}/{unit.part}/{inherited.section}")
        g.add((node, POA.fromSection, section))
        g.add((node, POA.obtainedBy, iri("rule", "heading-theme")))
        g.add((node, POA.cuePhrase, Literal(inherited.cue)))
        g.add((node, POA.matchedText, Literal(inherited.matched)))
    w.text_span(s, unit.start, unit.end, POA.textSpan)


def write_vote(w: DocumentWriter, vote: RecordedVote) -> None:
    """A recorded vote: its counts, each State's position, and the draft it was taken on."""
    g, unit = w.g, vote.unit
    key = f"{w.key}/{unit.part}/{unit.eid}"
    v = iri("vote", key)
    g.add((v, RDF.type, POA.RecordedVote))
    g.add((v, POA.recordedIn, w.unit_iri(unit.part, unit.eid)))
    g.add((v, POA.inDocument, w.doc_iri))
    g.add((v, RDFS.label, Literal(f"Recorded vote in paragraph {unit.number} of {w.key}")))
    for option, predicate in (
        ("yes", POA.statedYes),
        ("no", POA.statedNo),
        ("abstain", POA.statedAbstain),
    ):
        if option in vote.stated:
            g.add((v, predicate, Literal(vote.stated[option])))
        count = URIRef(f"{v}#count-{option}")
        g.add((v, OPENGOV["count"], count))
        g.add((count, RDF.type, OPENGOV.Count))
        g.add((count, OPENGOV.option, Literal(option)))
        counted = sum(1 for p in vote.positions if p.option == option)
        g.add((count, RDF.value, Literal(counted)))
    if vote.motion_document:
        draft = w.cited_document(vote.motion_document, key)
        g.add((draft, RDFS.label, Literal(f"Draft outcome document {vote.motion_document}")))
        motion: URIRef = draft
        if vote.motion_paragraph and vote.motion_section:
            eid = f"sec_{vote.motion_section}__para_{vote.motion_paragraph}"
            motion = iri("unit", f"{draft_key(vote.motion_document)}/main/{eid}")
            g.add((motion, RDF.type, POA.CitedUnit))
            g.add((motion, POA.inDocument, draft))
            g.add((motion, POA.eId, Literal(eid)))
            g.add((motion, POA.number, Literal(vote.motion_paragraph)))
            label = f"paragraph {vote.motion_paragraph} of section {vote.motion_section}"
            g.add((motion, RDFS.label, Literal(f"{label} of {vote.motion_document}")))
            adopted = _adopted(w, eid)
            if adopted is not None:
                g.add((v, POA.correspondsTo, adopted))
        g.add((v, OPENGOV.motion, motion))
    for position in vote.positions:
        p = iri("position", f"{key}/{position.state}")
        g.add((p, RDF.type, POA.VotePosition))
        g.add((p, OPENGOV.voteEvent, v))
        g.add((p, OPENGOV.voter, iri("state", position.state)))
        g.add((p, OPENGOV.option, Literal(position.option)))
        mention = iri("mention", f"{w.key}/{position.start}-{position.end}/state")
        g.add((p, PROV.wasDerivedFrom, mention))


def _adopted(w: DocumentWriter, eid: str) -> URIRef | None:
    """The adopted unit with the draft's numbering (an assumption, reported as such)."""
    for unit in w.doc.units:
        if unit.part != "main" and unit.eid == eid:
            return w.unit_iri(unit.part, unit.eid)
    return None


def write_citations(
    w: DocumentWriter, mentions: Iterable[Mention], corpus: Mapping[str, str]
) -> None:
    """A resolution cited by number that is a document of the corpus: the documents cite
    each other (``eli:cites``)."""
    for mention in mentions:
        if mention.kind != "instrument":
            continue
        cited = corpus.get(mention.entity)
        if cited is not None and cited != w.key:
            w.g.add((w.doc_iri, ELI.cites, iri("document", cited)))
