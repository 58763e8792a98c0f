"""Dependencies of the routes: the settings and the query backend the app was created with, and
the reader (``poa_kg.serve.read``) through which routes ask for records.

They are coroutines: FastAPI runs a plain function dependency in a thread pool, which cost more
than the whole SPARQL lookup it served."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from poa_kg.config import Settings
from poa_kg.serve.backends import Backend
from poa_kg.serve.read.reader import Reader

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


SettingsDep = Annotated[Settings, Depends(get_settings)]
BackendDep = Annotated[Backend, Depends(get_backend)]


async def get_reader(request: Request) -> Reader:
    reader: Reader = request.app.state.reader
    return reader


ReaderDep = Annotated[Reader, Depends(get_reader)]
