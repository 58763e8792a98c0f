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

With pyshacl-turbo a batch of units goes to the engine as N-Triples text (each graph parsed
from its published Turtle and written again by pyoxigraph, its context and the ontology by
rdflib), never as rdflib graphs, with the list of the units' own focus nodes.

The results of a unit are cached in ``cache_dir`` under the SHA-256 of its graph's N-Triples (or
the bytes it is published as), its context, the shapes, the ontology, the engine and the versions
of the engines' packages: a changed
graph, or a change elsewhere that its nodes read, is validated again; nothing else is.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, SH
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from poa_kg.config import Settings, ShaclEngine
from poa_kg.ingest.validate import (
    ENGINES,
    ValidationReport,
    ValidationResult,
    compile_turbo_shapes,
    load_shapes,
    read_results,
    turbo_ntriples,
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
    and a blank-node label that changes only costs a cache miss; pyshacl-turbo reads the graph
    from them). The graphs not found in the cache are validated together, in batches of about
    ``BATCH_TRIPLES`` (``TURBO_BATCH_TRIPLES`` with pyshacl-turbo, whose batches run on one
    thread per core), each focus node reading only its own unit, so a batch gives each the
    result its unit alone gives. pyshacl-turbo checks only the units' own focus nodes;
    pyshacl checks every node and the results of the others are dropped.
    """
    with _collector_paused():
        return _validate_graphs(graphs, shapes, ontology, engine, cache_dir, published)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the gate runs: the gate allocates millions of small
    objects and creates no cycles, and each full collection walks every rdflib term of every
    graph (at 1.5M triples the bookkeeping of a warm run took 2.6 s with it, 1.7 s without)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validate_graphs(
    graphs: dict[str, Graph],
    shapes: Graph,
    ontology: Graph,
    engine: ShaclEngine,
    cache_dir: Path | None,
    published: dict[str, bytes] | None,
) -> ValidationReport:
    index = _Index(graphs, _backward_predicates(shapes))
    owners = _owners(index.readers, _target_predicates(shapes))
    versions = [f"{name} {version(name)}" for name in _ENGINE_PACKAGES]
    inputs = [_graph_digest(shapes), _graph_digest(ontology)]
    common = _digest([f"format {_FORMAT}", f"engine {engine}", *versions, *inputs])
    results: list[ValidationResult] = []
    missed: list[tuple[str, str, list[Triple]]] = []
    for name in sorted(graphs):
        context = _context(name, owners[name], index)
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
    compiled = compile_turbo_shapes(shapes) if engine is ShaclEngine.turbo and missed else None
    ontology_text = ontology.serialize(format="nt", encoding="utf-8") if compiled else b""
    batches = _batches(missed, graphs, TURBO_BATCH_TRIPLES if compiled else BATCH_TRIPLES)

    def validate_batch(batch: list[tuple[str, str, list[Triple]]]) -> list[ValidationResult]:
        units = [(graphs[name], context) for name, _key, context in batch]
        if compiled is None:
            return _validate_batch(units, shapes, ontology, engine)
        texts = [_turtle_if_plain(name, published, index) for name, _k, _c in batch]
        focus = _focus_list(set().union(*(owners[name] for name, _k, _c in batch)), shapes)
        parallel = cores if len(batches) == 1 else 1
        return _validate_text(units, texts, shapes, compiled, ontology_text, focus, parallel)

    # pyshacl-turbo validates outside the GIL: one batch per core; pyshacl holds it throughout
    cores = os.cpu_count() or 1
    threads = min(len(batches), cores) if compiled else 1
    with ThreadPoolExecutor(max_workers=max(threads, 1)) as pool:
        for batch, found in zip(batches, pool.map(validate_batch, batches), strict=True):
            for name, key, _context_triples in batch:
                own = {str(node) for node in owners[name]}
                mine = [r for r in found if r.focus in own]
                _write(cache_dir, key, mine)
                results += mine
    results.sort(key=lambda r: (r.severity, r.focus, r.path, r.message))
    return ValidationReport(results)


BATCH_TRIPLES = 300_000
"""About how many triples one engine call is given when many graphs miss the cache."""
TURBO_BATCH_TRIPLES = 60_000
"""The same for pyshacl-turbo's text input: its time per triple grows with the data it holds
(2.9 µs at 40k triples, 10 µs at 640k, measured), so smaller calls are faster."""


def _batches(
    missed: list[tuple[str, str, list[Triple]]], graphs: dict[str, Graph], limit: int
) -> list[list[tuple[str, str, list[Triple]]]]:
    batches: list[list[tuple[str, str, list[Triple]]]] = []
    size = 0
    for unit in missed:
        if not batches or size >= limit:
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


def _validate_text(
    units: list[tuple[Graph, list[Triple]]],
    written: list[bytes | None],
    shapes: Graph,
    compiled: object,
    ontology_text: bytes,
    focus: list[URIRef] | None,
    parallel: int = 1,
) -> list[ValidationResult]:
    """One pyshacl-turbo call over several units given as N-Triples text: each graph from the
    Turtle it is published as when there is one (parsed and written again by pyoxigraph, 20×
    faster than rdflib), its context, and the ontology. The report is read against the graphs
    themselves (the paragraph of a focus node). ``focus``: the units' own focus nodes, the only
    ones checked (a node lent as context is checked in its own unit), or None to check all.
    ``parallel``: calls over the same text, each checking a share of ``focus`` (a lone changed
    document is then checked on every core)."""
    parts = [ontology_text]
    context_graph = Graph()
    for (graph, context), turtle in zip(units, written, strict=True):
        parts.append(_ntriples(graph, turtle))
        context_graph.addN((s, p, o, context_graph) for s, p, o in context)
    parts.append(context_graph.serialize(format="nt", encoding="utf-8"))
    text = b"".join(parts).decode("utf-8")
    data = ReadOnlyGraphAggregate([graph for graph, _context in units] + [context_graph])
    if focus is None or parallel < 2 or len(focus) < 2 * parallel:
        return read_results(turbo_ntriples(text, compiled, focus), data, shapes)
    shares = [focus[start::parallel] for start in range(parallel)]
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        reports = list(pool.map(lambda share: turbo_ntriples(text, compiled, share), shares))
    return [result for report in reports for result in read_results(report, data, shapes)]


def _focus_list(own: set[Node], shapes: Graph) -> list[URIRef] | None:
    """``own`` as the engine's focus list, or None (check every node, keep the results of
    ``own``) when a node is blank or its IRI could read as a prefixed name of the shapes."""
    prefixes = {prefix for prefix, _namespace in shapes.namespaces()}
    if not own or any(
        not isinstance(node, URIRef) or node.partition(":")[0] in prefixes for node in own
    ):
        return None
    return sorted(own)  # type: ignore[arg-type]


def _turtle_if_plain(name: str, published: dict[str, bytes] | None, index: _Index) -> bytes | None:
    """The Turtle ``name`` is published as, if it has no blank nodes: their labels must stay
    rdflib's, which the results name and the owners are compared by."""
    nodes = index.subjects[name] | index.objects[name]
    if published is None or any(isinstance(node, BNode) for node in nodes):
        return None
    return published.get(name)


