from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from prometheus_client import REGISTRY
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import errors as error_types
from docfleet_contracts.models import BlobRef
from docfleet_fetcher.activities import FetchActivities
from docfleet_fetcher.breaker import CircuitBreaker, connect_redis
from docfleet_fetcher.breaker_state import BreakerPolicy

from .fetching import failure, fetch

pytestmark = pytest.mark.integration

Factory = Callable[..., FetchActivities]


class _Always503(BaseHTTPRequestHandler):
    server: _CountingServer

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests += 1
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    requests = 0
    lock = threading.Lock()


@pytest.fixture
def failing_base() -> Iterator[tuple[str, _CountingServer]]:
    """A second host (another port) answering every request with 503, counting them."""
    server = _CountingServer(("127.0.0.1", 0), _Always503)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
async def shared_breakers(redis_url: str) -> AsyncIterator[Callable[[], CircuitBreaker]]:
    """Breakers of separate replicas: own Redis clients, one Redis."""
    clients = []

    def make() -> CircuitBreaker:
        client = connect_redis(redis_url)
        clients.append(client)
        policy = BreakerPolicy(failures=3, window_seconds=60, open_seconds=30, probe_seconds=60)
        return CircuitBreaker(client, policy)

    yield make
    for client in clients:
        await client.aclose()


@pytest.mark.parametrize(
    ("retry_after", "delay"),
    [("120", 120), ("86400", 300), ("Thu, 01 Jan 1970 00:00:00 GMT", None)],
)
async def test_fetcher_429_is_rate_limited_with_the_servers_retry_delay(
    fetch_factory: Factory, http_base: str, retry_after: str, delay: int | None
) -> None:
    activities = fetch_factory(fetch_max_retry_after_seconds=300)
    url = f"{http_base}/rate-limited?retry-after={quote(retry_after)}"
    error = await failure(activities, url)
    assert (error.type, error.non_retryable) == (error_types.RATE_LIMITED, False)
    expected = timedelta(seconds=delay) if delay is not None else None
    assert error.next_retry_delay == expected


async def test_fetcher_503_with_retry_after_carries_the_delay(
    fetch_factory: Factory, http_base: str
) -> None:
    error = await failure(fetch_factory(), f"{http_base}/unavailable?retry-after=45")
    assert (error.type, error.non_retryable) == (error_types.FETCH_FAILED, False)
    assert error.next_retry_delay == timedelta(seconds=45)


async def test_fetcher_breaker_pauses_a_failing_host_across_replicas_only(
    fetch_factory: Factory,
    http_base: str,
    failing_base: tuple[str, _CountingServer],
    shared_breakers: Callable[[], CircuitBreaker],
    samples: dict[str, bytes],
) -> None:
    base, server = failing_base
    replica = fetch_factory(breaker=shared_breakers())
    other_replica = fetch_factory(breaker=shared_breakers())
    for _ in range(3):
        error = await failure(replica, f"{base}/doc.pdf")
        assert error.type == error_types.FETCH_FAILED
    assert server.requests == 3
    for activities in (replica, other_replica):
        error = await failure(activities, f"{base}/doc.pdf")
        assert (error.type, error.non_retryable) == (error_types.CIRCUIT_OPEN, False)
        assert error.next_retry_delay is not None
        assert timedelta(seconds=29) < error.next_retry_delay <= timedelta(seconds=30)
    # Failing fast means no request reached the host.
    assert server.requests == 3
    assert REGISTRY.get_sample_value("docfleet_fetch_breaker_state", {"host": base}) == 2
    # Another host goes on as before.
    result = await fetch(other_replica, f"{http_base}/doc.pdf")
    assert result.blob.size == len(samples["pdf"])


