"""Vocabulary entries (actors, States, instruments, meetings, themes): ``entities.rq`` → an
``EntityPage``; one entry (``entity.rq`` and ``entity-statements.rq``) → an ``EntityOut``."""

from __future__ import annotations

from pyoxigraph import NamedNode

from poa_kg.namespaces import PREFIXES, entity, key_of
from poa_kg.serve.read.reader import Reader
from poa_kg.serve.read.records import (
    EntityOut,
    EntityPage,
    EntitySummary,
    Ref,
    StatementRef,
)


async def entity_page(
    reader: Reader, kind: str, scheme: str, page: int, per_page: int
) -> EntityPage:
    """Page ``page`` of the entries of concept scheme ``scheme``, most named first."""
    rows = await reader.rows("entities", {"scheme": NamedNode(entity("scheme", scheme))})
    items = [
        EntitySummary(
            id=key_of(r["entity"], kind),
            iri=str(r["entity"]),
            label=str(r["label"]),
            type=None if r.get("type") is None else str(r["type"]).rsplit("#", 1)[-1],
            commitments=int(r["commitments"] or 0),
        )
        for r in rows
    ]
    unique = list({item.iri: item for item in items}.values())
    start = (page - 1) * per_page
    return EntityPage(
        items=unique[start : start + per_page],
        total=len(unique),
        page=page,
        per_page=per_page,
        truncated=rows.truncated,  # the row cap cut the scheme: total is a lower bound
    )


async def entity_record(reader: Reader, iri: NamedNode, kind: str) -> EntityOut | None:
    """The entry ``iri`` with its properties and the statements naming it, or None."""
    bound = {"entity": iri}
    facts = await reader.rows("entity", bound)
    if not facts:
        return None
    statements = await reader.rows("entity-statements", bound)
    properties: dict[str, list[str]] = {}
    types, label = [], None
    for row in facts:
        prop, value = str(row["property"]), str(row["value"])
        if prop.endswith("#type"):
            types.append(value.rsplit("#", 1)[-1])
        elif prop.endswith("core#prefLabel"):
            label = value
        properties.setdefault(_short(prop), []).append(value)
    key = key_of(iri.value, kind)
    return EntityOut(
        id=key,
        iri=iri.value,
        label=label,
        types=sorted(set(types)),
        properties=properties,
        statements=[
            StatementRef(
                id=key_of(s["statement"], "statement"),
                iri=str(s["statement"]),
                statement_class=str(s["class"]).rsplit("#", 1)[-1],
                relation=str(s["relation"]).rsplit("#", 1)[-1],
                text=str(s["text"]),
                document=Ref(iri=str(s["document"]), id=key_of(s["document"], "document")),
            )
            for s in statements
        ],
        statements_truncated=statements.truncated,
        links={
            "html": f"{reader.base_url}/page/{kind}/{key}",
            "turtle": f"{reader.base_url}/data/{kind}/{key}.ttl",
        },
    )


# the property names an entity's JSON shows in compact form (the rest stay full IRIs)
_COMPACT = ("skos", "rdf", "rdfs", "poa", "dcterms", "org")


def _short(iri: str) -> str:
    for prefix in _COMPACT:
        namespace = str(PREFIXES[prefix])
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
