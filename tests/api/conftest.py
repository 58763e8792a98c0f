"""The app in-process (TestClient) over a store published from data/turtle."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from poa_kg.config import ROOT, Settings
from poa_kg.serve.store import publish_store


@pytest.fixture(scope="session")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    store_dir = tmp_path_factory.mktemp("api") / "store"
    publish_store(ROOT / "data" / "turtle", store_dir, ROOT / "ontology" / "poa.ttl")
    return Settings(store_dir=store_dir, workers=2, public_url="http://testserver")


@pytest.fixture(scope="session")
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as test_client:
        yield test_client
