"""The response cache in front of the application, over a stand-in application that counts the
requests reaching it (the live and API tests run it over the real service)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from api.response_cache import ResponseCache


class CountingApp:
    """Answers every request with a body naming the call, its Accept and Origin."""

    def __init__(self, status: int = 200, parts: int = 1):
        self.calls = 0
        self.status = status
        self.parts = parts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        headers = dict(scope["headers"])
        body = b"%d %s %s" % (
            self.calls,
            headers.get(b"accept", b"-"),
            headers.get(b"origin", b"-"),
        )
        await send(
            {"type": "http.response.start", "status": self.status, "headers": [(b"x", b"1")]}
        )
        for part in range(self.parts):
            more = part < self.parts - 1
            await send({"type": "http.response.body", "body": body, "more_body": more})


def request(
    cache: ResponseCache,
    query: bytes = b"query=ASK%7B%7D",
    method: str = "GET",
    path: str = "/sparql",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> tuple[int, bytes]:
    sent: list[Message] = []
    scope: dict[str, Any] = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": headers or [(b"accept", b"application/json")],
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(cache(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


def make(app: CountingApp, version: list[str] | None = None, **bounds: int) -> ResponseCache:
    versions = version or ["v1"]
    return ResponseCache(
        app,
        version=lambda: versions[0],
        entries=bounds.get("entries", 10),
        max_bytes=bounds.get("max_bytes", 1000),
        cors=bool(bounds.get("cors", 1)),
        largest_key=bounds.get("largest_key", 16_384),
    )


def test_a_repeated_request_is_answered_from_memory() -> None:
    app = CountingApp()
    cache = make(app)
    first = request(cache)
    assert request(cache) == first
    assert (app.calls, cache.hits) == (1, 1)


@pytest.mark.parametrize(
    "other",
    [
        {"query": b"query=ASK%7B%20%7D"},
        {"headers": [(b"accept", b"text/csv")]},
        {"headers": [(b"accept", b"application/json"), (b"origin", b"http://a.example")]},
    ],
)
def test_query_accept_and_origin_each_make_a_new_entry(other: dict[str, Any]) -> None:
    app = CountingApp()
    cache = make(app)
    first = request(cache)
    assert request(cache, **other) != first
    assert (app.calls, cache.hits) == (2, 0)


@pytest.mark.parametrize(
    "other",
    [
        {"method": "HEAD"},
        {"method": "POST"},
        {"path": "/commitments"},
        {"query": b""},
        {"headers": [(b"if-none-match", b'"abc"')]},
        {"headers": [(b"authorization", b"Basic eDp5")]},
    ],
)
def test_other_requests_pass_through(other: dict[str, Any]) -> None:
    app = CountingApp()
    cache = make(app)
    request(cache, **other)
    request(cache, **other)
    assert (app.calls, cache.hits) == (2, 0)


@pytest.mark.parametrize("app", [CountingApp(status=400), CountingApp(parts=2)])
def test_errors_and_streamed_answers_are_not_kept(app: CountingApp) -> None:
    cache = make(app)
    request(cache)
    request(cache)
    assert (app.calls, cache.hits) == (2, 0)


def test_a_new_store_version_empties_the_cache() -> None:
    app = CountingApp()
    version = ["v1"]
    cache = make(app, version)
    request(cache)
    version[0] = "v2"
    assert request(cache)[1].startswith(b"2 ")
    assert (app.calls, cache.hits) == (2, 0)


def test_bounds_in_entries_and_bytes_drop_the_oldest() -> None:
    app = CountingApp()
    cache = make(app, entries=2, max_bytes=10_000)
    for n in range(3):
        request(cache, query=b"query=%d" % n)
    request(cache, query=b"query=0")  # dropped: computed again
    request(cache, query=b"query=2")  # kept
    assert (app.calls, cache.hits) == (4, 1)
    probe = make(CountingApp())
    request(probe, query=b"query=0")
    entry = probe._bytes  # key, headers and body of one entry
    tight = make(CountingApp(), max_bytes=2 * entry + entry // 2)
    for n in range(3):
        request(tight, query=b"query=%d" % n)
    assert len(tight._kept) == 2 and tight._bytes <= 2 * entry + entry // 2


def test_keys_are_normalised_and_origin_counts_only_with_cors() -> None:
    app = CountingApp()
    cache = make(app, cors=0)
    request(cache, headers=[(b"accept", b"Application/JSON, text/csv")])
    request(cache, headers=[(b"accept", b"application/json,text/csv")])
    request(cache, headers=[(b"accept", b"application/json,text/csv"), (b"origin", b"http://a")])
    assert (app.calls, cache.hits) == (1, 2)


def test_a_huge_key_passes_through_and_is_never_kept() -> None:
    app = CountingApp()
    cache = make(app, largest_key=100)
    for _ in range(2):
        request(cache, headers=[(b"accept", b"a" * 200)])
    assert (app.calls, cache.hits, len(cache._kept)) == (2, 0, 0)
