"""Pages for people: the home page (``/``) and the SPARQL editor (``/editor``, also what a browser
gets from ``GET /sparql`` without a query).

The editor is YASGUI (``@zazuko/yasgui`` from npm, served from ``/static/vendor/yasgui``, no CDN)
with the endpoint and prefixes preset, its autocompleters that call outside services turned off,
and the catalogue of named example queries (the ``example-*.rq`` and ``analysis-*.rq`` files the
REST API uses) one click away; ``/static/editor.js`` adds a bar chart for counting queries and
points the result links of this dataset's IRIs (``https://w3id.org/poa-kg/…``) at this server
(``local_addresses``), so they open here whether or not w3id.org redirects to it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import ReaderDep, SettingsDep, templates
from poa_kg.namespaces import BASE, ID, PREFIXES
from poa_kg.serve import queries
from poa_kg.serve.read.documents import documents, stats
from poa_kg.serve.sparql import QUERY_PREFIXES

router = APIRouter(tags=["pages"])


def catalogue() -> list[dict[str, str]]:
    """The named queries offered in the editor: examples first, then analyses."""
    names = [n for n in queries.names() if n.startswith("example-")]
    names += [n for n in queries.names() if n.startswith("analysis-")]
    return [
        {
            "name": name,
            "title": name.removeprefix("example-").removeprefix("analysis-").replace("-", " "),
            "summary": queries.header(name).summary,
            "query": queries.with_blocks(queries.load(name), set()),
        }
        for name in names  # the editor runs them unbound: every bind of theirs is optional
    ]


def local_addresses(base: str) -> list[tuple[str, str]]:
    """(IRI start, address on this server) for the IRIs this dataset mints, most specific first:
    an instance's page, and everything else under the base (ontology, graphs) at the same path."""
    return [(str(ID), f"{base}/page/"), (BASE, f"{base}/")]


def editor_prefixes() -> dict[str, str]:
    return {prefix: str(PREFIXES[prefix]) for prefix in QUERY_PREFIXES}


@router.get("/", response_class=HTMLResponse, summary="The home page", include_in_schema=False)
async def home(request: Request, reader: ReaderDep) -> Response:
    return templates.TemplateResponse(
        request,
        "home.html",
        {
            "figures": (await stats(reader)).figures,
            "documents": await documents(reader),
            "base": reader.base_url,
        },
    )


@router.get(
    "/editor", response_class=HTMLResponse, summary="The SPARQL editor", include_in_schema=False
)
async def editor(request: Request, settings: SettingsDep) -> Response:
    return editor_page(request, settings.base_url)


def editor_page(request: Request, base: str) -> Response:
    return templates.TemplateResponse(
        request,
        "editor.html",
        {
            "endpoint": f"{base}/sparql",
            "catalogue": catalogue(),
            "prefixes": editor_prefixes(),
            "local": local_addresses(base),
        },
    )
