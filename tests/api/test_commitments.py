"""``/commitments``: filters, paging, sorting, CSV, one commitment, bad parameters."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def ids(response_json: dict[str, object]) -> list[str]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [str(item["id"]) for item in items]


def test_filter_by_actor_short_key_and_iri_agree(client: TestClient) -> None:
    short = client.get("/commitments", params={"actor": "interpol", "per_page": 500}).json()
    full = client.get(
        "/commitments",
        params={"actor": "https://w3id.org/poa-kg/id/actor/interpol", "per_page": 500},
    ).json()
    assert short == full
    assert short["total"] == len(short["items"]) >= 5
    assert "revcon3-2018/annex/sec_II__para_13" in ids(short)


def test_filters_combine(client: TestClient) -> None:
    both = client.get("/commitments", params={"actor": "interpol", "theme": "tracing"}).json()
    actor = set(
        ids(client.get("/commitments", params={"actor": "interpol", "per_page": 500}).json())
    )
    theme = set(
        ids(client.get("/commitments", params={"theme": "tracing", "per_page": 500}).json())
    )
    assert set(ids(both)) == actor & theme
    assert both["total"] >= 1


def test_meeting_document_state_strength_and_text(client: TestClient) -> None:
    bms8 = client.get("/commitments", params={"meeting": "bms8", "per_page": 500}).json()
    assert bms8["total"] > 50 and all(i["meeting"]["id"] == "bms8" for i in bms8["items"])
    doc = client.get("/commitments", params={"document": "revcon3-2018", "per_page": 500}).json()
    assert doc["total"] == len(doc["items"]) > 100
    assert {i["document"]["id"] for i in doc["items"]} == {"revcon3-2018"}
    decide = client.get("/commitments", params={"strength": "decide"}).json()
    assert {i["strength"] for i in decide["items"]} == {"decide"}
    text = client.get("/commitments", params={"q": "3D PRINTING"}).json()
    assert text["total"] >= 1 and all("3d printing" in i["text"].lower() for i in text["items"])


def test_paging_with_link_header_and_total(client: TestClient) -> None:
    first = client.get("/commitments", params={"per_page": 10})
    second = client.get("/commitments", params={"per_page": 10, "page": 2})
    assert first.headers["x-total-count"] == second.headers["x-total-count"]
    assert set(ids(first.json())).isdisjoint(ids(second.json()))
    assert 'rel="next"' in first.headers["link"] and 'rel="last"' in first.headers["link"]


def test_sort_by_strength(client: TestClient) -> None:
    items = client.get("/commitments", params={"sort": "strength", "per_page": 500}).json()["items"]
    notations = [i["strength_notation"] for i in items if i["strength_notation"] is not None]
    assert notations == sorted(notations, reverse=True)


def test_csv_when_asked(client: TestClient) -> None:
    response = client.get(
        "/commitments", params={"actor": "interpol"}, headers={"Accept": "text/csv"}
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:2] == ["id", "class"] and len(rows) > 2


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"actor": "not a key"}, "actor"),
        ({"state": "FRANCE"}, "state"),
        ({"actor": "https://exa mple.org/x"}, "actor"),
        ({"per_page": 501}, "per_page"),
        ({"page": 0}, "page"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_bad_parameters_are_problems_naming_the_parameter(
    client: TestClient, params: dict[str, object], parameter: str
) -> None:
    response = client.get("/commitments", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["parameter"] == parameter


def test_one_commitment_with_mentions_and_provenance(client: TestClient) -> None:
    body = client.get("/commitments/revcon3-2018/annex/sec_II__para_13").json()
    assert body["statement_class"] == "Commitment"
    assert body["lead_verb"] == "encourage" and body["strength"]["id"] == "encouragement"
    assert body["addressee"]["id"] == "states-and-others"
    assert {m["entity"]["id"] for m in body["mentions"]} >= {"interpol", "wco"}
    assert body["document"]["id"] == "revcon3-2018" and body["meeting"]["id"] == "revcon3"
    assert body["span"]["end"] > body["span"]["start"]
    assert body["chapeau"].startswith("At the third United Nations Conference")


def test_unknown_commitment_is_404(client: TestClient) -> None:
    response = client.get("/commitments/revcon3-2018/annex/sec_IX__para_99")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM
