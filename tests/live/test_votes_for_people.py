"""Votes as a reader meets them, against the live server: every State's position on the vote
page, grouped by UN regional group and counted, with the text voted on; a State's voting record
on its page; the vote-agreement analysis filtered, ranked and paged; regional groups in the data
and as colours in the votes export."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.live.test_pages import browser, page  # noqa: F401 - the fixtures the page tests use

pytestmark = [pytest.mark.live]
AGREEMENT = "/analyses/vote-agreement"


def _votes(live_url: str) -> list[dict[str, object]]:
    votes: list[dict[str, object]] = httpx.get(f"{live_url}/votes").json()
    assert votes
    return votes


def test_vote_json_groups_positions_by_regional_group(live_url: str) -> None:
    vote = _votes(live_url)[0]
    found = httpx.get(f"{live_url}/votes/{vote['id']}").json()
    assert found["positions"]
    assert all(p["m49_region"] for p in found["positions"])
    for option, groups in found["by_group"].items():
        assert sum(groups.values()) == found["counted"][option]


@pytest.mark.browser
def test_vote_page_lists_every_position_grouped_and_counted(
    page: Page,  # noqa: F811
    live_url: str,
) -> None:
    vote = _votes(live_url)[0]
    found = httpx.get(f"{live_url}/votes/{vote['id']}").json()
    page.goto(f"{live_url}/page/vote/{vote['id']}")
    for option in ("yes", "no", "abstain"):
        expect(page.locator(f'#vote-counts tr[data-option="{option}"] .count')).to_have_text(
            str(found["counted"][option])
        )
    links = page.locator("section.vote-option a")
    assert links.count() == len(found["positions"])
    expect(page.locator("section.vote-option").first).to_contain_text("Western European")
    expect(page.get_by_text("What was voted on")).to_be_visible()


@pytest.mark.browser
def test_state_page_shows_its_voting_record(page: Page, live_url: str) -> None:  # noqa: F811
    record = httpx.get(f"{live_url}/states/USA/votes").json()
    assert record
    page.goto(f"{live_url}/page/state/USA")
    rows = page.locator("#voting-record tbody tr")
    expect(rows).to_have_count(len(record))
    expect(rows.locator(".option").first).to_have_text(record[0]["option"])


def test_agreement_ranks_most_alike_first_and_pages(live_url: str) -> None:
    answer = httpx.get(f"{live_url}{AGREEMENT}", params={"per_page": "10"})
    body = answer.json()
    assert answer.headers["X-Total-Count"] == str(body["total"]) and body["total"] > 10
    agreements = [item["agreement"] for item in body["items"]]
    assert agreements == sorted(agreements, reverse=True)
    assert body["items"][0]["rank"] == 1
    assert 'rel="next"' in answer.headers["Link"]
    last = httpx.get(f"{live_url}{AGREEMENT}", params={"sort": "agreement", "per_page": "5"}).json()
    assert last["items"][0]["agreement"] <= agreements[-1]


def test_agreement_for_one_state_with_min_shared(live_url: str) -> None:
    body = httpx.get(
        f"{live_url}{AGREEMENT}", params={"state": "USA", "min_shared": "3", "per_page": "500"}
    ).json()
    assert body["items"]
    assert {item["first"]["iso3"] for item in body["items"]} == {"USA"}
    assert min(item["votes_compared"] for item in body["items"]) >= 3
    ranks = [item["rank"] for item in body["items"]]
    assert ranks == sorted(ranks)


def test_agreement_by_regional_group(live_url: str) -> None:
    body = httpx.get(f"{live_url}{AGREEMENT}", params={"by": "group", "per_page": "100"}).json()
    groups = {item["first_group"] for item in body["items"]} | {
        item["second_group"] for item in body["items"]
    }
    assert "Western European and Others" in groups and "African" in groups
    within = httpx.get(
        f"{live_url}{AGREEMENT}", params={"group": "African", "per_page": "500"}
    ).json()
    assert all(
        item["first"]["un_group"] == item["second"]["un_group"] == "African"
        for item in within["items"]
    )


def test_agreement_as_csv(live_url: str) -> None:
    answer = httpx.get(f"{live_url}{AGREEMENT}", headers={"Accept": "text/csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text.splitlines()[0].startswith("rank,first_iso3,")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"state": "XXX"}, "state"),
        ({"sort": "sideways"}, "sort"),
        ({"group": "Martian"}, "group"),
        ({"by": "planet"}, "by"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_agreement_bad_input_is_400(live_url: str, params: dict[str, str], parameter: str) -> None:
    answer = httpx.get(f"{live_url}{AGREEMENT}", params=params)
    assert answer.status_code == 400
    assert answer.json()["parameter"] == parameter


def test_votes_export_colours_states_by_regional_group(live_url: str) -> None:
    answer = httpx.get(f"{live_url}/exports/votes.gexf")
    root = ET.fromstring(answer.content)  # noqa: S314 - our own export
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    colours = {
        (c.get("r"), c.get("g"), c.get("b")) for c in root.iterfind(".//g:node/viz:color", ns)
    }
    assert len(colours) >= 4
    titles = {a.get("title") for a in root.iterfind(".//g:attributes/g:attribute", ns)}
    assert {"un_group", "m49_region"} <= titles
