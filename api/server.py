"""The HTTP server around the app: uvicorn (uvloop, httptools) with limits on what a client may
send before the app sees a request.

Takes the app and the settings; gives a ``uvicorn.Config`` (``server_config``). Its protocol:

- refuses a request head (request line and headers) larger than ``max_head_bytes`` with 431, and
  a request target longer than ``max_url_bytes`` with 414, as soon as the bytes arrive (the
  parser would otherwise gather a multi-megabyte header in memory, copying it at each read);
- closes a connection whose request is not complete ``request_timeout`` seconds after its first
  byte (408), or that sends nothing for as long: a half-sent request holds no connection forever.

Idle kept-alive connections are closed by uvicorn itself (``timeout_keep_alive``).
"""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from poa_kg.config import Settings

_REASONS = {408: b"Request Timeout", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with bounds on the request head and on slow clients."""

    def __init__(
        self,
        *args: Any,
        max_head_bytes: int,
        max_url_bytes: int,
        request_timeout: float,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.max_head_bytes = max_head_bytes
        self.max_url_bytes = max_url_bytes
        self.request_timeout = request_timeout
        self._in_head = True
        self._head_bytes = 0
        self._refusal: tuple[int, str] | None = None
        self._request_timer: asyncio.TimerHandle | None = None

    # -- the connection
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_request_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_request_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._request_timer is None:
            self._arm_request_timer()  # the first bytes of the next request
        if self._in_head:
            self._head_bytes += len(data)
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self._refusal is not None:
                self._refuse(*self._refusal)
                return
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserUpgrade:
            self._unsupported_upgrade_warning()
            return
        if self._in_head and self._head_bytes > self.max_head_bytes:
            self._refuse(431, f"the request head exceeds {self.max_head_bytes} bytes")

    # -- parser callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True

    def on_url(self, url: bytes) -> None:
        if len(self.url) + len(url) > self.max_url_bytes:
            self._refusal = (414, f"the request target exceeds {self.max_url_bytes} bytes")
            raise ValueError("request target too long")  # stops the parser
        super().on_url(url)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_request_timer()
        super().on_message_complete()

    # -- helpers
    def _arm_request_timer(self) -> None:
        self._cancel_request_timer()
        self._request_timer = self.loop.call_later(self.request_timeout, self._request_timed_out)

    def _cancel_request_timer(self) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
            self._request_timer = None

    def _request_timed_out(self) -> None:
        self._request_timer = None
        if not self.transport.is_closing():
            seconds = f"{self.request_timeout:g}"
            self._refuse(408, f"the request was not complete within {seconds} s")

    def _refuse(self, status: int, detail: str) -> None:
        """Answer a problem+json and close: the request cannot be read any further."""
        body = json.dumps(
            {
                "type": "about:blank",
                "title": _REASONS[status].decode(),
                "status": status,
                "detail": detail,
            }
        ).encode()
        head = (
            b"HTTP/1.1 %d %s\r\ncontent-type: application/problem+json\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n"
            % (status, _REASONS[status], len(body))
        )
        self._cancel_request_timer()
        if not self.transport.is_closing():
            self.transport.write(head + body)
            self.transport.close()


def server_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """The uvicorn configuration the service runs with (CLI and tests alike)."""
    protocol = functools.partial(
        GuardedProtocol,
        max_head_bytes=settings.max_head_bytes,
        max_url_bytes=settings.max_url_bytes,
        request_timeout=settings.request_timeout,
    )
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "http": protocol,
        "ws": "none",
        "loop": "uvloop",
        "timeout_keep_alive": 5,
        **overrides,
    }
    return uvicorn.Config(app, **options)
