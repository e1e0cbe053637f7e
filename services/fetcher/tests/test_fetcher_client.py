from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from docfleet_contracts import errors as error_types
from docfleet_fetcher.client import (
    CHUNK_BYTES,
    HttpSource,
    build_http_client,
    check_status,
    parse_retry_after,
)
from docfleet_fetcher.errors import FetchError, SourceTooLarge
from docfleet_fetcher.settings import DEFAULT_USER_AGENT, FetchSettings
from docfleet_fetcher.spool import Spool

Handler = Callable[[httpx.Request], httpx.Response]
URL = "https://docs.example.test/a.pdf"


async def _download(
    handler: Handler, tmp_path: Path, *, max_bytes: int = 10_000_000, redirects: int = 5
) -> bytes:
    settings = FetchSettings(fetch_max_redirects=redirects)
    async with build_http_client(settings, transport=httpx.MockTransport(handler)) as client:
        with Spool(max_bytes, directory=tmp_path) as spool:
            await HttpSource(client).download(URL, spool)
            return spool.finish().path.read_bytes()


@pytest.mark.parametrize(
    ("status", "error_type", "retryable"),
    [
        (404, error_types.NOT_FOUND, False),
        (410, error_types.NOT_FOUND, False),
        (401, error_types.ACCESS_DENIED, False),
        (403, error_types.ACCESS_DENIED, False),
        (400, error_types.INVALID_REQUEST, False),
        (405, error_types.INVALID_REQUEST, False),
        (451, error_types.INVALID_REQUEST, False),
        (408, error_types.FETCH_FAILED, True),
        (429, error_types.RATE_LIMITED, True),
        (500, error_types.FETCH_FAILED, True),
        (502, error_types.FETCH_FAILED, True),
        (503, error_types.FETCH_FAILED, True),
        (304, error_types.INVALID_REQUEST, False),
    ],
)
async def test_fetcher_http_status_mapping(
    tmp_path: Path, status: int, error_type: str, retryable: bool
) -> None:
    with pytest.raises(FetchError) as info:
        await _download(lambda request: httpx.Response(status, content=b"body"), tmp_path)
    assert info.value.error_type == error_type
    assert info.value.retryable is retryable
    assert str(status) in str(info.value)


def test_fetcher_http_2xx_passes() -> None:
    for status in (200, 203, 206):
        check_status(status, URL)


async def test_fetcher_http_downloads_with_user_agent(
    tmp_path: Path, samples: dict[str, bytes]
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=samples["pdf"])

    assert await _download(handler, tmp_path) == samples["pdf"]
    assert seen[0].headers["User-Agent"] == DEFAULT_USER_AGENT
    assert "DocFleet" in DEFAULT_USER_AGENT


async def test_fetcher_http_refuses_by_content_length_without_reading(tmp_path: Path) -> None:
    chunks_sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal chunks_sent
        for _ in range(100):
            chunks_sent += 1
            yield b"%PDF-" + b"x" * 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "100500"}, content=body())

    with pytest.raises(SourceTooLarge, match="100500 bytes, over the 50000-byte limit"):
        await _download(handler, tmp_path, max_bytes=50_000)
    assert chunks_sent == 0
    assert list(tmp_path.iterdir()) == []


async def test_fetcher_http_refuses_by_streamed_bytes(tmp_path: Path) -> None:
    chunks_sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal chunks_sent
        for _ in range(1000):
            chunks_sent += 1
            yield b"%PDF-" + b"x" * 995

    def handler(request: httpx.Request) -> httpx.Response:
        # Chunked, no Content-Length: only the running count can stop it.
        return httpx.Response(200, content=body())

    with pytest.raises(SourceTooLarge) as info:
        await _download(handler, tmp_path, max_bytes=50_000)
    assert info.value.error_type == error_types.TOO_LARGE
    # Reading stops within one 64 KiB read past the cap, far before the 1 MB the server offers.
    assert chunks_sent * 1000 <= 50_000 + CHUNK_BYTES + 1000
    assert list(tmp_path.iterdir()) == []


async def test_fetcher_http_ignores_a_garbled_content_length(
    tmp_path: Path, samples: dict[str, bytes]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, content=samples["pdf"])
        response.headers["Content-Length"] = "lots"
        return response

    assert await _download(handler, tmp_path) == samples["pdf"]


