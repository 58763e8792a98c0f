"""The OWL ontology (ontology/poa.ttl): header, documentation, sync with the data model, reasoning.

Two reasoners check it: owlrl (OWL 2 RL rules, pure Python) on the ontology plus a small sample of
instance data shaped like the build's output, and HermiT (OWL 2 DL, Java, the jar owlready2
bundles) on the ontology alone, with the same sample and with the published data. Each also gets
a deliberately inconsistent sample, and HermiT an unsatisfiable class, so a check that can never
fail is caught.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import owlready2
import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from poa_kg.namespaces import ONTOLOGY_IRI as ONTOLOGY_IRI_STR
from poa_kg.namespaces import POA, entity

REPO_ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_TTL = REPO_ROOT / "ontology" / "poa.ttl"
ONTOLOGY_README = REPO_ROOT / "ontology" / "README.md"

ONTOLOGY_IRI = URIRef(ONTOLOGY_IRI_STR)
VERSION_IRI = URIRef("https://w3id.org/poa-kg/ont/0.1.0")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
POA_NS = str(POA)
XSD_NS = "http://www.w3.org/2001/XMLSchema#"  # (rdflib's XSD object upsets pytest's collector)

DECLARATION_TYPES = (
    OWL.NamedIndividual,
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
)

# The datatypes of the OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps)
# that the ontology may use as ranges, and the two it uses outside the map on purpose: the data
# keeps year precision (xsd:gYear) and day precision (xsd:date). HermiT runs with
# --ignoreUnsupportedDatatypes for these two only; this list keeps it that way.
OWL2_MAP_DATATYPES = {
    *(URIRef(XSD_NS + name) for name in ("string", "integer", "boolean", "decimal", "anyURI")),
    RDFS.Literal,
}
ALLOWED_OUTSIDE_MAP = {URIRef(XSD_NS + "gYear"), URIRef(XSD_NS + "date")}

PREFIXES = """\
@prefix poa: <https://w3id.org/poa-kg/ont#> .
@prefix id: <https://w3id.org/poa-kg/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix opengov: <http://www.w3.org/ns/opengov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Individuals of most classes, written the way the build writes them: hash IRIs (no blank nodes),
# plain literals for strings, xsd:integer offsets and counts, xsd:gYear years, vocabulary entries
# typed both skos:Concept and their class, a literal dcterms:source note on a curated meeting,
# poa:inDocument on statements, votes and issues, poa:severity on issue types too.
SAMPLE_TTL = (
    PREFIXES
    + """\
id:scheme\\/actors a skos:ConceptScheme ;
    dcterms:title "Organizations and groups of actors"@en ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> .
id:scheme\\/states a skos:ConceptScheme ; skos:prefLabel "States"@en .

id:document\\/revcon3-2018 a poa:Document ;
    dcterms:title "Report of the Third United Nations Conference to Review Progress" ;
    dcterms:date "2018-06-29"^^xsd:date ;
    dcterms:language "en" ;
    dcterms:identifier "A/CONF.192/2018/RC/3" ;
    poa:symbolSource "corpus README" ;
    poa:documentKind "report" ;
    poa:ofMeeting id:meeting\\/revcon3 ;
    dcterms:source id:source\\/revcon3-2018 ;
    poa:hasPart id:part\\/revcon3-2018\\/main , id:part\\/revcon3-2018\\/annex .

id:source\\/revcon3-2018 a poa:SourceText ;
    poa:sha256 "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" ;
    dcterms:format "text/plain" ;
    poa:characterCount 98765 .

id:part\\/revcon3-2018\\/main a poa:DocumentPart ;
    dcterms:isPartOf id:document\\/revcon3-2018 ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:eId "main" ;
    poa:order 0 .

id:part\\/revcon3-2018\\/annex a poa:DocumentPart ;
    dcterms:isPartOf id:document\\/revcon3-2018 ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:eId "annex" ;
    poa:heading "Outcome document" ;
    poa:order 100 .

id:section\\/revcon3-2018\\/annex\\/sec_II a poa:Section ;
    dcterms:isPartOf id:part\\/revcon3-2018\\/annex ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:eId "sec_II" ;
    poa:number "II" ;
    poa:heading "Implementation of the Programme of Action" ;
    poa:order 130 ;
    poa:startOffset 50000 ;
    poa:endOffset 70000 .

id:unit\\/revcon3-2018\\/annex\\/sec_II__intro a poa:Chapeau ;
    dcterms:isPartOf id:section\\/revcon3-2018\\/annex\\/sec_II ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:eId "sec_II__intro" ;
    poa:text "States undertake, at the national level:" ;
    poa:order 131 ;
    poa:startOffset 50050 ;
    poa:endOffset 50090 .

id:unit\\/revcon3-2018\\/annex\\/sec_II__para_13 a poa:Paragraph ;
    dcterms:isPartOf id:section\\/revcon3-2018\\/annex\\/sec_II ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:eId "sec_II__para_13" ;
    poa:number "13" ;
    poa:text "To encourage INTERPOL and France to exchange information, as appropriate." ;
    poa:order 144 ;
    poa:startOffset 50100 ;
    poa:endOffset 50178 .

id:unit\\/revcon3-2018\\/main\\/para_6__item_9__point_a a poa:SubItem ;
    dcterms:isPartOf id:part\\/revcon3-2018\\/main ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:eId "para_6__item_9__point_a" ;
    poa:number "a" ;
    poa:text "International cooperation and assistance." ;
    poa:order 12 ;
    poa:startOffset 2000 ;
    poa:endOffset 2041 .

id:unit\\/revcon3-2018\\/main\\/para_15 a poa:Paragraph ;
    dcterms:isPartOf id:part\\/revcon3-2018\\/main ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:eId "para_15" ;
    poa:number "15" ;
    poa:text "A recorded vote was taken on paragraph 15 of section I." ;
    poa:order 40 ;
    poa:startOffset 9000 ;
    poa:endOffset 9055 .

id:statement\\/revcon3-2018\\/annex\\/sec_II__para_13 a poa:Commitment ;
    poa:inDocument id:document\\/revcon3-2018 ;
    prov:wasDerivedFrom id:unit\\/revcon3-2018\\/annex\\/sec_II__para_13 ;
    poa:textSpan <https://w3id.org/poa-kg/id/statement/revcon3-2018/annex/sec_II__para_13#target> ;
    poa:chapeau id:unit\\/revcon3-2018\\/annex\\/sec_II__intro ;
    poa:verb "encourage" , "exchange" ;
    poa:leadVerb "encourage" ;
    poa:strengthLevel id:level\\/encouragement ;
    poa:qualifier id:qualifier\\/as-appropriate ;
    poa:addressee id:addressee\\/others ;
    poa:addresseeText "INTERPOL and France" ;
    poa:engages id:actor\\/interpol , id:state\\/FRA ;
    poa:citesInstrument id:instrument\\/A-RES-72-55 ;
    poa:refersToMeeting id:meeting\\/bms8 ;
    poa:concerns id:theme\\/information-exchange ;
    poa:inheritsTheme id:theme\\/cooperation .

id:statement\\/revcon3-2018\\/main\\/para_15 a poa:ProceedingsRecord ;
    prov:wasDerivedFrom id:unit\\/revcon3-2018\\/main\\/para_15 .

id:statement\\/revcon3-2018\\/annex\\/sec_V__recital_1 a poa:Preambular .
id:statement\\/revcon3-2018\\/annex\\/sec_V__para_3 a poa:ProceduralDecision .
id:statement\\/prepcom-2018-outline\\/main\\/sec_II__para_1 a poa:ProposedElement .
id:statement\\/prepcom-2018-outline\\/annex\\/para_1 a poa:DiscussionQuestion .

<https://w3id.org/poa-kg/id/statement/revcon3-2018/annex/sec_II__para_13#target>
    a oa:SpecificResource ;
    oa:hasSource id:source\\/revcon3-2018 ;
    oa:hasSelector
        <https://w3id.org/poa-kg/id/statement/revcon3-2018/annex/sec_II__para_13#position> .

<https://w3id.org/poa-kg/id/statement/revcon3-2018/annex/sec_II__para_13#position>
    a oa:TextPositionSelector ; oa:start 50100 ; oa:end 50178 .

id:mention\\/revcon3-2018\\/50115-50123\\/actor a poa:Mention ;
    oa:hasBody id:actor\\/interpol ;
    oa:hasTarget <https://w3id.org/poa-kg/id/mention/revcon3-2018/50115-50123/actor#target> ;
    prov:wasDerivedFrom id:unit\\/revcon3-2018\\/annex\\/sec_II__para_13 ;
    poa:matchedText "INTERPOL" ;
    poa:matchMethod "acronym" ;
    poa:inList false .

<https://w3id.org/poa-kg/id/mention/revcon3-2018/50115-50123/actor#target>
    a oa:SpecificResource ;
    oa:hasSource id:source\\/revcon3-2018 ;
    oa:hasSelector
        <https://w3id.org/poa-kg/id/mention/revcon3-2018/50115-50123/actor#position> ,
        <https://w3id.org/poa-kg/id/mention/revcon3-2018/50115-50123/actor#quote> .

<https://w3id.org/poa-kg/id/mention/revcon3-2018/50115-50123/actor#position>
    a oa:TextPositionSelector ;
    oa:start "50115"^^xsd:nonNegativeInteger ;
    oa:end "50123"^^xsd:nonNegativeInteger .

<https://w3id.org/poa-kg/id/mention/revcon3-2018/50115-50123/actor#quote>
    a oa:TextQuoteSelector ;
    oa:exact "INTERPOL" ;
    oa:prefix "To encourage " ;
    oa:suffix " and France to exchange" .

id:state\\/FRA a poa:State , skos:Concept ;
    skos:inScheme id:scheme\\/states ;
    skos:prefLabel "France"@en ;
    poa:iso3 "FRA" ;
    poa:m49 "250" ;
    poa:memberStatus "member" .

id:state\\/VAT a poa:State , skos:Concept ;
    skos:inScheme id:scheme\\/states ;
    skos:prefLabel "Holy See"@en ;
    poa:iso3 "VAT" ;
    poa:m49 "336" ;
    poa:memberStatus "observer" .

id:actor\\/interpol a poa:InternationalOrganization , skos:Concept ;
    skos:inScheme id:scheme\\/actors ;
    skos:prefLabel "International Criminal Police Organization"@en ;
    skos:altLabel "INTERPOL"@en ;
    skos:exactMatch <http://www.wikidata.org/entity/Q8475> .

id:actor\\/general-assembly a poa:UNEntity , skos:Concept ;
    skos:inScheme id:scheme\\/actors ;
    org:subOrganizationOf id:actor\\/united-nations ;
    skos:exactMatch <http://www.wikidata.org/entity/Q47423> .

id:actor\\/united-nations a poa:UNEntity , skos:Concept ;
    skos:inScheme id:scheme\\/actors .

id:actor\\/ecowas a poa:RegionalOrganization , skos:Concept ; skos:inScheme id:scheme\\/actors .
id:actor\\/small-arms-survey a poa:NonGovernmentalOrganization , skos:Concept ;
    skos:inScheme id:scheme\\/actors .
id:actor\\/non-aligned-movement a poa:NegotiatingGroup , skos:Concept ;
    skos:inScheme id:scheme\\/actors .
id:actor\\/civil-society a poa:StakeholderGroup , skos:Concept ;
    skos:inScheme id:scheme\\/actors ;
    skos:hiddenLabel "civil society organizations"@en .

id:instrument\\/A-RES-72-55 a poa:GeneralAssemblyResolution ;
    poa:symbol "A/RES/72/55" ;
    poa:adoptedYear "2017"^^xsd:gYear .
id:instrument\\/S-RES-2370 a poa:SecurityCouncilResolution ; poa:symbol "S/RES/2370 (2017)" .
id:instrument\\/poa a poa:PoliticallyBindingInstrument , skos:Concept ;
    poa:adoptedYear "2001"^^xsd:gYear .
id:instrument\\/att a poa:Treaty , skos:Concept .
id:instrument\\/sdg-16 a poa:SDGGoal , skos:Concept ;
    skos:exactMatch <http://metadata.un.org/sdg/16> .
id:instrument\\/sdg-16-4 a poa:SDGTarget , skos:Concept ;
    skos:broader id:instrument\\/sdg-16 ;
    skos:exactMatch <http://metadata.un.org/sdg/16.4> .
id:instrument\\/sdg-16-4-2 a poa:SDGIndicator , skos:Concept ;
    skos:exactMatch <http://metadata.un.org/sdg/C160402> .
id:instrument\\/2030-agenda a poa:Agenda , skos:Concept .

id:meeting\\/unconf-2001 a poa:UNConference , skos:Concept ;
    poa:heldYear "2001"^^xsd:gYear ;
    poa:status "held" ;
    poa:curated true ;
    dcterms:source "UNODA meeting records" ;
    poa:adopted id:instrument\\/poa .
id:meeting\\/revcon3 a poa:ReviewConference , skos:Concept ;
    poa:ordinal 3 ;
    poa:heldYear "2018"^^xsd:gYear ;
    poa:startDate "2018-06-18"^^xsd:date ;
    poa:endDate "2018-06-29"^^xsd:date ;
    poa:place "New York" ;
    poa:status "held" ;
    poa:curated false .
id:meeting\\/bms8 a poa:BiennialMeeting , skos:Concept ;
    poa:ordinal 8 ;
    poa:heldYear "2022"^^xsd:gYear ;
    poa:plannedYear "2022"^^xsd:gYear .
id:meeting\\/prepcom-2018 a poa:PreparatoryCommittee , skos:Concept .
id:meeting\\/mge1 a poa:ExpertMeeting , skos:Concept .
id:meeting\\/oewg-tracing a poa:WorkingGroup , skos:Concept .

id:theme\\/cooperation a poa:Theme , skos:Concept .
id:theme\\/information-exchange a poa:Theme , skos:Concept ;
    skos:broader id:theme\\/cooperation ;
    skos:hiddenLabel "exchange information"@en .
id:level\\/encouragement a poa:StrengthLevel , skos:Concept ;
    skos:notation 1 ;
    skos:prefLabel "encouragement"@en .
id:qualifier\\/as-appropriate a poa:Qualifier , skos:Concept .
id:addressee\\/others a poa:Addressee , skos:Concept .

id:vote\\/revcon3-2018\\/main\\/para_15 a poa:RecordedVote ;
    rdfs:label "Recorded vote in paragraph 15 of revcon3-2018" ;
    poa:inDocument id:document\\/revcon3-2018 ;
    poa:recordedIn id:unit\\/revcon3-2018\\/main\\/para_15 ;
    opengov:motion id:unit\\/revcon3-2018\\/annex\\/sec_II__para_13 ;
    poa:correspondsTo id:unit\\/revcon3-2018\\/annex\\/sec_II__para_13 ;
    poa:statedYes 63 ;
    poa:statedNo 2 ;
    poa:statedAbstain 28 ;
    opengov:count <https://w3id.org/poa-kg/id/vote/revcon3-2018/main/para_15#count-yes> .

<https://w3id.org/poa-kg/id/vote/revcon3-2018/main/para_15#count-yes> a opengov:Count ;
    opengov:option "yes" ;
    rdf:value 63 .

id:position\\/revcon3-2018\\/main\\/para_15\\/FRA a poa:VotePosition ;
    opengov:voteEvent id:vote\\/revcon3-2018\\/main\\/para_15 ;
    opengov:voter id:state\\/FRA ;
    prov:wasDerivedFrom id:mention\\/revcon3-2018\\/9100-9106\\/state ;
    opengov:option "yes" .

id:issue-type\\/numbering-gap a poa:IssueType , skos:Concept ; poa:severity "warning" .
id:issue\\/bms8-2022-draft\\/numbering-gap\\/1 a poa:QualityIssue ;
    dcterms:type id:issue-type\\/numbering-gap ;
    poa:severity "warning" ;
    poa:about id:document\\/bms8-2022-draft ;
    poa:inDocument id:document\\/bms8-2022-draft ;
    rdfs:comment "Paragraph 14 is missing." .
id:document\\/bms8-2022-draft a poa:Document .
"""
)

