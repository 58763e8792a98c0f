"""Request values → RDF terms, before they meet a query: short keys (ISO3, slugs) or full IRIs.

A bad value is a 400 naming the parameter; nothing from a request is ever pasted into query text.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from api.errors import ProblemError
from poa_kg.namespaces import ID, entity_iri


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


def short_id(iri: object, kind: str) -> str:
    """The id of an IRI in the REST API: its path after ``/id/{kind}/``."""
    text = str(iri)
    prefix = f"{ID}{kind}/"
    return text.removeprefix(prefix) if text.startswith(prefix) else text


def kind_of(iri: object) -> str:
    """The kind segment of one of our IRIs (``actor``, ``state``, …), or '' for others."""
    text = str(iri)
    if not text.startswith(str(ID)):
        return ""
    return text[len(str(ID)) :].split("/", 1)[0]
