"""A statement's history: ``statement-history.rq`` → a ``HistoryOut``, its timeline of versions.

The timeline follows each version's best link back (rank 1) to the first appearance of the
wording, then forward from the statement along the most confident successor, and gives every
version its document, year, text, class and strength, and the link that joins it to the version
before: relation, confidence, strength or class change, the words added and removed, and the text
cut into same / added / removed runs for highlighting. Other links of a version (the second
paragraph a merged one combines) are listed with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel
from pyoxigraph import NamedNode

from poa_kg.namespaces import key_of
from poa_kg.serve.read.reader import Reader, Row
from poa_kg.serve.read.records import Ref, integer
from poa_kg.wording import diff_segments, word_changes


class Segment(BaseModel):
    kind: str
    """``same``, ``added`` or ``removed``."""
    text: str


class VersionLink(BaseModel):
    """How a version comes from the one before it in the timeline."""

    earlier: Ref
    relation: str
    confidence: float
    rank: int
    strength_change: int | None = None
    class_change: str | None = None
    words_added: list[str] = []
    words_removed: list[str] = []
    segments: list[Segment] = []


class Version(BaseModel):
    statement: Ref
    document: Ref
    year: int
    date: str
    text: str
    statement_class: str
    strength_level: int | None = None
    strength: str | None = None
    link: VersionLink | None = None
    """None for the first appearance."""
    other_links: list[VersionLink] = []
    """Further earlier statements this version is linked to (merged, split)."""


class HistoryOut(BaseModel):
    id: str
    iri: str
    first_appearance: Version
    versions: list[Version]
    """Oldest first; the statement asked for is one of them."""


@dataclass
class _Node:
    row: Row
    links: dict[str, Row] = field(default_factory=dict)
    """earlier statement IRI → the link row."""


def _nodes(rows: list[Row]) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    for row in rows:
        version = str(row["version"])
        node = nodes.setdefault(version, _Node(row))
        if row.get("earlier") is not None:
            node.links.setdefault(str(row["earlier"]), row)
    return nodes


def _link(row: Row, later: str, nodes: dict[str, _Node]) -> VersionLink:
    earlier = str(row["earlier"])
    before = str(nodes[earlier].row["text"]) if earlier in nodes else ""
    added, removed = word_changes(before, later) if before else ((), ())
    return VersionLink(
        earlier=Ref(iri=earlier, id=key_of(earlier, "statement")),
        relation=str(row["relation"]),
        confidence=float(str(row["confidence"])),
        rank=int(str(row["rank"])),
        strength_change=integer(row.get("strengthChange")),
        class_change=None if row.get("classChange") is None else str(row["classChange"]),
        words_added=list(added),
        words_removed=list(removed),
        segments=[Segment(kind=k, text=t) for k, t in diff_segments(before, later)]
        if before
        else [],
    )


def _version(iri: str, nodes: dict[str, _Node], previous: str | None) -> Version:
    node = nodes[iri]
    row = node.row
    text = str(row["text"])
    date = str(row["date"])
    links = sorted(node.links.values(), key=lambda r: int(str(r["rank"])))
    main = node.links.get(previous) if previous is not None else None
    document = str(row["document"])
    return Version(
        statement=Ref(iri=iri, id=key_of(iri, "statement")),
        document=Ref(
            iri=document,
            id=key_of(document, "document"),
            label=None if row.get("documentTitle") is None else str(row["documentTitle"]),
        ),
        year=int(date[:4]),
        date=date,
        text=text,
        statement_class=str(row["class"]).rsplit("#", 1)[-1],
        strength_level=integer(row.get("level")),
        strength=None if row.get("strengthLabel") is None else str(row["strengthLabel"]),
        link=_link(main, text, nodes) if main is not None else None,
        other_links=[_link(r, text, nodes) for r in links if r is not main],
    )


def timeline(rows: list[Row], statement: str) -> list[Version]:
    """The versions of ``statement`` oldest first (empty when the rows do not hold it)."""
    nodes = _nodes(rows)
    if statement not in nodes:
        return []
    back = [statement]
    while True:
        links = nodes[back[-1]].links
        best = min(links.values(), key=lambda r: int(str(r["rank"])), default=None)
        earlier = None if best is None else str(best["earlier"])
        if earlier is None or earlier not in nodes or earlier in back:
            break
        back.append(earlier)
    successors: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for iri, node in nodes.items():
        for earlier, row in node.links.items():
            successors[earlier].append((float(str(row["confidence"])), iri))
    forward: list[str] = []
    current = statement
    while successors.get(current):
        _confidence, following = max(successors[current])
        if following in back or following in forward:
            break
        forward.append(following)
        current = following
    chain = list(reversed(back)) + forward
    return [_version(iri, nodes, chain[i - 1] if i else None) for i, iri in enumerate(chain)]


async def history(reader: Reader, statement: NamedNode, statement_id: str) -> HistoryOut | None:
    """The timeline of ``statement`` from its first appearance on, or None when it has none."""
    rows = await reader.rows("statement-history", {"statement": statement})
    versions = timeline(rows, statement.value)
    if not versions:
        return None
    return HistoryOut(
        id=statement_id, iri=statement.value, first_appearance=versions[0], versions=versions
    )


__all__ = ["HistoryOut", "Segment", "Version", "VersionLink", "history", "timeline"]
