"""Vocabularies → SKOS graphs: one concept scheme per vocabulary file, and the generated scheme
of resolutions minted from the numbers the documents cite them by.

Takes a ``Vocabulary`` (``vocab.py``) and, for minting, the mentions and the corpus documents'
``(symbol, date)`` pairs; gives rdflib ``Graph``s (``vocabulary_graph``, ``minted_graph``) and the
minted ``Entry``s (``resolution_entries``). ``SCHEMES`` names each scheme and its default class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from poa_kg.ingest.model import Mention
from poa_kg.ingest.rdf.terms import draft_key, iri, new_graph
from poa_kg.ingest.vocab import Entry, Vocabulary
from poa_kg.namespaces import ORG, POA, SDG, WIKIDATA

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
