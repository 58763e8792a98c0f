"""The records the read functions give: what a statement, document, entity, vote or measurement
is, as Python values ready to be written as JSON (the REST API's response models). Their role is
in the name: ``…Out`` one resource, ``…Page`` a paginated list; ``Ref`` links to another.
``ref`` and ``rule`` build the small shared parts from query values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from poa_kg.namespaces import key_of

T = TypeVar("T")


class Listing(list[T], Generic[T]):
    """Records of a list, and whether the row cap cut it (``truncated``): the caller must say
    the list is incomplete instead of passing it off as the whole."""

    def __init__(self, items: Iterable[T] = (), truncated: bool = False):
        super().__init__(items)
        self.truncated = truncated


class Ref(BaseModel):
    """A linked resource: its IRI, its short id and a label."""

    iri: str
    id: str
    label: str | None = None


def ref(iri: object, label: object = None, kind: str = "") -> Ref:
    """A ``Ref`` from query values: the IRI, its short id (``namespaces.key_of``), a label."""
    return Ref(iri=str(iri), id=key_of(iri, kind), label=None if label is None else str(label))


def maybe_ref(iri: object, label: object = None, kind: str = "") -> Ref | None:
    return None if iri is None else ref(iri, label, kind)


def text(value: object) -> str | None:
    """A query value as text, None when unbound."""
    return None if value is None else str(value)


def integer(value: object) -> int | None:
    return None if value is None else int(str(value))


class CommitmentSummary(BaseModel):
    id: str = Field(examples=["revcon3-2018/annex/sec_II__para_13"])
    iri: str
    statement_class: str = Field(examples=["Commitment"])
    number: str | None = None
    text: str
    document: Ref
    meeting: Ref | None = None
    """The PoA meeting whose document holds it (none for a General Assembly resolution)."""
    strength: str | None = Field(None, examples=["encouragement"])
    strength_notation: int | None = None
    lead_verb: str | None = None


class Page(BaseModel):
    total: int
    page: int
    per_page: int
    truncated: bool = Field(
        default=False,
        description="true when the row cap cut the list: `total` is then a lower bound",
    )


class CommitmentPage(Page):
    items: list[CommitmentSummary]


class StatementPage(Page):
    """A page of statements of any kind (``statement_class`` says which)."""

    items: list[CommitmentSummary]


class RuleOut(BaseModel):
    """How a tag was obtained: the rule (``ontology/vocab/rules.csv``) and what it read."""

    rule: Ref
    evidence: str | None = Field(None, examples=["tracing"])
    """The cue phrase, label, verb or heading words that fired."""
    distance: int | None = None
    """Edit distance of a fuzzy match."""


def rule(rule: object, label: object, evidence: object, distance: object = None) -> RuleOut | None:
    """How a tag was obtained, from a query's rule, rule label, evidence and distance values."""
    if rule is None:
        return None
    return RuleOut(
        rule=ref(rule, label, "rule"), evidence=text(evidence), distance=integer(distance)
    )


class MentionOut(BaseModel):
    entity: Ref
    kind: str = Field(examples=["actor"])
    text: str = Field(examples=["INTERPOL"])
    start: int
    end: int
    method: str = Field(examples=["exact"])
    in_list: bool = False
    obtained_by: RuleOut | None = None


class InheritedThemeOut(Ref):
    """A theme inherited from a heading, with the heading that gives it and the words that fired."""

    section: Ref
    heading: str
    obtained_by: RuleOut


class Span(BaseModel):
    source: str
    start: int
    end: int


class CommitmentOut(BaseModel):
    id: str
    iri: str
    statement_class: str
    paragraph: Ref
    number: str | None
    text: str
    span: Span
    document: Ref
    meeting: Ref | None = None
    section: str | None = None
    chapeau: str | None = None
    strength: Ref | None = None
    strength_notation: int | None = None
    lead_verb: str | None = None
    verbs: list[str] = []
    qualifiers: list[Ref] = []
    addressee: Ref | None = None
    addressee_text: str | None = None
    class_obtained_by: RuleOut | None = None
    strength_obtained_by: RuleOut | None = None
    themes: list[Ref] = []
    """Themes the paragraph's own words name (their mentions, with spans, are in ``mentions``)."""
    inherited_themes: list[InheritedThemeOut] = []
    mentions: list[MentionOut] = []
    citation: str | None = Field(None, examples=["A/CONF.192/2018/RC/3, annex, sect. II, para. 13"])
    """How to cite the paragraph (its ``dcterms:bibliographicCitation``; more at ``/cite/{id}``)."""
    official: str | None = None
    """The official text of its document (https://undocs.org/{symbol}) where the symbol is known."""
    links: dict[str, str] = {}


class EntitySummary(BaseModel):
    id: str
    iri: str
    label: str
    type: str | None = None
    commitments: int


class EntityPage(Page):
    items: list[EntitySummary]


class StatementRef(BaseModel):
    id: str
    iri: str
    statement_class: str
    relation: str
    text: str
    document: Ref


class EntityOut(BaseModel):
    id: str
    iri: str
    label: str | None
    types: list[str]
    properties: dict[str, list[str]]
    statements: list[StatementRef]
    statements_truncated: bool = Field(
        default=False, description="true when the row cap cut `statements` (the list is incomplete)"
    )
    links: dict[str, str] = {}


class DocumentOut(BaseModel):
    id: str
    iri: str
    title: str
    date: str
    kind: str
    symbol: str | None
    meeting: Ref | None = None
    """The PoA meeting the document belongs to (none for a General Assembly resolution)."""
    statements: int
    citation: str | None = None
    """How to cite the document ("title, symbol (date)"); a paragraph's: ``/cite/{id}``."""
    official: str | None = None
    """The official text at https://undocs.org/{symbol}, where the symbol is known."""


class PositionOut(BaseModel):
    state: Ref
    option: str = Field(examples=["abstain"])
    un_group: str | None = None
    """The State's UN regional group (none for the Holy See)."""
    m49_region: str | None = None


class VoteOut(BaseModel):
    id: str
    iri: str
    label: str
    paragraph: Ref
    motion: Ref | None = None
    adopted_paragraph: Ref | None = None
    stated: dict[str, int]
    counted: dict[str, int]
    positions: list[PositionOut] = []
    by_group: dict[str, dict[str, int]] = {}
    """Per option, the number of States of each UN regional group that took it."""


class StateVoteOut(BaseModel):
    vote: Ref
    option: str
    citation: str | None = None
    """The paragraph that records the vote."""
    voted_on: str | None = None
    """The adopted paragraph that corresponds to the draft paragraph voted on, if any."""


class Stats(BaseModel):
    figures: dict[str, int]
    data_version: str


class MeasurementOut(BaseModel):
    """One measured figure (a W3C DQV quality measurement of graph/accuracy)."""

    iri: str
    aspect: str = Field(examples=["themes"])
    metric: str = Field(examples=["precision"])
    document_kind: str = Field(examples=["resolution"])
    half: str = Field(examples=["test"])
    """``test``: measured on labels never used to tune the rules; ``tune``; ``all``."""
    value: float
    sample_size: int
    sample_date: str
    sample_files: list[str]
    command: str = Field(examples=["uv run poa-kg accuracy"])
    sample: str | None = None
    """What the sample is and how it was labelled."""


class QualityCount(BaseModel):
    type: str
    label: str | None = None
    severity: str
    issues: int


class AccuracyOut(BaseModel):
    measurements: list[MeasurementOut]
    quality_report: list[QualityCount]
