"""Export: the store → projections (networkx graphs) → GEXF 1.3 or GraphML files for Gephi.

Each projection (``projections.QUERIES``) is built from the rows of named ``export-*.rq`` queries,
narrowed by the filters bound as query variables (meeting, document, theme), and written by a
streaming writer (``gexf.iter_gexf``, ``graphml.iter_graphml``). The CLI runs the queries on the
store in-process (``rows_in_process``); the service runs them through its backend
(``rows_from_reader``), so both give the same file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import networkx as nx
from pyoxigraph import NamedNode, Store, Variable

from poa_kg.errors import PoaKgError, StoreError
from poa_kg.export.gexf import iter_gexf
from poa_kg.export.graphml import iter_graphml
from poa_kg.export.projections import DESCRIPTIONS, FILTERS, QUERIES, Rows, UnknownProjection, build
from poa_kg.serve import queries
from poa_kg.serve.read.reader import Reader, json_rows
from poa_kg.serve.worker import execute

__all__ = [
    "DESCRIPTIONS",
    "FILTERS",
    "FORMATS",
    "QUERIES",
    "ExportFormat",
    "IncompleteExport",
    "UnknownFormat",
    "UnknownProjection",
    "build",
    "export_format",
    "names_something",
    "rows_from_reader",
    "rows_in_process",
]

ROW_CAP = 5_000_000
"""Rows an export query may return: far above the SPARQL endpoint's cap, since an export is the
whole (narrowed) graph by design."""
_JSON = "application/sparql-results+json"


class UnknownFormat(PoaKgError):
    """No export format has that name."""


class IncompleteExport(StoreError):
    """The engine cut a projection's rows at its own limit; the file would silently miss part of
    the graph, so none is written."""


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    suffix: str
    write: Callable[[nx.Graph], Iterator[bytes]]


FORMATS = {
    "gexf": ExportFormat("gexf", "application/gexf+xml", ".gexf", iter_gexf),
    "graphml": ExportFormat("graphml", "application/graphml+xml", ".graphml", iter_graphml),
}


def export_format(name: str) -> ExportFormat:
    """Raises: UnknownFormat."""
    if name not in FORMATS:
        raise UnknownFormat(f"no export format {name!r}; choose one of: {', '.join(FORMATS)}")
    return FORMATS[name]


def _bindings(projection: str, filters: Mapping[str, NamedNode]) -> dict[str, dict[str, NamedNode]]:
    """Each query of ``projection`` → the filters it declares."""
    if projection not in QUERIES:
        raise UnknownProjection(
            f"no projection {projection!r}; choose one of: {', '.join(sorted(QUERIES))}"
        )
    unknown = set(filters) - set(FILTERS[projection])
    if unknown:
        raise UnknownProjection(
            f"projection {projection!r} cannot be narrowed by {', '.join(sorted(unknown))}"
        )
    return {
        name: {k: v for k, v in filters.items() if k in queries.header(name).binds}
        for name in QUERIES[projection]
    }


def names_something(store: Store, term: NamedNode) -> bool:
    """Whether an IRI a filter names is the subject of anything in the store (a meeting key that
    names nothing would otherwise export an empty graph without a word)."""
    answer = store.query(
        "ASK { ?s ?p ?o }", substitutions={Variable("s"): term}, use_default_graph_as_union=True
    )
    return bool(answer)


def rows_in_process(
    store: Store, projection: str, filters: Mapping[str, NamedNode], base_iri: str
) -> Rows:
    """The rows of a projection's queries, run on an open store in this process."""
    return {
        name: list(
            json_rows(execute(store, queries.job(name, _JSON, ROW_CAP, base_iri, bound)).body)
        )
        for name, bound in _bindings(projection, filters).items()
    }


async def rows_from_reader(
    reader: Reader, projection: str, filters: Mapping[str, NamedNode]
) -> Rows:
    """The rows of a projection's queries, run by the service's reader.

    Raises:
        IncompleteExport: the engine answered fewer rows than the query has (its own row limit).
    """
    found: dict[str, list[Mapping[str, object]]] = {}
    for name, bound in _bindings(projection, filters).items():
        rows = await reader.rows(name, bound, cap=ROW_CAP)
        if rows.truncated:
            raise IncompleteExport(
                f"the SPARQL engine cut the rows of {name} at {len(rows):,}: the {projection} "
                "export would be incomplete; raise the engine's row limit (e.g. Virtuoso's "
                "ResultSetMaxRows) above the graph's size"
            )
        found[name] = list(rows)
    return found
