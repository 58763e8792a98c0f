"""Every IRI dereferences: ``/id/{path}`` answers ``303 See Other`` to ``/page/{path}`` for browsers
and to ``/data/{path}.{ttl|jsonld|nt|rdf}`` for RDF clients, chosen by ``Accept`` (``Vary:
Accept``). The data is the resource's own description (with its hash sub-resources)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pyoxigraph import NamedNode

from api.deps import ReaderDep, SettingsDep, templates
from api.errors import ProblemError
from poa_kg.export.projections import citation
from poa_kg.namespaces import ID, POA, key_of, kind_of
from poa_kg.serve.formats import HTML, RDF_DOCUMENTS
from poa_kg.serve.read.citations import cite
from poa_kg.serve.read.history import timeline
from poa_kg.serve.read.reader import Row
from poa_kg.serve.read.resources import about, description
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["linked data"])

EXTENSIONS = {extension: m.name for extension, m in RDF_DOCUMENTS.items()}
_OFFERS = [HTML, *EXTENSIONS.values()]


def _resource(path: str) -> NamedNode:
    try:
        return NamedNode(f"{ID}{path}")
    except ValueError as err:
        raise ProblemError(
            400, "Bad IRI", f"{path!r} does not make an IRI: {err}", parameter="path"
        ) from err


@router.api_route(
    "/id/{path:path}",
    methods=["GET", "HEAD"],
    status_code=303,
    summary="Dereference an entity IRI: 303 to its page or its data",
    responses={
        303: {"description": "See Other"},
        406: {"content": {"application/problem+json": {}}},
    },
)
async def dereference(path: str, request: Request, settings: SettingsDep) -> Response:
    media_type = negotiate(request.headers.get("accept"), _OFFERS)
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", f"offered: {', '.join(_OFFERS)}")
    if media_type == HTML:
        target = f"{settings.base_url}/page/{path}"
    else:
        extension = next(e for e, m in EXTENSIONS.items() if m == media_type)
        target = f"{settings.base_url}/data/{path}.{extension}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


@router.api_route(
    "/data/{path:path}",
    methods=["GET", "HEAD"],
    summary="The description of an entity as Turtle, JSON-LD, N-Triples or RDF/XML (by extension)",
    responses={
        200: {"content": {m: {} for m in EXTENSIONS.values()}},
        404: {"content": {"application/problem+json": {}}},
    },
)
async def data(path: str, request: Request, reader: ReaderDep) -> Response:
    stem, _, extension = path.rpartition(".")
    if extension not in EXTENSIONS or not stem:
        raise ProblemError(
            404, "Not Found", f"use one of .{', .'.join(EXTENSIONS)}", parameter="path"
        )
    answer = await description(reader, _resource(stem), EXTENSIONS[extension])
    if answer.rows == 0:
        raise ProblemError(404, "Not Found", f"nothing is known of {ID}{stem}", parameter="path")
    body = b"" if request.method == "HEAD" else answer.body
    return Response(body, headers={"content-type": answer.media_type})


@router.get(
    "/page/{path:path}",
    summary="A readable page for an entity",
    responses={200: {"content": {HTML: {}}}, 404: {"content": {"application/problem+json": {}}}},
)
async def page(path: str, request: Request, reader: ReaderDep) -> Response:
    resource = _resource(path)

    async def rows_of(name: str, cap: int = 1000) -> list[Row]:
        return await about(reader, name, resource, cap)

    rows = await rows_of("entity")
    if not rows:
        raise ProblemError(
            404, "Not Found", f"nothing is known of {resource.value}", parameter="path"
        )
    label = next((str(r["value"]) for r in rows if str(r["property"]).endswith("#prefLabel")), path)
    context: dict[str, Any] = {
        "iri": resource.value,
        "path": path,
        "label": label,
        "rows": rows,
        "local": str(ID),
        "base": reader.base_url,
        "types": sorted(
            str(r["value"]).rsplit("#", 1)[-1]
            for r in rows
            if str(r["property"]).endswith("#type") and str(r["value"]).startswith(str(POA))
        ),
    }
    if path.startswith(("statement/", "unit/", "document/")):
        found = await cite(reader, path)
        context["cite"] = None if found is None else found.model_dump()
    if path.startswith("statement/"):
        statement = await rows_of("statement", 1)
        if statement:
            row = statement[0]
            mentions = await rows_of("statement-mentions")
            context.update(
                statement=row,
                label=f"{key_of(row['document'], 'document')} "
                f"{'annex ' if '/annex' in str(row['unit']) else ''}"
                f"{citation(str(row['eid']), row.get('number'))}",
                segments=highlight(str(row["text"]), int(row["start"] or 0), mentions),
                lineage=await rows_of("lineage"),
                mentions=mentions,
                inherited=await rows_of("statement-inherited-themes"),
                history=timeline(await rows_of("statement-history"), resource.value),
            )
            return templates.TemplateResponse(request, "statement.html", context)
    if path.startswith("vote/"):
        context.update(await vote_context(await rows_of("vote-positions"), rows_of))
        return templates.TemplateResponse(request, "vote.html", context)
    if path.startswith("state/"):
        context["record"] = await rows_of("state-votes")
    context["statements"] = await rows_of("entity-statements", 200)
    return templates.TemplateResponse(request, "entity.html", context)


async def vote_context(positions: list[Row], rows_of: Any) -> dict[str, Any]:
    """A vote page's positions: per option (yes, no, abstain) the States by UN regional group,
    with counts, and what was voted on."""
    options: dict[str, dict[str, list[Row]]] = {}
    for option in ("yes", "no", "abstain"):
        options[option] = {}
    for row in positions:
        group = str(row["group"]) if row.get("group") is not None else "no regional group"
        options.setdefault(str(row["option"]), {}).setdefault(group, []).append(row)
    text = await rows_of("vote-text")
    return {
        "options": {k: dict(sorted(v.items())) for k, v in options.items()},
        "counts": {k: sum(len(g) for g in v.values()) for k, v in options.items()},
        "voted": text[0] if text else None,
    }


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph's text, linked to the entity it mentions (or plain)."""

    text: str
    entity: str | None = None
    label: str | None = None
    kind: str | None = None


def highlight(text: str, unit_start: int, mentions: list[Row]) -> list[Segment]:
    """The paragraph cut into plain and mentioned runs. A mention's span is in source characters;
    where the paragraph's text was repaired (joined lines) the matched words are looked for near
    that place instead, and a mention found nowhere is left unmarked rather than misplaced."""
    spans: list[tuple[int, int, Row]] = []
    for mention in sorted(mentions, key=lambda m: int(m["start"] or 0)):
        matched = str(mention["matched"])
        local = int(mention["start"] or 0) - unit_start
        if text[local : local + len(matched)] != matched:
            found = text.lower().find(matched.lower(), max(0, local - 40))
            if found < 0:
                found = text.lower().find(matched.lower())
            if found < 0:
                continue
            local = found
        end = local + len(matched)
        if spans and local < spans[-1][1]:
            continue  # overlapping mentions: the first (longest-listed) one wins
        spans.append((local, end, mention))
    segments: list[Segment] = []
    at = 0
    for start, end, mention in spans:
        if start > at:
            segments.append(Segment(text[at:start]))
        entity = str(mention["entity"])
        segments.append(
            Segment(
                text[start:end],
                entity.removeprefix(str(ID)),
                None if mention.get("label") is None else str(mention["label"]),
                kind_of(entity),
            )
        )
        at = end
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments
