"""A unit's context: the graphs to publish (name → Graph) + the shapes → per graph, the focus
nodes it owns and the triples of the other graphs that checking them reads.

A graph is validated as a *unit*: the graph, the ontology, and its *context*:

1. the triples about its own focus nodes kept elsewhere (those its graph types, or gives a
   predicate a ``sh:targetSubjectsOf`` names: a statement's lineage facts are in graph/lineage);
2. for the predicates the shapes read backwards (``sh:inversePath``) or name in a SPARQL
   constraint, every triple of a node elsewhere that points at one of its nodes this way, with
   that node's own triples (a quality issue ``poa:about`` a paragraph, read by the recorded-vote
   constraint);
3. the ``rdf:type`` of every node it or 1–2 name (what ``sh:class`` looks up, through the
   ontology's subclasses, on a value reached forwards or backwards).

``NodeIndex`` reads every graph once (its subjects, the nodes it points at, where each node is
described, the backward pointers), so that ``unit_context`` costs what it finds.
``ProbingNodeIndex`` answers the same questions by probing each graph's own indexes for the nodes
asked about: cheaper when only a few graphs need their context (a one-document change).
``unit_context`` also gives the nodes it looked up: a change to another graph can reach the unit
only through one of them (``unit_reuse.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


def focus_owners(
    readers: dict[str, GraphReader], target_predicates: set[Node]
) -> dict[str, set[Node]]:
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


class GraphReader:
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
        self._types: dict[Node, list[Triple]] = {}
        self._subjects: set[Node] | None = None

    def about(self, node: Node) -> list[Triple]:
        if self.spo is None:
            return list(self.graph.triples((node, None, None)))
        return [(node, p, o) for p, objects in self.spo.get(node, {}).items() for o in objects]

    def types(self, node: Node) -> list[Triple]:
        """The node's ``rdf:type`` triples (kept: every unit asks for the same vocabulary terms)."""
        found = self._types.get(node)
        if found is None:
            if self.spo is None:
                found = list(self.graph.triples((node, RDF.type, None)))
            else:
                found = [(node, RDF.type, o) for o in self.spo.get(node, {}).get(RDF.type, ())]
            self._types[node] = found
        return found

    def by_predicate(self, predicate: Node) -> Mapping[Node, Iterable[Node]]:
        """Object → subjects, for one predicate (rdflib's own index: read, never change it)."""
        if self.pos is None:
            found: dict[Node, list[Node]] = {}
            for s, _p, o in self.graph.triples((None, predicate, None)):
                found.setdefault(o, []).append(s)
            return found
        return self.pos.get(predicate, {})

    def subject_keys(self) -> AbstractSet[Node]:
        """Its subjects, as rdflib's own index keys when it has them (no copy)."""
        if self.spo is None:
            if self._subjects is None:
                self._subjects = self.nodes()[0]
            return self._subjects
        return self.spo.keys()

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


class NodeIndex:
    """Per graph, its subjects and the nodes it points at; per node, where it is described and
    where a predicate the shapes read backwards points at it. Built with set operations, so a
    graph's context costs what it finds, not a pass over every graph (at a million triples a
    Python loop over every node costs seconds)."""

    def __init__(self, graphs: dict[str, Graph], backwards: set[Node]) -> None:
        self.readers = {name: GraphReader(graph) for name, graph in graphs.items()}
        self.subjects: Mapping[str, set[Node]] = {}
        self.objects: Mapping[str, set[Node]] = {}
        self.home: dict[Node, str] = {}
        """A graph that describes the node (the last by name)."""
        self.shared: dict[Node, list[str]] = {}
        """Every graph that describes it, for the nodes described in more than one."""
        self.pointed_back: dict[Node, list[tuple[str, Node]]] = {}
        """(graph, subject) of each triple of a backward predicate that points at the node."""
        subjects_of: dict[str, set[Node]] = {}
        objects_of: dict[str, set[Node]] = {}
        seen: set[Node] = set()
        repeated: set[Node] = set()
        for name in sorted(graphs):
            subjects, objects = self.readers[name].nodes()
            subjects_of[name], objects_of[name] = subjects, objects
            repeated |= subjects & seen
            seen |= subjects
            self.home.update(dict.fromkeys(subjects, name))
        self.subjects, self.objects = subjects_of, objects_of
        for name in sorted(graphs):
            for node in subjects_of[name] & repeated:
                self.shared.setdefault(node, []).append(name)
        for name in sorted(graphs):
            # a node only this graph describes is read backwards by no other graph's unit
            alone = subjects_of[name] - repeated
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

    def where(self, nodes: Iterable[Node]) -> dict[Node, list[str]]:
        """The graphs that describe each of ``nodes``, by name (the nodes nobody describes are
        left out)."""
        found = {node: self.described_in(node) for node in nodes}
        return {node: graphs for node, graphs in found.items() if graphs}

    def shared_among(self, nodes: set[Node]) -> set[Node]:
        """Those of ``nodes`` that more than one graph describes."""
        return nodes & self.shared.keys()

    def pointing_back(self, nodes: set[Node]) -> dict[Node, list[tuple[str, Node]]]:
        """(graph, subject) of the triples of a backward predicate that point at ``nodes``
        (those of the graph that alone describes a node may be left out)."""
        return {node: self.pointed_back[node] for node in nodes & self.pointed_back.keys()}

    def describes_any(self, name: str, nodes: set[Node]) -> bool:
        """Whether graph ``name`` has one of ``nodes`` as a subject."""
        return not nodes.isdisjoint(self.subjects[name])

    def points_at_any(self, name: str, nodes: set[Node]) -> bool:
        """Whether graph ``name`` points at one of ``nodes`` (IRIs or blank nodes)."""
        return not nodes.isdisjoint(self.objects[name])


class ProbingNodeIndex(NodeIndex):
    """The same answers, found by probing each graph's own indexes for the nodes asked about:
    no pass over every node of every graph (0.4–0.6 s at 1.5M triples, most of a one-document
    change), at a cost per question that grows with the graphs. For a run that finds the context
    of a few graphs only; the eager index is cheaper for many."""

    def __init__(self, graphs: dict[str, Graph], backwards: set[Node]) -> None:
        self.readers = {name: GraphReader(graph) for name, graph in graphs.items()}
        self.backwards = backwards
        self.names = sorted(graphs)
        self.subjects = _PerGraph(lambda name: self.readers[name].nodes()[0])
        self.objects = _PerGraph(lambda name: self.readers[name].nodes()[1])

    def described_in(self, node: Node) -> list[str]:
        return self.where([node]).get(node, [])

    def where(self, nodes: Iterable[Node]) -> dict[Node, list[str]]:
        asked = nodes if isinstance(nodes, set) else set(nodes)
        found: dict[Node, list[str]] = {}
        for name in self.names:
            for node in asked & self.readers[name].subject_keys():
                found.setdefault(node, []).append(name)
        return found

    def shared_among(self, nodes: set[Node]) -> set[Node]:
        return {node for node, graphs in self.where(nodes).items() if len(graphs) > 1}

    def pointing_back(self, nodes: set[Node]) -> dict[Node, list[tuple[str, Node]]]:
        found: dict[Node, list[tuple[str, Node]]] = {}
        for name in self.names:
            for predicate in self.backwards:
                pointing = self.readers[name].by_predicate(predicate)
                for node in nodes & pointing.keys():
                    found.setdefault(node, []).extend((name, s) for s in pointing[node])
        return found

    def describes_any(self, name: str, nodes: set[Node]) -> bool:
        return _meets(nodes, self.readers[name].subject_keys())

    def points_at_any(self, name: str, nodes: set[Node]) -> bool:
        """(``nodes`` holds no literal. rdflib's object index holds literals, whose hash runs
        Python code, so it is probed, never walked.)"""
        reader = self.readers[name]
        if reader.osp is None:
            return not nodes.isdisjoint(self.objects[name])
        return any(map(reader.osp.__contains__, nodes))


def _meets(nodes: set[Node], keys: AbstractSet[Node]) -> bool:
    """Whether the two share a node, walking the smaller in C (no Python frame per node)."""
    if len(nodes) <= len(keys):
        return any(map(keys.__contains__, nodes))
    return not nodes.isdisjoint(keys)


class _PerGraph(dict[str, set[Node]]):
    """A graph's node set, made when first asked for."""

    def __init__(self, make: Callable[[str], set[Node]]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, name: str) -> set[Node]:
        self[name] = nodes = self.make(name)
        return nodes


class UnitContext(NamedTuple):
    triples: list[Triple]
    """What the checks of the unit's focus nodes read from the other graphs."""
    reached: set[Node]
    """The IRIs and blank nodes beyond the unit's own graph that rules 1–3 looked up."""


def unit_context(name: str, own: set[Node], index: NodeIndex) -> UnitContext:
    """The context of graph ``name`` whose focus nodes are ``own`` (rules 1–3 above)."""
    readers = index.readers
    own_subjects = index.subjects[name]
    found: set[Triple] = set()
    pointed = index.objects[name] | own_subjects
    for node, graphs in index.where(own).items():  # rule 1: a shared node is described elsewhere
        if len(graphs) < 2:
            continue
        for other in graphs:
            if other != name:
                for triple in readers[other].about(node):
                    found.add(triple)
                    pointed.add(triple[2])
    for pointers in index.pointing_back(own_subjects).values():  # rule 2
        for other, subject in pointers:
            if other != name:
                for triple in readers[other].about(subject):
                    found.add(triple)
                    pointed.update((triple[0], triple[2]))
    # rule 3: a node described elsewhere (one of its own subjects only when shared)
    for node, graphs in index.where(pointed).items():
        if node in own_subjects and len(graphs) < 2:
            continue
        for other in graphs:
            if other != name:
                found.update(readers[other].types(node))
    reached = {n for n in pointed - index.objects[name] - own_subjects if type(n) is not Literal}
    return UnitContext(list(found), reached)


_PREFIXED = re.compile(r"\b([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")


def backward_predicates(shapes: Graph) -> set[Node]:
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


def target_predicates(shapes: Graph) -> set[Node]:
    return set(shapes.objects(None, SH.targetSubjectsOf))


def ntriples_line(triple: Triple) -> str:
    """The triple's terms in N-Triples, as ``term.n3()`` gives them, without its check of an IRI
    already parsed (half of a warm run's digest time at 1.5M triples, profiled)."""
    return " ".join(f"<{term}>" if type(term) is URIRef else term.n3() for term in triple)
