"""Exports: every projection in both formats is valid (GEXF against the RELAX NG grammar and the
patched XSD, tests/data/gexf-1.3), reads back with the same nodes, edges, labels and typed values
in two readers (networkx and graphology-gexf for GEXF; networkx for GraphML), follows the rules
Gephi imposes, and answers what a user would check in it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree
from pyoxigraph import NamedNode, Store

from poa_kg import export
from poa_kg.config import ROOT
from poa_kg.export.gexf import RESERVED
from poa_kg.serve.store import open_store, publish_store

SCHEMAS = ROOT / "tests" / "data" / "gexf-1.3"
GEXF = "{http://gexf.net/1.3}"
ID = "https://w3id.org/poa-kg/id/"
PROJECTIONS = sorted(export.QUERIES)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    version = publish_store(
        ROOT / "data" / "turtle",
        tmp_path_factory.mktemp("export") / "store",
        ROOT / "ontology" / "poa.ttl",
    )
    return open_store(version, memory_quads=10**9)


@pytest.fixture(scope="module")
def graphs(store: Store) -> dict[str, nx.Graph]:
    return {
        name: export.build(name, export.rows_in_process(store, name, {}, "x:"))
        for name in PROJECTIONS
    }


@pytest.fixture(scope="module")
def files(graphs: dict[str, nx.Graph], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("files")
    for name, graph in graphs.items():
        for fmt in export.FORMATS.values():
            with (folder / f"{name}{fmt.suffix}").open("wb") as out:
                for chunk in fmt.write(graph):
                    out.write(chunk)
    return folder


@pytest.fixture(scope="module")
def grammars() -> tuple[etree.RelaxNG, etree.XMLSchema]:
    return (
        etree.RelaxNG(etree.parse(str(SCHEMAS / "gexf.rng"))),
        etree.XMLSchema(etree.parse(str(SCHEMAS / "xsd-patched" / "gexf.xsd"))),
    )


def _ask(store: Store, query: str) -> list[dict[str, str]]:
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [
        {name: row[name].value for name in names if row[name] is not None}
        for row in result  # type: ignore[union-attr]
    ]


# ---------------------------------------------------------------------- files


@pytest.mark.parametrize("name", PROJECTIONS)
def test_gexf_is_valid_against_both_grammars(
    name: str, files: Path, grammars: tuple[etree.RelaxNG, etree.XMLSchema]
) -> None:
    document = etree.parse(str(files / f"{name}.gexf"))
    assert document.getroot().tag == f"{GEXF}gexf"
    assert document.getroot().get("version") == "1.3"
    for grammar in grammars:
        assert grammar.validate(document), [f"{e.line}: {e.message}" for e in grammar.error_log]


def test_grammars_reject_what_gephi_gets_wrong(
    grammars: tuple[etree.RelaxNG, etree.XMLSchema],
) -> None:
    """The checks are not vacuous: the schema examples written to fail do fail."""
    rng, _xsd = grammars
    for invalid in sorted((SCHEMAS / "examples").glob("invalid-*.gexf")):
        assert not rng.validate(etree.parse(str(invalid))), invalid.name


@pytest.mark.parametrize("name", PROJECTIONS)
def test_gexf_follows_what_gephi_needs(name: str, files: Path) -> None:
    root = etree.parse(str(files / f"{name}.gexf")).getroot()
    assert not any("schemaLocation" in key for key in root.attrib)
    graph = root.find(f"{GEXF}graph")
    assert graph is not None
    declared: dict[tuple[str, str], str] = {}
    blocks = Counter(a.get("class") for a in graph.iter(f"{GEXF}attributes"))
    assert all(count == 1 for count in blocks.values())  # graphology keeps only the last block
    for block in graph.iter(f"{GEXF}attributes"):
        for attribute in block.iter(f"{GEXF}attribute"):
            assert attribute.get("id") not in RESERVED
            assert attribute.get("type") != "anyURI"
            declared[str(block.get("class")), str(attribute.get("id"))] = str(attribute.get("type"))
    nodes = {n.get("id") for n in graph.iter(f"{GEXF}node")}
    assert len(nodes) == len(list(graph.iter(f"{GEXF}node")))  # no duplicate ids
    seen_edges = set()
    for edge in graph.iter(f"{GEXF}edge"):
        assert edge.get("source") in nodes and edge.get("target") in nodes
        assert edge.get("kind"), "Gephi merges parallel edges of one kind: every edge has one"
        key = (edge.get("source"), edge.get("target"), edge.get("kind"))
        assert key not in seen_edges, key
        seen_edges.add(key)
    for element, cls in ((f"{GEXF}node", "node"), (f"{GEXF}edge", "edge")):
        for item in graph.iter(element):
            for value in item.iter(f"{GEXF}attvalue"):
                kind = declared[cls, str(value.get("for"))]  # KeyError: undeclared attribute
                text = str(value.get("value"))
                if kind == "integer":
                    int(text)
                elif kind == "double":
                    float(text)
                elif kind == "boolean":
                    assert text in ("true", "false")
    if name in ("timeline", "lineage"):
        assert graph.get("mode") == "dynamic"
        assert graph.get("timeformat") == "date" and graph.get("timezone") == "UTC"


def _graphology(path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is installed by the bootstrap (scripts/bootstrap.sh)"
    done = subprocess.run(  # noqa: S603 - our own script on our own file
        [node, str(ROOT / "tests" / "js" / "read-gexf.mjs"), str(path)],
        capture_output=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("name", PROJECTIONS)
def test_gexf_reads_back_in_networkx_and_graphology(
    name: str, files: Path, graphs: dict[str, nx.Graph]
) -> None:
    graph = graphs[name]
    path = files / f"{name}.gexf"
    read = nx.read_gexf(path)
    assert read.number_of_nodes() == graph.number_of_nodes() > 0
    assert read.number_of_edges() == graph.number_of_edges() > 0
    js = _graphology(path)
    assert js["order"] == graph.number_of_nodes()
    assert js["size"] == graph.number_of_edges()
    assert js["type"] == ("directed" if graph.is_directed() else "undirected")
    for node, data in graph.nodes(data=True):
        assert read.nodes[node]["label"] == data["label"] == js["nodes"][node]["label"]
        for key, value in data.items():
            if key in ("label", "size", "start", "end"):
                continue
            # typed: an integer comes back as an integer, a string as a string, in both readers
            assert read.nodes[node][key] == value, (node, key)
            assert js["nodes"][node][key] == value, (node, key)
        assert js["nodes"][node]["size"] == pytest.approx(data["size"])


@pytest.mark.parametrize("name", PROJECTIONS)
def test_graphml_reads_back_with_typed_keys(
    name: str, files: Path, graphs: dict[str, nx.Graph]
) -> None:
    graph = graphs[name]
    read = nx.read_graphml(files / f"{name}.graphml")
    assert read.number_of_nodes() == graph.number_of_nodes()
    assert read.number_of_edges() == graph.number_of_edges()
    for node, data in graph.nodes(data=True):
        assert read.nodes[node] == {k: v for k, v in data.items() if v is not None}
    keys = etree.parse(str(files / f"{name}.graphml")).getroot()
    types = {k.get("attr.name"): k.get("attr.type") for k in keys.iter("{*}key")}
    assert types["label"] == "string" and types["iri"] == "string"
    if "commitments" in types:
        assert types["commitments"] in ("int", "long")


def test_dynamic_gexf_keeps_the_dates(files: Path, graphs: dict[str, nx.Graph]) -> None:
    read = nx.read_gexf(files / "timeline.gexf")
    assert read.graph["mode"] == "dynamic"
    for node, data in graphs["timeline"].nodes(data=True):
        if "start" in data:
            assert read.nodes[node]["start"] == data["start"]


# ---------------------------------------------------------------------- what users check


def test_actor_instrument_weight_is_the_number_of_commitments_naming_both(
    store: Store, graphs: dict[str, nx.Graph]
) -> None:
    counted = _ask(
        store,
        f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{
          ?c <https://w3id.org/poa-kg/ont#engages> <{ID}actor/interpol> ;
             <https://w3id.org/poa-kg/ont#citesInstrument> <{ID}instrument/iti> ;
             a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/poa-kg/ont#Commitment> }}""",
    )
    expected = int(counted[0]["n"])
    assert expected > 0
    edge = graphs["actor-instrument"].edges["actor/interpol", "instrument/iti"]
    assert edge["weight"] == float(expected) and edge["commitments"] == expected


