"""``/accuracy``: "How accurate is this?" — the accuracy the build measured on the hand-labelled
samples (W3C DQV measurements of ``graph/accuracy``), beside the quality report in figures.
HTML for a browser, JSON otherwise (``format=json`` or ``format=html`` to choose)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response

from api.deps import BackendDep, SettingsDep, templates
from api.models import AccuracyOut, MeasurementOut, QualityCount
from api.params import short_id
from poa_kg.serve import queries
from poa_kg.serve.backends import select_rows

router = APIRouter(tags=["accuracy"])
JSON = "application/json"
HTML = "text/html"


@router.get(
    "/accuracy",
    response_model=AccuracyOut,
    summary="How accurate is this? Measured precision, recall and accuracy of every kind of tag",
    responses={200: {"content": {JSON: {}, HTML: {}}}},
)
async def accuracy(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    format: Literal["json", "html"] | None = None,
) -> Response:
    base = f"{settings.base_url}/sparql"
    rows = await select_rows(
        backend, queries.job("accuracy", JSON, settings.row_cap, base), settings.deadline
    )
    issues = await select_rows(
        backend, queries.job("quality-summary", JSON, 1000, base), settings.deadline
    )
    measurements = []
    for row in rows:
        aspect, metric, kind, half = short_id(row["measurement"], "measurement").split("/")
        measurements.append(
            MeasurementOut(
                iri=str(row["measurement"]),
                aspect=aspect,
                metric=metric,
                document_kind=kind,
                half=half,
                value=float(str(row["value"])),
                sample_size=int(str(row["size"])),
                sample_date=str(row["date"]),
                sample_files=sorted(str(row["files"]).split()),
                command=str(row["command"]),
                sample=None if row.get("comment") is None else str(row["comment"]),
            )
        )
    body = AccuracyOut(
        measurements=measurements,
        quality_report=[
            QualityCount(
                type=short_id(r["type"], "issue-type"),
                label=None if r.get("label") is None else str(r["label"]),
                severity=str(r["severity"]),
                issues=int(str(r["issues"])),
            )
            for r in issues
        ],
    )
    accept = request.headers.get("accept", "")
    if format == "html" or (format is None and HTML in accept):
        return templates.TemplateResponse(
            request, "accuracy.html", {"accuracy": body, "base": settings.base_url}
        )
    return Response(body.model_dump_json(), media_type=JSON, headers={"Vary": "Accept"})