async def test_fetcher_breaker_ignores_client_errors_and_rate_limits(
    fetch_factory: Factory, http_base: str, shared_breakers: Callable[[], CircuitBreaker]
) -> None:
    activities = fetch_factory(breaker=shared_breakers())
    for path in ("/missing", "/status/403", "/rate-limited?retry-after=1") * 2:
        error = await failure(activities, f"{http_base}{path}")
        assert error.type != error_types.CIRCUIT_OPEN
    assert (await fetch(activities, f"{http_base}/doc.pdf")).kind == "pdf"


async def test_fetcher_trickling_server_is_cut_by_the_total_timeout(
    fetch_factory: Factory, http_base: str, tmp_path: Path
) -> None:
    activities = fetch_factory(fetch_total_timeout_seconds=1)
    started = time.monotonic()
    error = await failure(activities, f"{http_base}/drip")
    elapsed = time.monotonic() - started
    assert (error.type, error.non_retryable) == (error_types.FETCH_TIMEOUT, False)
    assert "not downloaded within 1 s (DOCFLEET_FETCH_TOTAL_TIMEOUT_SECONDS" in error.message
    assert elapsed < 2.5
    assert list((tmp_path / "spool").iterdir()) == []
    timeouts = REGISTRY.get_sample_value(
        "docfleet_fetch_documents_total", {"outcome": error_types.FETCH_TIMEOUT}
    )
    assert timeouts is not None and timeouts >= 1


async def test_fetcher_timeouts_count_against_the_host(
    fetch_factory: Factory, http_base: str, redis_url: str
) -> None:
    client = connect_redis(redis_url)
    policy = BreakerPolicy(failures=1, window_seconds=60, open_seconds=30, probe_seconds=60)
    try:
        activities = fetch_factory(
            fetch_total_timeout_seconds=0.5, breaker=CircuitBreaker(client, policy)
        )
        assert (await failure(activities, f"{http_base}/drip")).type == error_types.FETCH_TIMEOUT
        error = await failure(activities, f"{http_base}/doc.pdf")
        assert error.type == error_types.CIRCUIT_OPEN
    finally:
        await client.aclose()


class _WatchedStore(FileBlobStore):
    """Holds each upload until the activity has heartbeated twice during it."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.uploading = False
        self.beats_while_uploading = 0
        self.enough = asyncio.Event()

    def on_heartbeat(self, *details: Any) -> None:
        if self.uploading:
            self.beats_while_uploading += 1
            if self.beats_while_uploading >= 2:
                self.enough.set()

    async def put_file(self, key: str, path: Path, content_type: str) -> BlobRef:
        self.uploading = True
        try:
            async with asyncio.timeout(5):
                await self.enough.wait()
        finally:
            self.uploading = False
        return await super().put_file(key, path, content_type)


async def test_fetcher_heartbeats_during_the_upload(
    fetch_factory: Factory, http_base: str, tmp_path: Path
) -> None:
    store = _WatchedStore(tmp_path / "watched")
    activities = fetch_factory(store=store, fetch_heartbeat_seconds=0.05)
    env = ActivityEnvironment()
    env.on_heartbeat = store.on_heartbeat
    result = await fetch(activities, f"{http_base}/doc.pdf", env)
    assert result.kind == "pdf"
    assert store.beats_while_uploading >= 2


async def test_fetcher_stops_promptly_when_cancelled_and_cleans_the_spool(
    fetch_factory: Factory, http_base: str, tmp_path: Path
) -> None:
    activities = fetch_factory(fetch_total_timeout_seconds=60, fetch_heartbeat_seconds=0.05)
    env = ActivityEnvironment()
    beats: list[Any] = []

    def on_heartbeat(*details: Any) -> None:
        beats.append(details)
        # The worker learns of a cancellation from a heartbeat's answer.
        env.cancel()

    env.on_heartbeat = on_heartbeat
    started = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await fetch(activities, f"{http_base}/drip", env)
    assert time.monotonic() - started < 2
    assert beats
    assert list((tmp_path / "spool").iterdir()) == []
