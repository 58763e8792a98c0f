"""Whole answers to repeated ``GET /sparql`` requests, kept in front of the application.

The published data changes only with a build, so an answer is fully determined by the store
version, the request's query string and the two headers it varies on (``Accept``, and ``Origin``
through CORS). Keys are normalised (``Accept`` lower-cased without spaces; ``Origin`` kept only
when CORS is on) and counted with the answers in the byte bound; a request whose key would
exceed ``largest_key`` bytes passes through uncached. A hit is sent as it was first answered —
status, headers, body — without routing, parsing or inspecting anything again; that framework
work cost as much as the query itself for a cached lookup. Only complete 200 answers are kept.
Conditional requests (``If-None-Match``) pass through, so the application still answers them
with 304. The cache empties itself when the
store version moves, and is bounded in entries and bytes (oldest out first).

Used only over the embedded store: an external server's data may change at any time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_PATH = "/sparql"
_BYPASS = (b"if-none-match", b"if-modified-since", b"range", b"authorization")


@dataclass(frozen=True)
class _Kept:
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """ASGI middleware: answer a repeated ``GET /sparql`` from memory."""

    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], str],
        entries: int,
        max_bytes: int,
        largest: int = 1_048_576,
        cors: bool = False,
        largest_key: int = 16_384,
    ):
        self.app = app
        self.version = version
        self.entries = entries
        self.max_bytes = max_bytes
        self.largest = largest
        self.cors = cors
        self.largest_key = largest_key
        self.hits = 0
        self._kept: OrderedDict[tuple[bytes, bytes, bytes], _Kept] = OrderedDict()
        self._bytes = 0
        self._version = ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        version = self.version()
        if version != self._version:
            self._kept.clear()
            self._bytes = 0
            self._version = version
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            self.hits += 1
            await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
            await send({"type": "http.response.body", "body": kept.body})
            return
        await self.app(scope, receive, self._keeper(key, version, send))

    def _key(self, scope: Scope) -> tuple[bytes, bytes, bytes] | None:
        """(query string, Accept, Origin) of a cacheable request, else None."""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] != _PATH
            or not scope["query_string"]
        ):
            return None
        accept: list[bytes] = []
        origin: list[bytes] = []
        for name, value in scope["headers"]:
            if name in _BYPASS:
                return None
            if name == b"accept":
                accept.append(value.lower().replace(b" ", b""))
            elif name == b"origin" and self.cors:  # without CORS, Origin changes nothing
                origin.append(value)
        key = scope["query_string"], b",".join(accept), b",".join(origin)
        if sum(map(len, key)) > self.largest_key:
            return None
        return key

    def _keeper(self, key: tuple[bytes, bytes, bytes], version: str, send: Send) -> Send:
        """``send``, noting a complete 200 answer on its way out."""
        start: Message | None = None
        streamed = False

        async def keeping(message: Message) -> None:
            nonlocal start, streamed
            if message["type"] == "http.response.start":
                start = message
            elif message.get("more_body", False):
                streamed = True  # in several parts: not kept
            elif (
                message["type"] == "http.response.body"
                and start is not None
                and start["status"] == 200
                and not streamed
                and len(message.get("body", b"")) <= self.largest
                and version == self._version
            ):
                self._keep(key, _Kept(list(start["headers"]), bytes(message.get("body", b""))))
            await send(message)

        return keeping

    def _keep(self, key: tuple[bytes, bytes, bytes], kept: _Kept) -> None:
        old = self._kept.pop(key, None)
        if old is not None:
            self._bytes -= _size(key, old)
        self._kept[key] = kept
        self._bytes += _size(key, kept)
        while self._kept and (len(self._kept) > self.entries or self._bytes > self.max_bytes):
            dropped_key, dropped = self._kept.popitem(last=False)
            self._bytes -= _size(dropped_key, dropped)


def _size(key: tuple[bytes, bytes, bytes], kept: _Kept) -> int:
    """Bytes an entry holds: key, headers and body."""
    headers = sum(len(name) + len(value) for name, value in kept.headers)
    return sum(map(len, key)) + headers + len(kept.body)
