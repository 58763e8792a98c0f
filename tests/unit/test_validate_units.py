"""Validation graph by graph (``validate_units``) finds what the plain path finds on the union, with
either engine, and its cache never lets a changed graph, or a change its nodes read, pass."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import DCTERMS, RDF

from poa_kg.config import Settings, ShaclEngine
from poa_kg.ingest import validate_units
from poa_kg.ingest.build import build
from poa_kg.ingest.unit_context import (
    NodeIndex,
    ProbingNodeIndex,
    backward_predicates,
    focus_owners,
    target_predicates,
    unit_context,
)
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
    VOTE,
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

OnTheUnion = Callable[[str], ValidationReport]


@pytest.fixture(scope="module")
def on_the_union(published: Graphs) -> OnTheUnion:
    """The plain path's report (pyshacl on the union) for each case, worked out once: the tests
    below hold the gate to it in several ways."""
    reports: dict[str, ValidationReport] = {}

    def report(case: str) -> ValidationReport:
        if case not in reports:
            union, _split = broken(published, CASES[case])
            reports[case] = validate_graph(union, SHAPES, ONTOLOGY)
        return reports[case]

    return report


@pytest.mark.parametrize("case", sorted(CASES))
def test_split_and_engines_find_what_the_plain_path_finds(
    published: Graphs, on_the_union: OnTheUnion, case: str
) -> None:
    union, split = broken(published, CASES[case])
    plain = on_the_union(case)
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


def test_the_cache_holds_from_one_run_of_the_build_to_the_next(
    published: Graphs, tmp_path: Path, calls: Calls
) -> None:
    """The next ``poa-kg build`` parses the shapes and the ontology again, and rdflib gives their
    blank nodes new labels: the cache keys must not depend on them."""
    graphs = copy(published)
    before = set(SHAPES)
    assert validate_graphs(graphs, SHAPES, ONTOLOGY, cache_dir=tmp_path).conforms
    assert set(SHAPES) == before  # pyshacl adds two axioms to the shapes it is given
    assert len(calls.sizes) == 1
    shapes = Graph().parse(data=SHAPES.serialize(format="turtle"), format="turtle")
    ontology = Graph().parse(data=ONTOLOGY.serialize(format="turtle"), format="turtle")
    assert {o for o in shapes.objects() if isinstance(o, BNode)}.isdisjoint(SHAPES.objects())
    assert validate_graphs(copy(published), shapes, ontology, cache_dir=tmp_path).conforms
    assert len(calls.sizes) == 1  # all from the cache


@pytest.fixture(scope="module")
def conforming_run(published: Graphs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache folder a conforming build left: its results and its record. Each test that
    starts from it gets a copy."""
    folder = tmp_path_factory.mktemp("conforming-run")
    clean = copy(published)
    gate = {"engine": ShaclEngine.turbo, "cache_dir": folder}
    assert validate_graphs(clean, SHAPES, ONTOLOGY, published=turtle(clean), **gate).conforms
    assert list(folder.glob("reach-*.json"))
    return folder