# Each of these, added to the sample, must make the data inconsistent.
INCONSISTENT_SAMPLES: dict[str, str] = {
    "state-and-organization": "id:state\\/FRA a poa:InternationalOrganization .",
    "commitment-and-declaration": (
        "id:statement\\/revcon3-2018\\/annex\\/sec_II__para_13 a poa:Declaration ."
    ),
    "stakeholder-group-is-no-organization": "id:actor\\/civil-society a org:FormalOrganization .",
    "unit-as-document": "id:unit\\/revcon3-2018\\/main\\/para_15 a poa:Document .",
}


def poa_terms(graph: Graph, rdf_type: URIRef) -> set[URIRef]:
    return {
        s
        for s in graph.subjects(RDF.type, rdf_type)
        if isinstance(s, URIRef) and str(s).startswith(POA_NS)
    }


def declared(graph: Graph) -> set[URIRef]:
    return {
        s for t in DECLARATION_TYPES for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)
    }


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


def sample(extra: str = "") -> Graph:
    return Graph().parse(data=SAMPLE_TTL + extra, format="turtle")


# --- header -------------------------------------------------------------------------------------


def test_exactly_one_ontology_with_version_and_license(ontology: Graph) -> None:
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    assert list(ontology.objects(ONTOLOGY_IRI, OWL.versionIRI)) == [VERSION_IRI]
    assert list(ontology.objects(ONTOLOGY_IRI, OWL.versionInfo)) == [Literal("0.1.0")]
    assert str(VERSION_IRI).endswith("/" + str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)))
    assert list(ontology.objects(ONTOLOGY_IRI, DCTERMS.license)) == [CC_BY_4]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.creator):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop


