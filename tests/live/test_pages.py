"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright against the live
server. Home page figures, an example query run in the YASGUI editor (table and chart), a
commitment page with its mentions linked, and the link to an actor followed. Every request the
pages make goes to the service itself (no CDN, no outside autocompleter). Screenshots of each
page go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from poa_kg.config import ROOT
from poa_kg.namespaces import BASE

pytestmark = [pytest.mark.browser, pytest.mark.live]

SHOTS = ROOT / "artifacts" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is installed by scripts/bootstrap.sh tests"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser: BrowserContext, live_url: str) -> Iterator[Page]:
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_url, "data:", "blob:")) else outside.append(r.url),
    )
    yield page
    page.close()
    assert outside == [], f"requests left the service: {outside}"


def test_home_page_explains_and_counts(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/")
    expect(page.locator("h1")).to_have_text("poa-kg")
    stats = httpx.get(f"{live_url}/stats").json()["figures"]
    shown = page.locator('[data-figure="commitments"] .value').inner_text()
    assert int(shown) == stats["commitments"] > 0
    assert page.locator('a[href="/docs"]').count() >= 1
    assert page.locator('a[href="/exports"]').count() >= 1
    assert page.locator('a[href="/accuracy"]').count() >= 1
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)


def test_editor_runs_an_example_and_shows_the_table(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/editor")
    page.locator("button.example", has_text="commitments naming interpol or wco").click()
    rows = page.locator(".yasr table tbody tr")
    expect(rows.first).to_be_visible(timeout=20_000)
    assert rows.count() >= 8
    assert "para_13" in page.locator(".yasr table tbody").inner_text()
    page.screenshot(path=str(SHOTS / "editor-table.png"), full_page=True)


def test_editor_draws_a_chart_for_a_counting_query(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/editor")
    page.locator("button.example", has_text="commitments per strength level").click()
    chart = page.locator("#chart")
    expect(chart).to_be_visible(timeout=20_000)
    assert chart.locator("rect.bar").count() >= 3
    page.screenshot(path=str(SHOTS / "editor-chart.png"), full_page=True)


def test_commitment_page_links_mentions_to_their_pages(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/page/statement/revcon3-2018/annex/sec_II__para_13")
    paragraph = page.locator("#paragraph")
    expect(paragraph).to_contain_text("INTERPOL")
    mention = paragraph.locator('a.mention[href="/page/actor/interpol"]')
    assert mention.count() >= 1
    assert page.locator('a[type="text/turtle"]').count() == 1
    assert page.locator('a[type="application/ld+json"]').count() == 1
    expect(page.locator("h2", has_text="History")).to_be_visible()
    page.screenshot(path=str(SHOTS / "commitment.png"), full_page=True)
    mention.first.click()
    expect(page.locator("h1")).to_have_text("International Criminal Police Organization")
    assert page.locator("ul.statements li").count() >= 8
    page.screenshot(path=str(SHOTS / "actor.png"), full_page=True)


def test_statement_page_says_why_each_tag_is_there(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/page/statement/revcon3-2018/annex/sec_IV__para_5")
    expect(page.locator("h2#why")).to_have_text("Why these tags?")
    why = page.locator("table.why")
    expect(why.locator("tr.why-class")).to_contain_text("operative verb")
    expect(why.locator('tr.why-mention[data-entity="actor/interpol"]')).to_contain_text("acronym")
    inherited = why.locator('tr.why-inherited[data-entity="theme/cooperation-and-assistance"]')
    expect(inherited).to_contain_text("international cooperation")
    assert why.locator('tr[data-entity="theme/tracing"]').count() == 0
    page.screenshot(path=str(SHOTS / "why-these-tags.png"), full_page=True)
    page.locator('a[href="/accuracy"]', has_text="How accurate is this?").click()
    expect(page.locator("h1")).to_have_text("How accurate is this?")
    row = page.locator(
        'table.accuracy tr[data-aspect="themes"][data-metric="precision"]'
        '[data-kind="all"][data-half="test"] td.value'
    )
    figure = httpx.get(f"{live_url}/accuracy", params={"format": "json"}).json()["measurements"]
    measured = next(
        m["value"]
        for m in figure
        if (m["aspect"], m["metric"], m["document_kind"], m["half"])
        == ("themes", "precision", "all", "test")
    )
    assert float(row.inner_text()) == round(measured, 3)
    expect(page.locator("h2#quality-report")).to_be_visible()
    page.screenshot(path=str(SHOTS / "accuracy.png"), full_page=True)


def test_statement_page_shows_its_history_as_a_timeline(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/page/statement/ga-res-74-60-2019/main/recital_2")
    timeline = page.locator("ol.timeline li.version")
    expect(timeline.first).to_be_visible()
    years = [int(y) for y in timeline.evaluate_all("(items) => items.map(i => i.dataset.year)")]
    assert years == sorted(years) and years[0] <= 2004 and years[-1] == 2019
    assert page.locator("ol.timeline li.current").count() == 1
    # each later version: its relation and the confidence of the link, words highlighted
    confidences = page.locator("ol.timeline .confidence").all_inner_texts()
    assert len(confidences) == len(years) - 1
    assert all(0 < float(c) <= 1 for c in confidences)
    assert page.locator("ol.timeline ins").count() >= 1
    assert page.locator("ol.timeline del").count() >= 1
    expect(page.locator("ol.timeline li.version").first).to_contain_text("first appearance")
    page.screenshot(path=str(SHOTS / "statement-history.png"), full_page=True)


def test_the_turtle_link_of_a_page_serves_turtle(live_url: str) -> None:
    response = httpx.get(f"{live_url}/data/actor/interpol.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert "International Criminal Police Organization" in response.text


def test_the_navigation_bar_opens_pages_not_json(page: Page, live_url: str) -> None:
    """Documents, Exports and Analyses from the bar are pages; the same addresses stay JSON for a
    client that does not ask for HTML."""
    page.goto(f"{live_url}/")
    page.locator("nav a", has_text="Documents").click()
    expect(page.locator("h1")).to_have_text("Documents")
    listed = httpx.get(f"{live_url}/documents").json()
    assert page.locator("table#documents tbody tr").count() == len(listed) > 10
    page.screenshot(path=str(SHOTS / "documents.png"), full_page=True)
    page.locator('tr[data-document="revcon3-2018"] a').first.click()
    expect(page.locator("#citation")).to_contain_text("A/CONF.192/2018/RC/3")
    expect(page.locator("#official")).to_have_attribute(
        "href", "https://undocs.org/A/CONF.192/2018/RC/3"
    )
    page.screenshot(path=str(SHOTS / "document.png"), full_page=True)

    page.locator("nav a", has_text="Exports").click()
    expect(page.locator("h1")).to_have_text("Exports for Gephi")
    gexf = page.locator('tr[data-projection="commitment-theme"] a[type="application/gexf+xml"]')
    assert gexf.get_attribute("href") == f"{live_url}/exports/commitment-theme.gexf"
    page.screenshot(path=str(SHOTS / "exports.png"), full_page=True)

    page.locator("nav a", has_text="Analyses").click()
    expect(page.locator("h1")).to_have_text("Analyses")
    page.locator('tr[data-analysis="strength-by-meeting"] a').first.click()
    expect(page.locator("h1")).to_have_text("Strength by meeting")
    rows = httpx.get(f"{live_url}/analyses/strength-by-meeting").json()
    assert page.locator("table#analysis tbody tr").count() == len(rows) > 0
    page.locator("table#analysis a", has_text="meeting/").first.click()
    expect(page.locator("h1")).not_to_be_empty()
    assert "/page/meeting/" in page.url
    page.screenshot(path=str(SHOTS / "analysis.png"), full_page=True)


def test_editor_result_links_open_on_this_server(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/editor")
    page.locator("button.example", has_text="commitments naming interpol or wco").click()
    rows = page.locator(".yasr table tbody tr")
    expect(rows.first).to_be_visible(timeout=20_000)
    links = page.locator(".yasr table a.iri")
    expect(links.first).to_have_attribute("href", re.compile(f"^{re.escape(live_url)}/"))
    hrefs = links.evaluate_all("(as) => as.map(a => [a.href, a.dataset.iri || null])")
    ours = [(href, iri) for href, iri in hrefs if iri and iri.startswith(BASE)]
    assert len(ours) >= 8
    assert not [h for h, _ in hrefs if h.startswith(BASE)], "a dataset IRI still links away"
    for href, iri in ours:
        assert href == f"{live_url}/page/{iri.removeprefix(f'{BASE}id/')}", (href, iri)
    page.screenshot(path=str(SHOTS / "editor-links.png"), full_page=True)
    href, iri = ours[0]
    answer = page.goto(href)
    assert answer is not None and answer.status == 200
    expect(page.locator("main")).to_contain_text(iri)  # the page of that very resource