@pytest.mark.parametrize("probed", [validate_units.PROBED_UNITS, 1.0], ids=["default", "probed"])
@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_the_record_of_the_last_run_never_hides_a_violation(
    published: Graphs,
    conforming_run: Path,
    on_the_union: OnTheUnion,
    tmp_path: Path,
    case: str,
    probed: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every breakage made after a conforming run, put back graph by graph: with the record of
    that run (which units a change can reach) and the warm cache, the gate finds what the plain
    path finds on the union; with the contexts found through the eager index, and by probing."""
    monkeypatch.setattr(validate_units, "PROBED_UNITS", probed)
    shutil.copytree(conforming_run, tmp_path, dirs_exist_ok=True)
    gate = {"engine": ShaclEngine.turbo, "cache_dir": tmp_path}
    _union, split = broken(published, BREAKAGES[case])
    report = validate_graphs(split, SHAPES, ONTOLOGY, published=turtle(split), **gate)
    assert violations(report) == violations(on_the_union(case))


def test_the_record_spares_the_contexts_a_change_cannot_reach(
    published: Graphs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to graph/vocab-actors reaches the graphs that name an actor, not the others."""
    found: list[str] = []
    unit_context = validate_units.unit_context

    def counting(name: str, *rest: object) -> object:
        found.append(name)
        return unit_context(name, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_units, "unit_context", counting)
    gate = {"engine": ShaclEngine.turbo, "cache_dir": tmp_path}
    graphs = copy(published)
    validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    assert sorted(found) == sorted(graphs)
    found.clear()
    validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    assert found == []  # nothing changed
    graphs["vocab-actors"].remove((iri("actor/interpol"), RDF.type, None))
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    naming = {n for n, g in graphs.items() if (None, POA.engages, iri("actor/interpol")) in g}
    assert naming and "vocab-actors" in found and naming <= set(found)
    assert set(found) < set(graphs)
    assert (str(iri(STATEMENT)), str(POA.engages)) in {(f, p) for f, p, _s in violations(report)}


def _withdraw_type(graphs: Graphs) -> None:
    graphs["vocab-actors"].remove((iri("actor/interpol"), RDF.type, None))


def _withdraw_lineage(graphs: Graphs) -> None:
    replace(graphs["lineage"], iri(STATEMENT), POA.firstAppearance, None)


def _mismatch_reported(graphs: Graphs, graph: str = "quality") -> None:
    """The vote's stated total differs from its States, and ``graph`` reports it."""
    replace(graphs["tiny-report"], iri(VOTE), POA.statedYes, Literal(5))
    paragraph = graphs["tiny-report"].value(iri(VOTE), POA.recordedIn)
    issue = iri("issue/tiny-report/mismatch-reported")
    reporting = graphs.setdefault(graph, Graph())
    reporting.add((issue, RDF.type, POA.QualityIssue))
    reporting.add((issue, DCTERMS.type, iri("issue-type/vote-mismatch")))
    reporting.add((issue, POA.about, paragraph))


def _withdraw_report(graphs: Graphs) -> None:
    graphs["quality"].remove((iri("issue/tiny-report/mismatch-reported"), None, None))


def _mismatch(graphs: Graphs) -> None:
    replace(graphs["tiny-report"], iri(VOTE), POA.statedYes, Literal(5))


def _report_mismatch(graphs: Graphs) -> None:
    """A graph of its own reports it: nothing but the pointer joins it to the vote's graph."""
    _mismatch_reported(graphs, "reports")


def _first_seen_elsewhere(graphs: Graphs) -> None:
    """graph/lineage says the statement first appeared in a document of another graph."""
    replace(graphs["lineage"], iri(STATEMENT), POA.firstAppearance, iri("document/tiny-resolution"))


def _untype_that_document(graphs: Graphs) -> None:
    graphs["tiny-resolution"].remove((iri("document/tiny-resolution"), RDF.type, None))


ELSEWHERE = {
    # rule 3: a type read on a node the unit points at
    "type withdrawn from graph/vocab-actors": (None, _withdraw_type),
    # rule 1: a fact about the unit's own focus node kept in another graph
    "lineage fact withdrawn from graph/lineage": (None, _withdraw_lineage),
    # rule 2: a node of another graph pointing back at the unit's paragraph, withdrawn or new
    "vote-mismatch report withdrawn from graph/quality": (_mismatch_reported, _withdraw_report),
    "vote-mismatch report added in a new graph": (_mismatch, _report_mismatch),
    # rule 1 then 3: the type of a node a fact kept elsewhere points at
    "type withdrawn from the document graph/lineage names": (
        _first_seen_elsewhere,
        _untype_that_document,
    ),
}


@pytest.mark.parametrize("case", sorted(ELSEWHERE))
def test_the_record_reaches_a_unit_through_each_rule(
    published: Graphs, tmp_path: Path, case: str
) -> None:
    """A change to one graph only, read by another graph's focus nodes through rule 1, 2 or 3:
    the second run, with the record of the first, finds what the plain path finds."""
    before, after = ELSEWHERE[case]
    gate = {"engine": ShaclEngine.turbo, "cache_dir": tmp_path}
    graphs = copy(published)
    if before is not None:
        before(graphs)
    first = validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    after(graphs)
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    union = Graph()
    for graph in graphs.values():
        union += graph
    expected = validate_graph(union + ONTOLOGY, SHAPES, ONTOLOGY)
    assert violations(report) == violations(expected)
    assert violations(report) != violations(first)  # the change reached another graph's nodes


def test_a_graph_removed_after_a_run_reaches_what_read_it(
    published: Graphs, tmp_path: Path
) -> None:
    """graph/vocab-actors gone: the statement that engages an actor no longer finds its type."""
    gate = {"engine": ShaclEngine.turbo, "cache_dir": tmp_path}
    graphs = copy(published)
    assert validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate).conforms
    del graphs["vocab-actors"]
    report = validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    union = Graph()
    for graph in graphs.values():
        union += graph
    assert (str(iri(STATEMENT)), str(POA.engages)) in {(f, p) for f, p, _s in violations(report)}
    assert violations(report) == violations(validate_graph(union + ONTOLOGY, SHAPES, ONTOLOGY))


