"""One behaviour on every route a person may open in a browser: HTML when ``Accept`` prefers it,
the route's JSON otherwise, and ``Vary: Accept`` on both.

``prefers_html(request)`` negotiates ``Accept`` between JSON (first, so no ``Accept`` and ``*/*``
get JSON) and HTML with the project's one negotiation (``poa_kg.serve.sparql.negotiate``) and
media-type table (``poa_kg.serve.formats``); a browser's ``text/html,…,*/*;q=0.8`` gets HTML.
An ``Accept`` that names neither still gets JSON, as these routes answered before they had a page.
``page(request, template, context)`` renders a template from ``api/templates/`` with
``Vary: Accept``; ``page_or_json(request, response, body, template, context, headers)`` is the
whole choice for a route whose JSON FastAPI builds from its model: the page, or ``body`` unchanged
with ``headers`` and ``Vary: Accept`` set on the ``Response`` FastAPI merges into its answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from api.deps import templates
from poa_kg.serve.formats import HTML, JSON
from poa_kg.serve.sparql import negotiate

VARY = {"Vary": "Accept"}


def prefers_html(request: Request) -> bool:
    """True when the request's ``Accept`` prefers a page to JSON."""
    return negotiate(request.headers.get("accept"), [JSON, HTML]) == HTML


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Response:
    """The page ``template`` rendered with ``context``, varying on ``Accept``."""
    return templates.TemplateResponse(
        request, template, context, headers={**VARY, **(headers or {})}
    )


def page_or_json(
    request: Request,
    response: Response,
    body: Any,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Any:
    """The page for a browser; else ``body`` as the route returns it (FastAPI encodes it as
    before), with ``headers`` and ``Vary: Accept``."""
    if prefers_html(request):
        return page(request, template, context, headers)
    response.headers.update({**VARY, **(headers or {})})
    return body
