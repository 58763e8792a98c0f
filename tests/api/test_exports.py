"""``/exports``: the same files as ``poa-kg export``, streamed with media type and file name; bad
names and parameters are problems naming the parameter."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from poa_kg.config import ROOT


def test_list_names_every_projection_with_links(client: TestClient) -> None:
    listed = client.get("/exports").json()
    assert {e["projection"] for e in listed} == {
        "entities",
        "actor-instrument",
        "commitment-theme",
        "votes",
        "timeline",
        "lineage",
    }
    votes = next(e for e in listed if e["projection"] == "votes")
    assert votes["filters"] == ["meeting", "document"]
    assert votes["gexf"].endswith("/exports/votes.gexf")


@pytest.mark.parametrize(
    ("path", "media_type", "filename"),
    [
        ("/exports/actor-instrument.gexf", "application/gexf+xml", "poa-kg-actor-instrument.gexf"),
        (
            "/exports/entities.graphml?meeting=bms8",
            "application/graphml+xml",
            "poa-kg-entities-bms8.graphml",
        ),
    ],
)
def test_export_downloads(client: TestClient, path: str, media_type: str, filename: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    assert response.headers["content-disposition"] == disposition  # RFC 6266
    reader = nx.read_gexf if filename.endswith(".gexf") else nx.read_graphml
    graph = reader(io.BytesIO(response.content))
    assert graph.number_of_nodes() == int(response.headers["x-graph-nodes"]) > 0
    assert graph.number_of_edges() == int(response.headers["x-graph-edges"]) > 0
    if filename.endswith(".gexf"):
        rng = etree.RelaxNG(etree.parse(str(ROOT / "tests" / "data" / "gexf-1.3" / "gexf.rng")))
        assert rng.validate(etree.fromstring(response.content).getroottree())
    else:
        documents = {d["document"] for _n, d in graph.nodes(data=True) if "document" in d}
        assert documents == {"bms8-2022-draft"}


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        ("/exports/everything.gexf", 404, "projection"),
        ("/exports/votes.svg", 404, "format"),
        ("/exports/votes.gexf?theme=tracing", 400, "theme"),
        ("/exports/entities.gexf?meeting=Not A Key", 400, "meeting"),
    ],
)
def test_bad_export_requests_name_the_parameter(
    client: TestClient, path: str, status: int, parameter: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter


def test_a_file_name_from_any_iri_is_a_valid_header(client: TestClient) -> None:
    meeting = 'https://w3id.org/poa-kg/id/meeting/\u4e2d "x"'
    response = client.get("/exports/entities.gexf", params={"meeting": meeting})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        disposition = response.headers["content-disposition"]
        disposition.encode("latin-1")
        assert "filename*=UTF-8''" in disposition and "%E4%B8%AD" in disposition