def test_states_that_voted_alike_every_time_have_agreement_one(
    store: Store, graphs: dict[str, nx.Graph]
) -> None:
    rows = _ask(
        store,
        """SELECT ?state ?vote ?option WHERE {
          ?p <http://www.w3.org/ns/opengov#voteEvent> ?vote ;
             <http://www.w3.org/ns/opengov#voter> ?state ; <http://www.w3.org/ns/opengov#option> ?option }""",
    )
    records: dict[str, dict[str, str]] = {}
    for row in rows:
        records.setdefault(row["state"].removeprefix(ID), {})[row["vote"]] = row["option"]
    by_record: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for state, record in records.items():
        by_record.setdefault(tuple(sorted(record.items())), []).append(state)
    twins = next(states for states in by_record.values() if len(states) > 1)
    votes = graphs["votes"]
    assert votes.edges[twins[0], twins[1]]["weight"] == 1.0
    # every pair's weight is the share of the votes both took in which they voted alike
    checked = 0
    for first in sorted(records)[:12]:
        for second in sorted(records)[:12]:
            if first >= second:
                continue
            shared = records[first].keys() & records[second].keys()
            alike = sum(records[first][v] == records[second][v] for v in shared)
            if alike:
                assert votes.edges[first, second]["weight"] == pytest.approx(alike / len(shared))
                checked += 1
            else:
                assert not votes.has_edge(first, second)
    assert checked > 10
    assert min(w for *_e, w in votes.edges(data="weight")) < 1.0
    # each State's positions are attributes: as many vote columns as recorded votes
    columns = [k for k in votes.nodes[twins[0]] if k.startswith("vote_")]
    assert len(columns) == len({row["vote"] for row in rows})


