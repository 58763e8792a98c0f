"""Validation by graph: the graphs to publish (name → Graph) + shapes + ontology → one
``ValidationReport``, the same as ``validate_graph`` on their union, without handing the union to
the engine and without checking again a graph whose inputs did not change.

Each graph is a *unit*: the graph, the ontology, and what its nodes' checks read from the other
graphs (its *context*, rules 1–3 in ``unit_context.py``).

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
of the engines' packages: a changed graph, or a change elsewhere that its nodes read, is validated
again; nothing else is. When every graph comes with its published bytes, a record of the last run
(``unit_reuse.py``) tells which units a change can reach, and only their contexts are found
again: the others keep the key they had.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.term import Node

from poa_kg.config import Settings, ShaclEngine
from poa_kg.ingest import unit_reuse
from poa_kg.ingest.unit_context import (
    NodeIndex,
    ProbingNodeIndex,
    Triple,
    backward_predicates,
    focus_owners,
    ntriples_line,
    target_predicates,
    unit_context,
)
from poa_kg.ingest.unit_reuse import UnitRecord
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
_ENGINE_PACKAGES = ("pyshacl", "pyshacl-turbo", "rdflib", "pyoxigraph")
"""Their versions are part of every cache key: an upgrade validates everything again (pyoxigraph's
canonical blank-node labels may change between its versions)."""


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
    backwards = backward_predicates(shapes)
    index: NodeIndex = ProbingNodeIndex(graphs, backwards)
    owners = focus_owners(index.readers, target_predicates(shapes))
    versions = [f"{name} {version(name)}" for name in _ENGINE_PACKAGES]
    inputs = [_graph_digest(shapes), _graph_digest(ontology)]
    common = _digest([f"format {_FORMAT}", f"engine {engine}", *versions, *inputs])
    digests = _published_digests(graphs, published)
    record = unit_reuse.load(cache_dir, common) if digests else None
    again = record.reachable(digests, index, backwards) if record and digests else None
    if again is None or len(again) > PROBED_UNITS * len(graphs):
        index = NodeIndex(graphs, backwards)  # many contexts to find: one pass over every node
    units: dict[str, UnitRecord] = {}
    keys: list[str] = []
    """The cache key of every graph this run, found or computed."""
    results: list[ValidationResult] = []
    missed: list[tuple[str, str, list[Triple]]] = []
    for name in sorted(graphs):
        if record is not None and again is not None and name not in again:
            before = record.units[name]
            cached = _read(cache_dir, before.key)
            if cached is not None:  # nothing its context reads changed: the same key
                units[name] = before
                keys.append(before.key)
                results += cached
                continue
        context = unit_context(name, owners[name], index)
        key = _digest(
            [
                common,
                digests[name] if digests else _graph_digest(graphs[name]),
                _triples_digest(context.triples),
            ]
        )
        keys.append(key)
        if digests:
            reusable = unit_reuse.reusable(index, name, context.triples)
            reached = sorted(str(node) for node in context.reached if type(node) is URIRef)
            units[name] = UnitRecord(digests[name], key, reached, reusable)
        cached = _read(cache_dir, key)
        if cached is None:
            missed.append((name, key, context.triples))
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
    if digests:
        unit_reuse.save(cache_dir, common, units, index, backwards)
    if cache_dir is not None:
        used = {f"{key}.json" for key in keys} | unit_reuse.file_names(common, units)
        prune_cache(cache_dir, used)
    results.sort(key=lambda r: (r.severity, r.focus, r.path, r.message))
    return ValidationReport(results)


def _published_digests(
    graphs: dict[str, Graph], published: dict[str, bytes] | None
) -> dict[str, str] | None:
    """Each graph's SHA-256 of the bytes it is published as; None unless every graph has them."""
    if published is None or not graphs.keys() <= published.keys():
        return None
    return {name: hashlib.sha256(published[name]).hexdigest() for name in graphs}


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


def _turtle_if_plain(
    name: str, published: dict[str, bytes] | None, index: NodeIndex
) -> bytes | None:
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


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _triples_digest(triples: Iterable[Triple]) -> str:
    """Order-independent: each triple's N-Triples line, sorted."""
    return _digest(sorted(map(ntriples_line, triples)))


def _graph_digest(graph: Graph) -> str:
    """Its N-Triples lines, sorted, once pyoxigraph has given its blank nodes canonical labels:
    rdflib labels them anew at each parse, and a digest of those labels (the shapes and the
    ontology have blank nodes) never matched from one run of the build to the next."""
    text = graph.serialize(format="nt", encoding="utf-8")
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return _digest(sorted(str(quad) for quad in dataset))


PROBED_UNITS = 0.05
"""Up to this share of the graphs, their contexts are found by probing each graph's indexes for
their nodes (``ProbingNodeIndex``); beyond it, through an index of every node, built once. At
1.5M triples (117 graphs) the index took 0.4–0.6 s, probing for one changed document's 4 reached
graphs about a tenth of that."""

UNUSED_DAYS = 7
"""A file of the cache folder this run did not use is removed once this old: the folder stays
bounded, and another checkout, corpus or engine sharing it keeps a week of its entries (a
removed entry only costs a miss)."""

_CACHE_FILE = re.compile(
    r"\.?[0-9a-f]{64}\.(json|tmp)|\.?(reach|nodes)-[0-9]+-[0-9a-f]+\.json(\.tmp)?"
)
"""Results (``{key}.json``), the record's files, and their staging names."""


def prune_cache(cache_dir: Path, used: set[str], now: float | None = None) -> None:
    """Remove the cache files of ``cache_dir`` not in ``used`` and unchanged for ``UNUSED_DAYS``
    (only the gate's own file names; anything else in the folder is left)."""
    limit = (time.time() if now is None else now) - UNUSED_DAYS * 86_400
    try:
        entries = list(os.scandir(cache_dir))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.name in used or not _CACHE_FILE.fullmatch(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                Path(entry.path).unlink()
        except FileNotFoundError:  # another run removed it first
            continue


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
