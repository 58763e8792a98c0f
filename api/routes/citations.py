"""``/cite/{path}``: how to cite a document, a unit or a statement of the corpus.

``path`` is the part of the IRI after ``/id/`` (``statement/revcon3-2018/annex/sec_II__para_13``,
``unit/…``, ``document/ga-res-73-69-2018``). The answer is JSON with the citation string in the
UN's own style, the official text by symbol (``https://undocs.org/…``) where the symbol is
known, and the same as BibTeX and CSL-JSON; ``format=text|bibtex|csl-json`` (or the matching
``Accept``) gives one of them alone. The data is CC BY 4.0.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from pyoxigraph import NamedNode

from api.deps import BackendDep, SettingsDep
from api.errors import ProblemError
from poa_kg.citation import DATA_LICENCE, bibtex, csl_json
from poa_kg.config import Settings
from poa_kg.namespaces import ID
from poa_kg.serve import queries
from poa_kg.serve.backends import Backend, select_rows
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["citation"])
JSON = "application/json"
FORMATS = {
    "json": JSON,
    "text": "text/plain",
    "bibtex": "application/x-bibtex",
    "csl-json": "application/vnd.citationstyles.csl+json",
}


class CitationOut(BaseModel):
    iri: str
    page: str
    citation: str
    official: str | None
    document: str
    title: str
    date: str
    symbol: str | None
    licence: str
    bibtex: str
    csl: dict[str, Any]


async def cite(
    path: str, backend: Backend, settings: Settings, parameter: str = "path"
) -> CitationOut | None:
    """The citation of ``/id/{path}``, or None when the resource has none."""
    try:
        resource = NamedNode(f"{ID}{path}")
    except ValueError as err:
        raise ProblemError(
            400, "Bad IRI", f"{path!r} does not make an IRI: {err}", parameter=parameter
        ) from err
    rows = await select_rows(
        backend,
        queries.job("citation", JSON, 1, f"{settings.base_url}/sparql", {"resource": resource}),
        settings.deadline,
    )
    if not rows:
        return None
    row = rows[0]
    citation, title, date = str(row["citation"]), str(row["title"]), str(row["date"])
    symbol = None if row.get("symbol") is None else str(row["symbol"])
    official = None if row.get("official") is None else str(row["official"])
    page = f"{settings.base_url}/page/{path}"
    named = symbol or f"{title} ("
    locator = citation.split(", ", 1)[1] if symbol and citation.startswith(f"{named}, ") else ""
    if not symbol and "), " in citation:
        locator = citation.rsplit("), ", 1)[1]
    if str(row["cited"]) == str(row["document"]):
        locator = ""
    return CitationOut(
        iri=resource.value,
        page=page,
        citation=citation,
        official=official,
        document=str(row["document"]),
        title=title,
        date=date,
        symbol=symbol,
        licence=DATA_LICENCE,
        bibtex=bibtex(path, citation, title, date, official, page),
        csl=csl_json(path, citation, title, date, symbol, official, page, locator),
    )


@router.get(
    "/cite/{path:path}",
    response_model=CitationOut,
    summary="How to cite a document, paragraph or statement (text, BibTeX, CSL-JSON)",
    responses={
        200: {"content": {m: {} for m in FORMATS.values()}},
        404: {"content": {"application/problem+json": {}}},
        406: {"content": {"application/problem+json": {}}},
    },
)
async def get_citation(
    path: str,
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    format: Annotated[
        str | None, Query(description="json (default), text, bibtex or csl-json")
    ] = None,
) -> Response:
    if format is not None and format not in FORMATS:
        raise ProblemError(
            400,
            "Bad parameter",
            f"format: {format!r} is not one of {', '.join(FORMATS)}",
            parameter="format",
        )
    media_type = (
        FORMATS[format]
        if format
        else negotiate(request.headers.get("accept"), list(FORMATS.values()))
    )
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", f"offered: {', '.join(FORMATS.values())}")
    found = await cite(path, backend, settings)
    if found is None:
        raise ProblemError(
            404, "Not Found", f"{ID}{path} is not a document, unit or statement", "path"
        )
    if media_type == FORMATS["text"]:
        body = found.citation + (f", {found.official}" if found.official else "") + "\n"
    elif media_type == FORMATS["bibtex"]:
        body = found.bibtex + "\n"
    elif media_type == FORMATS["csl-json"]:
        body = json.dumps([found.csl], ensure_ascii=False, indent=2)
    else:
        body = found.model_dump_json()
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    return Response(body, headers={"Content-Type": media_type + charset, "Vary": "Accept"})