def test_entities_link_every_commitment_to_its_document_and_what_it_names(
    store: Store, graphs: dict[str, nx.Graph]
) -> None:
    graph = graphs["entities"]
    commitments = [n for n, d in graph.nodes(data=True) if d["node_type"] == "Commitment"]
    total = _ask(
        store,
        """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ?k .
           ?k <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/poa-kg/ont#Commitment> }""",
    )
    assert len(commitments) == int(total[0]["n"])
    for node in commitments:
        kinds = {k for _s, _t, k in graph.out_edges(node, keys=True)}
        assert "in document" in kinds
    engaging = {s for s, t, k in graph.in_edges("actor/interpol", keys=True) if k == "engages"}
    assert engaging and all(graph.nodes[s]["node_type"] == "Commitment" for s in engaging)
    assert graph.nodes["actor/interpol"]["commitments"] == len(engaging)


def test_commitment_theme_is_bipartite(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["commitment-theme"]
    for source, target in graph.edges():
        assert graph.nodes[source]["node_type"] == "Commitment"
        assert graph.nodes[target]["node_type"] == "Theme"


def test_timeline_plays_from_2001_in_meeting_order(graphs: dict[str, nx.Graph]) -> None:
    graph = graphs["timeline"]
    meetings = [d for _n, d in graph.nodes(data=True) if d["node_type"] == "Meeting"]
    assert min(d["start"] for d in meetings if "start" in d).startswith("2001")
    chain = [(s, t) for s, t, k in graph.edges(keys=True) if k == "followed by"]
    for source, target in chain:
        assert graph.nodes[source]["start"] <= graph.nodes[target]["start"]
    for node, data in graph.nodes(data=True):
        if data["node_type"] == "Commitment":
            meeting = next(t for _s, t, k in graph.out_edges(node, keys=True) if k == "adopted at")
            assert data["start"] == graph.nodes[meeting]["start"]


@pytest.mark.parametrize(
    ("filters", "expected_document"),
    [
        ({"forMeeting": f"{ID}meeting/bms8"}, "bms8-2022-draft"),
        ({"forDocument": f"{ID}document/revcon3-2018"}, "revcon3-2018"),
    ],
)
def test_filters_narrow_an_export(
    store: Store, filters: dict[str, str], expected_document: str
) -> None:
    terms = {k: NamedNode(v) for k, v in filters.items()}
    graph = export.build("entities", export.rows_in_process(store, "entities", terms, "x:"))
    documents = {d["document"] for _n, d in graph.nodes(data=True) if "document" in d}
    assert documents == {expected_document}


def test_theme_filter_keeps_only_commitments_of_that_theme(store: Store) -> None:
    theme = NamedNode(f"{ID}theme/tracing")
    graph = export.build(
        "commitment-theme",
        export.rows_in_process(store, "commitment-theme", {"theme": theme}, "x:"),
    )
    commitments = [n for n, d in graph.nodes(data=True) if d["node_type"] == "Commitment"]
    assert commitments
    assert all(graph.has_edge(c, "theme/tracing") for c in commitments)


def test_unknown_projection_and_filter_are_refused(store: Store) -> None:
    with pytest.raises(export.UnknownProjection, match="choose one of"):
        export.rows_in_process(store, "everything", {}, "x:")
    with pytest.raises(export.UnknownProjection, match="cannot be narrowed by theme"):
        export.rows_in_process(store, "votes", {"theme": NamedNode(f"{ID}theme/tracing")}, "x:")
    with pytest.raises(export.UnknownFormat, match="gexf, graphml"):
        export.export_format("svg")


def _chunks(graph: nx.Graph) -> Iterator[bytes]:
    return export.FORMATS["gexf"].write(graph)


def test_writer_streams_in_chunks(graphs: dict[str, nx.Graph]) -> None:
    chunks = list(_chunks(graphs["votes"]))
    assert len(chunks) > 1 and all(len(c) < 2 * 65536 + 4096 for c in chunks)


def test_lineage_edges_run_from_earlier_versions_with_confidence(
    store: Store, graphs: dict[str, nx.Graph], files: Path
) -> None:
    graph = graphs["lineage"]
    edge = graph.edges[
        "statement/revcon3-2018/annex/sec_II__para_8",
        "statement/bms8-2022-draft/main/para_48",
        "restated",
    ]
    assert edge["weight"] >= 0.9 and edge["strength_change"] == 0 and edge["rank"] == 1
    links = _ask(
        store,
        """SELECT (COUNT(*) AS ?n) WHERE {
          ?s <http://www.w3.org/ns/prov#qualifiedInfluence>/<http://www.w3.org/ns/prov#entity> ?p }""",
    )
    assert graph.number_of_edges() == int(links[0]["n"])
    kinds = {k for *_e, k in graph.edges(keys=True)}
    assert kinds <= {"restated", "revised", "realised", "merged", "split"}
    assert {"restated", "revised", "realised"} <= kinds
    # the series over twenty years, dynamic: a version lives until a later one carries it on
    years = {data["year"] for _n, data in graph.nodes(data=True)}
    assert min(years) == 2002 and max(years) == 2022
    assert graph.graph["mode"] == "dynamic"
    for source, target, data in graph.edges(data=True):
        assert graph.nodes[source]["start"] <= data["start"] == graph.nodes[target]["start"]
        assert graph.nodes[source]["end"] >= data["start"]
    root = etree.parse(str(files / "lineage.gexf")).getroot()
    assert root.find(f"{GEXF}graph").get("mode") == "dynamic"  # type: ignore[union-attr]
    ended = [n for n in root.iter(f"{GEXF}node") if n.get("end")]
    assert ended and all(n.get("start") <= n.get("end") for n in ended)  # type: ignore[operator]