def _redirect_chain(length: int, pdf: bytes) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        if hop < length:
            return httpx.Response(302, headers={"Location": f"/next?hop={hop + 1}"})
        return httpx.Response(200, content=pdf)

    return handler


async def test_fetcher_http_follows_redirects_up_to_the_limit(
    tmp_path: Path, samples: dict[str, bytes]
) -> None:
    chain = _redirect_chain(3, samples["pdf"])
    assert await _download(chain, tmp_path, redirects=3) == samples["pdf"]
    with pytest.raises(FetchError, match="redirected more than 2 times") as info:
        await _download(chain, tmp_path, redirects=2)
    assert info.value.error_type == error_types.INVALID_REQUEST
    assert not info.value.retryable


async def test_fetcher_http_refuses_a_redirect_to_another_scheme(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(FetchError) as info:
        await _download(handler, tmp_path)
    assert info.value.error_type == error_types.INVALID_REQUEST


@pytest.mark.parametrize(
    ("exc_type", "error_type", "named"),
    [
        (httpx.ConnectError, error_types.FETCH_FAILED, "could not be read"),
        (httpx.ReadError, error_types.FETCH_FAILED, "could not be read"),
        (httpx.ConnectTimeout, error_types.FETCH_TIMEOUT, "DOCFLEET_FETCH_CONNECT_TIMEOUT_SECONDS"),
        (httpx.ReadTimeout, error_types.FETCH_TIMEOUT, "DOCFLEET_FETCH_READ_TIMEOUT_SECONDS"),
    ],
)
async def test_fetcher_http_transport_failures_are_retryable_and_count_against_the_host(
    tmp_path: Path, exc_type: type[httpx.TransportError], error_type: str, named: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    with pytest.raises(FetchError) as info:
        await _download(handler, tmp_path)
    assert info.value.error_type == error_type
    assert info.value.retryable
    assert info.value.host_fault
    assert named in str(info.value)


@pytest.mark.parametrize(
    ("status", "header", "retry_after"),
    [
        (429, "120", 120.0),
        (429, "0", None),
        (429, "86400", 600.0),
        (429, "soon", None),
        (429, None, None),
        (503, "7", 7.0),
        (500, "7", None),
    ],
)
async def test_fetcher_http_retry_after_is_honoured_and_capped(
    tmp_path: Path, status: int, header: str | None, retry_after: float | None
) -> None:
    headers = {"Retry-After": header} if header is not None else {}
    with pytest.raises(FetchError) as info:
        await _download(lambda request: httpx.Response(status, headers=headers), tmp_path)
    # Zero means "now": the retry policy's own backoff is used then.
    assert (info.value.retry_after or None) == retry_after


@pytest.mark.parametrize(
    ("status", "host_fault"), [(500, True), (503, True), (404, False), (429, False), (408, False)]
)
async def test_fetcher_http_only_server_errors_count_against_the_host(
    tmp_path: Path, status: int, host_fault: bool
) -> None:
    with pytest.raises(FetchError) as info:
        await _download(lambda request: httpx.Response(status), tmp_path)
    assert info.value.host_fault is host_fault


def test_fetcher_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == 30
    assert parse_retry_after(" 5 ", now=now) == 5
    assert parse_retry_after("Sat, 01 Mar 2025 12:01:30 GMT", now=now) == 90
    assert parse_retry_after("Sat, 01 Mar 2025 11:00:00 GMT", now=now) == 0
    assert parse_retry_after("-3", now=now) is None
    assert parse_retry_after("tomorrow", now=now) is None
    assert parse_retry_after(None, now=now) is None


async def test_fetcher_http_client_carries_the_configured_limits() -> None:
    settings = FetchSettings(
        fetch_connect_timeout_seconds=2.5, fetch_read_timeout_seconds=7, fetch_max_redirects=4
    )
    async with build_http_client(settings) as client:
        assert client.timeout.connect == 2.5
        assert client.timeout.read == 7
        assert client.max_redirects == 4
        # HttpSource follows redirects itself, checking every hop.
        assert not client.follow_redirects
