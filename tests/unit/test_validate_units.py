"""Validation graph by graph (``validate_units``) finds what the plain path finds on the union, with
either engine, and its cache never lets a changed graph, or a change its nodes read, pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from poa_kg.config import Settings, ShaclEngine
from poa_kg.ingest import validate_units
from poa_kg.ingest.build import build
from poa_kg.ingest.validate import ValidationReport, validate_graph
from poa_kg.ingest.validate_units import validate_graphs
from poa_kg.namespaces import POA
from tests.conftest import write_source
from tests.unit.test_shapes import (
    BREAKAGES,
    ONTOLOGY,
    SHAPES,
    STATEMENT,
    TINY_OUTCOME,
    TINY_REPORT,
    TINY_RESOLUTION,
    TINY_RESOLUTION_METADATA,
    iri,
    replace,
)

Graphs = dict[str, Graph]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Graphs:
    """Every graph a tiny build publishes, one per file (as ``poa-kg validate`` reads them)."""
    root = tmp_path_factory.mktemp("units")
    write_source(root / "sources", "tiny", TINY_OUTCOME)
    write_source(root / "sources", "tiny-report", TINY_REPORT, kind="report")
    write_source(root / "sources", "tiny-resolution", TINY_RESOLUTION, kind="resolution")
    (root / "sources" / "tiny-resolution.toml").write_text(
        TINY_RESOLUTION_METADATA, encoding="utf-8"
    )
    build(Settings(shacl_cache_dir=None), sources_dir=root / "sources", out_dir=root / "turtle")
    return {p.stem: Graph().parse(p, format="turtle") for p in (root / "turtle").glob("*.ttl")}


def copy(graphs: Graphs) -> Graphs:
    copies = {}
    for name, graph in graphs.items():
        copies[name] = Graph()
        copies[name] += graph
    return copies


def broken(graphs: Graphs, breakage: Callable[[Graph], None]) -> tuple[Graph, Graphs]:
    """A breakage of test_shapes applied to the union (with the ontology), and the same change
    put back graph by graph: a kept triple stays in its graph, an added one goes to the graph
    that describes its subject (or a graph of its own)."""
    union = Graph()
    home = {}
    for name, graph in graphs.items():
        for triple in graph:
            union.add(triple)
            home.setdefault(triple, name)
    union += ONTOLOGY
    breakage(union)
    described = {triple[0]: name for triple, name in home.items()}
    split: Graphs = {name: Graph() for name in graphs}
    split["added"] = Graph()
    for triple in union:
        if triple in home:
            split[home[triple]].add(triple)
        elif triple not in ONTOLOGY:
            split[described.get(triple[0], "added")].add(triple)
    return union, split


def rows(report: ValidationReport) -> list[tuple[str, ...]]:
    return sorted(
        (r.focus, r.path, r.shape, r.severity, r.message, r.paragraph or "") for r in report.results
    )


def violations(report: ValidationReport) -> set[tuple[str, str, str]]:
    """What is violated, without the wording (each engine words its own messages)."""
    return {(r.focus, r.path, r.shape) for r in report.violations}


CASES = {**BREAKAGES, "nothing broken": lambda _g: None}


@pytest.mark.parametrize("case", sorted(CASES))
def test_split_and_engines_find_what_the_plain_path_finds(published: Graphs, case: str) -> None:
    union, split = broken(published, CASES[case])
    plain = validate_graph(union, SHAPES, ONTOLOGY)
    assert plain.conforms == (case == "nothing broken"), plain.text()
    by_graph = validate_graphs(split, SHAPES, ONTOLOGY, ShaclEngine.pyshacl)
    assert rows(by_graph) == rows(plain)
    turbo = validate_graphs(copy(split), SHAPES, ONTOLOGY, ShaclEngine.turbo)
    assert violations(turbo) == violations(plain)
    # as the build runs it: each graph also given as the Turtle it is published as
    written = {
        name: graph.serialize(format="turtle", encoding="utf-8") for name, graph in split.items()
    }
    from_text = validate_graphs(split, SHAPES, ONTOLOGY, ShaclEngine.turbo, published=written)
    assert violations(from_text) == violations(plain)
    assert [r.paragraph for r in from_text.violations] == [r.paragraph for r in turbo.violations]
    assert violations(validate_graph(union, SHAPES, ONTOLOGY, ShaclEngine.turbo)) == violations(
        plain
    )


def test_validation_gives_the_graphs_back_unchanged(published: Graphs) -> None:
    graphs = copy(published)
    validate_graphs({"tiny": graphs["tiny"]}, SHAPES, ONTOLOGY)
    assert set(graphs["tiny"]) == set(published["tiny"])


class Calls:
    """Counts engine calls and the triples each was given."""

    def __init__(self) -> None:
        self.sizes: list[int] = []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    seen = Calls()
    engines = dict(validate_units.ENGINES)

    def counting(engine: ShaclEngine) -> Callable[[Graph, Graph, Graph], Graph]:
        def run(data: Graph, shapes: Graph, ontology: Graph) -> Graph:
            seen.sizes.append(len(data))
            return engines[engine](data, shapes, ontology)

        return run

    monkeypatch.setattr(validate_units, "ENGINES", {e: counting(e) for e in engines})
    return seen


def test_a_warm_cache_validates_only_the_changed_graph(
    published: Graphs, tmp_path: Path, calls: Calls
) -> None:
    graphs = copy(published)
    assert validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path).conforms
    assert len(calls.sizes) == 1
    assert validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path).conforms
    assert len(calls.sizes) == 1  # all from the cache
    replace(graphs["tiny"], iri("unit/tiny/main/sec_I__para_1"), POA.text, None)
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path)
    assert not report.conforms
    assert {r.focus for r in report.violations} == {str(iri("unit/tiny/main/sec_I__para_1"))}
    assert len(calls.sizes) == 2
    assert calls.sizes[1] < sum(len(g) for g in graphs.values())  # not the union


def test_a_change_in_another_graph_revalidates_the_nodes_that_read_it(
    published: Graphs, tmp_path: Path
) -> None:
    """The statement's graph is unchanged and cached; its lineage facts live in graph/lineage."""
    graphs = copy(published)
    assert validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path).conforms
    replace(graphs["lineage"], iri(STATEMENT), POA.firstAppearance, None)
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path)
    assert [(r.focus, r.path) for r in report.violations] == [
        (str(iri(STATEMENT)), str(POA.firstAppearance))
    ]


