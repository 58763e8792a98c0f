"""The read layer: lists cut by the row cap say so on every route, and routes reach the engine
only through ``poa_kg.serve.read``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from poa_kg.config import ROOT, Settings


@pytest.fixture(scope="module")
def capped(api_settings: Settings) -> Iterator[TestClient]:
    """The same store served with a row cap of 3: smaller than every list below."""
    settings = api_settings.model_copy(update={"row_cap": 3, "workers": 1})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/documents", "/votes", "/states/FRA/votes"])
def test_a_plain_list_cut_by_the_row_cap_says_so(capped: TestClient, path: str) -> None:
    answer = capped.get(path)
    assert answer.status_code == 200
    assert len(answer.json()) <= 3
    assert answer.headers["X-Result-Truncated"] == "true"
    assert answer.headers["X-Result-Cap"] == "3"


def test_a_list_within_the_row_cap_does_not_claim_to_be_cut(client: TestClient) -> None:
    answer = client.get("/documents")
    assert len(answer.json()) == 21
    assert "X-Result-Truncated" not in answer.headers


@pytest.mark.parametrize("path", ["/actors", "/commitments?actor=interpol"])
def test_a_page_cut_by_the_row_cap_says_so(capped: TestClient, path: str) -> None:
    page = capped.get(path).json()
    assert page["truncated"] is True


def test_an_entity_cut_by_the_row_cap_says_its_statements_are_incomplete(
    capped: TestClient,
) -> None:
    assert capped.get("/actors/interpol").json()["statements_truncated"] is True


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


# /sparql runs free query text; /health asks the backend for its state; exports and downloads
# key their caches by the backend's data version
_BACKEND_ALLOWED = {"sparql.py", "service.py", "exports.py", "downloads.py", "search.py"}


@pytest.mark.parametrize("route", sorted((ROOT / "api" / "routes").glob("*.py")), ids=str)
def test_routes_reach_the_engine_only_through_the_read_layer(route: Path) -> None:
    imports = _imports(route)
    tree = ast.parse(route.read_text(encoding="utf-8"))
    jobs = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("job", "run", "rows")
        and isinstance(node.value, ast.Name)
        and node.value.id in ("queries", "backend")
    ]
    assert jobs == [] or route.name in _BACKEND_ALLOWED, f"{route.name} builds jobs at {jobs}"
    assert "poa_kg.serve.read.reader.json_rows" not in imports
    if route.name not in _BACKEND_ALLOWED:
        assert not any(i.startswith("poa_kg.serve.backends") for i in imports), imports


def test_the_server_imports_no_validator_or_solver() -> None:
    """Importing the app must not load pyshacl, scipy or the build side's lineage solver."""
    import subprocess
    import sys

    code = (
        "import sys, api.app; "
        "bad = [m for m in ('pyshacl', 'scipy', 'poa_kg.ingest.lineage.series', "
        "'poa_kg.ingest.validate') if m in sys.modules]; print(','.join(bad))"
    )
    loaded = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == ""
