"""Which units a change can reach: the record of the last validation (per unit, the bytes of its
graph, its cache key and the nodes its context went through; per version of a graph, the nodes it
describes and points at backwards) + the graphs now → the units whose context must be found again.

A unit's context (``unit_context.py``) is read through nodes: its focus nodes and subjects (rule
1, and the owners of its focus nodes), its subjects again for the backward pointers (rule 2), the
nodes it and rules 1–2 point at (rule 3). A change to another graph can change that context only
by adding or removing a triple whose subject is one of those nodes, or a backward pointer at one
of its subjects. So a unit whose own graph did not change, and none of whose nodes is a subject
(before or after) or a backward object (before or after) of a changed graph, has the context and
the cache key it had: its key is taken from the record and its context is not looked for again.
A subject other graphs describe too, whose triples in the changed graph are the same as before,
is not counted (every copy of a document describes the documents it cites). Anything the record
cannot vouch for (no record, a missing node file, a blank node in a changed graph or in a unit's
context, whose labels change from one parse to the next) sends every unit through
``unit_context`` again, as without a record.

The record lives in the result cache's folder: ``reach-{format}-{common}.json`` (``common``: the
digest of the shapes, the ontology, the engine and its version; any change there starts afresh)
and one ``nodes-{format}-{digest}.json`` per version of a graph (its published bytes' SHA-256):
its subjects, its backward objects, and a digest of the triples of each subject other graphs
describe too. Both are written whole under a temporary name and renamed, so a killed run leaves
the previous record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from poa_kg.ingest.unit_context import GraphReader, NodeIndex, ntriples_line

_FORMAT = 2
"""Bumped when what a record file holds changes (older files are then never read)."""


@dataclass(frozen=True)
class UnitRecord:
    """One unit as last validated."""

    graph: str
    """SHA-256 of the bytes its graph was published as."""
    key: str
    """Its cache key (graph, context, shapes, ontology, engine)."""
    reached: list[str]
    """The IRIs beyond its own graph that its context was looked up through."""
    reusable: bool
    """False when its graph's nodes or its context hold a blank node: found again every time."""


class Record:
    """The units of the last validation and the node files of their graphs."""

    def __init__(self, folder: Path, units: dict[str, UnitRecord]) -> None:
        self.folder = folder
        self.units = units

    def reachable(
        self, digests: dict[str, str], index: NodeIndex, backwards: set[Node]
    ) -> set[str] | None:
        """The units whose context must be found again, given each graph's digest now; None for
        every unit (the record cannot tell)."""
        changed = {name for name, digest in digests.items() if self._digest(name) != digest}
        changed |= self.units.keys() - digests.keys()  # a graph removed
        describing: set[Node] = set()
        pointing_back: set[Node] = set()
        for name in changed:
            now = index.subjects[name] if name in digests else set()
            before = self.units.get(name)
            if before is None:
                describing |= now
            else:
                old = _read_nodes(self.folder, before.graph)
                if old is None:
                    return None
                kept = _kept(old.kept, now, index, name) if name in digests else set()
                describing |= (old.subjects | now) - kept
                pointing_back |= old.back
            if name in digests:
                pointing_back |= backward_objects(index, name, backwards)
        if any(type(node) is not URIRef for node in describing | pointing_back):
            return None
        described = {str(node) for node in describing}
        again = set(changed & digests.keys())
        for name in digests.keys() - again:
            if (
                not self.units[name].reusable
                or index.describes_any(name, describing)
                or index.points_at_any(name, describing)
                or not described.isdisjoint(self.units[name].reached)
                or index.describes_any(name, pointing_back)
            ):
                again.add(name)
        return again

    def _digest(self, name: str) -> str | None:
        unit = self.units.get(name)
        return unit.graph if unit is not None else None


