"""``/actors``, ``/states``, ``/instruments``, ``/meetings``, ``/themes``: the vocabularies, each
entry with the number of commitments naming it, and one entry with its statements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pyoxigraph import NamedNode

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from api.models import EntityOut, EntityPage, EntitySummary, Ref, StatementRef
from api.paging import paging_headers
from api.params import entity_term, short_id
from poa_kg.namespaces import PREFIXES, entity
from poa_kg.serve import queries
from poa_kg.serve.backends import select_rows
from poa_kg.serve.formats import JSON

# path segment → (IRI kind, concept scheme)
KINDS = {
    "actors": ("actor", "actors"),
    "states": ("state", "states"),
    "instruments": ("instrument", "instruments"),
    "meetings": ("meeting", "meetings"),
    "themes": ("theme", "themes"),
}


def make_router(segment: str) -> APIRouter:
    kind, scheme = KINDS[segment]
    router = APIRouter(prefix=f"/{segment}", tags=[segment])

    @router.get("", response_model=EntityPage, summary=f"The {segment}, most named first")
    async def list_entities(
        request: Request,
        backend: BackendDep,
        settings: SettingsDep,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> Response:
        base = f"{settings.base_url}/sparql"
        bindings = {"scheme": NamedNode(entity("scheme", scheme))}
        rows = await select_rows(
            backend,
            queries.job("entities", JSON, settings.row_cap, base, bindings),
            settings.deadline,
        )
        items = [
            EntitySummary(
                id=short_id(r["entity"], kind),
                iri=str(r["entity"]),
                label=str(r["label"]),
                type=None if r.get("type") is None else str(r["type"]).rsplit("#", 1)[-1],
                commitments=int(r["commitments"] or 0),
            )
            for r in rows
        ]
        unique = list({item.iri: item for item in items}.values())
        start = (page - 1) * per_page
        body = EntityPage(
            items=unique[start : start + per_page],
            total=len(unique),
            page=page,
            per_page=per_page,
            truncated=rows.truncated,  # the row cap cut the scheme: total is a lower bound
        )
        headers = paging_headers(request, settings.base_url, len(unique), page, per_page)
        return Response(body.model_dump_json(), media_type=JSON, headers=headers)

    @router.get(
        "/{key}",
        response_model=EntityOut,
        summary=f"One entry of {segment}, with the statements naming it",
        responses={404: {"content": {"application/problem+json": {}}}},
    )
    async def get_entity(key: str, backend: BackendDep, settings: SettingsDep) -> EntityOut:
        return await describe(key, kind, backend, settings)

    return router


async def describe(key: str, kind: str, backend: BackendDep, settings: SettingsDep) -> EntityOut:
    entity = entity_term(key, kind, "key")
    base = f"{settings.base_url}/sparql"
    bindings = {"entity": entity}
    facts = await select_rows(
        backend, queries.job("entity", JSON, settings.row_cap, base, bindings), settings.deadline
    )
    if not facts:
        raise ProblemError(404, "Not Found", f"no {kind} {key!r}", parameter="key")
    statements = await select_rows(
        backend,
        queries.job("entity-statements", JSON, settings.row_cap, base, bindings),
        settings.deadline,
    )
    properties: dict[str, list[str]] = {}
    types, label = [], None
    for row in facts:
        prop, value = str(row["property"]), str(row["value"])
        if prop.endswith("#type"):
            types.append(value.rsplit("#", 1)[-1])
        elif prop.endswith("core#prefLabel"):
            label = value
        properties.setdefault(_short(prop), []).append(value)
    iri = entity.value
    return EntityOut(
        id=short_id(iri, kind),
        iri=iri,
        label=label,
        types=sorted(set(types)),
        properties=properties,
        statements=[
            StatementRef(
                id=short_id(s["statement"], "statement"),
                iri=str(s["statement"]),
                statement_class=str(s["class"]).rsplit("#", 1)[-1],
                relation=str(s["relation"]).rsplit("#", 1)[-1],
                text=str(s["text"]),
                document=Ref(iri=str(s["document"]), id=short_id(s["document"], "document")),
            )
            for s in statements
        ],
        statements_truncated=statements.truncated,
        links={
            "html": f"{settings.base_url}/page/{kind}/{short_id(iri, kind)}",
            "turtle": f"{settings.base_url}/data/{kind}/{short_id(iri, kind)}.ttl",
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


routers = [make_router(segment) for segment in KINDS]
