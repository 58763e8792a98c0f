"""Shared fixtures: settings pointing at temporary folders, and helpers to parse inline texts."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from poa_kg.config import ROOT, Settings
from poa_kg.ingest.model import Document
from poa_kg.ingest.parse import parse_document
from poa_kg.ingest.sources import read_source

SOURCES = ROOT / "data" / "sources"
CORPUS = ("revcon3-2018", "prepcom-2018-outline", "bms8-2022-draft")


def write_source(directory: Path, key: str, text: str | bytes, kind: str = "outcome") -> Path:
    """Write ``{key}.txt`` and a valid ``{key}.toml`` into ``directory``; return the text path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{key}.txt"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    (directory / f"{key}.toml").write_text(
        f'id = "{key}"\ntitle = "Test {key}"\nkind = "{kind}"\ndate = "2030"\n'
        f'meeting = "bms8"\nlanguage = "en"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def parse_text(tmp_path: Path) -> Callable[..., Document]:
    """Parse an inline text as a document of the given kind."""

    def parse(text: str, kind: str = "outcome", key: str = "fixture") -> Document:
        return parse_document(read_source(write_source(tmp_path, key, text, kind)))

    return parse


@pytest.fixture(scope="session", autouse=True)
def _no_writes_into_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the store, log and SHACL cache folders of every default ``Settings`` at a temporary folder, so
    that no test republishes or logs into the checkout's own ``build/`` (a test that needs its
    own folders still sets them)."""
    root = tmp_path_factory.mktemp("settings")
    with pytest.MonkeyPatch.context() as patch:
        for name, folder in (
            ("POA_KG_STORE_DIR", "store"),
            ("POA_KG_LOG_DIR", "logs"),
            ("POA_KG_SHACL_CACHE_DIR", "shacl-cache"),
        ):
            if name not in os.environ:
                patch.setenv(name, str(root / folder))
        yield


@pytest.fixture(scope="session")
def corpus() -> dict[str, Document]:
    """The three corpus documents, parsed once."""
    return {key: parse_document(read_source(SOURCES / f"{key}.txt")) for key in CORPUS}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(turtle_dir=tmp_path / "turtle", log_dir=tmp_path / "logs")
