"""Validation by graph: the graphs to publish (name → Graph) + shapes + ontology → one
``ValidationReport``, the same as ``validate_graph`` on their union, without handing the union to
the engine and without checking again a graph whose inputs did not change.

Each graph is a *unit*: the graph, the ontology, and what its nodes' checks read from the other
graphs (its *context*):

1. the triples about its own focus nodes kept elsewhere (those its graph types, or gives a
   predicate a ``sh:targetSubjectsOf`` names: a statement's lineage facts are in graph/lineage);
2. for the predicates the shapes read backwards (``sh:inversePath``) or name in a SPARQL
   constraint, every triple of a node elsewhere that points at one of its nodes this way, with
   that node's own triples (a quality issue ``poa:about`` a paragraph, read by the recorded-vote
   constraint);
3. the ``rdf:type`` of every node it or 1–2 name (what ``sh:class`` looks up, through the
   ontology's subclasses, on a value reached forwards or backwards).

A unit keeps the results of its own focus nodes only, so a node given as context is checked once,
in its own graph. This covers what the shapes of ``shapes/`` read: a path steps past the focus
node only through nodes described in the same graph (the text span and its selectors), a value
node is read for its type only, and the SPARQL constraint reads one node pointing at the focus
node's paragraph. A shape that reads further (a path through a node of another graph, a value
node's properties through ``sh:node``, a query two nodes away) breaks the split: check it on the
union with ``validate_graph``. ``tests/unit/test_validate_units.py`` holds the split to the plain
path on every breaking fixture.

The results of a unit are cached in ``cache_dir`` under the SHA-256 of its graph's N-Triples (or
the bytes it is published as), its context, the shapes, the ontology, the engine and the versions
of the engines' packages: a changed
graph, or a change elsewhere that its nodes read, is validated again; nothing else is.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from poa_kg.config import Settings, ShaclEngine
from poa_kg.ingest.validate import (
    ENGINES,
    ValidationReport,
    ValidationResult,
    load_shapes,
    read_results,
)

_FORMAT = 1
"""Bumped when what a cache entry means changes (the rules above, the result fields)."""
_ENGINE_PACKAGES = ("pyshacl", "pyshacl-turbo", "rdflib")
"""Their versions are part of every cache key: an upgrade validates everything again."""

Triple = tuple[Node, Node, Node]


def validate_published(
    graphs: dict[str, Graph], ontology: Graph, settings: Settings, published: dict[str, bytes]
) -> ValidationReport:
    """The gate as ``poa-kg build`` and ``poa-kg validate`` run it: the settings' shapes, engine
    and cache, over the graphs about to be published (``published``: their Turtle bytes)."""
    return validate_graphs(
        graphs,
        load_shapes(settings.shapes_dir),
        ontology,
        settings.shacl_engine,
        settings.shacl_cache_dir,
        published,
    )


def validate_graphs(
    graphs: dict[str, Graph],
    shapes: Graph,
    ontology: Graph,
    engine: ShaclEngine = ShaclEngine.pyshacl,
    cache_dir: Path | None = None,
    published: dict[str, bytes] | None = None,
) -> ValidationReport:
    """Validate each graph with its context; reuse a cached result when nothing it reads changed.

    ``published``: the bytes a graph is written as (hashed instead of its N-Triples: cheaper,
    and a blank-node label that changes only costs a cache miss). The graphs not found in the
    cache are validated together, in batches of about ``BATCH_TRIPLES`` (each focus node reads
    only its own unit, so a batch gives each the result its unit alone gives).
    """
    index = _Index(graphs)
    backwards = _backward_predicates(shapes)
    owners = _owners(graphs, _target_predicates(shapes))
    versions = [f"{name} {version(name)}" for name in _ENGINE_PACKAGES]
    inputs = [_graph_digest(shapes), _graph_digest(ontology)]
    common = _digest([f"format {_FORMAT}", f"engine {engine}", *versions, *inputs])
    results: list[ValidationResult] = []
    missed: list[tuple[str, str, list[Triple]]] = []
    for name in sorted(graphs):
        context = _context(name, owners[name], index, backwards)
        written = published.get(name) if published else None
        key = _digest(
            [
                common,
                hashlib.sha256(written).hexdigest() if written else _graph_digest(graphs[name]),
                _triples_digest(context),
            ]
        )
        cached = _read(cache_dir, key)
        if cached is None:
            missed.append((name, key, context))
        else:
            results += cached
    for batch in _batches(missed, graphs):
        found = _validate_batch(
            [(graphs[name], context) for name, _key, context in batch], shapes, ontology, engine
        )
        for name, key, _context_triples in batch:
            own = {str(node) for node in owners[name]}
            mine = [r for r in found if r.focus in own]
            _write(cache_dir, key, mine)
            results += mine
    results.sort(key=lambda r: (r.severity, r.focus, r.path, r.message))
    return ValidationReport(results)


BATCH_TRIPLES = 300_000
"""About how many triples one engine call is given when many graphs miss the cache."""


def _batches(
    missed: list[tuple[str, str, list[Triple]]], graphs: dict[str, Graph]
) -> list[list[tuple[str, str, list[Triple]]]]:
    batches: list[list[tuple[str, str, list[Triple]]]] = []
    size = 0
    for unit in missed:
        if not batches or size >= BATCH_TRIPLES:
            batches.append([])
            size = 0
        batches[-1].append(unit)
        size += len(graphs[unit[0]]) + len(unit[2])
    return batches


def _validate_batch(
    units: list[tuple[Graph, list[Triple]]],
    shapes: Graph,
    ontology: Graph,
    engine: ShaclEngine,
) -> list[ValidationResult]:
    """One engine call over several units (each graph with its context) and the ontology."""
    if len(units) == 1:
        return _validate_lent(*units[0], shapes, ontology, engine)
    data = Graph()
    for graph, context in units:
        data += graph
        data.addN((s, p, o, data) for s, p, o in context)
    data += ontology
    report = ENGINES[engine](data, shapes, ontology)
    return read_results(report, data, shapes)


def _validate_lent(
    graph: Graph, context: list[Triple], shapes: Graph, ontology: Graph, engine: ShaclEngine
) -> list[ValidationResult]:
    """One unit: its graph is lent to the engine with the context and the ontology added, and
    given back as it was (copying a large graph costs more than validating it: rdflib adds a
    triple in about 10 µs)."""
    lent = [t for t in (*context, *ontology) if t not in graph]
    for triple in lent:
        graph.add(triple)
    try:
        report = ENGINES[engine](graph, shapes, ontology)
        return read_results(report, graph, shapes)
    finally:
        for triple in lent:
            graph.remove(triple)


def _owners(graphs: dict[str, Graph], target_predicates: set[Node]) -> dict[str, set[Node]]:
    """Per graph, the focus nodes whose results it keeps: those it types, or gives a predicate
    ``sh:targetSubjectsOf`` names; a node typed in two graphs belongs to the first by name."""
    taken: set[Node] = set()
    owners: dict[str, set[Node]] = {}
    for name in sorted(graphs):
        own = _own_focus_nodes(graphs[name], target_predicates) - taken
        owners[name] = own
        taken |= own
    return owners


def _own_focus_nodes(graph: Graph, target_predicates: set[Node]) -> set[Node]:
    """The nodes this graph types, and the subjects of the predicates ``sh:targetSubjectsOf``
    names: the focus nodes whose results this unit keeps."""
    own: set[Node] = set(graph.subjects(RDF.type, None, unique=True))
    for predicate in target_predicates:
        own.update(graph.subjects(predicate, None, unique=True))
    return own


class _Index:
    """Per graph: its subjects and the nodes it points at."""

    def __init__(self, graphs: dict[str, Graph]) -> None:
        self.graphs = graphs
        self.subjects: dict[str, set[Node]] = {}
        self.objects: dict[str, set[Node]] = {}
        for name, graph in graphs.items():
            self.subjects[name], self.objects[name] = _nodes(graph)


def _nodes(graph: Graph) -> tuple[set[Node], set[Node]]:
    """The subjects of ``graph`` and the IRIs and blank nodes it points at. From the keys of
    rdflib's in-memory indexes when the graph has its store to itself (a pass over every triple
    takes 1.3 s on the real graph, the keys 0.1 s; a key can outlive its last triple, which only
    widens a context), else from the triples."""
    store = graph.store
    spo = getattr(store, "_Memory__spo", None)
    osp = getattr(store, "_Memory__osp", None)
    if isinstance(store, Memory) and not graph.context_aware and spo is not None and osp:
        objects: set[Node] = {o for o in osp if isinstance(o, URIRef | BNode)}
        return set(spo), objects
    subjects: set[Node] = set()
    pointed: set[Node] = set()
    for s, _p, o in graph:
        subjects.add(s)
        if isinstance(o, URIRef | BNode):
            pointed.add(o)
    return subjects, pointed


def _context(name: str, own: set[Node], index: _Index, backwards: set[Node]) -> list[Triple]:
    """What the checks of ``name``'s focus nodes ``own`` read from the other graphs (rules 1–3
    above)."""
    own_subjects = index.subjects[name]
    found: set[Triple] = set()
    pointed = index.objects[name] | own_subjects
    others = [other for other in index.graphs if other != name]
    for other in others:
        graph = index.graphs[other]
        for node in own & index.subjects[other]:  # rule 1
            for triple in graph.triples((node, None, None)):
                found.add(triple)
                pointed.add(triple[2])
        for node in own_subjects & index.objects[other]:  # rule 2
            for predicate in backwards:
                for subject in graph.subjects(predicate, node):
                    for triple in graph.triples((subject, None, None)):
                        found.add(triple)
                        pointed.update((triple[0], triple[2]))
    for other in others:  # rule 3
        graph = index.graphs[other]
        for node in pointed & index.subjects[other]:
            found.update(graph.triples((node, RDF.type, None)))
    return list(found)


_PREFIXED = re.compile(r"\b([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")


def _backward_predicates(shapes: Graph) -> set[Node]:
    """Predicates the shapes follow from object to subject: ``sh:inversePath`` steps, and the
    prefixed names of SPARQL constraints (over-approximated: any name there)."""
    found: set[Node] = set(shapes.objects(None, SH.inversePath))
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    for query in shapes.objects(None, SH.select):
        for prefix, local in _PREFIXED.findall(str(query)):
            if prefix in prefixes:
                found.add(URIRef(prefixes[prefix] + local))
        found.update(URIRef(iri) for iri in re.findall(r"<([^<>\s]+)>", str(query)))
    return found


def _target_predicates(shapes: Graph) -> set[Node]:
    return set(shapes.objects(None, SH.targetSubjectsOf))


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _triples_digest(triples: Iterable[Triple]) -> str:
    """Order-independent: each triple's N-Triples line, sorted."""
    return _digest(sorted(" ".join(term.n3() for term in triple) for triple in triples))


def _graph_digest(graph: Graph) -> str:
    return _triples_digest(graph)


def _read(cache_dir: Path | None, key: str) -> list[ValidationResult] | None:
    if cache_dir is None:
        return None
    path = cache_dir / f"{key}.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # a torn or foreign file: validate again, never trust it
        return None
    return [ValidationResult(**row) for row in rows]


def _write(cache_dir: Path | None, key: str, results: list[ValidationResult]) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = cache_dir / f".{key}.tmp"
    staging.write_text(json.dumps([asdict(r) for r in results]), encoding="utf-8")
    staging.replace(cache_dir / f"{key}.json")
