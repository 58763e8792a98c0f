"""The downloads as a user takes them, from a live server: the files named with the data
version, their checksums, sizes and record counts as the listing and VoID/DCAT state them; the
N-Quads, TriG and JSON-LD (against the published context) holding every quad; the CSV and its
CSVW description agreeing; the page in Chromium."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pyoxigraph import Dataset, RdfFormat, parse
from rdflib import Graph, Literal, URIRef

from tests.live.test_pages import browser  # noqa: F401 - the fixture the page tests use

pytestmark = [pytest.mark.live]
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def downloads_url(live_url: str) -> str:
    """The live server: its settings have the downloads written (``conftest.with_downloads``)."""
    return live_url


@pytest.fixture(scope="module")
def listing(downloads_url: str) -> dict[str, Any]:
    found: dict[str, Any] = httpx.get(f"{downloads_url}/downloads").json()
    return found


def _file(listing: dict[str, Any], suffix: str) -> dict[str, Any]:
    return next(f for f in listing["files"] if f["name"].endswith(suffix))


def test_every_file_is_named_with_the_version_and_matches_its_checksum(
    downloads_url: str, listing: dict[str, Any]
) -> None:
    assert listing["licence"] == CC_BY
    suffixes = {".nq.gz", ".trig.gz", ".jsonld.gz", ".statements.csv", "-metadata.json"}
    for suffix in suffixes:
        entry = _file(listing, suffix)
        assert entry["name"].startswith(f"poa-kg-{listing['version']}")
        body = httpx.get(entry["url"]).content
        assert len(body) == entry["bytes"]
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]


def test_nquads_trig_and_jsonld_hold_every_quad(
    downloads_url: str, listing: dict[str, Any]
) -> None:
    quads = _file(listing, ".nq.gz")["records"]
    assert quads > 100_000
    nq = gzip.decompress(httpx.get(_file(listing, ".nq.gz")["url"]).content)
    assert len(Dataset(parse(nq, format=RdfFormat.N_QUADS))) == quads
    trig = gzip.decompress(httpx.get(_file(listing, ".trig.gz")["url"]).content)
    assert len(Dataset(parse(trig, format=RdfFormat.TRIG))) == quads
    document = json.loads(gzip.decompress(httpx.get(_file(listing, ".jsonld.gz")["url"]).content))
    context_url = document["@context"]
    assert context_url == f"{downloads_url}/downloads/poa-kg-context.jsonld"
    document["@context"] = httpx.get(context_url).json()["@context"]  # the published context
    parsed = Dataset(parse(json.dumps(document).encode(), format=RdfFormat.JSON_LD))
    assert len(parsed) == quads


def test_csv_has_one_row_per_statement_described_by_csvw(
    downloads_url: str, listing: dict[str, Any]
) -> None:
    entry = _file(listing, ".statements.csv")
    rows = list(csv.DictReader(io.StringIO(httpx.get(entry["url"]).text)))
    assert len(rows) == entry["records"]
    assert len({row["statement"] for row in rows}) == len(rows)
    metadata = httpx.get(_file(listing, "-metadata.json")["url"]).json()
    assert metadata["url"] == entry["name"]
    assert [c["name"] for c in metadata["tableSchema"]["columns"]] == list(rows[0])
    cited = next(r for r in rows if r["id"] == "revcon3-2018/annex/sec_II__para_13")
    assert cited["citation"] == "A/CONF.192/2018/RC/3, annex, sect. II, para. 13"
    assert "interpol" in cited["actors"].split("|")


def test_void_and_dcat_state_checksums_sizes_counts_and_licence(
    downloads_url: str, listing: dict[str, Any]
) -> None:
    void = Graph().parse(data=httpx.get(listing["void"]).text, format="turtle")
    dcat = "http://www.w3.org/ns/dcat#"
    spdx = "http://spdx.org/rdf/terms#"
    for entry in listing["files"]:
        distribution = URIRef(entry["url"])
        assert (distribution, URIRef(f"{dcat}byteSize"), Literal(entry["bytes"])) in void
        values = {str(v) for v in void.objects(None, URIRef(f"{spdx}checksumValue"))}
        assert entry["sha256"] in values
    licences = set(void.objects(None, URIRef("http://purl.org/dc/terms/license")))
    assert licences == {URIRef(CC_BY)}


def test_unknown_file_is_404(downloads_url: str) -> None:
    answer = httpx.get(f"{downloads_url}/downloads/..%2F..%2Fetc%2Fpasswd")
    assert answer.status_code == 404
    assert httpx.get(f"{downloads_url}/downloads/other.nq.gz").status_code == 404


@pytest.fixture
def page(browser: BrowserContext, downloads_url: str) -> Iterator[Page]:  # noqa: F811
    """A page whose every request must go to this module's server (the downloads' own)."""
    opened = browser.new_page()
    outside: list[str] = []
    opened.on(
        "request",
        lambda r: None if r.url.startswith((downloads_url, "data:")) else outside.append(r.url),
    )
    yield opened
    opened.close()
    assert outside == [], f"requests left the service: {outside}"


@pytest.mark.browser
def test_downloads_page(page: Page, downloads_url: str, listing: dict[str, Any]) -> None:
    page.goto(f"{downloads_url}/downloads")
    expect(page.locator("#version")).to_have_text(listing["version"])
    expect(page.locator("#downloads tbody tr")).to_have_count(len(listing["files"]))
    expect(page.locator("a[rel=license]")).to_have_attribute("href", CC_BY)