def test_no_imports(ontology: Graph) -> None:
    assert list(ontology.triples((None, OWL.imports, None))) == []


# --- documentation ------------------------------------------------------------------------------


def test_every_poa_term_has_english_label_and_definition(ontology: Graph) -> None:
    terms = set().union(
        *(poa_terms(ontology, t) for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty))
    )
    assert len(terms) > 90
    missing: list[str] = []
    for term in sorted(terms):
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)]
        definitions = [o for o in ontology.objects(term, SKOS.definition) if isinstance(o, Literal)]
        if [lab.language for lab in labels] != ["en"]:
            missing.append(f"{term}: one English rdfs:label")
        if [d.language for d in definitions] != ["en"] or len(str(definitions[0])) < 30:
            missing.append(f"{term}: one English skos:definition of substance")
    assert missing == []


# --- OWL 2 DL hygiene ---------------------------------------------------------------------------


def test_each_declared_iri_has_one_kind(ontology: Graph) -> None:
    kinds: dict[Node, list[URIRef]] = {}
    for t in DECLARATION_TYPES:
        for s in ontology.subjects(RDF.type, t):
            kinds.setdefault(s, []).append(t)
    punned = {str(s): [str(k) for k in ks] for s, ks in kinds.items() if len(ks) > 1}
    assert punned == {}
    both = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) & set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    assert both == set()


def test_every_term_used_is_declared(ontology: Graph) -> None:
    """A typo in a domain, a range or a disjointness list would silently mint a new class."""
    known = declared(ontology) | {ONTOLOGY_IRI, VERSION_IRI, CC_BY_4}
    used: set[URIRef] = set()
    for s, p, o in ontology:
        if p == RDFS.isDefinedBy:
            continue
        for term in (s, p, o):
            if isinstance(term, URIRef) and not str(term).startswith(
                (str(OWL), str(RDF), str(RDFS), XSD_NS)
            ):
                used.add(term)
    assert sorted(str(t) for t in used - known) == []


def test_properties_used_in_sample_are_declared(ontology: Graph) -> None:
    builtin = (str(RDF), str(RDFS))
    undeclared = {str(p) for p in sample().predicates() if not str(p).startswith(builtin)} - {
        str(t) for t in declared(ontology)
    }
    assert undeclared == set()


def test_datatype_ranges_are_in_owl2_map_or_allowed(ontology: Graph) -> None:
    ranges = {
        r
        for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)
        for r in ontology.objects(p, RDFS.range)
    }
    assert ranges - OWL2_MAP_DATATYPES - ALLOWED_OUTSIDE_MAP == set()
    for p in ontology.subjects(RDF.type, OWL.ObjectProperty):
        for r in ontology.objects(p, RDFS.range):
            assert r not in OWL2_MAP_DATATYPES | ALLOWED_OUTSIDE_MAP, (p, r)