def backward_objects(index: NodeIndex, name: str, backwards: set[Node]) -> set[Node]:
    """The IRIs and blank nodes graph ``name`` points at through a predicate the shapes read
    backwards (a literal is nobody's subject: rule 2 never reaches it)."""
    found: set[Node] = set()
    for predicate in backwards:
        objects = index.readers[name].by_predicate(predicate).keys()
        found.update(node for node in objects if type(node) is not Literal)
    return found


def load(folder: Path | None, common: str) -> Record | None:
    """The record written under ``common``, or None (none, or unreadable: start afresh)."""
    if folder is None:
        return None
    try:
        rows = json.loads((folder / f"reach-{_FORMAT}-{common}.json").read_text(encoding="utf-8"))
        units = {name: UnitRecord(**row) for name, row in rows.items()}
    except (OSError, ValueError, TypeError):
        return None
    return Record(folder, units)


def save(
    folder: Path | None,
    common: str,
    units: dict[str, UnitRecord],
    index: NodeIndex,
    backwards: set[Node],
) -> None:
    """Write the record of this validation (every unit), and the node file of each graph version
    that lacks one."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name, unit in units.items():
        path = folder / f"nodes-{_FORMAT}-{unit.graph}.json"
        if not path.is_file():
            subjects = index.subjects[name]
            back = backward_objects(index, name, backwards)
            shared = index.shared_among(subjects)
            reader = index.readers[name]
            _write(
                path,
                {
                    "subjects": _iris(subjects),
                    "back": _iris(back),
                    "kept": {str(s): _about(reader, s) for s in shared if type(s) is URIRef},
                    "blank": any(type(node) is not URIRef for node in subjects | back),
                },
            )
    _write(
        folder / f"reach-{_FORMAT}-{common}.json",
        {n: vars(u) for n, u in sorted(units.items())},  # not asdict: it deep-copies each list
    )


def file_names(common: str, units: dict[str, UnitRecord]) -> set[str]:
    """The record's files for these units: the record itself and the node file of each graph."""
    return {f"reach-{_FORMAT}-{common}.json"} | {
        f"nodes-{_FORMAT}-{unit.graph}.json" for unit in units.values()
    }


def reusable(index: NodeIndex, name: str, context: Iterable[tuple[Node, Node, Node]]) -> bool:
    """Whether a unit can be vouched for by the record: no blank node in its graph's nodes or in
    its context. (Two passes, not a union of the node sets: a union compares the IRIs two sets
    share through rdflib's ``__eq__``, in Python.)"""
    if any(type(node) is BNode for node in index.subjects[name]):
        return False
    if any(type(node) is BNode for node in index.objects[name]):
        return False
    return not any(type(term) is BNode for triple in context for term in triple)


def _iris(nodes: set[Node]) -> list[str]:
    return sorted(str(node) for node in nodes if type(node) is URIRef)


class _Nodes(NamedTuple):
    """A graph version's node file, read."""

    subjects: set[Node]
    back: set[Node]
    kept: dict[Node, str]
    """Subject → digest of its triples, for the subjects other graphs also describe."""


def _read_nodes(folder: Path, digest: str) -> _Nodes | None:
    try:
        rows = json.loads((folder / f"nodes-{_FORMAT}-{digest}.json").read_text(encoding="utf-8"))
        if rows["blank"] is not False:  # a blank node's label is not that of the next parse
            return None
        return _Nodes(
            {URIRef(i) for i in rows["subjects"]},
            {URIRef(i) for i in rows["back"]},
            {URIRef(i): str(d) for i, d in rows["kept"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _kept(before: dict[Node, str], now: set[Node], index: NodeIndex, name: str) -> set[Node]:
    """The subjects described by other graphs too whose triples in graph ``name`` are the same
    as before: a changed graph reaches no unit through them (a document's copies all describe
    the documents it cites)."""
    reader = index.readers[name]
    return {s for s, digest in before.items() if s in now and _about(reader, s) == digest}


def _about(reader: GraphReader, subject: Node) -> str:
    lines = sorted(map(ntriples_line, reader.about(subject)))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _write(path: Path, rows: object) -> None:
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(json.dumps(rows), encoding="utf-8")
    staging.replace(path)
