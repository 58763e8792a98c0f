"""RDF: model objects → named graphs (rdflib ``Graph``s keyed by graph name), no blank nodes.

- ``document_graph``: a document, its source, parts, sections, units, statements, mentions and
  recorded votes. Every statement and mention has a W3C Web Annotation target (text position and
  text quote selectors) and ``prov:wasDerivedFrom`` its unit.
- ``quality_graph``: the quality issues of every document and vocabulary.
- ``vocabulary_graphs``: one SKOS scheme per vocabulary file, plus the generated one of
  resolutions minted from their numbers.

Identifiers follow ``ontology/README.md``; sub-resources are hash IRIs, so the output has no blank
nodes and serialises byte for byte the same on every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from poa_kg.citation import document_citation, document_name, official_url, unit_citation
from poa_kg.ingest.extract import Extraction
from poa_kg.ingest.model import (
    Footnote,
    Mention,
    QualityIssue,
    RecordedVote,
    Section,
    Statement,
    Unit,
)
from poa_kg.ingest.vocab import Entry, Vocabulary
from poa_kg.namespaces import (
    ELI,
    ID,
    ISO639_1,
    OA,
    OPENGOV,
    ORG,
    POA,
    PREFIXES,
    SDG,
    WIKIDATA,
    entity,
)

QUOTE_CONTEXT = 32
SCHEMES = {
    "state": ("states", "UN Member States and observer States", POA.State),
    "actor": ("actors", "Organizations and groups of actors", None),
    "instrument": ("instruments", "Instruments", None),
    "meeting": ("meetings", "Meetings of the Programme of Action process", None),
    "theme": ("themes", "Themes of the small arms process", POA.Theme),
    "level": ("strength-levels", "Normative strength levels", POA.StrengthLevel),
    "qualifier": ("qualifiers", "Qualifiers that soften a commitment", POA.Qualifier),
    "addressee": ("addressees", "Addressees of commitments", POA.Addressee),
    "issue-type": ("issue-types", "Kinds of data-quality issue", POA.IssueType),
    "rule": ("extraction-rules", "Rules by which a tag was obtained", POA.ExtractionRule),
}
_UNIT_CLASS = {
    "paragraph": POA.Paragraph,
    "unnumbered": POA.Paragraph,
    "recital": POA.Paragraph,
    "subitem": POA.SubItem,
    "chapeau": POA.Chapeau,
}
_MENTION_LINK = {
    "state": POA.engages,
    "actor": POA.engages,
    "instrument": POA.citesInstrument,
    "meeting": POA.refersToMeeting,
    "theme": POA.concerns,
}


def iri(kind: str, key: str) -> URIRef:
    """IRI of an instance: ``…/id/{kind}/{key}`` (``namespaces.entity``) as an rdflib term."""
    return URIRef(entity(kind, key))


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    graph.bind("id", ID)
    return graph


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


# ---------------------------------------------------------------------- documents
class _DocumentWriter:
    def __init__(
        self,
        extraction: Extraction,
        vocabulary: Vocabulary,
        corpus: dict[str, str] | None = None,
    ):
        self.corpus = corpus or {}
        self.x = extraction
        self.doc = extraction.document
        self.key = self.doc.id
        self.text = self.doc.source.text
        self.vocabulary = vocabulary
        self.g = new_graph()
        self.doc_iri = iri("document", self.key)
        self.source_iri = iri("source", self.key)

    def _official(self, node: URIRef, symbol: str | None) -> None:
        url = official_url(symbol)
        if url is not None:
            self.g.add((node, POA.officialText, URIRef(url)))

    def unit_iri(self, part: str, eid: str) -> URIRef:
        return iri("unit", f"{self.key}/{part}/{eid}")

    def write(self) -> Graph:
        self._document()
        for section in self.doc.sections:
            self._section(section)
        for unit in self.doc.units:
            self._unit(unit)
        mentions_by_unit: dict[tuple[str, str], list[Mention]] = {}
        for mention in self.x.mentions:
            self._mention(mention)
            mentions_by_unit.setdefault((mention.unit.part, mention.unit.eid), []).append(mention)
        for statement in self.x.statements:
            unit = statement.unit
            self._statement(statement, mentions_by_unit.get((unit.part, unit.eid), []))
        for vote in self.x.votes:
            self._vote(vote)
        for footnote in self.doc.footnotes:
            self._footnote(footnote)
        self._citations()
        return self.g

    def _document(self) -> None:
        g, meta, d = self.g, self.doc.source.metadata, self.doc_iri
        g.add((d, RDF.type, POA.Document))
        g.add((d, DCTERMS.title, Literal(meta.title)))
        g.add((d, DCTERMS.date, date_literal(meta.date)))
        g.add((d, DCTERMS.language, ISO639_1[meta.language]))
        g.add((d, POA.documentKind, Literal(meta.kind)))
        if meta.meeting:
            g.add((d, POA.ofMeeting, iri("meeting", meta.meeting)))
        g.add((d, DCTERMS.source, self.source_iri))
        self._adoption()
        if meta.symbol:
            g.add((d, DCTERMS.identifier, Literal(meta.symbol)))
            g.add((d, POA.symbolSource, Literal(meta.symbol_source or "")))
        cited = document_citation(meta.title, meta.date, meta.symbol)
        g.add((d, DCTERMS.bibliographicCitation, Literal(cited)))
        self._official(d, meta.symbol)
        s = self.source_iri
        g.add((s, RDF.type, POA.SourceText))
        g.add((s, RDFS.label, Literal(self.doc.source.path.name)))
        g.add((s, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        g.add((s, POA.sha256, Literal(self.doc.source.sha256)))
        g.add((s, POA.characterCount, Literal(len(self.text))))
        for part, titles in self.doc.titles.items():
            p = iri("part", f"{self.key}/{part}")
            g.add((d, POA.hasPart, p))
            g.add((p, RDF.type, POA.DocumentPart))
            g.add((p, DCTERMS.isPartOf, d))
            g.add((p, POA.inDocument, d))
            g.add((p, POA.eId, Literal(part)))
            g.add(
                (p, RDFS.label, Literal("main text" if part == "main" else part.replace("_", " ")))
            )
            for title in titles:
                g.add((p, POA.titleLine, Literal(title)))

    def _adoption(self) -> None:
        """Who adopted the document, when, where and on whose report (resolutions)."""
        g, meta, d = self.g, self.doc.source.metadata, self.doc_iri
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
            report = iri("document", draft_key(symbol.strip()))
            g.add((d, POA.onReportOf, report))
            g.add((report, RDF.type, POA.CitedDocument))
            g.add((report, DCTERMS.identifier, Literal(symbol.strip())))
            self._official(report, symbol.strip())
            g.add((report, POA.symbolSource, Literal(f"stated in {self.key}")))
            if meta.committee:
                g.add((report, DCTERMS.creator, iri("actor", meta.committee)))

    def _footnote(self, footnote: Footnote) -> None:
        g = self.g
        f = iri("footnote", f"{self.key}/{footnote.number}")
        g.add((f, RDF.type, POA.Footnote))
        g.add((f, POA.inDocument, self.doc_iri))
        g.add((f, POA.number, Literal(footnote.number)))
        g.add((f, POA.text, Literal(footnote.text)))
        g.add((f, POA.startOffset, Literal(footnote.start)))
        g.add((f, POA.endOffset, Literal(footnote.end)))
        if footnote.unit is not None:
            part, eid = footnote.unit.split("/", 1)
            g.add((f, POA.footnoteOf, self.unit_iri(part, eid)))
        if footnote.marker is not None:
            g.add((f, POA.markerOffset, Literal(footnote.marker)))
        if footnote.at is not None:
            g.add((f, POA.markerPosition, Literal(footnote.at)))

    def _citations(self) -> None:
        """A resolution cited by number that is a document of the corpus: the documents cite
        each other (``eli:cites``)."""
        for mention in self.x.mentions:
            if mention.kind != "instrument":
                continue
            cited = self.corpus.get(mention.entity)
            if cited is not None and cited != self.key:
                self.g.add((self.doc_iri, ELI.cites, iri("document", cited)))

    def _section(self, section: Section) -> None:
        g = self.g
        s = iri("section", f"{self.key}/{section.part}/{section.eid}")
        parent = (
            iri("section", f"{self.key}/{section.part}/{section.parent}")
            if section.parent
            else iri("part", f"{self.key}/{section.part}")
        )
        g.add((s, RDF.type, POA.Section))
        g.add((s, DCTERMS.isPartOf, parent))
        g.add((s, POA.inDocument, self.doc_iri))
        g.add((s, POA.eId, Literal(section.eid)))
        g.add((s, POA.heading, Literal(section.heading)))
        g.add((s, POA.order, Literal(section.order)))
        g.add((s, POA.startOffset, Literal(section.start)))
        g.add((s, POA.endOffset, Literal(section.end)))
        if section.number:
            g.add((s, POA.number, Literal(section.number)))

    def _container(self, unit: Unit) -> URIRef:
        if unit.parent_unit:
            return self.unit_iri(unit.part, unit.parent_unit)
        if unit.section:
            return iri("section", f"{self.key}/{unit.part}/{unit.section}")
        return iri("part", f"{self.key}/{unit.part}")

    def _unit(self, unit: Unit) -> None:
        g = self.g
        u = self.unit_iri(unit.part, unit.eid)
        g.add((u, RDF.type, _UNIT_CLASS[unit.kind]))
        g.add((u, DCTERMS.isPartOf, self._container(unit)))
        g.add((u, POA.inDocument, self.doc_iri))
        g.add((u, POA.eId, Literal(unit.eid)))
        g.add((u, POA.order, Literal(unit.order)))
        g.add((u, POA.text, Literal(unit.text)))
        g.add((u, POA.startOffset, Literal(unit.start)))
        g.add((u, POA.endOffset, Literal(unit.end)))
        if unit.number:
            g.add((u, POA.number, Literal(unit.number)))
        if unit.kind == "recital":
            g.add((u, POA.preambular, Literal(True)))
        meta = self.doc.source.metadata
        name = document_name(meta.title, meta.date, meta.symbol)
        g.add((u, DCTERMS.bibliographicCitation, Literal(unit_citation(name, unit.part, unit.eid))))
        self._official(u, meta.symbol)
        for number in unit.footnotes:
            g.add((u, POA.refersToFootnote, iri("footnote", f"{self.key}/{number}")))

    def _target(self, node: URIRef, start: int, end: int, link: URIRef = OA.hasTarget) -> None:
        """``node``'s span in the source text, as a W3C Web Annotation specific resource: the
        target of an annotation (``oa:hasTarget``), or the ``poa:textSpan`` of a statement, which
        is not an annotation and so must not use a property whose domain is one."""
        g = self.g
        target, position, quote = (URIRef(f"{node}#{n}") for n in ("target", "position", "quote"))
        g.add((node, link, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.source_iri))
        g.add((target, OA.hasSelector, position))
        g.add((target, OA.hasSelector, quote))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(quotable(self.text[start:end]))))
        prefix = self.text[max(0, start - QUOTE_CONTEXT) : start]
        g.add((quote, OA.prefix, Literal(quotable(prefix))))
        g.add((quote, OA.suffix, Literal(quotable(self.text[end : end + QUOTE_CONTEXT]))))

    def mention_iri(self, mention: Mention) -> URIRef:
        start, end = mention.unit.source_span(mention.start, mention.end)
        if mention.kind == "theme":  # one span may serve two themes ("cross-border cooperation")
            return iri("mention", f"{self.key}/{start}-{end}/theme/{mention.entity}")
        return iri("mention", f"{self.key}/{start}-{end}/{mention.kind}")

    def _mention(self, mention: Mention) -> None:
        g = self.g
        m = self.mention_iri(mention)
        start, end = mention.unit.source_span(mention.start, mention.end)
        g.add((m, RDF.type, POA.Mention))
        g.add((m, RDF.type, OA.Annotation))  # stated: a client without reasoning still sees it
        g.add((m, OA.hasBody, iri(mention.kind, mention.entity)))
        g.add((m, OA.motivatedBy, OA.classifying if mention.kind == "theme" else OA.identifying))
        g.add((m, PROV.wasDerivedFrom, self.unit_iri(mention.unit.part, mention.unit.eid)))
        g.add((m, POA.matchedText, Literal(mention.matched)))
        g.add((m, POA.matchMethod, Literal(mention.method)))
        g.add((m, POA.obtainedBy, iri("rule", mention.rule)))
        if mention.cue is not None:
            g.add((m, POA.cuePhrase, Literal(mention.cue)))
        if mention.distance is not None:
            g.add((m, POA.editDistance, Literal(mention.distance)))
        if mention.in_list:
            g.add((m, POA.inList, Literal(True)))
        self._target(m, start, end)

    def _statement(self, statement: Statement, mentions: list[Mention]) -> None:
        g, unit = self.g, statement.unit
        s = statement_iri(self.key, f"{unit.part}/{unit.eid}")
        g.add((s, RDF.type, POA[statement.cls] if statement.cls else POA.Statement))
        g.add((s, PROV.wasDerivedFrom, self.unit_iri(unit.part, unit.eid)))
        g.add((s, POA.inDocument, self.doc_iri))
        if unit.chapeau:
            g.add((s, POA.chapeau, self.unit_iri(unit.part, unit.chapeau)))
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
        for inherited in self.x.inherited_themes.get((unit.part, unit.eid), []):
            g.add((s, POA.inheritsTheme, iri("theme", inherited.theme)))
            node = URIRef(f"{s}#inherits-{inherited.theme}")
            g.add((s, POA.themeInheritance, node))
            g.add((node, RDF.type, POA.ThemeInheritance))
            g.add((node, POA.theme, iri("theme", inherited.theme)))
            g.add(
                (
                    node,
                    POA.fromSection,
                    iri("section", f"{self.key}/{unit.part}/{inherited.section}"),
                )
            )
            g.add((node, POA.obtainedBy, iri("rule", "heading-theme")))
            g.add((node, POA.cuePhrase, Literal(inherited.cue)))
            g.add((node, POA.matchedText, Literal(inherited.matched)))
        self._target(s, unit.start, unit.end, POA.textSpan)

    def _vote(self, vote: RecordedVote) -> None:
        g, unit = self.g, vote.unit
        key = f"{self.key}/{unit.part}/{unit.eid}"
        v = iri("vote", key)
        g.add((v, RDF.type, POA.RecordedVote))
        g.add((v, POA.recordedIn, self.unit_iri(unit.part, unit.eid)))
        g.add((v, POA.inDocument, self.doc_iri))
        g.add((v, RDFS.label, Literal(f"Recorded vote in paragraph {unit.number} of {self.key}")))
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
            draft = iri("document", draft_key(vote.motion_document))
            g.add((draft, RDF.type, POA.CitedDocument))
            g.add((draft, DCTERMS.identifier, Literal(vote.motion_document)))
            self._official(draft, vote.motion_document)
            g.add((draft, RDFS.label, Literal(f"Draft outcome document {vote.motion_document}")))
            g.add((draft, POA.symbolSource, Literal(f"stated in {key}")))
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
                adopted = self._adopted(eid)
                if adopted is not None:
                    g.add((v, POA.correspondsTo, adopted))
            g.add((v, OPENGOV.motion, motion))
        for position in vote.positions:
            p = iri("position", f"{key}/{position.state}")
            g.add((p, RDF.type, POA.VotePosition))
            g.add((p, OPENGOV.voteEvent, v))
            g.add((p, OPENGOV.voter, iri("state", position.state)))
            g.add((p, OPENGOV.option, Literal(position.option)))
            g.add(
                (
                    p,
                    PROV.wasDerivedFrom,
                    iri("mention", f"{self.key}/{position.start}-{position.end}/state"),
                )
            )

    def _adopted(self, eid: str) -> URIRef | None:
        """The adopted unit with the draft's numbering (an assumption, reported as such)."""
        for unit in self.doc.units:
            if unit.part != "main" and unit.eid == eid:
                return self.unit_iri(unit.part, unit.eid)
        return None


