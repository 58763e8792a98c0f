"""Projections: rows of the named ``export-*.rq`` queries → networkx graphs a person can read.

A raw dump of every triple is unreadable in Gephi; each projection keeps one question's nodes and
edges, labelled and typed:

- ``entities``: commitments, actors, States, instruments, meetings, themes and documents; edges
  for what a commitment names (``engages``, ``cites``, ``refers to``, ``concerns``, ``inherits
  theme``) and for structure (``in document``, ``of meeting``).
- ``actor-instrument``: actors (and States) and instruments, an edge weighted by the number of
  commitments naming both.
- ``commitment-theme``: bipartite, commitments and the themes they concern.
- ``votes``: States, an edge weighted by how often two States voted the same way in the recorded
  votes they both took part in (agreement 0–1), each State's positions as attributes.
- ``timeline``: the meetings of the process from 2001 on, and the commitments each adopted, with
  the date of the meeting on every node and edge (for GEXF's dynamic mode).
- ``lineage``: statements linked from their earlier versions over the whole series (edge kind
  ``restated``, ``revised``, ``realised``, ``merged`` or ``split``, weight = confidence, ``rank``,
  ``strength_change`` or ``class_change``), dynamic: each version from its document's date until
  the latest document that carries it on.

Every node carries ``label``, ``node_type``, ``iri`` and the attributes Gephi users filter on;
every edge a ``kind`` (its relation) and, where it fits, a ``weight``. Edges are keyed by
(source, target, kind), so there are no duplicates. Rows are dictionaries as
``backends.json_rows`` gives them; the caller runs the queries ``QUERIES[name]`` names. The node
and edge writers the projections share are in ``nodes.py``; colours are the file writers'
(``colours.py``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from poa_kg.errors import PoaKgError
from poa_kg.export.nodes import (
    Row,
    Rows,
    add_commitments,
    add_edge,
    add_entity,
    citation,
    count_commitments,
    document_key,
    meeting_dates,
    short_id,
    statement_attributes,
    vocabulary_nodes,
)
from poa_kg.namespaces import POA

__all__ = [
    "DESCRIPTIONS",
    "FILTERS",
    "QUERIES",
    "Rows",
    "UnknownProjection",
    "build",
    "citation",  # a unit's short citation, which the linked-data pages show too
    "unique_labels",
]


class UnknownProjection(PoaKgError):
    """No projection has that name."""


QUERIES: dict[str, tuple[str, ...]] = {
    "entities": ("export-commitments", "export-links", "export-vocabulary", "export-meetings"),
    "actor-instrument": ("export-links", "export-vocabulary"),
    "commitment-theme": ("export-commitments", "export-links", "export-vocabulary"),
    "votes": ("export-vote-positions", "export-vocabulary"),
    "timeline": ("export-commitments", "export-vocabulary", "export-meetings"),
    "lineage": ("export-lineage", "export-vocabulary"),
}
"""The named queries each projection is built from."""

DESCRIPTIONS = {
    "entities": "commitments and everything they name, with the documents and meetings they are in",
    "actor-instrument": "actors and instruments, weighted by the commitments naming both",
    "commitment-theme": "commitments and the themes they concern (bipartite)",
    "votes": "States, weighted by how often they voted the same way in recorded votes",
    "timeline": "meetings from 2001 on and the commitments each adopted, dated (dynamic in GEXF)",
    "lineage": "statements linked to earlier versions over the series, dated (dynamic in GEXF)",
}

FILTERS = {
    "entities": ("forMeeting", "forDocument", "theme"),
    "actor-instrument": ("forMeeting", "forDocument", "theme"),
    "commitment-theme": ("forMeeting", "forDocument", "theme"),
    "votes": ("forMeeting", "forDocument"),
    "timeline": ("forMeeting", "forDocument", "theme"),
    "lineage": ("forMeeting", "forDocument"),
}
"""The query variables each projection can be narrowed by (meeting, document, theme)."""

_RELATIONS = {
    f"{POA}engages": "engages",
    f"{POA}citesInstrument": "cites",
    f"{POA}refersToMeeting": "refers to",
    f"{POA}concerns": "concerns",
    f"{POA}inheritsTheme": "inherits theme",
}


def build(name: str, rows: Rows) -> nx.MultiDiGraph | nx.Graph:
    """The projection ``name`` built from the rows of its queries (``QUERIES[name]``).

    Raises:
        UnknownProjection: no projection has that name.
    """
    builders: dict[str, Callable[[Rows], nx.MultiDiGraph | nx.Graph]] = {
        "entities": _entities,
        "actor-instrument": _actor_instrument,
        "commitment-theme": _commitment_theme,
        "votes": _votes,
        "timeline": _timeline,
        "lineage": _lineage,
    }
    if name not in builders:
        raise UnknownProjection(
            f"no projection {name!r}; choose one of: {', '.join(sorted(builders))}"
        )
    graph = builders[name](rows)
    graph.graph["projection"] = name
    graph.graph["description"] = DESCRIPTIONS[name]
    _size_by_degree(graph)
    unique_labels(graph)
    return graph


def unique_labels(graph: nx.Graph) -> None:
    """Labels as Gephi users need them, one per node: where several nodes share a label, each
    gets its node id after it ("para 3 (lineage/revcon3-2018/main/para_3)")."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_label[str(data.get("label", node))].append(str(node))
    for label, nodes in by_label.items():
        if len(nodes) > 1:
            for node in nodes:
                graph.nodes[node]["label"] = f"{label} ({node})"


# ---------------------------------------------------------------------- projections


def _entities(rows: Rows) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    vocabulary = vocabulary_nodes(rows["export-vocabulary"])
    dates = meeting_dates(rows["export-meetings"])
    commitments = add_commitments(graph, rows["export-commitments"], vocabulary)
    for iri, commitment in commitments.items():
        document = commitment["document_iri"]
        document_node = short_id(document)
        if document_node not in graph:
            graph.add_node(
                document_node,
                label=commitment.get("symbol", document_key(document)),
                node_type="Document",
                **{"class": "Document"},
                iri=document,
                year=commitment["year"],
                date=commitment["date"],
                date_precision=commitment["date_precision"],
            )
        add_edge(graph, short_id(iri), document_node, "in document")
        if not commitment["meeting_iri"]:
            continue  # a resolution: adopted by the General Assembly, not at a PoA meeting
        meeting_node = add_entity(graph, commitment["meeting_iri"], vocabulary)
        if commitment["meeting_iri"] in dates:
            graph.nodes[meeting_node]["date"] = dates[commitment["meeting_iri"]][0]
            graph.nodes[meeting_node]["year"] = int(dates[commitment["meeting_iri"]][0][:4])
        add_edge(graph, document_node, meeting_node, "of meeting")
    for row in rows["export-links"]:
        if str(row["statement"]) not in commitments:
            continue  # the links query is not narrowed by class order; keep exported ones
        target = add_entity(graph, str(row["entity"]), vocabulary)
        add_edge(graph, short_id(str(row["statement"])), target, _RELATIONS[str(row["relation"])])
    count_commitments(graph)
    return graph


def _actor_instrument(rows: Rows) -> nx.Graph:
    vocabulary = vocabulary_nodes(rows["export-vocabulary"])
    actors: dict[str, set[str]] = defaultdict(set)
    instruments: dict[str, set[str]] = defaultdict(set)
    for row in rows["export-links"]:
        relation = _RELATIONS[str(row["relation"])]
        if relation == "engages":
            actors[str(row["statement"])].add(str(row["entity"]))
        elif relation == "cites":
            instruments[str(row["statement"])].add(str(row["entity"]))
    together: Counter[tuple[str, str]] = Counter()
    paired: dict[str, set[str]] = defaultdict(set)  # entity → commitments naming it with a partner
    for statement, named in actors.items():
        for actor in named:
            for instrument in instruments.get(statement, ()):
                together[actor, instrument] += 1
                paired[actor].add(statement)
                paired[instrument].add(statement)
    graph = nx.Graph()
    for (actor, instrument), count in sorted(together.items()):
        source = add_entity(graph, actor, vocabulary)
        target = add_entity(graph, instrument, vocabulary)
        add_edge(graph, source, target, "named together", weight=float(count), commitments=count)
    for iri, statements in paired.items():
        graph.nodes[short_id(iri)]["commitments"] = len(statements)
    return graph


def _commitment_theme(rows: Rows) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    vocabulary = vocabulary_nodes(rows["export-vocabulary"])
    commitments = add_commitments(graph, rows["export-commitments"], vocabulary)
    for row in rows["export-links"]:
        relation = _RELATIONS[str(row["relation"])]
        if relation in ("concerns", "inherits theme") and str(row["statement"]) in commitments:
            target = add_entity(graph, str(row["entity"]), vocabulary)
            add_edge(graph, short_id(str(row["statement"])), target, relation)
    count_commitments(graph)
    return graph


_OPTIONS = ("yes", "no", "abstain")


