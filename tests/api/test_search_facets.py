"""Search facets against the filters: each value a facet counts, used as a filter, finds exactly
that many units. Facets count the packed columns of the hits (``serve/search.py``); filters look
the values up in the ``tags`` table and the units' own columns: two ways to the same number."""

from __future__ import annotations

from fastapi.testclient import TestClient

from poa_kg.serve.search import FILTERS


def test_every_facet_count_is_what_its_filter_finds(client: TestClient) -> None:
    for q in ("tracing", "record keeping", "marking OR brokering"):
        found = client.get("/search", params={"q": q, "per_page": 1}).json()
        assert found["total"] > 10, q
        assert set(found["facets"]) == set(FILTERS)
        checked = 0
        for name, values in found["facets"].items():
            counts = [v["count"] for v in values]
            assert counts == sorted(counts, reverse=True), (q, name)
            for value in values[:3]:
                narrowed = client.get(
                    "/search", params={"q": q, name: value["value"], "per_page": 1}
                ).json()
                assert narrowed["total"] == value["count"], (q, name, value)
                checked += 1
        assert checked >= 15, q
        documents = found["facets"]["document"]
        assert all(d["label"] for d in documents)  # the document's short title
        themes = found["facets"]["theme"]
        assert themes and all(t["label"] for t in themes)