def test_a_type_removed_elsewhere_breaks_the_cached_graphs_that_name_it(
    published: Graphs, tmp_path: Path
) -> None:
    """The statement's graph is unchanged and cached; ``sh:class poa:Actor`` on what it engages
    reads a type kept in graph/vocab-actors."""
    graphs = copy(published)
    assert validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path).conforms
    graphs["vocab-actors"].remove((iri("actor/interpol"), RDF.type, None))
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path)
    assert (str(iri(STATEMENT)), str(POA.engages)) in {(r.focus, r.path) for r in report.results}
    plain = Graph()
    for graph in graphs.values():
        plain += graph
    assert rows(report) == rows(validate_graph(plain + ONTOLOGY, SHAPES, ONTOLOGY))


def test_a_torn_cache_entry_is_validated_again(published: Graphs, tmp_path: Path) -> None:
    graphs = copy(published)
    validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path)
    replace(graphs["tiny"], iri("unit/tiny/main/sec_I__para_1"), POA.text, None)
    validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path)
    for entry in tmp_path.glob("*.json"):
        entry.write_text("[", encoding="utf-8")
    assert not validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path).conforms


def turtle(graphs: Graphs) -> dict[str, bytes]:
    return {
        name: graph.serialize(format="turtle", encoding="utf-8") for name, graph in graphs.items()
    }


def test_the_build_path_revalidates_what_a_change_elsewhere_breaks(
    published: Graphs, tmp_path: Path
) -> None:
    """As ``poa-kg build`` runs the gate: turbo, each graph given as its Turtle, a warm cache.
    A lineage fact removed from graph/lineage, then a type removed from graph/vocab-actors, each
    breaks the unchanged (cached) statement's graph, as on the union."""
    graphs = copy(published)
    gate = {"engine": ShaclEngine.turbo, "cache_dir": tmp_path}
    assert validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate).conforms
    replace(graphs["lineage"], iri(STATEMENT), POA.firstAppearance, None)
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    assert [(r.focus, r.path) for r in report.violations] == [
        (str(iri(STATEMENT)), str(POA.firstAppearance))
    ]
    graphs = copy(published)
    graphs["vocab-actors"].remove((iri("actor/interpol"), RDF.type, None))
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    plain = Graph()
    for graph in graphs.values():
        plain += graph
    expected = validate_graph(plain + ONTOLOGY, SHAPES, ONTOLOGY)
    assert (str(iri(STATEMENT)), str(POA.engages)) in {(f, p) for f, p, _s in violations(report)}
    assert violations(report) == violations(expected)
