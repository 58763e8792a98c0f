"""Each SHACL shape catches what it claims: a valid tiny graph, then one breakage per shape."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from poa_kg.config import ROOT, Settings
from poa_kg.ingest.build import build
from poa_kg.ingest.validate import load_shapes, validate_graph
from poa_kg.namespaces import DQV, ID, OA, OPENGOV, ORG, POA
from tests.conftest import write_source

SHAPES = load_shapes(ROOT / "shapes")
ONTOLOGY = Graph().parse(ROOT / "ontology" / "poa.ttl", format="turtle")
POASH = "https://w3id.org/poa-kg/shapes#"

TINY_OUTCOME = (
    "I. Marking\n\n1. To establish national laws with INTERPOL, as appropriate.\n"
    "2. The issues included:\n(a) Ammunition.\n"
)
TINY_REPORT = (
    "1. The Conference decided to retain paragraph 16 of section I of the draft outcome document "
    "(A/CONF.192/2018/RC/CRP.1/Rev.3) by a recorded vote of 2 to 1, with 1 abstention. "
    "The voting was as follows:\n\nIn favour:\n\nChile, Peru.\n\nAgainst:\n\nCuba.\n\n"
    "Abstaining:\n\nNepal.\n\n2. The Conference adopted its report.\n\nAnnex\n\n"
    "I. Declaration\n\n16. We reaffirm our commitment.\n"
)
TINY_RESOLUTION = (
    "A/RES/99/1\n\n99/1. Small arms\nThe General Assembly,\nRecalling its resolution 98/2,1\n"
    "1. Decides to remain seized of the matter.\n\n61st plenary meeting\n2 December 2044\n"
    "_______________\n1\nSee A/98/100.\n"
)
TINY_RESOLUTION_METADATA = (
    'id = "tiny-resolution"\ntitle = "Small arms"\nkind = "resolution"\ndate = "2044-12-02"\n'
    'language = "en"\nsymbol = "A/RES/99/1"\nsymbol_source = "stated in the text"\n'
    'session = 99\nplenary_meeting = 61\ncommittee = "first-committee"\n'
    'committee_report = "A/99/400"\nadopted_by = "general-assembly"\n'
)


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The union of every graph a tiny build publishes, plus the ontology."""
    root = tmp_path_factory.mktemp("shapes")
    write_source(root / "sources", "tiny", TINY_OUTCOME)
    write_source(root / "sources", "tiny-report", TINY_REPORT, kind="report")
    write_source(root / "sources", "tiny-resolution", TINY_RESOLUTION, kind="resolution")
    (root / "sources" / "tiny-resolution.toml").write_text(
        TINY_RESOLUTION_METADATA, encoding="utf-8"
    )
    build(Settings(), sources_dir=root / "sources", out_dir=root / "turtle")
    union = Graph()
    for path in (root / "turtle").glob("*.ttl"):
        union.parse(path, format="turtle")
    return union + ONTOLOGY


def iri(path: str) -> URIRef:
    return URIRef(f"{ID}{path}")


def one(graph: Graph, cls: URIRef) -> URIRef:
    node = sorted(graph.subjects(RDF.type, cls))[0]
    assert isinstance(node, URIRef)
    return node


def _dangling_link(graph: Graph) -> None:
    statement, node = iri(STATEMENT), iri(f"lineage/{STATEMENT.removeprefix('statement/')}/1")
    for triple in (
        (node, RDF.type, POA.LineageLink),
        (node, RDF.type, PROV.Revision),
        (statement, PROV.qualifiedInfluence, node),
        (statement, PROV.qualifiedRevision, node),
        (node, POA.lineageRelation, POA.restated),
        (node, POA.confidence, Literal(Decimal("0.9"))),
        (node, POA.linkRank, Literal(1)),
    ):
        graph.add(triple)


def replace(graph: Graph, node: URIRef, predicate: URIRef, value: object) -> None:
    graph.remove((node, predicate, None))
    if value is not None:
        graph.add(
            (node, predicate, value if isinstance(value, URIRef | Literal) else Literal(value))
        )


UNIT = "unit/tiny/main/sec_I__para_1"
STATEMENT = "statement/tiny/main/sec_I__para_1"
VOTE = "vote/tiny-report/main/para_1"


def _bad_measurement(graph: Graph) -> None:
    """A measurement with a value above 1 and no metric, sample or command."""
    node = iri("measurement/themes/precision/all/test")
    graph.add((node, RDF.type, DQV.QualityMeasurement))
    graph.add((node, DQV.value, Literal(Decimal("1.5"))))


BREAKAGES: dict[str, Callable[[Graph], None]] = {
    "DocumentShape": lambda g: replace(g, iri("document/tiny"), DCTERMS.title, None),
    "CitedDocumentShape": lambda g: replace(
        g, iri("document/A-CONF.192-2018-RC-CRP.1-Rev.3"), POA.symbolSource, None
    ),
    "PlenaryMeetingShape": lambda g: replace(
        g, iri("plenary-meeting/general-assembly/99/61"), POA.ofSession, None
    ),
    "SessionShape": lambda g: replace(g, iri("session/general-assembly/99"), POA.ordinal, 0),
    "FootnoteShape": lambda g: replace(g, iri("footnote/tiny-resolution/1"), POA.text, None),
    "SourceTextShape": lambda g: replace(g, iri("source/tiny"), POA.sha256, "not-a-hash"),
    "DocumentPartShape": lambda g: replace(g, iri("part/tiny/main"), POA.eId, "appendix"),
    "SectionShape": lambda g: replace(g, iri("section/tiny/main/sec_I"), POA.heading, None),
    "UnitShape": lambda g: replace(g, iri(UNIT), POA.text, None),
    "SubItemShape": lambda g: replace(
        g, iri("unit/tiny/main/sec_I__para_2__point_a"), POA.number, None
    ),
    "CitedUnitShape": lambda g: replace(
        g, iri("unit/A-CONF.192-2018-RC-CRP.1-Rev.3/main/sec_I__para_16"), POA.number, None
    ),
    "StatementShape": lambda g: replace(g, iri(STATEMENT), PROV.wasDerivedFrom, None),
    "CommitmentShape": lambda g: replace(g, iri(STATEMENT), POA.leadVerb, None),
    "MentionShape": lambda g: replace(g, one(g, POA.Mention), POA.matchMethod, "guessed"),
    "PositionSelectorShape": lambda g: replace(
        g, one(g, OA.TextPositionSelector), OA.start, Literal(3, datatype=XSD.integer)
    ),
    "QuoteSelectorShape": lambda g: replace(g, one(g, OA.TextQuoteSelector), OA.prefix, None),
    "RecordedVoteShape": lambda g: replace(g, iri(VOTE), POA.statedYes, Literal(5)),
    "CountShape": lambda g: replace(g, URIRef(f"{iri(VOTE)}#count-no"), OPENGOV.option, "maybe"),
    "VotePositionShape": lambda g: replace(
        g, iri("position/tiny-report/main/para_1/CHL"), OPENGOV.voter, iri("actor/interpol")
    ),
    "ConceptShape": lambda g: g.add(
        (iri("state/FRA"), SKOS.prefLabel, Literal("Frankreich", lang="en"))
    ),
    "StateShape": lambda g: replace(g, iri("state/FRA"), POA.m49, "25"),
    "ActorShape": lambda g: replace(
        g, iri("actor/interpol"), ORG.subOrganizationOf, iri("theme/marking")
    ),
    "InstrumentShape": lambda g: replace(
        g, iri("instrument/att"), POA.adoptedYear, Literal("2013-01-01", datatype=XSD.date)
    ),
    "MeetingShape": lambda g: replace(
        g, iri("meeting/bms5"), POA.heldYear, Literal("2014-01-01", datatype=XSD.date)
    ),
    "ThemeShape": lambda g: replace(g, iri("theme/marking"), SKOS.broader, iri("actor/interpol")),
    "StrengthLevelShape": lambda g: replace(g, iri("level/decide"), SKOS.notation, Literal(7)),
    "IssueTypeShape": lambda g: replace(g, iri("issue-type/truncated"), POA.severity, "fatal"),
    # a link that claims a relation but names no earlier statement
    "LineageLinkShape": lambda g: _dangling_link(g),
    "StatementLineageShape": lambda g: replace(g, iri(STATEMENT), POA.firstAppearance, None),
    "LineageQualityShape": lambda g: replace(
        g, one(g, DQV.QualityMeasurement), POA.sampleSize, None
    ),
    "LineageRelationShape": lambda g: g.add((POA.dropped, RDF.type, POA.LineageRelation)),
    "ThemeInheritanceShape": lambda g: replace(
        g, one(g, POA.ThemeInheritance), POA.fromSection, None
    ),
    "QualityMeasurementShape": lambda g: _bad_measurement(g),
    "AccuracyMeasurementShape": lambda g: replace(
        g, sorted(g.subjects(POA.sampleHalf, None))[0], POA.sampleSize, 0
    ),
    "QualityIssueShape": lambda g: replace(
        g, one(g, POA.QualityIssue), DCTERMS.type, iri("theme/marking")
    ),
}


def test_the_tiny_graph_conforms(valid: Graph) -> None:
    report = validate_graph(valid, SHAPES, ONTOLOGY)
    assert report.conforms, report.text()


@pytest.mark.parametrize("shape", sorted(BREAKAGES))
def test_each_shape_catches_its_breakage(valid: Graph, shape: str) -> None:
    broken = Graph()
    broken += valid
    BREAKAGES[shape](broken)
    report = validate_graph(broken, SHAPES, ONTOLOGY)
    assert not report.conforms
    # the shape under test reports it (a sequence path elsewhere may report it too)
    assert POASH + shape in {r.shape for r in report.violations}, report.text()


def test_a_curated_meeting_without_source_is_caught(valid: Graph) -> None:
    broken = Graph()
    broken += valid
    replace(broken, iri("meeting/bms5"), DCTERMS.source, None)
    report = validate_graph(broken, SHAPES, ONTOLOGY)
    assert {r.focus for r in report.violations} == {str(iri("meeting/bms5"))}


def test_every_shape_is_tested_and_targets_a_declared_class() -> None:
    shapes = {str(s).removeprefix(POASH) for s in SHAPES.subjects(RDF.type, SH.NodeShape)}
    assert shapes - {"prefixes"} == set(BREAKAGES)
    declared = set(ONTOLOGY.subjects(RDF.type, OWL.Class))
    for target in SHAPES.objects(None, SH.targetClass):
        assert target in declared, target


def test_every_ontology_class_is_covered_by_a_shape() -> None:
    targets = set(SHAPES.objects(None, SH.targetClass))
    uncovered = []
    for cls in ONTOLOGY.subjects(RDF.type, OWL.Class):
        if not str(cls).startswith(str(POA)):
            continue
        ancestors = set(ONTOLOGY.transitive_objects(cls, RDFS.subClassOf))
        if not ancestors & targets:
            uncovered.append(str(cls))
    assert uncovered == []


def test_shapes_file_is_where_the_build_reads_it() -> None:
    assert Path(ROOT / "shapes" / "poa-shapes.ttl").is_file()
