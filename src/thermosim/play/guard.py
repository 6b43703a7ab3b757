"""What keeps a room's worth of browsers from hurting the game: body limits, floods, headers.

Owns the ASGI middleware in front of the workshop's pages: a body declared over
``MAX_BODY_BYTES`` gets 413 unread (``read_body`` stops one sent without a length at the limit);
a client sending more than its share of requests gets 429 (a token bucket per address); failed
game-code and trainer-code attempts are counted per address (``Attempts``), so codes cannot be
guessed by trying; every answer carries headers that
keep pages out of frames, caches and other sites' scripts. Refusing a request never stops the
game. Clients on this machine (loopback) are not rate limited: only the trainer's laptop can be
one, and the load benchmark is one.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

MAX_BODY_BYTES = 8 * 1024  # a decision is a few hundred bytes
RATE_PER_S = 10.0  # sustained requests per second per address
BURST = 40  # requests an address may send at once
MAX_FAILURES = 10  # wrong codes per address within FAILURE_WINDOW_S
FAILURE_WINDOW_S = 300.0
MAX_CLIENTS = 5000  # addresses remembered; the oldest are forgotten beyond this
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # a form POST keeps its Origin
    (b"cache-control", b"no-store"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class Attempts:
    """Failed code attempts per address; ``blocked`` once there were too many lately."""

    limit: int = MAX_FAILURES
    window_s: float = FAILURE_WINDOW_S
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked(self, client: str) -> bool:
        """Whether ``client`` has failed too often within the window."""
        with self._lock:
            return len(self._recent(client)) >= self.limit

    def failed(self, client: str) -> None:
        """Count one failure of ``client``."""
        with self._lock:
            self._recent(client).append(time.monotonic())
            if len(self._failures) > MAX_CLIENTS:
                self._failures.pop(next(iter(self._failures)))

    def _recent(self, client: str) -> list[float]:
        cutoff = time.monotonic() - self.window_s
        kept = [t for t in self._failures.get(client, []) if t > cutoff]
        self._failures[client] = kept
        return kept


def client_of(scope: Scope) -> str:
    """The client's address as the server saw it ("" when unknown)."""
    client = scope.get("client")
    return str(client[0]) if client else ""


class Guard:
    """ASGI middleware: body limit, per-address rate limit, safe headers.

    Parameters
    ----------
    app
        The application behind it.
    max_body
        Largest request body in bytes.
    rate_per_s, burst
        The token bucket of each address.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_body: int = MAX_BODY_BYTES,
        rate_per_s: float = RATE_PER_S,
        burst: int = BURST,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse floods and declared oversized bodies; add the headers to every answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = client_of(scope)
        if client not in LOOPBACK and not self._allow(client):
            await _refuse(send, 429, "too many requests; wait a moment and try again")
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _refuse(send, 413, f"request body over {self.max_body} bytes")
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        # A body sent without its length (chunked) is counted as it is read: ``read_body``.
        await self.app(scope, receive, with_headers)

    def _allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._buckets.pop(next(iter(self._buckets)))
                bucket = self._buckets[client] = _Bucket(float(self.burst), now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate_per_s)
            bucket.at = now
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyTooLargeError(Exception):
    """A request body went past the limit while it was being read."""


async def read_body(stream: Any, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body from an async iterator of chunks, or BodyTooLargeError past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)
