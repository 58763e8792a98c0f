"""``/accuracy``: "How accurate is this?" — the accuracy the build measured on the hand-labelled
samples (W3C DQV measurements of ``graph/accuracy``), beside the quality report in figures.
HTML for a browser, JSON otherwise (``format=json`` or ``format=html`` to choose)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response

from api.deps import ReaderDep, templates
from poa_kg.serve.formats import HTML, JSON
from poa_kg.serve.read.accuracy import accuracy as read_accuracy
from poa_kg.serve.read.records import AccuracyOut

router = APIRouter(tags=["accuracy"])


@router.get(
    "/accuracy",
    response_model=AccuracyOut,
    summary="How accurate is this? Measured precision, recall and accuracy of every kind of tag",
    responses={200: {"content": {JSON: {}, HTML: {}}}},
)
async def accuracy(
    request: Request,
    reader: ReaderDep,
    format: Literal["json", "html"] | None = None,
) -> Response:
    body = await read_accuracy(reader)
    accept = request.headers.get("accept", "")
    if format == "html" or (format is None and HTML in accept):
        return templates.TemplateResponse(
            request, "accuracy.html", {"accuracy": body, "base": reader.base_url}
        )
    return Response(body.model_dump_json(), media_type=JSON, headers={"Vary": "Accept"})
