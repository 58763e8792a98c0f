"""Nodes and edges of the projections: rows of the ``export-*.rq`` queries → node attributes
(label, ``node_type``, ``iri`` and what Gephi users filter on) and edges keyed by their kind.

Takes rows as ``backends.json_rows`` gives them (``Row``, ``Rows``) and a networkx graph; gives
vocabulary entries by IRI, meeting and document dates, unit citations (``II.10``) and the
writers ``add_commitments``, ``add_entity``, ``add_edge`` and ``count_commitments`` that every
projection (``projections.py``) builds with. A node's id is its IRI after ``/id/``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from poa_kg.namespaces import ID, POA

Row = Mapping[str, Any]
Rows = Mapping[str, list[Row]]


_SCHEME_TYPES = {
    "actors": "Actor",
    "states": "State",
    "instruments": "Instrument",
    "meetings": "Meeting",
    "themes": "Theme",
}
_SHORT_LABEL = 40
"""Longer preferred labels give way to the shortest alternative label (e.g. a meeting's acronym)."""


def short_id(iri: str) -> str:
    """A node id readable in Gephi's data table: the IRI path after ``/id/``."""
    return iri.removeprefix(str(ID))


def vocabulary_nodes(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """Vocabulary entries by IRI: label (short where the preferred one is long), type, class."""
    entries: dict[str, dict[str, Any]] = {}
    alternatives: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        iri = str(row["entity"])
        scheme = str(row["scheme"]).rsplit("/", 1)[-1]
        entry = entries.setdefault(
            iri,
            {
                "label": str(row["prefLabel"]),
                "node_type": _SCHEME_TYPES[scheme],
                "iri": iri,
                "full_label": str(row["prefLabel"]),
            },
        )
        if row.get("type"):
            entry["class"] = str(row["type"]).removeprefix(str(POA))
        if row.get("iso3"):
            entry["iso3"] = str(row["iso3"])
            entry["un_group"] = str(row.get("group") or "")
            entry["m49_region"] = str(row.get("region") or "")
        if row.get("altLabel"):
            alternatives[iri].append(str(row["altLabel"]))
    for iri, entry in entries.items():
        entry.setdefault("class", entry["node_type"])
        if len(entry["label"]) > _SHORT_LABEL and alternatives[iri]:
            # the shortest alternative that is a name, not a lowercase phrase ("RevCon3", "ITI")
            named = [a for a in alternatives[iri] if a[:1].isupper()] or alternatives[iri]
            entry["label"] = min(named, key=lambda a: (len(a), a))
    return entries


def meeting_dates(rows: Iterable[Row]) -> dict[str, tuple[str, str]]:
    """Each meeting's date for the timeline and how precise it is: a full date when known, else
    1 January of the year held (or planned), precision ``year``; GEXF needs full dates."""
    dates: dict[str, tuple[str, str]] = {}
    for row in rows:
        iri = str(row["meeting"])
        if row.get("startDate"):
            dates[iri] = (str(row["startDate"]), "day")
        elif row.get("heldYear") or row.get("plannedYear"):
            year = str(row.get("heldYear") or row.get("plannedYear"))
            dates[iri] = (f"{year}-01-01", "year")
    return dates


def document_date(value: object) -> tuple[str, str]:
    text = str(value)
    return (text, "day") if len(text) == 10 else (f"{text[:4]}-01-01", "year")


def citation(eid: str, number: object) -> str:
    """``II.10`` for the eId ``sec_II__para_10``; the bare number in a document without sections."""
    parts = dict(part.split("_", 1) for part in eid.split("__") if "_" in part)
    section = parts.get("sec")
    cited = str(number) if number is not None else parts.get("para", eid)
    return f"{section}.{cited}" if section else cited


def document_key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def statement_attributes(
    row: Row, iri: str, vocabulary: Mapping[str, dict[str, Any]], prefix: str = ""
) -> dict[str, Any]:
    """Attributes of a statement node from a row's columns (``prefix`` ``p``: the columns of a
    lineage row's predecessor, ``pDocument`` …): label, type, class, document, meeting, dates.
    Its ``node_type`` is ``Commitment``; a projection that shows other statements retypes them."""

    def column(name: str) -> Any:
        return row.get(f"{prefix}{name[0].upper()}{name[1:]}" if prefix else name)

    document = str(column("document"))
    date, precision = document_date(column("date"))
    part = "annex " if "/annex" in str(column("unit")) else ""
    # a resolution belongs to no meeting of the process: its meeting is ""
    meeting = str(column("meeting")) if column("meeting") is not None else ""
    cited = citation(str(column("eid")), column("number"))
    return {
        "label": f"{document_key(document)} {part}{cited}",
        "node_type": "Commitment",
        "class": str(column("class")).removeprefix(str(POA)),
        "iri": iri,
        "document": document_key(document),
        "meeting": vocabulary.get(meeting, {}).get("label", short_id(meeting)) if meeting else "",
        "year": int(date[:4]),
        "date": date,
        "date_precision": precision,
    }


def add_commitments(
    graph: nx.Graph, rows: Iterable[Row], vocabulary: Mapping[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Commitment nodes (one per statement) with document, meeting, year and strength."""
    added: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = str(row["statement"])
        if iri in added:
            continue
        attributes = statement_attributes(row, iri, vocabulary)
        if row.get("notation") is not None:
            attributes["strength"] = int(row["notation"])
            attributes["strength_label"] = str(row["strengthLabel"])
        if row.get("leadVerb"):
            attributes["lead_verb"] = str(row["leadVerb"])
        if row.get("symbol"):
            attributes["symbol"] = str(row["symbol"])
        if row.get("text") is not None:
            attributes["text"] = str(row["text"])
        if row.get("citation") is not None:
            attributes["citation"] = str(row["citation"])
        graph.add_node(short_id(iri), **attributes)
        meeting = str(row["meeting"]) if row.get("meeting") is not None else ""
        added[iri] = {**attributes, "document_iri": str(row["document"]), "meeting_iri": meeting}
    return added


def add_entity(graph: nx.Graph, iri: str, vocabulary: Mapping[str, dict[str, Any]]) -> str:
    node = short_id(iri)
    if node not in graph:
        entry = vocabulary.get(iri)
        if entry is None:  # named but outside the vocabularies (should not happen: SHACL)
            entry = {"label": node, "node_type": "Actor", "class": "Actor", "iri": iri}
        graph.add_node(node, **entry)
    return node


def add_edge(graph: nx.Graph, source: str, target: str, kind: str, **attributes: Any) -> None:
    if isinstance(graph, nx.MultiGraph):
        graph.add_edge(source, target, key=kind, kind=kind, **attributes)
    else:
        graph.add_edge(source, target, kind=kind, **attributes)


def count_commitments(graph: nx.Graph) -> None:
    """Each non-commitment node's number of commitments linked to it (what Gephi users size by)."""
    counts: Counter[str] = Counter()
    for source, target in graph.edges():
        if graph.nodes[source].get("node_type") == "Commitment":
            counts[target] += 1
    for node, data in graph.nodes(data=True):
        if data.get("node_type") != "Commitment":
            data["commitments"] = counts[node]
