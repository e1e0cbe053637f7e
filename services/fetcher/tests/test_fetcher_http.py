from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from temporalio.testing import ActivityEnvironment

from docfleet_contracts import errors as error_types
from docfleet_contracts.models import FetchResult
from docfleet_fetcher.activities import FetchActivities
from docfleet_fetcher.settings import DEFAULT_USER_AGENT

from .fetching import failure, fetch

pytestmark = pytest.mark.integration

Factory = Callable[..., FetchActivities]


def _stored(result: FetchResult) -> bytes:
    return Path(unquote(urlsplit(result.blob.uri).path)).read_bytes()


async def test_fetcher_http_stores_a_real_pdf(
    fetch_factory: Factory, http_base: str, samples: dict[str, bytes], tmp_path: Path
) -> None:
    result = await fetch(fetch_factory(), f"{http_base}/doc.pdf")
    assert result.kind == "pdf"
    assert result.blob.content_type == "application/pdf"
    assert result.blob.size == len(samples["pdf"])
    assert result.blob.sha256 == hashlib.sha256(samples["pdf"]).hexdigest()
    assert result.blob.uri == (tmp_path / "blobs/sources/batch-1/doc-1").as_uri()
    assert _stored(result) == samples["pdf"]
    assert list((tmp_path / "spool").iterdir()) == []


async def test_fetcher_http_is_idempotent(
    fetch_factory: Factory, http_base: str, samples: dict[str, bytes]
) -> None:
    activities = fetch_factory()
    first = await fetch(activities, f"{http_base}/doc.pdf")
    second = await fetch(activities, f"{http_base}/doc.pdf")
    assert first == second
    assert _stored(second) == samples["pdf"]


async def test_fetcher_http_stores_a_png_and_follows_redirects(
    fetch_factory: Factory, http_base: str, samples: dict[str, bytes]
) -> None:
    activities = fetch_factory()
    png = await fetch(activities, f"{http_base}/image.png")
    assert (png.kind, png.blob.content_type) == ("png", "image/png")
    redirected = await fetch(activities, f"{http_base}/hop/3")
    assert _stored(redirected) == samples["pdf"]


async def test_fetcher_http_sends_the_docfleet_user_agent(
    fetch_factory: Factory, http_base: str, http_server: Any
) -> None:
    await fetch(fetch_factory(), f"{http_base}/doc.pdf")
    assert http_server.user_agents[-1] == DEFAULT_USER_AGENT


async def test_fetcher_http_heartbeats_while_downloading(
    fetch_factory: Factory, http_base: str, samples: dict[str, bytes]
) -> None:
    env = ActivityEnvironment()
    beats: list[Any] = []
    env.on_heartbeat = lambda *details: beats.append(details[0])
    result = await fetch(fetch_factory(), f"{http_base}/big.pdf", env)
    assert result.blob.size == len(samples["big_pdf"])
    # One heartbeat per MiB received, carrying the byte count so far.
    assert len(beats) >= 2
    assert beats == sorted(beats)
    assert beats[-1] <= result.blob.size


@pytest.mark.parametrize(
    ("path", "error_type", "non_retryable"),
    [
        ("/missing", error_types.NOT_FOUND, True),
        ("/status/410", error_types.NOT_FOUND, True),
        ("/status/403", error_types.ACCESS_DENIED, True),
        ("/status/401", error_types.ACCESS_DENIED, True),
        ("/status/400", error_types.INVALID_REQUEST, True),
        ("/status/429", error_types.RATE_LIMITED, False),
        ("/status/500", error_types.FETCH_FAILED, False),
        ("/status/503", error_types.FETCH_FAILED, False),
        ("/loop", error_types.INVALID_REQUEST, True),
    ],
)
async def test_fetcher_http_failures_are_typed(
    fetch_factory: Factory,
    http_base: str,
    tmp_path: Path,
    path: str,
    error_type: str,
    non_retryable: bool,
) -> None:
    error = await failure(fetch_factory(), f"{http_base}{path}")
    assert error.type == error_type
    assert error.non_retryable is non_retryable
    assert not (tmp_path / "blobs/sources/batch-1/doc-1").exists()
    assert list((tmp_path / "spool").iterdir()) == []


async def test_fetcher_http_refuses_html_served_as_pdf(
    fetch_factory: Factory, http_base: str
) -> None:
    error = await failure(fetch_factory(), f"{http_base}/page.html")
    assert error.type == error_types.UNSUPPORTED_TYPE
    assert error.non_retryable
    assert "looks like HTML" in error.message


async def test_fetcher_http_refuses_an_empty_body(fetch_factory: Factory, http_base: str) -> None:
    error = await failure(fetch_factory(), f"{http_base}/empty")
    assert (error.type, error.non_retryable) == (error_types.UNSUPPORTED_TYPE, True)
    assert "empty file" in error.message


@pytest.mark.parametrize("path", ["/big.pdf", "/streamed.pdf"])
async def test_fetcher_http_caps_the_size(
    fetch_factory: Factory, http_base: str, tmp_path: Path, path: str
) -> None:
    error = await failure(fetch_factory(fetch_max_bytes=1_000_000), f"{http_base}{path}")
    assert (error.type, error.non_retryable) == (error_types.TOO_LARGE, True)
    assert list((tmp_path / "spool").iterdir()) == []


async def test_fetcher_http_read_timeout_is_retryable(
    fetch_factory: Factory, http_base: str
) -> None:
    started = time.monotonic()
    error = await failure(fetch_factory(fetch_read_timeout_seconds=0.3), f"{http_base}/slow")
    assert (error.type, error.non_retryable) == (error_types.FETCH_TIMEOUT, False)
    assert "nothing received for 0.3 s (DOCFLEET_FETCH_READ_TIMEOUT_SECONDS)" in error.message
    assert time.monotonic() - started < 3


async def test_fetcher_http_total_deadline_stops_a_trickle(
    fetch_factory: Factory, http_base: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    activities = fetch_factory(fetch_read_timeout_seconds=5, fetch_total_timeout_seconds=0.6)
    error = await failure(activities, f"{http_base}/trickle")
    assert (error.type, error.non_retryable) == (error_types.FETCH_TIMEOUT, False)
    assert "within 0.6 s (DOCFLEET_FETCH_TOTAL_TIMEOUT_SECONDS" in error.message
    assert time.monotonic() - started < 3
    assert list((tmp_path / "spool").iterdir()) == []


async def test_fetcher_http_connection_refused_is_retryable(fetch_factory: Factory) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = await failure(fetch_factory(), f"http://127.0.0.1:{port}/doc.pdf")
    assert (error.type, error.non_retryable) == (error_types.FETCH_FAILED, False)
