"""``/cite/{path}``: how to cite a document, a unit or a statement of the corpus.

``path`` is the part of the IRI after ``/id/`` (``statement/revcon3-2018/annex/sec_II__para_13``,
``unit/…``, ``document/ga-res-73-69-2018``). The answer is JSON with the citation string in the
UN's own style, the official text by symbol (``https://undocs.org/…``) where the symbol is
known, and the same as BibTeX and CSL-JSON; ``format=text|bibtex|csl-json`` (or the matching
``Accept``) gives one of them alone. The data is CC BY 4.0.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import ReaderDep
from api.errors import ProblemError
from poa_kg.namespaces import ID
from poa_kg.serve.formats import BIBTEX, CSL_JSON, JSON, TEXT
from poa_kg.serve.read.citations import CitationOut, cite
from poa_kg.serve.read.reader import Reader
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["citation"])
FORMATS = {"json": JSON, "text": TEXT, "bibtex": BIBTEX, "csl-json": CSL_JSON}


async def citation_of(reader: Reader, path: str) -> CitationOut | None:
    """The citation of ``/id/{path}``, or None; a path that makes no IRI is a 400."""
    try:
        return await cite(reader, path)
    except ValueError as err:
        raise ProblemError(
            400, "Bad IRI", f"{path!r} does not make an IRI: {err}", parameter="path"
        ) from err


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
    reader: ReaderDep,
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
    found = await citation_of(reader, path)
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