def test_probing_finds_the_contexts_the_index_finds(published: Graphs) -> None:
    """Both ways of finding a context give every graph the same triples and reached nodes, here
    and after a breakage of each kind that crosses graphs."""
    shapes_backwards = backward_predicates(SHAPES)
    cases = [copy(published)] + [broken(published, BREAKAGES[c])[1] for c in sorted(BREAKAGES)]
    for graphs in cases:
        eager = NodeIndex(graphs, shapes_backwards)
        probing = ProbingNodeIndex(graphs, shapes_backwards)
        owners = focus_owners(eager.readers, target_predicates(SHAPES))
        for name in graphs:
            expected = unit_context(name, owners[name], eager)
            found = unit_context(name, owners[name], probing)
            assert set(found.triples) == set(expected.triples), name
            assert found.reached == expected.reached, name
            for nodes in (eager.subjects[name], eager.objects[name]):
                assert probing.shared_among(nodes) == eager.shared_among(nodes), name
            assert {n: sorted(g) for n, g in probing.where(eager.objects[name]).items()} == {
                n: sorted(g) for n, g in eager.where(eager.objects[name]).items()
            }


def test_the_cache_folder_keeps_what_a_run_uses_and_drops_old_leftovers(
    published: Graphs, tmp_path: Path
) -> None:
    """A run removes the gate's files it did not use once they are ``UNUSED_DAYS`` old, and keeps
    what it used (however old), what is recent, and files that are not the gate's."""
    gate = {"engine": ShaclEngine.turbo, "cache_dir": tmp_path}
    graphs = copy(published)
    validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    used = sorted(p.name for p in tmp_path.iterdir())
    assert any(n.startswith("reach-") for n in used) and any(n.startswith("nodes-") for n in used)
    old = time.time() - (validate_units.UNUSED_DAYS + 1) * 86_400
    for path in tmp_path.iterdir():  # everything it used is old now
        os.utime(path, (old, old))
    stale = ["a" * 64 + ".json", "." + "b" * 64 + ".tmp", "nodes-2-" + "c" * 64 + ".json"]
    for name in [*stale, "d" * 64 + ".json", "notes.txt"]:
        (tmp_path / name).write_text("[]", encoding="utf-8")
    for name in [*stale, "notes.txt"]:
        os.utime(tmp_path / name, (old, old))
    validate_graphs(graphs, SHAPES, ONTOLOGY, published=turtle(graphs), **gate)
    left = {p.name for p in tmp_path.iterdir()}
    assert set(used) <= left  # used again: kept, however old
    assert left.isdisjoint(stale)
    assert {"d" * 64 + ".json", "notes.txt"} <= left  # recent, or not the gate's
