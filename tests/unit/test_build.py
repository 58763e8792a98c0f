"""The build: byte-for-byte reproducible output, offsets that hold, atomic publication."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID

from poa_kg.config import ROOT, Settings
from poa_kg.errors import ParseError, SourceError, ValidationFailed
from poa_kg.ingest.build import BuildSummary, build
from poa_kg.namespaces import OA, POA
from tests.conftest import CORPUS, SOURCES, write_source

PUBLISHED = ROOT / "data" / "turtle"


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    out = tmp_path_factory.mktemp("build") / "turtle"
    summary = build(Settings(log_dir=out.parent / "logs"), out_dir=out)
    return out, summary


@pytest.fixture(scope="session")
def published() -> dict[str, Graph]:
    return {p.stem: Graph().parse(p, format="turtle") for p in sorted(PUBLISHED.glob("*.ttl"))}


def test_data_turtle_matches_a_fresh_build_byte_for_byte(
    fresh_build: tuple[Path, BuildSummary],
) -> None:
    out, _summary = fresh_build
    fresh = sorted(p.name for p in out.iterdir())
    assert fresh == sorted(p.name for p in PUBLISHED.iterdir())
    for name in fresh:
        assert (out / name).read_bytes() == (PUBLISHED / name).read_bytes(), name


def test_summary_counts(fresh_build: tuple[Path, BuildSummary]) -> None:
    _out, summary = fresh_build
    # the three seed documents and the eighteen General Assembly resolutions of 2002-2019
    assert summary.documents == 21
    # 421 units of the seeds (see test_parse's inventories) + 270 preambular and 357 operative
    # paragraphs of the resolutions (their README's counts)
    assert summary.paragraphs == 421 + 270 + 357
    assert summary.votes == 4
    assert summary.report is not None and summary.report.conforms
    assert summary.issues["numbering-gap"] == 1


def test_resolution_selectors_quote_the_source_with_page_breaks_as_line_feeds(
    published: dict[str, Graph],
) -> None:
    """A paragraph cut by a page break spans the form feed (U+000C) between its halves; XML 1.0
    cannot carry that character, so quotes write it as a line feed (same length, offsets hold)."""
    checked = crossing = 0
    for path in sorted(SOURCES.glob("ga-res-*.txt")):
        graph, source = published[path.stem], path.read_bytes().decode("utf-8")
        quoted = source.replace("\f", "\n")
        for position in graph.subjects(RDF.type, OA.TextPositionSelector):
            quote = URIRef(str(position).replace("#position", "#quote"))
            start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
            assert quoted[start:end] == str(graph.value(quote, OA.exact))
            crossing += "\f" in source[start:end]
            checked += 1
    assert checked > 2000 and crossing > 20


def test_one_graph_per_document_vocabulary_and_quality(published: dict[str, Graph]) -> None:
    assert {*CORPUS, "quality", "void", "vocab-states", "vocab-actors", "vocab-resolutions"} <= set(
        published
    )


def test_no_blank_nodes(published: dict[str, Graph]) -> None:
    for name, graph in published.items():
        for triple in graph:
            assert not any(isinstance(term, BNode) for term in triple), name


def test_void_counts_every_file(published: dict[str, Graph]) -> None:
    void = published["void"]
    for subset in void.objects(None, VOID.subset):
        file = str(void.value(subset, POA.file))
        assert int(void.value(subset, VOID.triples)) == len(published[file.removesuffix(".ttl")])


def test_every_selector_quotes_its_source_exactly(published: dict[str, Graph]) -> None:
    checked = 0
    for key in CORPUS:
        graph, source = published[key], (SOURCES / f"{key}.txt").read_bytes().decode("utf-8")
        for target in graph.subjects(RDF.type, OA.SpecificResource):
            selectors = list(graph.objects(target, OA.hasSelector))
            position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
            quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
            start = int(graph.value(position, OA.start))
            end = int(graph.value(position, OA.end))
            assert source[start:end] == str(graph.value(quote, OA.exact))
            assert source[:start].endswith(str(graph.value(quote, OA.prefix)))
            assert source[end:].startswith(str(graph.value(quote, OA.suffix)))
            checked += 1
    assert checked > 2000


def test_every_statement_is_traceable_to_its_unit(published: dict[str, Graph]) -> None:
    graph = published["revcon3-2018"]
    statements = set(
        graph.subjects(POA.inDocument, URIRef("https://w3id.org/poa-kg/id/document/revcon3-2018"))
    )
    commitments = set(graph.subjects(RDF.type, POA.Commitment))
    assert commitments and commitments <= statements
    for commitment in commitments:
        unit = graph.value(commitment, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
        assert graph.value(unit, POA.text) is not None


def test_year_only_dates_stay_years(published: dict[str, Graph]) -> None:
    bms8 = URIRef("https://w3id.org/poa-kg/id/document/bms8-2022-draft")
    date = published["bms8-2022-draft"].value(bms8, URIRef("http://purl.org/dc/terms/date"))
    assert isinstance(date, Literal) and str(date) == "2022"
    assert str(date.datatype).endswith("#gYear")


# ---------------------------------------------------------------- failures publish nothing


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def previous_output(tmp_path: Path) -> Path:
    out = tmp_path / "turtle"
    out.mkdir()
    (out / "previous.ttl").write_text("# the previous build\n", encoding="utf-8")
    return out


def test_bad_input_leaves_previous_output_untouched(tmp_path: Path, previous_output: Path) -> None:
    before = _snapshot(previous_output)
    sources = tmp_path / "sources"
    write_source(sources, "good", "1. To establish laws.\n")
    write_source(sources, "bad", b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(SourceError, match=r"bad\.txt:3:1: binary file"):
        build(Settings(), sources_dir=sources, out_dir=previous_output)
    assert _snapshot(previous_output) == before
    assert sorted(p.name for p in previous_output.parent.iterdir()) == ["sources", "turtle"]


def test_unstructured_text_is_refused(tmp_path: Path, previous_output: Path) -> None:
    sources = tmp_path / "sources"
    write_source(sources, "prose", "Only prose here.\n")
    with pytest.raises(ParseError, match=r"prose\.txt: no numbered paragraph"):
        build(Settings(), sources_dir=sources, out_dir=previous_output)


def test_shacl_violation_publishes_nothing(tmp_path: Path, previous_output: Path) -> None:
    before = _snapshot(previous_output)
    sources = tmp_path / "sources"
    write_source(sources, "tiny", "1. To establish laws.\n")
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix poa: <https://w3id.org/poa-kg/ont#> .\n"
        "[] a sh:NodeShape ; sh:targetClass poa:Commitment ;\n"
        "   sh:property [ sh:path poa:engages ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as failure:
        build(Settings(shapes_dir=shapes), sources_dir=sources, out_dir=previous_output)
    assert "statement/tiny/main/para_1" in failure.value.report_text
    assert (
        "paragraph:  https://w3id.org/poa-kg/id/unit/tiny/main/para_1" in failure.value.report_text
    )
    assert _snapshot(previous_output) == before


def test_successful_build_replaces_the_folder(tmp_path: Path, previous_output: Path) -> None:
    sources = tmp_path / "sources"
    write_source(sources, "tiny", "1. To establish laws with INTERPOL.\n")
    summary = build(Settings(), sources_dir=sources, out_dir=previous_output)
    names = {p.name for p in previous_output.iterdir()}
    assert "previous.ttl" not in names and {"tiny.ttl", "void.ttl", "quality.ttl"} <= names
    assert summary.mentions == 1
    leftovers = [p.name for p in previous_output.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []
