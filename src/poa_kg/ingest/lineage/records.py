"""Records: what lineage takes (``LineageStatement``) and gives (``Link``, ``Lineage``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Relation = Literal["restated", "revised", "realised", "merged", "split"]
"""What a later statement is to one earlier statement it is linked to. A statement with no link
is ``new``; an earlier statement no statement of the next document links to is ``dropped``."""
RELATIONS: tuple[str, ...] = ("restated", "revised", "realised", "merged", "split")


@dataclass(frozen=True)
class LineageStatement:
    """A statement as lineage sees it."""

    document: str
    document_kind: str
    date: str
    key: str
    """``{part}/{eId}``: with the document, the statement's IRI."""
    text: str
    level: int | None = None
    """Notation of its strength level (0 consider … 5 decide), when it has one."""
    cls: str | None = None
    """Its class (``Commitment``, ``Declaration``, ``Preambular`` …): strength is compared only
    between statements of one class."""
    heading: str = ""
    """The heading of its section (an outline element is a topic under it: "Marking")."""
    headings: tuple[str, ...] = ()
    """The headings of every section it stands in, outermost first."""

    @property
    def id(self) -> str:
        """``{document}/{part}/{eId}``."""
        return f"{self.document}/{self.key}"


@dataclass(frozen=True)
class Link:
    """One scored link from a later statement to an earlier one (a later statement may have
    several, ranked by score)."""

    later: LineageStatement
    earlier: LineageStatement
    relation: Relation
    score: float
    """Confidence of the link (0–1): the word alignment's score (``align.score``)."""
    rank: int
    """1 for the later statement's best link, 2 for the next …"""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    strength_change: int | None = None
    """Later level minus earlier, when both are of one class and both have a level."""
    class_change: tuple[str, str] | None = None
    """(earlier class, later class) when they differ: then there is no strength change."""


@dataclass
class Lineage:
    """Lineage over the documents given."""

    statements: list[LineageStatement]
    links: list[Link]
    series: list[list[str]]
    """Each series' documents in time order."""
    first: dict[str, LineageStatement] = field(default_factory=dict)
    """Statement id → the earliest version of it (itself when it is new or in a first document)."""
    dropped: dict[str, str] = field(default_factory=dict)
    """Statement id → the next document of its series, which takes none of it up."""

    def links_of(self, statement_id: str) -> list[Link]:
        """The links of a later statement, best first."""
        return sorted((x for x in self.links if x.later.id == statement_id), key=lambda x: x.rank)

    def new(self) -> list[LineageStatement]:
        """Statements of a document that has predecessors in its series and no link."""
        firsts = {s[0] for s in self.series if s}
        linked = {x.later.id for x in self.links}
        return [s for s in self.statements if s.document not in firsts and s.id not in linked]


__all__ = ["RELATIONS", "Lineage", "LineageStatement", "Link", "Relation"]
