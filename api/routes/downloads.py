"""``/downloads``: the whole dataset as files, named with its version (date and content hash).

``GET /downloads`` lists the files of the store being served (``poa-kg dump`` writes them;
``poa-kg serve`` runs it when they are missing) with size, SHA-256, records and media type, as
JSON or, for a browser, as a page; ``GET /downloads/{name}`` serves one (only names the manifest
lists; ``poa-kg-context.jsonld`` is the published JSON-LD context). 503 names the command to run
when the downloads of this version have not been written yet. Data licence: CC BY 4.0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse

from api.deps import BackendDep, SettingsDep, templates
from api.errors import ProblemError
from poa_kg.config import Settings
from poa_kg.serve.backends import Backend, EmbeddedBackend
from poa_kg.serve.dump import read_manifest
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["downloads"])
JSON, HTML = "application/json", "text/html"


def _manifest(backend: Backend, settings: Settings) -> tuple[Path, dict[str, Any]]:
    if not isinstance(backend, EmbeddedBackend):
        raise ProblemError(
            503, "No downloads", "downloads are written from the embedded store (poa-kg dump)"
        )
    folder = settings.downloads_dir / backend.version()[:16]
    found = read_manifest(folder)
    if found is None:
        raise ProblemError(
            503,
            "Downloads not written",
            f"no downloads for data version {backend.version()[:12]}: run `poa-kg dump`",
            headers={"Retry-After": "60"},
        )
    return folder, found


@router.get(
    "/downloads",
    summary="The dataset as files: N-Quads, TriG, JSON-LD, CSV with CSVW, VoID/DCAT",
    responses={
        406: {"content": {"application/problem+json": {}}},
        200: {"content": {JSON: {}, HTML: {}}},
    },
)
async def list_downloads(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    format: Annotated[str | None, Query(description="json or html")] = None,
) -> Response:
    media_type = negotiate(request.headers.get("accept"), [JSON, HTML], format)
    if media_type is None and format is not None:
        raise ProblemError(400, "Bad parameter", "format: one of json, html", "format")
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", f"offered: {JSON}, {HTML}")
    _folder, manifest = _manifest(backend, settings)
    for file in manifest["files"]:
        file["url"] = f"{settings.base_url}/downloads/{file['name']}"
    void = next((f["url"] for f in manifest["files"] if f["name"].endswith(".void.ttl")), None)
    manifest["void"] = (
        void or f"{settings.base_url}/downloads/poa-kg-{manifest['version']}.void.ttl"
    )
    if media_type == HTML:
        return templates.TemplateResponse(
            request, "downloads.html", {"m": manifest, "base": settings.base_url}
        )
    return Response(json.dumps(manifest, indent=2), media_type=JSON, headers={"Vary": "Accept"})


@router.api_route(
    "/downloads/{name}",
    methods=["GET", "HEAD"],
    summary="One download",
    responses={404: {"content": {"application/problem+json": {}}}},
)
async def get_download(name: str, backend: BackendDep, settings: SettingsDep) -> Response:
    folder, manifest = _manifest(backend, settings)
    names = {f["name"]: f for f in manifest["files"]}
    void = f"poa-kg-{manifest['version']}.void.ttl"
    if name != void and name not in names:
        raise ProblemError(
            404,
            "Not Found",
            f"no download {name!r}; the files are listed at /downloads",
            parameter="name",
        )
    entry = names.get(name, {"media_type": "text/turtle", "encoding": None})
    media_type = entry["media_type"] if not entry.get("encoding") else "application/gzip"
    disposition = "inline" if name.endswith((".jsonld", ".json", ".ttl")) else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
    if name.endswith("context.jsonld"):
        headers["Access-Control-Allow-Origin"] = "*"  # JSON-LD processors in browsers fetch it
    return FileResponse(folder / name, media_type=media_type, headers=headers)