def document_graph(
    extraction: Extraction, vocabulary: Vocabulary, corpus: dict[str, str] | None = None
) -> Graph:
    """The named graph of one document. ``corpus`` maps the instrument key of each resolution
    in the corpus (``A-RES-62-47``) to its document key, so citations link documents."""
    return _DocumentWriter(extraction, vocabulary, corpus).write()


# ---------------------------------------------------------------------- quality
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
            target, position = URIRef(f"{node}#target"), URIRef(f"{node}#position")
            g.add((node, POA.textSpan, target))
            g.add((target, RDF.type, OA.SpecificResource))
            g.add((target, OA.hasSource, iri("source", owner)))
            g.add((target, OA.hasSelector, position))
            g.add((position, RDF.type, OA.TextPositionSelector))
            g.add((position, OA.start, Literal(issue.start, datatype=XSD.nonNegativeInteger)))
            g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    return g


def _about(owner: str, issue: QualityIssue, texts: dict[str, str]) -> URIRef:
    if issue.about is None:
        return iri("document", owner) if owner in texts else iri("scheme", "issue-types")
    if issue.about.startswith("vote:"):
        return iri("vote", f"{owner}/{issue.about.removeprefix('vote:')}")
    if "/" in issue.about and owner in texts:
        return iri("unit", f"{owner}/{issue.about}")
    return URIRef(f"{ID}{issue.about}")


