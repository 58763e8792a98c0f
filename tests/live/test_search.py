"""Full-text search as a user meets it, against the live server: hyphens and spaces alike,
stemming, phrases and prefixes, BM25 order, snippets, filters and facets, and a clear 400 for
what does not parse; the search page in Chromium."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.live.test_pages import browser, page  # noqa: F401 - the fixtures the page tests use

pytestmark = [pytest.mark.live]


def _search(live_url: str, **params: str) -> httpx.Response:
    return httpx.get(f"{live_url}/search", params=params, headers={"Accept": "application/json"})


def test_record_keeping_is_found_with_a_space_a_hyphen_or_as_a_phrase(live_url: str) -> None:
    totals = {
        q: _search(live_url, q=q).json()["total"]
        for q in ("record keeping", "record-keeping", '"record keeping"', "Record-Keeping")
    }
    assert len(set(totals.values())) == 1, totals
    assert totals["record keeping"] > 0


def test_stemming_prefix_and_snippets(live_url: str) -> None:
    marked = _search(live_url, q="marked").json()
    assert marked["total"] > 0
    assert any("<mark>marking</mark>" in h["snippet"].lower() for h in marked["items"])
    prefix = _search(live_url, q="broker*").json()
    assert prefix["total"] >= _search(live_url, q="brokering").json()["total"] > 0


def test_hits_are_ranked_best_first_and_cite_their_paragraph(live_url: str) -> None:
    found = _search(live_url, q="tracing weapons", per_page="50").json()
    scores = [h["score"] for h in found["items"]]
    assert scores == sorted(scores)
    first = found["items"][0]
    assert first["citation"]
    assert httpx.get(first["page"]).status_code == 200


def test_preambles_and_declarations_are_searchable(live_url: str) -> None:
    found = _search(live_url, q="recalling", kind="Preambular").json()
    assert found["total"] > 0
    assert {h["kind"] for h in found["items"]} == {"Preambular"}
    assert any("preambular paragraph" in h["citation"] for h in found["items"])


def test_filters_narrow_and_facets_count_every_match(live_url: str) -> None:
    everything = _search(live_url, q="tracing").json()
    by_document = {f["value"]: f["count"] for f in everything["facets"]["document"]}
    narrowed = _search(live_url, q="tracing", document="ga-res-73-69-2018").json()
    assert narrowed["total"] == by_document["ga-res-73-69-2018"] < everything["total"]
    assert {h["document"] for h in narrowed["items"]} == {"ga-res-73-69-2018"}
    themed = _search(live_url, q="tracing", theme="tracing", year="2018").json()
    assert 0 < themed["total"] <= everything["total"]
    assert {h["year"] for h in themed["items"]} == {2018}


def test_paging_headers(live_url: str) -> None:
    answer = _search(live_url, q="States", per_page="5", page="2")
    assert answer.headers["X-Total-Count"] == str(answer.json()["total"])
    assert 'rel="next"' in answer.headers["Link"] and 'rel="prev"' in answer.headers["Link"]
    assert len(answer.json()["items"]) == 5


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"q": '"unclosed'}, "q"),
        ({"q": "NOT"}, "q"),
        ({"q": "tracing", "theme": "women"}, "theme"),
        ({"q": "tracing", "meeting": "bms99"}, "meeting"),
        ({"q": "tracing", "colour": "red"}, "colour"),
        ({}, "q"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(
    live_url: str, params: dict[str, str], parameter: str
) -> None:
    answer = _search(live_url, **params)
    assert answer.status_code == 400, answer.text
    assert answer.json()["parameter"] == parameter


def test_sql_in_the_query_is_only_text(live_url: str) -> None:
    before = _search(live_url, q="tracing").json()["total"]
    odd = _search(live_url, q="x'); DROP TABLE units; -- \" OR 1=1")
    assert odd.status_code in (200, 400)
    assert _search(live_url, q="tracing").json()["total"] == before


@pytest.mark.browser
def test_search_page_finds_highlights_and_narrows(page: Page, live_url: str) -> None:  # noqa: F811
    page.goto(f"{live_url}/search")
    page.get_by_role("searchbox").fill("record-keeping")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#total")).to_contain_text("paragraph")
    expect(page.locator(".hit mark").first).to_be_visible()
    total = int(page.locator("#total strong").inner_text())
    page.locator('[data-facet="document"] a').first.click()
    expect(page.locator(".filters")).to_contain_text("document =")
    assert int(page.locator("#total strong").inner_text()) <= total
    page.locator(".hit a.citation").first.click()
    expect(page.locator("#cite")).to_be_visible()
