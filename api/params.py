"""Request values → RDF terms, before they meet a query: short keys (ISO3, slugs) or full IRIs.

A bad value is a 400 naming the parameter; nothing from a request is ever pasted into query text.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pyoxigraph import Literal, NamedNode

from api.errors import ProblemError
from poa_kg.namespaces import entity_iri, key_of, kind_of

__all__ = [
    "entity_term",
    "kind_of",
    "reject_unknown_parameters",
    "short_id",
    "text_term",
]


def entity_term(value: str, kind: str, parameter: str) -> NamedNode:
    """The IRI a parameter names: a full IRI, or a key of ``kind`` (``FRA``, ``interpol``).

    Raises:
        ProblemError: 400 naming the parameter when the value is neither.
    """
    try:
        return NamedNode(entity_iri(value, kind))
    except ValueError as err:
        raise ProblemError(400, "Bad parameter", f"{parameter}: {err}", parameter) from err


def text_term(value: str, parameter: str, limit: int = 200) -> Literal:
    if len(value) > limit:
        raise ProblemError(
            400, "Bad parameter", f"{parameter}: longer than {limit} characters", parameter
        )
    return Literal(value)


short_id = key_of
"""The id of an IRI in the REST API: its key (``namespaces.key_of``)."""


_OPEN_ROUTES = ("/sparql",)
"""Routes whose parameters a protocol defines (the SPARQL 1.1 Protocol lets a client send more)."""


async def reject_unknown_parameters(request: Request) -> None:
    """A query parameter the route does not take is a 400 naming it and the ones it does take:
    a misspelt filter (``?themes=tracing``) would otherwise answer the unfiltered list.

    A coroutine, as the dependencies in ``api/deps.py``: FastAPI would run a plain function in
    its thread pool, a hop on every request of every route."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.path.startswith(_OPEN_ROUTES):
        return
    taken = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        valid = ", ".join(sorted(taken)) or "none"
        raise ProblemError(
            400,
            "Bad parameter",
            f"{unknown[0]}: this route takes no such parameter (it takes: {valid})",
            unknown[0],
        )


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
