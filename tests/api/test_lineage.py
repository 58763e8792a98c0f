"""Lineage and analyses over REST: a commitment's links to earlier versions and its successors,
a statement's history over the series, a document comparison, the named analyses (JSON and CSV),
and problems naming the bad parameter."""

from __future__ import annotations

import csv
import io
import itertools

from fastapi.testclient import TestClient


def test_restated_commitment_names_its_predecessor(client: TestClient) -> None:
    body = client.get("/commitments/bms8-2022-draft/main/para_48/lineage").json()
    assert body["relation"] == "restated"
    assert body["predecessor"]["statement"]["id"] == "revcon3-2018/annex/sec_II__para_8"
    assert body["predecessor"]["confidence"] >= 0.9 and body["predecessor"]["rank"] == 1
    assert body["predecessor"]["document"]["id"] == "revcon3-2018"
    assert body["predecessors"][0] == body["predecessor"]
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
    assert body["relation"] == "new" and body["predecessor"] is None and body["predecessors"] == []
    # the outline element was realised by RevCon3 II.10
    assert {s["relation"] for s in body["successors"]} == {"realised"}


def test_document_comparison_counts_every_statement(client: TestClient) -> None:
    body = client.get("/documents/revcon3-2018/compare/bms8-2022-draft").json()
    counts = body["counts"]
    assert set(counts) <= {"restated", "revised", "realised", "merged", "split", "new", "dropped"}
    assert counts["restated"] >= 1 and counts["new"] >= 1 and counts["dropped"] >= 1
    later = {s["statement"]["id"] for s in body["statements"] if s["status"] != "dropped"}
    documents = {d["id"]: d for d in client.get("/documents").json()}
    assert len(later) == documents["bms8-2022-draft"]["statements"]  # one row per link


def test_history_follows_a_2019_paragraph_back_year_by_year(client: TestClient) -> None:
    body = client.get("/statements/ga-res-74-60-2019/main/recital_2/history").json()
    versions = body["versions"]
    years = [v["year"] for v in versions]
    assert years == sorted(years) and years[-1] == 2019 and len(years) >= 15
    assert body["first_appearance"] == versions[0] and versions[0]["link"] is None
    assert versions[-1]["statement"]["id"] == "ga-res-74-60-2019/main/recital_2"
    for before, version in itertools.pairwise(versions):
        link = version["link"]
        assert link["earlier"]["id"] == before["statement"]["id"]
        assert 0 < link["confidence"] <= 1 and link["rank"] >= 1
        # the segments rebuild the later text's words, the removed ones set apart
        kept = " ".join(s["text"] for s in link["segments"] if s["kind"] != "removed")
        assert kept.split() == [w for w in kept.split() if w in version["text"]]
    assert any(v["link"] and v["link"]["words_added"] for v in versions[1:])


def test_history_of_an_outline_element_runs_forward(client: TestClient) -> None:
    element = "prepcom-2018-outline/main/sec_II__subsec_A__subsec_1__subsec_b__para_v"
    versions = client.get(f"/statements/{element}/history").json()["versions"]
    assert versions[0]["statement"]["id"] == element
    assert versions[1]["link"]["relation"] == "realised"
    assert client.get("/statements/ga-res-74-60-2019/main/para_999/history").status_code == 404


def test_new_language_per_year(client: TestClient) -> None:
    rows = client.get("/analyses/new-language-per-year").json()
    per_document: dict[str, list[int]] = {}
    for row in rows:
        per_document.setdefault(str(row["document"]), []).append(int(row["statements"]))
        assert row["year"] == str(row["year"])[:4] and row["themeLabel"] is not None
    # a statement concerning two themes counts under both: no theme counts more than the
    # document's statements, and all of the first resolution's 10 are new
    first = per_document["https://w3id.org/poa-kg/id/document/ga-res-57-72-2002"]
    assert max(first) <= 10 <= sum(first)
    latest = per_document["https://w3id.org/poa-kg/id/document/ga-res-74-60-2019"]
    assert 0 < max(latest) < 52
    dropped = client.get("/analyses/dropped-per-year").json()
    assert dropped and all(int(r["statements"]) > 0 for r in dropped)


def test_analyses_are_listed_and_run(client: TestClient) -> None:
    names = {a["name"] for a in client.get("/analyses").json()}
    assert {"strength-by-meeting", "themes-by-meeting", "actor-engagement"} <= names
    assert {"new-language-per-year", "dropped-per-year"} <= names
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