def _votes(rows: Rows) -> nx.Graph:
    """States linked by agreement: votes where both took the same position ÷ votes both took."""
    vocabulary = vocabulary_nodes(rows["export-vocabulary"])
    positions: dict[str, dict[str, str]] = defaultdict(dict)
    votes: dict[str, str] = {}
    for row in rows["export-vote-positions"]:
        vote = str(row["vote"])
        votes[vote] = str(row["voteLabel"])
        positions[str(row["state"])][vote] = str(row["option"])
    columns = {vote: f"vote_{i}" for i, vote in enumerate(sorted(votes), start=1)}
    graph = nx.Graph()
    for vote, column in columns.items():
        graph.graph[column] = votes[vote]  # what each vote_N attribute is about
    for state, taken in sorted(positions.items()):
        node = add_entity(graph, state, vocabulary)
        for vote, column in columns.items():
            graph.nodes[node][column] = taken.get(vote, "absent")
        for option in _OPTIONS:
            graph.nodes[node][f"votes_{option}"] = sum(1 for o in taken.values() if o == option)
    for first, second in combinations(sorted(positions), 2):
        shared = positions[first].keys() & positions[second].keys()
        if not shared:
            continue
        same = sum(1 for vote in shared if positions[first][vote] == positions[second][vote])
        if same:
            add_edge(
                graph,
                short_id(first),
                short_id(second),
                "voted alike",
                weight=same / len(shared),
                votes_compared=len(shared),
                votes_alike=same,
            )
    return graph


def _timeline(rows: Rows) -> nx.MultiDiGraph:
    """Meetings from 2001 on (those with a known or planned year) and the commitments each
    adopted; every node and edge starts at its meeting's date. Commitments of the General
    Assembly's resolutions were adopted at no meeting of the process and are left out."""
    graph = nx.MultiDiGraph()
    graph.graph["mode"] = "dynamic"
    vocabulary = vocabulary_nodes(rows["export-vocabulary"])
    dates = meeting_dates(rows["export-meetings"])
    ordered = sorted(dates.items(), key=lambda item: (item[1][0], item[0]))
    previous: str | None = None
    for iri, (date, precision) in ordered:
        node = add_entity(graph, iri, vocabulary)
        graph.nodes[node].update(
            start=date, date=date, date_precision=precision, year=int(date[:4])
        )
        if previous is not None:
            add_edge(graph, previous, node, "followed by", start=date)
        previous = node
    commitments = add_commitments(graph, rows["export-commitments"], vocabulary)
    for iri, commitment in commitments.items():
        meeting = commitment["meeting_iri"]
        if not meeting:  # a resolution's: adopted by the General Assembly, at no PoA meeting
            graph.remove_node(short_id(iri))
            continue
        date, precision = dates.get(meeting, (commitment["date"], commitment["date_precision"]))
        graph.nodes[short_id(iri)].update(start=date, date=date, date_precision=precision)
        meeting_node = add_entity(graph, meeting, vocabulary)
        add_edge(graph, short_id(iri), meeting_node, "adopted at", start=date)
    count_commitments(graph)
    return graph


_COMMITMENT_CLASSES = frozenset({"Commitment", "ProceduralDecision"})


def _lineage_end(row: Row, prefix: str, vocabulary: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Node attributes of one end of a lineage row (``p``-prefixed columns: the predecessor)."""
    iri = str(row["predecessor" if prefix else "statement"])
    attributes = statement_attributes(row, iri, vocabulary, prefix)
    if attributes["class"] not in _COMMITMENT_CLASSES:
        attributes["node_type"] = "Statement"
    return attributes


def _lineage(rows: Rows) -> nx.MultiDiGraph:
    """Statements linked from each earlier version to the later one, kind = relation, weight =
    confidence; dynamic: a version lives from its document's date until the date of the latest
    document that carries it on (open when none does), a link from the later document's date."""
    graph = nx.MultiDiGraph()
    graph.graph["mode"] = "dynamic"
    vocabulary = vocabulary_nodes(rows["export-vocabulary"])
    for row in rows["export-lineage"]:
        ends = []
        for prefix in ("", "p"):
            attributes = _lineage_end(row, prefix, vocabulary)
            node = short_id(attributes["iri"])
            if node not in graph:
                graph.add_node(node, start=attributes["date"], **attributes)
            ends.append(node)
        later, earlier = ends
        date = graph.nodes[later]["date"]
        if date > graph.nodes[earlier].get("end", ""):
            graph.nodes[earlier]["end"] = date
        edge: dict[str, Any] = {
            "weight": float(row["confidence"] or 0.0),
            "rank": int(str(row["rank"])),
            "start": date,
        }
        if row.get("strengthChange") is not None:
            edge["strength_change"] = int(str(row["strengthChange"]))
        if row.get("classChange") is not None:
            edge["class_change"] = str(row["classChange"])
        add_edge(graph, earlier, later, str(row["relation"]), **edge)
    return graph


# ---------------------------------------------------------------------- sizes


def _size_by_degree(graph: nx.Graph) -> None:
    for node, degree in graph.degree():
        graph.nodes[node]["size"] = round(4.0 + 3.0 * math.sqrt(degree), 2)