# --- the data model README and the ontology say the same ---------------------------------------


def test_every_poa_term_in_readme_is_declared(ontology: Graph) -> None:
    readme = ONTOLOGY_README.read_text(encoding="utf-8")
    named = {
        URIRef(POA_NS + local) for local in re.findall(r"\bpoa:([A-Za-z][A-Za-z0-9]*)", readme)
    }
    assert len(named) > 90
    assert sorted(str(t) for t in named - declared(ontology)) == []


def test_readme_classes_are_classes_and_properties_are_properties(ontology: Graph) -> None:
    readme = ONTOLOGY_README.read_text(encoding="utf-8")
    classes = poa_terms(ontology, OWL.Class)
    properties = poa_terms(ontology, OWL.ObjectProperty) | poa_terms(ontology, OWL.DatatypeProperty)
    for local in set(re.findall(r"\bpoa:([A-Za-z][A-Za-z0-9]*)", readme)):
        term = URIRef(POA_NS + local)
        assert term in (classes if local[0].isupper() else properties), term


# --- owlrl (OWL 2 RL) ---------------------------------------------------------------------------


def owlrl_errors(graph: Graph) -> list[str]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    messages = [str(m) for m in graph.objects(None, ERRNS.error)]
    nothing = [str(s) for s in graph.subjects(RDF.type, OWL.Nothing)]
    return messages + [f"{s} is a member of owl:Nothing" for s in nothing]


def test_owlrl_ontology_and_sample_are_consistent(ontology: Graph) -> None:
    graph = Graph()
    graph += ontology
    graph += sample()
    assert owlrl_errors(graph) == []
    # The closure did work: subclass and subproperty axioms reached the sample.
    fra = URIRef(entity("state", "FRA"))
    stmt = URIRef(entity("statement", "revcon3-2018/annex/sec_II__para_13"))
    assert (fra, RDF.type, POA.Actor) in graph
    assert (stmt, RDF.type, POA.Statement) in graph
    assert (stmt, POA.mentions, fra) in graph
    assert (stmt, POA.hasTheme, URIRef(entity("theme", "information-exchange"))) in graph
    assert (stmt, POA.hasTheme, URIRef(entity("theme", "cooperation"))) in graph


@pytest.mark.parametrize("name", sorted(INCONSISTENT_SAMPLES))
def test_owlrl_reports_inconsistent_samples(ontology: Graph, name: str) -> None:
    graph = Graph()
    graph += ontology
    graph += sample(INCONSISTENT_SAMPLES[name])
    assert owlrl_errors(graph) != []


# --- HermiT (OWL 2 DL), the jar owlready2 bundles -----------------------------------------------

HERMIT_DIR = Path(owlready2.__file__).parent / "hermit"
HERMIT_JAR = HERMIT_DIR / "HermiT.jar"
HERMIT_CLASSPATH = os.pathsep.join((str(HERMIT_DIR), str(HERMIT_JAR)))


class Inconsistent(Exception):
    """HermiT found no model of the graph."""


def hermit(graph: Graph, tmp_path: Path) -> list[str]:
    """The classes HermiT finds unsatisfiable in ``graph`` (none when it is coherent).

    HermiT's command line with ``-U``: a consistency check, then the classes equivalent to
    owl:Nothing. owlready2's ``sync_reasoner_hermit`` also realises every individual (``-I``),
    which nothing here reads and which took 140 of its 148 s on the published data.
    xsd:gYear and xsd:date are outside the OWL 2 datatype map (see ALLOWED_OUTSIDE_MAP), so
    HermiT is told to ignore unsupported datatypes.

    Raises:
        Inconsistent: the graph has no model.
    """
    triples = tmp_path / "hermit.nt"
    graph.serialize(triples, format="nt", encoding="utf-8")
    result = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
        [
            owlready2.JAVA_EXE,
            "-Xmx2000M",
            "-cp",
            HERMIT_CLASSPATH,
            "org.semanticweb.HermiT.cli.CommandLine",
            "-U",
            "--ignoreUnsupportedDatatypes",
            triples.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        if "InconsistentOntologyException" in result.stderr:
            raise Inconsistent(result.stderr.splitlines()[0])
        raise RuntimeError(f"HermiT failed:\n{result.stderr[-2000:]}")
    header, *equivalents = result.stdout.splitlines()
    assert header == "Classes equivalent to 'owl:Nothing':", result.stdout
    return [line.strip() for line in equivalents if line.strip() not in ("", "owl:Nothing")]


@pytest.mark.slow
def test_hermit_ontology_is_consistent_and_coherent(ontology: Graph, tmp_path: Path) -> None:
    assert hermit(ontology, tmp_path) == []


@pytest.mark.slow
def test_hermit_ontology_with_sample_is_consistent(ontology: Graph, tmp_path: Path) -> None:
    graph = Graph()
    graph += ontology
    graph += sample()
    assert hermit(graph, tmp_path) == []


@pytest.mark.slow
def test_hermit_reports_an_inconsistent_sample(ontology: Graph, tmp_path: Path) -> None:
    graph = Graph()
    graph += ontology
    graph += sample(INCONSISTENT_SAMPLES["stakeholder-group-is-no-organization"])
    with pytest.raises(Inconsistent):
        hermit(graph, tmp_path)


@pytest.mark.slow
def test_hermit_names_an_unsatisfiable_class(ontology: Graph, tmp_path: Path) -> None:
    """A class under two classes the ontology declares disjoint (an Actor that is a Statement)."""
    graph = Graph()
    graph += ontology
    both = URIRef("urn:poa-kg-test:ActorStatement")
    graph.add((both, RDF.type, OWL.Class))
    graph.add((both, RDFS.subClassOf, POA.Actor))
    graph.add((both, RDFS.subClassOf, POA.Statement))
    assert hermit(graph, tmp_path) == ["<urn:poa-kg-test:ActorStatement>"]


# The OWL API bundled in owlready2's HermiT.jar checks the OWL 2 DL profile (punning, reserved
# vocabulary, undeclared terms, anonymous individuals in axioms...). Run as a single-file Java
# source program, so no build step is needed.
DL_PROFILE_CHECK_JAVA = """\
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class DLProfileCheck {
  public static void main(String[] args) throws Exception {
    OWLOntology ontology = OWLManager.createOWLOntologyManager()
        .loadOntologyFromOntologyDocument(new File(args[0]));
    OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
    for (OWLProfileViolation violation : report.getViolations()) {
      System.out.println("VIOLATION " + violation);
    }
    System.out.println("IN_PROFILE " + report.isInProfile());
  }
}
"""


@pytest.mark.slow
def test_owl_api_says_owl2_dl(ontology: Graph, tmp_path: Path) -> None:
    source = tmp_path / "DLProfileCheck.java"
    source.write_text(DL_PROFILE_CHECK_JAVA, encoding="utf-8")
    owl_file = tmp_path / "poa.owl"
    ontology.serialize(owl_file, format="xml")
    result = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
        [owlready2.JAVA_EXE, "-cp", str(HERMIT_JAR), str(source), str(owl_file)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "IN_PROFILE true", result.stdout


# ---------------------------------------------------------------------------------------------
# The published data against the ontology
# ---------------------------------------------------------------------------------------------

PUBLISHED = Path(__file__).resolve().parents[2] / "data" / "turtle"
CORE = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#")


@pytest.fixture(scope="module")
def published() -> Graph:
    data = Graph()
    for path in sorted(PUBLISHED.glob("*.ttl")):
        if path.stem != "void":
            data.parse(path, format="turtle")
    return data


def test_every_term_the_build_writes_is_declared(ontology: Graph, published: Graph) -> None:
    known = declared(ontology)
    used = set(published.predicates()) | set(published.objects(None, RDF.type))
    undeclared = sorted(str(u) for u in used - known if not str(u).startswith(CORE))
    assert undeclared == []


@pytest.mark.slow
def test_hermit_published_data_is_consistent(
    ontology: Graph, published: Graph, tmp_path: Path
) -> None:
    assert hermit(ontology + published, tmp_path) == []
