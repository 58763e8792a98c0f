"""One behaviour on every route: every list route (found by walking the OpenAPI document) sends
``X-Total-Count`` and RFC 8288 ``Link`` on the public address; the lists a person opens from the
navigation bar are pages for a browser and the same JSON as before for everyone else; a
statement's JSON carries its citation."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from starlette.requests import Request

from api.paging import paging_headers

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PUBLIC = "http://testserver"
"""``public_url`` of the test app (``tests/api/conftest.py``)."""
PATH_VALUES = {"iso3": "FRA", "name": "strength-by-meeting"}
"""A value for each path parameter of a list route; a new one must be added here."""
QUERY = {"/search": {"q": "tracing"}}
LINK = re.compile(r'<([^>]*)>; rel="(first|prev|next|last)"')


def _schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation["responses"].get("200", {}).get("content", {})
    schema: dict[str, Any] = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_list(schema: dict[str, Any]) -> bool:
    """An array, or a page of one (``items`` and ``total``)."""
    properties = schema.get("properties", {})
    return schema.get("type") == "array" or ("items" in properties and "total" in properties)


def list_routes(client: TestClient) -> list[str]:
    document = client.get("/openapi.json").json()
    return [
        path
        for path, item in document["paths"].items()
        if "get" in item and _is_list(_schema(document, item["get"]))
    ]


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(header)}


def _count(body: Any) -> int:
    return len(body) if isinstance(body, list) else int(body["total"])


def test_every_list_route_sends_total_and_links_on_the_public_address(client: TestClient) -> None:
    routes = list_routes(client)
    for expected in ("/statements", "/commitments", "/documents", "/actors", "/votes", "/search"):
        assert expected in routes
    assert "/analyses/{name}" in routes and "/analyses/vote-agreement" in routes
    assert len(routes) >= 15, routes
    for route in routes:
        names = re.findall(r"{(\w+)}", route)
        assert set(names) <= set(PATH_VALUES), f"{route}: add its path parameters to PATH_VALUES"
        path = route.format(**PATH_VALUES)
        # another Host: the links must name the configured public address all the same
        answer = client.get(path, params=QUERY.get(route, {}), headers={"host": "evil.example"})
        assert answer.status_code == 200, (route, answer.text[:200])
        assert answer.headers["x-total-count"] == str(_count(answer.json())), route
        links = _links(answer.headers["link"])
        assert {"first", "last"} <= set(links), (route, answer.headers["link"])
        for url in links.values():
            assert url.startswith(f"{PUBLIC}{path}"), (route, url)


def test_paged_links_walk_the_pages() -> None:
    def request(query: str) -> Request:
        return Request(
            {
                "type": "http",
                "method": "GET",
                "path": "/actors",
                "query_string": query.encode(),
                "headers": [],
                "server": ("127.0.0.1", 80),
                "scheme": "http",
            }
        )

    middle = paging_headers(request("per_page=10&page=3&q=a+b"), PUBLIC, 45, 3, 10)
    assert middle["X-Total-Count"] == "45"
    assert _links(middle["Link"]) == {
        "first": f"{PUBLIC}/actors?per_page=10&q=a+b&page=1",
        "prev": f"{PUBLIC}/actors?per_page=10&q=a+b&page=2",
        "next": f"{PUBLIC}/actors?per_page=10&q=a+b&page=4",
        "last": f"{PUBLIC}/actors?per_page=10&q=a+b&page=5",
    }
    first = _links(paging_headers(request(""), PUBLIC, 45, 1, 10)["Link"])
    assert "prev" not in first and first["next"].endswith("page=2")
    beyond = _links(paging_headers(request("page=9"), PUBLIC, 45, 9, 10)["Link"])
    assert "next" not in beyond and beyond["prev"].endswith("page=5")
    empty = _links(paging_headers(request(""), PUBLIC, 0, 1, 10)["Link"])
    assert empty == {"first": f"{PUBLIC}/actors?page=1", "last": f"{PUBLIC}/actors?page=1"}


def test_following_next_reaches_every_item_once(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/themes?per_page=7"
    total = None
    while url:
        answer = client.get(url.removeprefix(PUBLIC))
        total = int(answer.headers["x-total-count"])
        seen += [item["id"] for item in answer.json()["items"]]
        url = _links(answer.headers["link"]).get("next")
    assert total and len(seen) == total == len(set(seen)) > 7


PAGES = {
    "/documents": ('id="documents"', 'data-document="revcon3-2018"'),
    "/documents/revcon3-2018": ('id="citation"', "A/CONF.192/2018/RC/3"),
    "/exports": ('id="exports"', 'data-projection="commitment-theme"'),
    "/analyses": ('id="analyses"', 'data-analysis="strength-by-meeting"'),
    "/analyses/strength-by-meeting": ('id="analysis"', "/page/meeting/revcon3"),
}


def test_a_browser_gets_a_page_and_every_other_client_the_same_json(client: TestClient) -> None:
    for path, marks in PAGES.items():
        page = client.get(path, headers={"accept": BROWSER})
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html"), path
        assert page.headers["vary"] == "Accept", path
        for mark in marks:
            assert mark in page.text, (path, mark)
        bodies = set()
        for accept in (None, "*/*", "application/json", "application/json, text/html;q=0.5"):
            answer = client.get(path, headers={"accept": accept} if accept else {})
            assert answer.headers["content-type"] == "application/json", (path, accept)
            assert answer.headers["vary"] == "Accept", (path, accept)
            bodies.add(answer.content)
        assert len(bodies) == 1, path
        body = bodies.pop()
        # FastAPI's own encoding of the route's model, as before the route had a page
        assert body == json.dumps(
            json.loads(body), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def test_analysis_json_and_csv_by_name_even_for_a_browser(client: TestClient) -> None:
    by_name = client.get(
        "/analyses/strength-by-meeting", params={"format": "json"}, headers={"accept": BROWSER}
    )
    assert by_name.headers["content-type"] == "application/json"
    rows = by_name.json()
    assert rows and {"meeting", "commitments"} <= set(rows[0])
    csv = client.get(
        "/analyses/strength-by-meeting", params={"format": "csv"}, headers={"accept": BROWSER}
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["x-total-count"] == str(len(rows)) == str(len(csv.text.splitlines()) - 1)


def test_a_statement_carries_its_citation(client: TestClient) -> None:
    key = "revcon3-2018/annex/sec_II__para_13"
    cited = client.get(f"/cite/statement/{key}").json()
    for route in ("commitments", "statements"):
        body = client.get(f"/{route}/{key}").json()
        assert (
            body["citation"]
            == cited["citation"]
            == "A/CONF.192/2018/RC/3, annex, sect. II, para. 13"
        )
        assert body["official"] == cited["official"] == "https://undocs.org/A/CONF.192/2018/RC/3"
        assert body["links"]["cite"] == f"{PUBLIC}/cite/statement/{key}"
