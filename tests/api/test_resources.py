"""Vocabularies, votes, documents, statistics, linked-data dereferencing, OpenAPI."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from api.app import create_app
from poa_kg.config import Settings


def test_actors_with_commitment_counts(client: TestClient) -> None:
    body = client.get("/actors", params={"per_page": 500}).json()
    counts = {item["id"]: item["commitments"] for item in body["items"]}
    assert counts["interpol"] >= 5
    assert body["total"] == len(body["items"])


def test_state_by_iso3_in_any_case(client: TestClient) -> None:
    assert client.get("/states/fra").json()["label"] == "France"
    assert client.get("/states/XXX").status_code == 404


def test_votes_and_positions(client: TestClient) -> None:
    votes = client.get("/votes").json()
    assert [v["counted"] for v in votes] == [
        {"yes": 63, "no": 2, "abstain": 28},
        {"yes": 62, "no": 2, "abstain": 29},
        {"yes": 65, "no": 0, "abstain": 25},
        {"yes": 98, "no": 0, "abstain": 0},
    ]
    one = client.get("/votes/revcon3-2018/main/para_15").json()
    against = sorted(p["state"]["id"] for p in one["positions"] if p["option"] == "no")
    assert against == ["ISR", "USA"]
    assert one["adopted_paragraph"]["id"] == "revcon3-2018/annex/sec_I__para_16"


def test_a_states_record(client: TestClient) -> None:
    record = client.get("/states/USA/votes").json()
    assert [r["option"] for r in record] == ["no", "no", "abstain", "yes"]


def test_documents_and_stats(client: TestClient) -> None:
    documents = {d["id"]: d for d in client.get("/documents").json()}
    assert documents["revcon3-2018"]["symbol"] == "A/CONF.192/2018/RC/3"
    assert documents["bms8-2022-draft"]["date"] == "2022"
    figures = client.get("/stats").json()["figures"]
    # the three seed documents and the eighteen General Assembly resolutions
    assert figures["documents"] == 21 and figures["votes"] == 4 and figures["states"] == 195


def test_entity_iri_dereferences_by_content_negotiation(client: TestClient) -> None:
    for accept, target in (
        ("text/html", "/page/actor/interpol"),
        ("text/turtle", "/data/actor/interpol.ttl"),
        ("application/ld+json", "/data/actor/interpol.jsonld"),
    ):
        response = client.get(
            "/id/actor/interpol", headers={"Accept": accept}, follow_redirects=False
        )
        assert response.status_code == 303
        assert response.headers["location"].endswith(target)
        assert "Accept" in response.headers["vary"]
    turtle = client.get("/data/actor/interpol.ttl")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef("https://w3id.org/poa-kg/id/actor/interpol"), None, None) in graph
    page = client.get("/page/actor/interpol")
    assert "International Criminal Police Organization" in page.text


def test_statement_data_includes_its_annotation_target(client: TestClient) -> None:
    turtle = client.get("/data/statement/revcon3-2018/annex/sec_II__para_13.ttl")
    graph = Graph().parse(data=turtle.text, format="turtle")
    quote = URIRef("https://w3id.org/poa-kg/id/statement/revcon3-2018/annex/sec_II__para_13#quote")
    assert (quote, URIRef("http://www.w3.org/ns/oa#exact"), None) in graph


def test_unknown_iri_is_404(client: TestClient) -> None:
    assert client.get("/data/actor/nobody.ttl").status_code == 404


def test_openapi_documents_every_route_with_problem_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/sparql",
        "/commitments",
        "/commitments/{commitment_id}",
        "/actors",
        "/votes",
        "/stats",
    ):
        assert path in spec["paths"], path
    responses = spec["paths"]["/commitments"]["get"]["responses"]
    assert "application/problem+json" in responses["400"]["content"]


def test_cors_is_off_unless_configured(client: TestClient) -> None:
    response = client.get("/stats", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_editor_assets_are_served_by_the_service(client: TestClient) -> None:
    """YASGUI comes from npm through the service itself: the page works with no internet."""
    page = client.get("/editor")
    assert page.status_code == 200 and "/static/vendor/yasgui/yasgui.min.js" in page.text
    for asset in ("/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css"):
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 10_000
    assert "https://" not in page.text.split("<main>")[0].replace("https://w3id.org", "")


def test_editor_catalogue_holds_the_named_examples(client: TestClient) -> None:
    from poa_kg.serve import queries

    page = client.get("/editor").text
    examples = [n for n in queries.names() if n.startswith("example-")]
    assert examples and all(f'data-name="{name}"' in page for name in examples)


def test_highlighting_places_mentions_and_never_misplaces_them() -> None:
    from api.routes.linked_data import highlight

    text = "To encourage INTERPOL and the World Customs Organization to act."
    mentions = [
        {
            "start": 113,
            "end": 121,
            "matched": "INTERPOL",
            "entity": "https://w3id.org/poa-kg/id/actor/interpol",
            "label": "INTERPOL",
        },
        # offset off by two (a repaired line break): found by its words nearby
        {
            "start": 132,
            "end": 159,
            "matched": "World Customs Organization",
            "entity": "https://w3id.org/poa-kg/id/actor/wco",
            "label": "WCO",
        },
        {
            "start": 150,
            "end": 155,
            "matched": "Europol",
            "entity": "https://w3id.org/poa-kg/id/actor/europol",
            "label": "Europol",
        },
    ]
    segments = highlight(text, 100, mentions)
    assert "".join(s.text for s in segments) == text
    linked = {s.text: s.entity for s in segments if s.entity}
    assert linked == {"INTERPOL": "actor/interpol", "World Customs Organization": "actor/wco"}


def test_health_tells_the_truth_when_the_backend_is_down() -> None:
    from api.app import create_app
    from poa_kg.config import BackendKind, Settings
    from tests.live.conftest import free_port

    down = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    settings = Settings(backend=BackendKind.remote, sparql_endpoint=down)
    with TestClient(create_app(settings)) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.headers["retry-after"]


def test_a_resolution_is_served_without_a_meeting(client: TestClient) -> None:
    document = client.get("/documents/ga-res-74-60-2019").json()
    assert document["symbol"] == "A/RES/74/60" and document["meeting"] is None
    listed = client.get("/commitments", params={"document": "ga-res-74-60-2019"}).json()
    assert listed["total"] > 0 and all(item["meeting"] is None for item in listed["items"])
    one = client.get(f"/commitments/{listed['items'][0]['id']}")
    assert one.status_code == 200 and one.json()["meeting"] is None
    seeded = client.get("/commitments", params={"document": "revcon3-2018"}).json()
    assert all(item["meeting"]["id"] == "revcon3" for item in seeded["items"])


def test_a_list_cut_by_the_row_cap_says_so(api_settings: Settings) -> None:
    small = api_settings.model_copy(update={"row_cap": 5, "workers": 1})
    with TestClient(create_app(small)) as client:
        actors = client.get("/actors", params={"per_page": 500}).json()
        assert actors["truncated"] is True and actors["total"] == 5
        state = client.get("/actors/interpol").json()
        assert state["statements_truncated"] is True and len(state["statements"]) == 5
    with TestClient(create_app(api_settings)) as client:
        actors = client.get("/actors", params={"per_page": 500}).json()
        assert actors["truncated"] is False and actors["total"] > 5
        state = client.get("/actors/interpol").json()
        assert state["statements_truncated"] is False


def test_no_route_answers_200_to_a_parameter_it_does_not_take(client: TestClient) -> None:
    """Every GET route without path parameters, and one of each kind with them: a misspelt or
    unknown query key is a 400 naming it (the SPARQL endpoint, whose protocol allows more, aside)."""
    documented = client.get("/openapi.json").json()["paths"]
    paths = [path for path, item in documented.items() if "get" in item and "{" not in path]
    paths += [
        "/actors/interpol",
        "/documents/revcon3-2018",
        "/page/actor/interpol",
        "/id/actor/interpol",
    ]
    assert len(paths) > 15
    for path in paths:
        answer = client.get(path, params={"colour": "red"}, follow_redirects=False)
        if path == "/sparql":
            assert answer.status_code != 400 or "colour" not in answer.text
            continue
        assert answer.status_code == 400, path
        problem = answer.json()
        assert problem["parameter"] == "colour" and "colour" in problem["detail"], path


def test_a_misspelt_filter_names_the_parameters_the_route_takes(client: TestClient) -> None:
    answer = client.get("/commitments", params={"themes": "tracing"})
    assert answer.status_code == 400
    assert answer.json()["parameter"] == "themes"
    assert "theme" in answer.json()["detail"].split("it takes:")[1]
