"""Statements: ``statements.rq``/``statements-count.rq`` → a ``StatementPage``; one statement
(``statement.rq`` with its terms, mentions and inherited themes) → a ``CommitmentOut``."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from poa_kg.namespaces import entity, key_of, kind_of
from poa_kg.serve.queries import Term
from poa_kg.serve.read.citations import cite
from poa_kg.serve.read.reader import Reader, Row
from poa_kg.serve.read.records import (
    CommitmentOut,
    CommitmentSummary,
    InheritedThemeOut,
    MentionOut,
    RuleOut,
    Span,
    StatementPage,
    integer,
    maybe_ref,
    ref,
    rule,
    text,
)


@dataclass(frozen=True)
class StatementFilter:
    """What a list of statements is narrowed to; every entity as its IRI."""

    entities: dict[str, NamedNode] = field(default_factory=dict)
    """By filter name: ``actor``, ``state``, ``instrument``, ``meeting``, ``document``,
    ``theme``, ``strength``."""
    kind: str | None = None
    q: str | None = None
    theme_inherited: bool = False
    sort: str = "document"

    def bindings(self) -> dict[str, Term]:
        variables = {
            "actor": "actor",
            "state": "state",
            "instrument": "instrument",
            "meeting": "forMeeting",
            "document": "forDocument",
            "theme": "anyTheme" if self.theme_inherited else "theme",
            "strength": "level",
        }
        bound: dict[str, Term] = {variables[k]: v for k, v in self.entities.items()}
        if self.kind:
            bound["kind"] = Literal(self.kind)
        if self.q:
            bound["q"] = Literal(self.q)
        return bound


def _summary(row: Row) -> CommitmentSummary:
    return CommitmentSummary(
        id=key_of(row["statement"], "statement"),
        iri=str(row["statement"]),
        statement_class=str(row["class"]).rsplit("#", 1)[-1],
        number=text(row.get("number")),
        text=str(row["text"]),
        document=ref(row["document"], None, "document"),
        meeting=maybe_ref(row.get("meeting"), None, "meeting"),
        strength=key_of(row["strength"], "level") if row.get("strength") else None,
        strength_notation=integer(row.get("notation")),
        lead_verb=text(row.get("leadVerb")),
    )


async def statement_page(
    reader: Reader, where: StatementFilter, page: int, per_page: int
) -> StatementPage:
    """Page ``page`` of the statements ``where`` selects, with their total."""
    bindings = where.bindings()
    counted = await reader.rows("statements-count", bindings)
    total = int(counted[0]["total"] or 0) if counted else 0
    if where.sort != "document":
        bindings["sort"] = Literal(where.sort)
    rows = await reader.rows("statements", bindings, limit=per_page, offset=(page - 1) * per_page)
    return StatementPage(
        items=[_summary(r) for r in rows],
        total=total,
        page=page,
        per_page=per_page,
        truncated=counted.truncated or rows.truncated,
    )


async def statement_exists(reader: Reader, statement_id: str) -> NamedNode | None:
    """The IRI of statement ``statement_id``, or None when there is no such statement.

    Raises:
        ValueError: the id does not make an IRI.
    """
    statement = NamedNode(entity("statement", statement_id))
    found = await reader.rows("statement", {"statement": statement}, cap=1)
    return statement if found else None


async def statement(reader: Reader, statement_id: str) -> CommitmentOut | None:
    """One statement with its mentions and the provenance of every tag, or None.

    Raises:
        ValueError: the id does not make an IRI.
    """
    iri = NamedNode(entity("statement", statement_id))
    bound = {"statement": iri}
    rows = await reader.rows("statement", bound, cap=10)
    if not rows:
        return None
    row = rows[0]
    terms = await reader.rows("statement-terms", bound, cap=1000)
    mentions = await reader.rows("statement-mentions", bound)
    inherited = await reader.rows("statement-inherited-themes", bound, cap=1000)
    facet = {
        name: [t for t in terms if t["facet"] == name] for name in ("verb", "qualifier", "theme")
    }
    source = str(row["document"]).replace("/document/", "/source/")
    cited = await cite(reader, f"statement/{statement_id}")
    base = reader.base_url
    return CommitmentOut(
        id=statement_id,
        iri=iri.value,
        statement_class=str(row["class"]).rsplit("#", 1)[-1],
        paragraph=ref(row["unit"], row.get("eid"), "unit"),
        number=text(row.get("number")),
        text=str(row["text"]),
        span=Span(source=source, start=int(row["start"] or 0), end=int(row["end"] or 0)),
        document=ref(row["document"], row.get("documentTitle"), "document"),
        meeting=maybe_ref(row.get("meeting"), row.get("meetingLabel"), "meeting"),
        section=text(row.get("heading")),
        chapeau=text(row.get("chapeauText")),
        strength=ref(row["strength"], row.get("strengthLabel"), "level")
        if row.get("strength")
        else None,
        strength_notation=None if row.get("notation") is None else int(row["notation"] or 0),
        lead_verb=text(row.get("leadVerb")),
        verbs=[str(t["value"]) for t in facet["verb"]],
        qualifiers=[ref(t["value"], t.get("label"), "qualifier") for t in facet["qualifier"]],
        addressee=ref(row["addressee"], row.get("addresseeLabel"), "addressee")
        if row.get("addressee")
        else None,
        addressee_text=text(row.get("addresseeText")),
        class_obtained_by=rule(
            row.get("classRule"), row.get("classRuleLabel"), row.get("classEvidence")
        ),
        strength_obtained_by=rule(
            row.get("levelRule"), row.get("levelRuleLabel"), row.get("levelEvidence")
        ),
        themes=[ref(t["value"], t.get("label"), "theme") for t in facet["theme"]],
        inherited_themes=[_inherited(t) for t in inherited],
        mentions=[_mention(m) for m in mentions],
        citation=None if cited is None else cited.citation,
        official=None if cited is None else cited.official,
        links={
            "html": f"{base}/page/statement/{statement_id}",
            "turtle": f"{base}/data/statement/{statement_id}.ttl",
            "jsonld": f"{base}/data/statement/{statement_id}.jsonld",
            "cite": f"{base}/cite/statement/{statement_id}",
            "accuracy": f"{base}/accuracy",
        },
    )


def _inherited(row: Row) -> InheritedThemeOut:
    return InheritedThemeOut(
        iri=str(row["theme"]),
        id=key_of(row["theme"], "theme"),
        label=text(row.get("label")),
        section=ref(row["section"], None, "section"),
        heading=str(row["heading"]),
        obtained_by=RuleOut(
            rule=ref(row["rule"], row.get("ruleLabel"), "rule"),
            evidence=str(row.get("matched") or row["cue"]),
        ),
    )


def _mention(row: Row) -> MentionOut:
    kind = kind_of(row["entity"])
    return MentionOut(
        entity=ref(row["entity"], row.get("label"), kind),
        kind=kind,
        text=str(row["matched"]),
        start=int(row["start"] or 0),
        end=int(row["end"] or 0),
        method=str(row["method"]),
        in_list=bool(row.get("inList")),
        obtained_by=rule(
            row.get("rule"), row.get("ruleLabel"), row.get("cue"), row.get("distance")
        ),
    )