# ---------------------------------------------------------------------- vocabularies
def vocabulary_graph(vocabulary: Vocabulary, kind: str) -> Graph:
    """One vocabulary as a SKOS concept scheme whose concepts are also instances of their class."""
    g = new_graph()
    name, title, default_class = SCHEMES[kind]
    scheme = iri("scheme", name)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal(title, lang="en")))
    g.add((scheme, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    for entry in vocabulary.of(kind).values():
        concept = iri(kind, entry.key)
        g.add((concept, RDF.type, SKOS.Concept))
        cls = POA[entry.cls] if entry.cls else default_class
        if cls is not None:
            g.add((concept, RDF.type, cls))
        g.add((concept, SKOS.inScheme, scheme))
        if not entry.get("broader"):
            g.add((concept, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, concept))
        g.add((concept, SKOS.prefLabel, Literal(entry.pref_label, lang="en")))
        for label in entry.alt_labels:
            g.add((concept, SKOS.altLabel, Literal(label, lang="en")))
        for label in entry.acronyms:
            g.add((concept, SKOS.altLabel, Literal(label, lang="en")))
            g.add((concept, POA.acronym, Literal(label)))
        if kind in ("theme", "qualifier"):
            for label in entry.hidden_labels:
                g.add((concept, SKOS.hiddenLabel, Literal(label, lang="en")))
        if entry.get("definition"):
            g.add((concept, SKOS.definition, Literal(entry.get("definition"), lang="en")))
        _entry_fields(g, concept, kind, entry)
    return g


def _entry_fields(g: Graph, concept: URIRef, kind: str, entry: Entry) -> None:
    get = entry.get
    if kind == "state":
        g.add((concept, POA.iso3, Literal(entry.key)))
        g.add((concept, POA.m49, Literal(get("m49"))))
        g.add((concept, POA.memberStatus, Literal(get("status"))))
        if get("un_group"):
            g.add((concept, POA.unRegionalGroup, Literal(get("un_group"))))
        g.add((concept, POA.m49Region, Literal(get("m49_region"))))
        g.add((concept, POA.m49Subregion, Literal(get("m49_subregion"))))
    if get("wikidata"):
        g.add((concept, SKOS.exactMatch, WIKIDATA[get("wikidata")]))
    if get("exact_match"):
        link = get("exact_match")
        if link.startswith(str(SDG)) or link.startswith(str(WIKIDATA)):
            g.add((concept, SKOS.exactMatch, URIRef(link)))
    if get("parent"):
        g.add((concept, ORG.subOrganizationOf, iri("actor", get("parent"))))
    if get("broader"):
        for broader in get("broader").split("|"):
            g.add((concept, SKOS.broader, iri(kind, broader.strip())))
    if get("symbol"):
        g.add((concept, POA.symbol, Literal(get("symbol"))))
    if get("adopted_year"):
        g.add((concept, POA.adoptedYear, Literal(get("adopted_year"), datatype=XSD.gYear)))
    if kind == "level" and get("notation"):
        g.add((concept, SKOS.notation, Literal(int(get("notation")))))
    if kind == "issue-type" and get("severity"):
        g.add((concept, POA.severity, Literal(get("severity"))))
    if kind == "meeting":
        _meeting_fields(g, concept, entry)


def _meeting_fields(g: Graph, concept: URIRef, entry: Entry) -> None:
    get = entry.get
    if get("ordinal"):
        g.add((concept, POA.ordinal, Literal(int(get("ordinal")))))
    if get("status"):
        g.add((concept, POA.status, Literal(get("status"))))
    for column, predicate in (("planned_year", POA.plannedYear), ("held_year", POA.heldYear)):
        if get(column):
            g.add((concept, predicate, Literal(get(column), datatype=XSD.gYear)))
    for column, predicate in (("start_date", POA.startDate), ("end_date", POA.endDate)):
        if get(column):
            g.add((concept, predicate, Literal(get(column), datatype=XSD.date)))
    if get("place"):
        g.add((concept, POA.place, Literal(get("place"))))
    if get("adopted"):
        for adopted in get("adopted").split("|"):
            g.add((concept, POA.adopted, iri("instrument", adopted.strip())))
    if get("curated").lower() == "true":
        g.add((concept, POA.curated, Literal(True)))
    if get("source"):
        g.add((concept, DCTERMS.source, Literal(get("source"))))


def resolution_entries(
    mentions: Iterable[Mention],
    vocabulary: Vocabulary,
    documents: Iterable[tuple[str, str]] = (),
) -> list[Entry]:
    """Resolutions cited by number, or realised by a document of the corpus (``(symbol, date)``
    pairs), that no vocabulary row describes, minted by rule."""
    known = vocabulary.of("instrument")
    minted: dict[str, Entry] = {}
    for symbol, date in documents:
        key = draft_key(symbol)
        if key in known or not re.fullmatch(r"A/RES/\d{1,3}/\d{1,4}", symbol):
            continue
        session, number = symbol.split("/")[2:]
        minted[key] = Entry(
            "instrument",
            key,
            f"General Assembly resolution {session}/{number}",
            "GeneralAssemblyResolution",
            fields=(("symbol", symbol), ("adopted_year", date[:4])),
        )
    for mention in mentions:
        if mention.kind != "instrument" or mention.method != "rule" or mention.entity in known:
            continue
        body, _, number = mention.entity.partition("-RES-")
        if body == "A":
            session, _, item = number.partition("-")
            symbol, label = (
                f"A/RES/{session}/{item}",
                f"General Assembly resolution {session}/{item}",
            )
            cls = "GeneralAssemblyResolution"
        else:
            symbol, label = f"S/RES/{number}", f"Security Council resolution {number}"
            cls = "SecurityCouncilResolution"
        fields = [("symbol", symbol)]
        year = re.search(r"\((\d{4})\)", mention.matched)
        if year is not None:  # "resolution 2370 (2017)": the year is stated, so it is data
            fields.append(("adopted_year", year.group(1)))
        previous = minted.get(mention.entity)
        if previous is not None and len(previous.fields) >= len(fields):
            continue
        minted[mention.entity] = Entry(
            "instrument", mention.entity, label, cls, fields=tuple(fields)
        )
    return [minted[key] for key in sorted(minted)]


def minted_graph(entries: list[Entry]) -> Graph:
    """The generated vocabulary of resolutions minted from their numbers."""
    vocabulary = Vocabulary({"instrument": {e.key: e for e in entries}})
    g = vocabulary_graph(vocabulary, "instrument")
    scheme = iri("scheme", "instruments")
    g.remove((scheme, None, None))
    return g


__all__ = [
    "document_graph",
    "iri",
    "minted_graph",
    "new_graph",
    "quality_graph",
    "resolution_entries",
    "vocabulary_graph",
]


# ---------------------------------------------------------------------- statements


def statement_iri(document: str, key: str) -> URIRef:
    """IRI of a statement: ``…/id/statement/{document}/{part}/{eId}``."""
    return iri("statement", f"{document}/{key}")
