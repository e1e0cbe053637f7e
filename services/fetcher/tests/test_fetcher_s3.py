from __future__ import annotations

import hashlib
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from docfleet_blobstore import S3Client, S3Options, open_blob_store
from docfleet_contracts import errors as error_types
from docfleet_fetcher.activities import FetchActivities

from .fetching import SOURCE_KEY, failure, fetch

pytestmark = pytest.mark.integration

Factory = Callable[..., FetchActivities]


@pytest.fixture
async def s3(s3_options: S3Options) -> AsyncIterator[S3Client]:
    client = await S3Client(s3_options).open()
    yield client
    await client.close()


@pytest.fixture
async def bucket(s3: S3Client, samples: dict[str, bytes]) -> str:
    """A fresh source bucket holding a PDF, a PNG and an HTML page."""
    name = f"src-{uuid.uuid4().hex[:10]}"
    await s3.ensure_bucket(name)
    await s3.put(name, "in/doc.pdf", samples["pdf"], "application/octet-stream")
    await s3.put(name, "in/big.pdf", samples["big_pdf"], "application/pdf")
    await s3.put(name, "in/image.png", samples["png"], "image/png")
    await s3.put(name, "in/page.html", samples["html"], "text/html")
    return name


async def test_fetcher_s3_copies_an_object_into_an_s3_blob_store(
    fetch_factory: Factory,
    s3: S3Client,
    s3_options: S3Options,
    s3_bucket_url: str,
    bucket: str,
    samples: dict[str, bytes],
) -> None:
    store = await open_blob_store(s3_bucket_url, s3_options)
    try:
        activities = fetch_factory(store=store, s3=s3)
        result = await fetch(activities, f"s3://{bucket}/in/big.pdf")
        assert result.kind == "pdf"
        assert result.blob.uri == store.uri_for(SOURCE_KEY)
        assert result.blob.sha256 == hashlib.sha256(samples["big_pdf"]).hexdigest()
        assert await store.read(result.blob) == samples["big_pdf"]
        again = await fetch(activities, f"s3://{bucket}/in/big.pdf")
        assert again == result
    finally:
        await store.close()


async def test_fetcher_s3_sniffs_instead_of_trusting_content_type(
    fetch_factory: Factory, s3: S3Client, bucket: str
) -> None:
    activities = fetch_factory(s3=s3)
    pdf = await fetch(activities, f"s3://{bucket}/in/doc.pdf")
    assert (pdf.kind, pdf.blob.content_type) == ("pdf", "application/pdf")
    png = await fetch(activities, f"s3://{bucket}/in/image.png")
    assert png.kind == "png"
    error = await failure(activities, f"s3://{bucket}/in/page.html")
    assert (error.type, error.non_retryable) == (error_types.UNSUPPORTED_TYPE, True)
    assert "looks like HTML" in error.message


@pytest.mark.parametrize("key", ["in/missing.pdf", "in/"])
async def test_fetcher_s3_missing_object_is_not_found(
    fetch_factory: Factory, s3: S3Client, bucket: str, key: str
) -> None:
    error = await failure(fetch_factory(s3=s3), f"s3://{bucket}/{key}")
    assert (error.type, error.non_retryable) == (error_types.NOT_FOUND, True)


async def test_fetcher_s3_missing_bucket_is_not_found(fetch_factory: Factory, s3: S3Client) -> None:
    error = await failure(fetch_factory(s3=s3), f"s3://no-such-{uuid.uuid4().hex[:8]}/x.pdf")
    assert (error.type, error.non_retryable) == (error_types.NOT_FOUND, True)


async def test_fetcher_s3_bucket_without_key_is_invalid(
    fetch_factory: Factory, s3: S3Client, bucket: str
) -> None:
    error = await failure(fetch_factory(s3=s3), f"s3://{bucket}/")
    assert (error.type, error.non_retryable) == (error_types.INVALID_REQUEST, True)


async def test_fetcher_s3_caps_the_size_from_head(
    fetch_factory: Factory, s3: S3Client, bucket: str
) -> None:
    error = await failure(
        fetch_factory(s3=s3, fetch_max_bytes=1_000_000), f"s3://{bucket}/in/big.pdf"
    )
    assert (error.type, error.non_retryable) == (error_types.TOO_LARGE, True)
    assert "over the 1000000-byte limit" in error.message


def _unused_endpoint() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


async def _fail_with_fresh_client(activities_for: Factory) -> ApplicationError:
    client = await S3Client(S3Options(endpoint_url=_unused_endpoint(), connect_timeout=0.5)).open()
    try:
        return await failure(activities_for(s3=client), "s3://bucket/doc.pdf")
    finally:
        await client.close()


async def test_fetcher_s3_unreachable_endpoint_is_retryable(
    fetch_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "docfleet-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "docfleet-test-secret")
    error = await _fail_with_fresh_client(fetch_factory)
    assert (error.type, error.non_retryable) == (error_types.FETCH_FAILED, False)


async def test_fetcher_s3_without_credentials_is_denied(
    fetch_factory: Factory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    error = await _fail_with_fresh_client(fetch_factory)
    assert (error.type, error.non_retryable) == (error_types.ACCESS_DENIED, True)
    assert "no S3 credentials" in error.message


async def test_fetcher_s3_disabled_when_no_client(fetch_factory: Factory) -> None:
    error = await failure(fetch_factory(), "s3://bucket/doc.pdf")
    assert (error.type, error.non_retryable) == (error_types.INVALID_REQUEST, True)
    assert "s3:// is not served here" in error.message


async def test_fetcher_s3_reads_only_listed_buckets(
    fetch_factory: Factory, s3: S3Client, bucket: str
) -> None:
    activities = fetch_factory(s3=s3, fetch_s3_allowed_buckets=[bucket])
    assert (await fetch(activities, f"s3://{bucket}/in/doc.pdf")).kind == "pdf"
    error = await failure(activities, "s3://other-bucket/in/doc.pdf")
    assert (error.type, error.non_retryable) == (error_types.ACCESS_DENIED, True)
    assert "DOCFLEET_FETCH_S3_ALLOWED_BUCKETS" in error.message
