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
``unit_context`` also gives the nodes it looked up: a change to another graph can reach the unit
only through one of them (``unit_reuse.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
