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
``backends.json_rows`` gives them; the caller runs the queries ``QUERIES[name]`` names.
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import combinations
from typing import Any

import networkx as nx

from poa_kg.errors import PoaKgError
from poa_kg.namespaces import ID, POA

Row = Mapping[str, Any]
Rows = Mapping[str, list[Row]]


class UnknownProjection(PoaKgError):
    """No projection has that name."""


@dataclass(frozen=True)
class NodeType:
    name: str
    rgb: tuple[int, int, int]
    description: str


@cache
def node_types() -> dict[str, NodeType]:
    """Node types and their colours (``node-types.csv``)."""
    text = files(__package__).joinpath("node-types.csv").read_text(encoding="utf-8")
    return {
        row["node_type"]: NodeType(
            row["node_type"], (int(row["r"]), int(row["g"]), int(row["b"])), row["description"]
        )
        for row in csv.DictReader(text.splitlines())
    }


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
_SCHEME_TYPES = {
    "actors": "Actor",
    "states": "State",
    "instruments": "Instrument",
    "meetings": "Meeting",
    "themes": "Theme",
}
_SHORT_LABEL = 40
"""Longer preferred labels give way to the shortest alternative label (e.g. a meeting's acronym)."""


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


# ---------------------------------------------------------------------- nodes


def _short(iri: str) -> str:
    """A node id readable in Gephi's data table: the IRI path after ``/id/``."""
    return iri.removeprefix(str(ID))


def _vocabulary(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
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


def _meeting_dates(rows: Iterable[Row]) -> dict[str, tuple[str, str]]:
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


def _document_date(value: object) -> tuple[str, str]:
    text = str(value)
    return (text, "day") if len(text) == 10 else (f"{text[:4]}-01-01", "year")


def citation(eid: str, number: object) -> str:
    """``II.10`` for the eId ``sec_II__para_10``; the bare number in a document without sections."""
    parts = dict(part.split("_", 1) for part in eid.split("__") if "_" in part)
    section = parts.get("sec")
    cited = str(number) if number is not None else parts.get("para", eid)
    return f"{section}.{cited}" if section else cited


def _document_key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _add_commitments(
    graph: nx.Graph, rows: Iterable[Row], meetings: Mapping[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Commitment nodes (one per statement) with document, meeting, year and strength."""
    added: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = str(row["statement"])
        if iri in added:
            continue
        document = str(row["document"])
        # a resolution belongs to no meeting of the process: its meeting is ""
        meeting = str(row["meeting"]) if row.get("meeting") is not None else ""
        date, precision = _document_date(row["date"])
        unit = str(row["unit"])
        part = "annex " if "/annex" in unit else ""
        cited = citation(str(row["eid"]), row.get("number"))
        attributes: dict[str, Any] = {
            "label": f"{_document_key(document)} {part}{cited}",
            "node_type": "Commitment",
            "class": str(row["class"]).removeprefix(str(POA)),
            "iri": iri,
            "document": _document_key(document),
            "meeting": meetings.get(meeting, {}).get("label", _short(meeting)) if meeting else "",
            "year": int(date[:4]),
            "date": date,
            "date_precision": precision,
        }
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
        graph.add_node(_short(iri), **attributes)
        added[iri] = {**attributes, "document_iri": document, "meeting_iri": meeting}
    return added


def _add_entity(graph: nx.Graph, iri: str, vocabulary: Mapping[str, dict[str, Any]]) -> str:
    node = _short(iri)
    if node not in graph:
        entry = vocabulary.get(iri)
        if entry is None:  # named but outside the vocabularies (should not happen: SHACL)
            entry = {"label": node, "node_type": "Actor", "class": "Actor", "iri": iri}
        graph.add_node(node, **entry)
    return node


def _add_edge(graph: nx.Graph, source: str, target: str, kind: str, **attributes: Any) -> None:
    if isinstance(graph, nx.MultiGraph):
        graph.add_edge(source, target, key=kind, kind=kind, **attributes)
    else:
        graph.add_edge(source, target, kind=kind, **attributes)


# ---------------------------------------------------------------------- projections


def _entities(rows: Rows) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    vocabulary = _vocabulary(rows["export-vocabulary"])
    dates = _meeting_dates(rows["export-meetings"])
    commitments = _add_commitments(graph, rows["export-commitments"], vocabulary)
    for iri, commitment in commitments.items():
        document = commitment["document_iri"]
        document_node = _short(document)
        if document_node not in graph:
            graph.add_node(
                document_node,
                label=commitment.get("symbol", _document_key(document)),
                node_type="Document",
                **{"class": "Document"},
                iri=document,
                year=commitment["year"],
                date=commitment["date"],
                date_precision=commitment["date_precision"],
            )
        _add_edge(graph, _short(iri), document_node, "in document")
        if not commitment["meeting_iri"]:
            continue  # a resolution: adopted by the General Assembly, not at a PoA meeting
        meeting_node = _add_entity(graph, commitment["meeting_iri"], vocabulary)
        if commitment["meeting_iri"] in dates:
            graph.nodes[meeting_node]["date"] = dates[commitment["meeting_iri"]][0]
            graph.nodes[meeting_node]["year"] = int(dates[commitment["meeting_iri"]][0][:4])
        _add_edge(graph, document_node, meeting_node, "of meeting")
    for row in rows["export-links"]:
        if str(row["statement"]) not in commitments:
            continue  # the links query is not narrowed by class order; keep exported ones
        target = _add_entity(graph, str(row["entity"]), vocabulary)
        _add_edge(graph, _short(str(row["statement"])), target, _RELATIONS[str(row["relation"])])
    _count_commitments(graph)
    return graph


def _actor_instrument(rows: Rows) -> nx.Graph:
    vocabulary = _vocabulary(rows["export-vocabulary"])
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
        source = _add_entity(graph, actor, vocabulary)
        target = _add_entity(graph, instrument, vocabulary)
        _add_edge(graph, source, target, "named together", weight=float(count), commitments=count)
    for iri, statements in paired.items():
        graph.nodes[_short(iri)]["commitments"] = len(statements)
    return graph


def _commitment_theme(rows: Rows) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    vocabulary = _vocabulary(rows["export-vocabulary"])
    commitments = _add_commitments(graph, rows["export-commitments"], vocabulary)
    for row in rows["export-links"]:
        relation = _RELATIONS[str(row["relation"])]
        if relation in ("concerns", "inherits theme") and str(row["statement"]) in commitments:
            target = _add_entity(graph, str(row["entity"]), vocabulary)
            _add_edge(graph, _short(str(row["statement"])), target, relation)
    _count_commitments(graph)
    return graph


_OPTIONS = ("yes", "no", "abstain")


def _votes(rows: Rows) -> nx.Graph:
    """States linked by agreement: votes where both took the same position ÷ votes both took."""
    vocabulary = _vocabulary(rows["export-vocabulary"])
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
        node = _add_entity(graph, state, vocabulary)
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
            _add_edge(
                graph,
                _short(first),
                _short(second),
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
    vocabulary = _vocabulary(rows["export-vocabulary"])
    dates = _meeting_dates(rows["export-meetings"])
    ordered = sorted(dates.items(), key=lambda item: (item[1][0], item[0]))
    previous: str | None = None
    for iri, (date, precision) in ordered:
        node = _add_entity(graph, iri, vocabulary)
        graph.nodes[node].update(
            start=date, date=date, date_precision=precision, year=int(date[:4])
        )
        if previous is not None:
            _add_edge(graph, previous, node, "followed by", start=date)
        previous = node
    commitments = _add_commitments(graph, rows["export-commitments"], vocabulary)
    for iri, commitment in commitments.items():
        meeting = commitment["meeting_iri"]
        if not meeting:  # a resolution's: adopted by the General Assembly, at no PoA meeting
            graph.remove_node(_short(iri))
            continue
        date, precision = dates.get(meeting, (commitment["date"], commitment["date_precision"]))
        graph.nodes[_short(iri)].update(start=date, date=date, date_precision=precision)
        meeting_node = _add_entity(graph, meeting, vocabulary)
        _add_edge(graph, _short(iri), meeting_node, "adopted at", start=date)
    _count_commitments(graph)
    return graph


_COMMITMENT_CLASSES = frozenset({"Commitment", "ProceduralDecision"})


def _lineage_end(row: Row, prefix: str, vocabulary: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Node attributes of one end of a lineage row (``p``-prefixed columns: the predecessor)."""

    def column(name: str) -> Any:
        return row.get(f"{prefix}{name[0].upper()}{name[1:]}" if prefix else name)

    document = str(column("document"))
    date, precision = _document_date(column("date"))
    part = "annex " if "/annex" in str(column("unit")) else ""
    meeting = str(column("meeting")) if column("meeting") is not None else ""
    cls = str(column("class")).removeprefix(str(POA))
    cited = citation(str(column("eid")), column("number"))
    return {
        "label": f"{_document_key(document)} {part}{cited}",
        "node_type": "Commitment" if cls in _COMMITMENT_CLASSES else "Statement",
        "class": cls,
        "iri": str(row["predecessor" if prefix else "statement"]),
        "document": _document_key(document),
        "meeting": vocabulary.get(meeting, {}).get("label", _short(meeting)) if meeting else "",
        "year": int(date[:4]),
        "date": date,
        "date_precision": precision,
    }


def _lineage(rows: Rows) -> nx.MultiDiGraph:
    """Statements linked from each earlier version to the later one, kind = relation, weight =
    confidence; dynamic: a version lives from its document's date until the date of the latest
    document that carries it on (open when none does), a link from the later document's date."""
    graph = nx.MultiDiGraph()
    graph.graph["mode"] = "dynamic"
    vocabulary = _vocabulary(rows["export-vocabulary"])
    for row in rows["export-lineage"]:
        ends = []
        for prefix in ("", "p"):
            attributes = _lineage_end(row, prefix, vocabulary)
            node = _short(attributes["iri"])
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
        _add_edge(graph, earlier, later, str(row["relation"]), **edge)
    return graph


# ---------------------------------------------------------------------- sizes


def _count_commitments(graph: nx.Graph) -> None:
    """Each non-commitment node's number of commitments linked to it (what Gephi users size by)."""
    counts: Counter[str] = Counter()
    for source, target in graph.edges():
        if graph.nodes[source].get("node_type") == "Commitment":
            counts[target] += 1
    for node, data in graph.nodes(data=True):
        if data.get("node_type") != "Commitment":
            data["commitments"] = counts[node]


def _size_by_degree(graph: nx.Graph) -> None:
    for node, degree in graph.degree():
        graph.nodes[node]["size"] = round(4.0 + 3.0 * math.sqrt(degree), 2)


def colour(node_type: str) -> tuple[int, int, int]:
    found = node_types().get(node_type)
    return found.rgb if found else (160, 160, 160)


@cache
def group_colours() -> dict[str, tuple[int, int, int]]:
    """A colour per UN regional group (``regional-groups.csv``): States are coloured by group."""
    text = files(__package__).joinpath("regional-groups.csv").read_text(encoding="utf-8")
    return {
        row["un_group"]: (int(row["r"]), int(row["g"]), int(row["b"]))
        for row in csv.DictReader(text.splitlines())
    }


def node_colour(data: Mapping[str, Any]) -> tuple[int, int, int]:
    """A State by its UN regional group; any other node by its type."""
    group = group_colours().get(str(data.get("un_group", "")))
    return group if group is not None else colour(str(data.get("node_type", "")))
