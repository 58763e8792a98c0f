"""Citation as a user meets it, against the live server: the citation string in the UN's style,
the link to the official text by symbol, BibTeX and CSL-JSON, on the statement and document
pages (Chromium) and as JSON."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.live.test_pages import browser, page  # noqa: F401 - the fixtures the page tests use

pytestmark = [pytest.mark.live]

ANNEX = "statement/revcon3-2018/annex/sec_II__para_13"
OPERATIVE = "unit/ga-res-73-69-2018/main/para_12"
PREAMBLE = "unit/ga-res-73-69-2018/main/recital_3"


def test_a_paragraph_of_the_outcome_is_cited_by_symbol_annex_section_and_paragraph(
    live_url: str,
) -> None:
    found = httpx.get(f"{live_url}/cite/{ANNEX}").json()
    assert found["citation"] == "A/CONF.192/2018/RC/3, annex, sect. II, para. 13"
    assert found["official"] == "https://undocs.org/A/CONF.192/2018/RC/3"
    assert found["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert found["csl"]["locator"] == "annex, sect. II, para. 13"
    assert found["csl"]["number"] == "A/CONF.192/2018/RC/3"


def test_resolution_paragraphs_operative_and_preambular(live_url: str) -> None:
    operative = httpx.get(f"{live_url}/cite/{OPERATIVE}", params={"format": "text"})
    assert operative.headers["content-type"].startswith("text/plain")
    assert operative.text.strip() == "A/RES/73/69, para. 12, https://undocs.org/A/RES/73/69"
    preamble = httpx.get(f"{live_url}/cite/{PREAMBLE}").json()
    assert preamble["citation"] == "A/RES/73/69, third preambular paragraph"


def test_bibtex_and_csl_json_by_format_and_by_accept(live_url: str) -> None:
    bib = httpx.get(f"{live_url}/cite/{OPERATIVE}", params={"format": "bibtex"})
    assert bib.headers["content-type"].startswith("application/x-bibtex")
    assert bib.text.startswith("@misc{poa-kg:unit_ga-res-73-69-2018_main_para_12,")
    assert "note = {A/RES/73/69, para. 12}" in bib.text
    csl = httpx.get(
        f"{live_url}/cite/{OPERATIVE}",
        headers={"Accept": "application/vnd.citationstyles.csl+json"},
    )
    items = json.loads(csl.text)
    assert items[0]["issued"]["date-parts"][0][0] == 2018
    assert items[0]["URL"] == "https://undocs.org/A/RES/73/69"


def test_a_document_without_a_symbol_has_no_official_link(live_url: str) -> None:
    found = httpx.get(f"{live_url}/cite/document/bms8-2022-draft").json()
    assert found["official"] is None
    assert "(2022)" in found["citation"]


def test_documents_list_carries_citation_and_official_text(live_url: str) -> None:
    documents = httpx.get(f"{live_url}/documents").json()
    by_id = {d["id"]: d for d in documents}
    assert by_id["ga-res-73-69-2018"]["official"] == "https://undocs.org/A/RES/73/69"
    assert all(d["citation"] for d in documents)


def test_bad_format_and_unknown_resource(live_url: str) -> None:
    bad = httpx.get(f"{live_url}/cite/{OPERATIVE}", params={"format": "ris"})
    assert bad.status_code == 400
    assert bad.json()["parameter"] == "format"
    assert httpx.get(f"{live_url}/cite/unit/nothing/main/para_1").status_code == 404


@pytest.mark.browser
def test_statement_page_shows_cite_this_paragraph(page: Page, live_url: str) -> None:  # noqa: F811
    page.goto(f"{live_url}/page/{ANNEX}")
    cite = page.locator("#cite")
    expect(cite.locator("h2")).to_have_text("Cite this paragraph")
    expect(page.locator("#citation-text")).to_contain_text(
        "A/CONF.192/2018/RC/3, annex, sect. II, para. 13"
    )
    expect(cite.locator("a.official")).to_have_attribute(
        "href", "https://undocs.org/A/CONF.192/2018/RC/3"
    )
    cite.locator("summary", has_text="BibTeX").click()
    expect(page.locator("#citation-bibtex")).to_contain_text("@misc{")


@pytest.mark.browser
def test_document_page_shows_cite_this_document(page: Page, live_url: str) -> None:  # noqa: F811
    page.goto(f"{live_url}/page/document/ga-res-73-69-2018")
    expect(page.locator("#cite h2")).to_have_text("Cite this document")
    expect(page.locator("#citation-text")).to_contain_text("A/RES/73/69")
