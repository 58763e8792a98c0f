"""Validate: graph + SHACL shapes (``shapes/``) → ``ValidationReport``.

The engine runs with ``inference="none"`` on data that holds the ontology (pyshacl is also given
it as ``ont_graph``), so instances of subclasses satisfy ``sh:class`` constraints
(docs/decisions.md §8). Two engines sit behind ``ENGINES``: pyshacl, the reference, and
pyshacl-turbo (``Settings.shacl_engine``); a test holds them to the same results on every breaking
fixture. The report lists each result with its focus node, path, message and, for nodes derived
from a paragraph, that paragraph. ``validate_graph`` checks one graph (the union, the old path);
``units.validate_graphs`` checks the published graphs one by one with a cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyshacl import validate
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, RDF, SH
from rdflib.term import Node

from poa_kg.config import ShaclEngine
from poa_kg.errors import ValidationFailed
from poa_kg.namespaces import POA


@dataclass(frozen=True)
class ValidationResult:
    focus: str
    path: str
    message: str
    shape: str
    """The node shape that reported it (the parent of an anonymous property shape)."""
    severity: str
    paragraph: str | None


@dataclass
class ValidationReport:
    """What the SHACL gate found; ``conforms`` is True when there is no violation."""

    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        """A readable report, one result per line group."""
        lines = []
        for r in self.results:
            lines.append(f"{r.severity}: {r.message}")
            lines.append(f"  focus node: {r.focus}")
            lines.append(f"  path:       {r.path}")
            lines.append(f"  shape:      {r.shape}")
            if r.paragraph:
                lines.append(f"  paragraph:  {r.paragraph}")
        return "\n".join(lines)

    def raise_for_violations(self) -> None:
        """Raises:
        ValidationFailed: the graph violates at least one shape.
        """
        if not self.conforms:
            raise ValidationFailed(self.text(), len(self.violations))


def _shape_name(shape: object, owners: dict[Node, Node]) -> str:
    """A readable name for a shape: property shapes are named after their node shape."""
    if isinstance(shape, BNode):
        return str(owners.get(shape, shape))
    return str(shape or "")


def _path_text(report: Graph, path: Node | None) -> str:
    """A SHACL path as text; a sequence path as ``( p1 p2 … )``."""
    if isinstance(path, BNode):
        return "( " + " ".join(str(step) for step in Collection(report, path)) + " )"
    return str(path or "")


def _unit_of(data: Graph, focus: URIRef) -> Node | None:
    """The unit a focus node was read from (a statement is also derived from the outline elements
    it realises: those have no text of their own)."""
    return next(
        (o for o in data.objects(focus, PROV.wasDerivedFrom) if (o, POA.text, None) in data),
        None,
    )


def load_shapes(shapes_dir: Path) -> Graph:
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def _pyshacl(data: Graph, shapes: Graph, ontology: Graph) -> Graph:
    """pyshacl, on a copy of the shapes: with ``advanced`` it adds two RDFS axioms to the shapes
    graph it is given, which would change the caller's graph, and with it the digest that keys
    the gate's cache (the next call in the same process then missed every entry)."""
    _conforms, report, _text = validate(
        data,
        shacl_graph=_copy(shapes),
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    if not isinstance(report, Graph):
        raise TypeError(f"pyshacl returned {type(report).__name__}: {report!r}"[:500])
    return report


def _copy(graph: Graph) -> Graph:
    copied = Graph()
    for prefix, namespace in graph.namespaces():
        copied.bind(prefix, namespace, override=True, replace=True)
    copied += graph
    return copied


def _turbo(data: Graph, shapes: Graph, _ontology: Graph) -> Graph:
    """pyshacl-turbo, given rdflib graphs. Not its Store, file or N-Quads inputs: with those,
    0.6.5 reported 20,334 violations on the conforming real graph (docs/decisions.md §13). No
    ``ont_graph`` either: ``data`` already holds the ontology."""
    from pyshacl_turbo import validate as turbo_validate

    _conforms, report, _text = turbo_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    if not isinstance(report, Graph):
        raise TypeError(f"pyshacl-turbo returned {type(report).__name__}: {report!r}"[:500])
    return report


def compile_turbo_shapes(shapes: Graph) -> Any:
    """The shapes compiled by pyshacl-turbo, for ``turbo_ntriples`` (once per run of the gate)."""
    from pyshacl_turbo import compile_shapes

    return compile_shapes(shapes, advanced=True)  # type: ignore[no-untyped-call]


def turbo_ntriples(
    ntriples: str, compiled_shapes: Any, focus_nodes: list[URIRef] | None = None
) -> Graph:
    """pyshacl-turbo over N-Triples text (the data with the ontology already in it), parsed by
    its Rust side: no rdflib graph is built or handed over term by term, which is where most of
    the time of ``_turbo`` goes (real graph, profiled: 2.6 s validating, 12 s copying terms).

    The text goes in as the package's own ``Input`` record (format ``nt``), the one text input
    that gave the same results as rdflib graphs (its file and N-Quads loaders re-read the text
    through rdflib first, and 0.6.5 reported false violations from a pyoxigraph Store,
    docs/decisions.md §13). Blank node labels are kept, so a report names the data's own.

    ``focus_nodes``: check only these (the engine reads a name ``p:x`` as a prefixed name of
    the shapes graph when ``p`` is one of its prefixes: the caller gives full IRIs whose scheme
    is none of them)."""
    from pyshacl_turbo.rdf import Input

    _conforms, report, _text = compiled_shapes.validate(
        Input(ntriples, "nt", None, {}),
        focus_nodes=focus_nodes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        _normalize_report_literals=True,
    )
    if not isinstance(report, Graph):
        raise TypeError(f"pyshacl-turbo returned {type(report).__name__}: {report!r}"[:500])
    return report


ENGINES: dict[ShaclEngine, Callable[[Graph, Graph, Graph], Graph]] = {
    ShaclEngine.pyshacl: _pyshacl,
    ShaclEngine.turbo: _turbo,
}
"""Each engine: (data holding the ontology, shapes, ontology) → the SHACL report graph."""


def validate_graph(
    data: Graph, shapes: Graph, ontology: Graph, engine: ShaclEngine = ShaclEngine.pyshacl
) -> ValidationReport:
    """SHACL-validate ``data`` (the union of every graph to publish, with the ontology)."""
    report = ENGINES[engine](data, shapes, ontology)
    return ValidationReport(read_results(report, data, shapes))


def read_results(
    report: Graph, data: Graph, shapes: Graph, keep: Callable[[Node], bool] = lambda _n: True
) -> list[ValidationResult]:
    """The results of an engine's report whose focus node ``keep`` accepts, sorted; each
    names the unit of ``data`` its focus node was read from."""
    results = []
    owners = {prop: node for node, prop in shapes.subject_objects(SH.property)}
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        if focus is None or not keep(focus):
            continue
        severity = report.value(node, SH.resultSeverity)
        paragraph = _unit_of(data, focus) if isinstance(focus, URIRef) else None
        results.append(
            ValidationResult(
                focus=str(focus),
                path=_path_text(report, report.value(node, SH.resultPath)),
                message=str(report.value(node, SH.resultMessage) or ""),
                shape=_shape_name(report.value(node, SH.sourceShape), owners),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                paragraph=str(paragraph) if paragraph is not None else None,
            )
        )
    results.sort(key=lambda r: (r.severity, r.focus, r.path, r.message))
    return results
