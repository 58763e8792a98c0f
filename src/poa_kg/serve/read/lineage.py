"""Lineage: a statement's ranked links to earlier versions and from later ones (``lineage.rq``)
→ a ``LineageOut``; two documents compared (``compare-documents.rq``) → a ``ComparisonOut``."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel
from pyoxigraph import NamedNode

from poa_kg.namespaces import key_of
from poa_kg.serve.read.reader import Reader, Row
from poa_kg.serve.read.records import Ref, integer, ref, text


class LineageStep(BaseModel):
    statement: Ref
    document: Ref | None = None
    text: str | None = None
    relation: str
    confidence: float
    rank: int
    """The link's place among the later statement's links (1: the best)."""
    words_added: list[str] = []
    words_removed: list[str] = []
    strength_change: int | None = None
    class_change: str | None = None
    """"Declaration → Commitment" when the classes differ (then no strength change)."""


class LineageOut(BaseModel):
    id: str
    iri: str
    relation: str
    """What this statement is to its best earlier version; ``new`` when it has none."""
    predecessor: LineageStep | None
    """The best earlier version (``predecessors[0]``)."""
    predecessors: list[LineageStep]
    successors: list[LineageStep]


class ComparedStatement(BaseModel):
    status: str
    statement: Ref
    predecessor: Ref | None = None
    confidence: float | None = None
    strength_change: int | None = None
    text: str


class ComparisonOut(BaseModel):
    earlier: Ref
    later: Ref
    counts: dict[str, int]
    statements: list[ComparedStatement]


def _words(value: object) -> list[str]:
    """The words of a GROUP_CONCAT, sorted: engines concatenate in an order of their own."""
    return sorted(w for w in str(value or "").split(" | ") if w)


def _step(row: Row) -> LineageStep:
    return LineageStep(
        statement=ref(row["other"], None, "statement"),
        document=ref(row["otherDocument"], None, "document") if row.get("otherDocument") else None,
        text=text(row.get("otherText")),
        relation=str(row["relation"]),
        confidence=float(str(row["confidence"])),
        rank=int(str(row["rank"])),
        words_added=_words(row.get("wordsAdded")),
        words_removed=_words(row.get("wordsRemoved")),
        strength_change=integer(row.get("strengthChange")),
        class_change=text(row.get("classChange")),
    )


async def lineage(reader: Reader, statement: NamedNode, statement_id: str) -> LineageOut:
    """``statement``'s earlier versions (best first) and the later statements linked to it."""
    rows = await reader.rows("lineage", {"statement": statement})
    before = sorted(
        (_step(r) for r in rows if r["direction"] == "predecessor"), key=lambda s: s.rank
    )
    return LineageOut(
        id=statement_id,
        iri=statement.value,
        relation=before[0].relation if before else "new",
        predecessor=before[0] if before else None,
        predecessors=before,
        successors=[_step(r) for r in rows if r["direction"] == "successor"],
    )


async def comparison(reader: Reader, earlier: NamedNode, later: NamedNode) -> ComparisonOut:
    """Every statement of ``later`` with what it is to ``earlier``, and the dropped ones."""
    rows = await reader.rows("compare-documents", {"earlier": earlier, "later": later})
    statements = [
        ComparedStatement(
            status=str(r["status"]),
            statement=ref(r["statement"], None, "statement"),
            predecessor=ref(r["predecessor"], None, "statement") if r.get("predecessor") else None,
            confidence=None if r.get("confidence") is None else float(r["confidence"] or 0),
            strength_change=integer(r.get("strengthChange")),
            text=str(r["text"]),
        )
        for r in rows
    ]
    return ComparisonOut(
        earlier=Ref(iri=earlier.value, id=key_of(earlier.value, "document")),
        later=Ref(iri=later.value, id=key_of(later.value, "document")),
        counts=dict(sorted(Counter(s.status for s in statements).items())),
        statements=statements,
    )