def _ntriples(graph: Graph, turtle: bytes | None) -> bytes:
    """``graph`` as N-Triples: from its published Turtle if given, else from rdflib."""
    if turtle is None:
        return graph.serialize(format="nt", encoding="utf-8")
    parsed = pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE)
    return pyoxigraph.serialize(parsed, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def _owners(readers: dict[str, _Reader], target_predicates: set[Node]) -> dict[str, set[Node]]:
    """Per graph, the focus nodes whose results it keeps: those it types, or gives a predicate
    ``sh:targetSubjectsOf`` names; a node typed in two graphs belongs to the first by name."""
    taken: set[Node] = set()
    owners: dict[str, set[Node]] = {}
    for name in sorted(readers):
        own: set[Node] = set()
        for predicate in (RDF.type, *target_predicates):
            for subjects in readers[name].by_predicate(predicate).values():
                own.update(subjects)
        owners[name] = own - taken
        taken |= owners[name]
    return owners


class _Reader:
    """One graph's triples by subject and by predicate and object: from rdflib's in-memory
    indexes when the graph has its store to itself (``Graph.triples`` also looks up each triple's
    contexts: 5× slower, most of the gate's time at a million triples, profiled), else through
    the ``Graph`` API."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        store = graph.store
        alone = isinstance(store, Memory) and not graph.context_aware
        alone = alone and sum(1 for _context in store.contexts()) <= 1
        self.spo: dict[Node, dict[Node, dict[Node, int]]] | None = (
            getattr(store, "_Memory__spo", None) if alone else None
        )
        self.pos: dict[Node, dict[Node, dict[Node, int]]] | None = (
            getattr(store, "_Memory__pos", None) if alone else None
        )
        self.osp: dict[Node, dict[Node, dict[Node, int]]] | None = (
            getattr(store, "_Memory__osp", None) if alone else None
        )

    def about(self, node: Node) -> list[Triple]:
        if self.spo is None:
            return list(self.graph.triples((node, None, None)))
        return [(node, p, o) for p, objects in self.spo.get(node, {}).items() for o in objects]

    def types(self, node: Node) -> list[Triple]:
        if self.spo is None:
            return list(self.graph.triples((node, RDF.type, None)))
        return [(node, RDF.type, o) for o in self.spo.get(node, {}).get(RDF.type, ())]

    def by_predicate(self, predicate: Node) -> Mapping[Node, Iterable[Node]]:
        """Object → subjects, for one predicate (rdflib's own index: read, never change it)."""
        if self.pos is None:
            found: dict[Node, list[Node]] = {}
            for s, _p, o in self.graph.triples((None, predicate, None)):
                found.setdefault(o, []).append(s)
            return found
        return self.pos.get(predicate, {})

    def nodes(self) -> tuple[set[Node], set[Node]]:
        """The subjects, and the IRIs and blank nodes pointed at (from the index keys: a key can
        outlive its last triple, which only widens a context). Literals are left out by type:
        hashing one runs Python code, an IRI's is ``str``'s."""
        if self.spo is None or self.osp is None:
            subjects: set[Node] = set()
            objects: set[Node] = set()
            for s, _p, o in self.graph:
                subjects.add(s)
                if type(o) is not Literal:
                    objects.add(o)
            return subjects, objects
        return set(self.spo), {o for o in self.osp if type(o) is not Literal}


class _Index:
    """Per graph, its subjects and the nodes it points at; per node, where it is described and
    where a predicate the shapes read backwards points at it. Built with set operations, so a
    graph's context costs what it finds, not a pass over every graph (at a million triples a
    Python loop over every node costs seconds)."""

    def __init__(self, graphs: dict[str, Graph], backwards: set[Node]) -> None:
        self.readers = {name: _Reader(graph) for name, graph in graphs.items()}
        self.subjects: dict[str, set[Node]] = {}
        self.objects: dict[str, set[Node]] = {}
        self.home: dict[Node, str] = {}
        """A graph that describes the node (the last by name)."""
        self.shared: dict[Node, list[str]] = {}
        """Every graph that describes it, for the nodes described in more than one."""
        self.pointed_back: dict[Node, list[tuple[str, Node]]] = {}
        """(graph, subject) of each triple of a backward predicate that points at the node."""
        seen: set[Node] = set()
        repeated: set[Node] = set()
        for name in sorted(graphs):
            subjects, objects = self.readers[name].nodes()
            self.subjects[name], self.objects[name] = subjects, objects
            repeated |= subjects & seen
            seen |= subjects
            self.home.update(dict.fromkeys(subjects, name))
        for name in sorted(graphs):
            for node in self.subjects[name] & repeated:
                self.shared.setdefault(node, []).append(name)
        for name in sorted(graphs):
            # a node only this graph describes is read backwards by no other graph's unit
            alone = self.subjects[name] - repeated
            for predicate in backwards:
                pointing = self.readers[name].by_predicate(predicate)
                for node in pointing.keys() - alone:
                    self.pointed_back.setdefault(node, []).extend((name, s) for s in pointing[node])

    def described_in(self, node: Node) -> list[str]:
        shared = self.shared.get(node)
        if shared is not None:
            return shared
        home = self.home.get(node)
        return [home] if home is not None else []


def _context(name: str, own: set[Node], index: _Index) -> list[Triple]:
    """What the checks of ``name``'s focus nodes ``own`` read from the other graphs (rules 1–3
    above)."""
    readers = index.readers
    own_subjects = index.subjects[name]
    found: set[Triple] = set()
    pointed = index.objects[name] | own_subjects
    for node in own & index.shared.keys():  # rule 1: only a shared node is described elsewhere
        for other in index.shared[node]:
            if other != name:
                for triple in readers[other].about(node):
                    found.add(triple)
                    pointed.add(triple[2])
    for node in own_subjects & index.pointed_back.keys():  # rule 2
        for other, subject in index.pointed_back[node]:
            if other != name:
                for triple in readers[other].about(subject):
                    found.add(triple)
                    pointed.update((triple[0], triple[2]))
    # rule 3: a node described elsewhere
    elsewhere = (pointed - own_subjects) | (pointed & index.shared.keys())
    for node in elsewhere:
        for other in index.described_in(node):
            if other != name:
                found.update(readers[other].types(node))
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
