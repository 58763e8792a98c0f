"""Lineage and analyses over REST: a commitment's predecessor and successors, a document
comparison, the named analyses (JSON and CSV), and problems naming the bad parameter."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient


def test_restated_commitment_names_its_predecessor(client: TestClient) -> None:
    body = client.get("/commitments/bms8-2022-draft/main/para_48/lineage").json()
    assert body["relation"] == "restated"
    assert body["predecessor"]["statement"]["id"] == "revcon3-2018/annex/sec_II__para_8"
    assert body["predecessor"]["similarity"] >= 0.95
    assert body["predecessor"]["document"]["id"] == "revcon3-2018"
    # and the predecessor lists it among its successors
    back = client.get("/commitments/revcon3-2018/annex/sec_II__para_8/lineage").json()
    assert "bms8-2022-draft/main/para_48" in {s["statement"]["id"] for s in back["successors"]}


def test_revised_commitment_says_what_changed(client: TestClient) -> None:
    body = client.get("/commitments/bms8-2022-draft/main/para_71/lineage").json()
    assert body["relation"] == "revised"
    assert body["predecessor"]["strength_change"] == 3  # "To consider" → "To strengthen"
    assert body["predecessor"]["words_added"] and body["predecessor"]["words_removed"]


def test_earliest_document_has_no_predecessor(client: TestClient) -> None:
    element = "prepcom-2018-outline/main/sec_II__subsec_A__subsec_1__subsec_b__para_v"
    body = client.get(f"/commitments/{element}/lineage").json()
    assert body["relation"] is None and body["predecessor"] is None
    # the outline element was realised by RevCon3 II.10
    assert {s["relation"] for s in body["successors"]} == {"realised"}


def test_document_comparison_counts_every_statement(client: TestClient) -> None:
    body = client.get("/documents/revcon3-2018/compare/bms8-2022-draft").json()
    counts = body["counts"]
    assert set(counts) <= {"restated", "revised", "realised", "new", "dropped"}
    assert counts["restated"] >= 1 and counts["new"] >= 1 and counts["dropped"] >= 1
    later = sum(v for k, v in counts.items() if k != "dropped")
    documents = {d["id"]: d for d in client.get("/documents").json()}
    assert later == documents["bms8-2022-draft"]["statements"]


def test_analyses_are_listed_and_run(client: TestClient) -> None:
    names = {a["name"] for a in client.get("/analyses").json()}
    assert {"strength-by-meeting", "themes-by-meeting", "actor-engagement"} <= names
    assert {"vote-agreement", "instruments"} <= names
    rows = client.get("/analyses/actor-engagement?actor=interpol").json()
    assert rows and {r["actor"] for r in rows} == {"https://w3id.org/poa-kg/id/actor/interpol"}
    table = client.get("/analyses/strength-by-meeting?format=csv")
    assert table.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(table.text)))
    assert {"meeting", "level", "commitments"} <= set(parsed[0])


def test_bad_lineage_requests_are_problems(client: TestClient) -> None:
    assert client.get("/commitments/bms8-2022-draft/main/para_999/lineage").status_code == 404
    missing = client.get("/documents/revcon3-2018/compare/bms9-2099")
    assert missing.status_code == 404 and missing.json()["parameter"] == "later"
    assert client.get("/analyses/everything").json()["parameter"] == "name"
    assert client.get("/analyses/instruments?actor=interpol").json()["parameter"] == "actor"
