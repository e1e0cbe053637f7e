from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

import pydantic
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import S3Client, S3Options
from docfleet_contracts import errors as error_types
from docfleet_contracts.models import FetchInput
from docfleet_fetcher.activities import FetchActivities
from docfleet_fetcher.addresses import refusal_rule, unwrap
from docfleet_fetcher.errors import AddressRefused, BucketRefused
from docfleet_fetcher.objects import S3Source
from docfleet_fetcher.settings import FetchSettings
from docfleet_fetcher.spool import Spool
from docfleet_fetcher.transport import PinnedBackend
from docfleet_fetcher.urls import redact_url


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::", "64:ff9b::808:808"],
)
def test_fetcher_addresses_global_ones_pass(address: str) -> None:
    assert refusal_rule(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("wrapped", "inner"),
    [
        ("::ffff:10.1.2.3", "10.1.2.3"),
        ("64:ff9b::a01:203", "10.1.2.3"),
        ("2002:a01:203::1", "10.1.2.3"),
        ("::a01:203", "10.1.2.3"),
        ("::1", "::1"),
        ("2606:4700::1111", "2606:4700::1111"),
    ],
)
def test_fetcher_addresses_unwrap_ipv4_carried_in_ipv6(wrapped: str, inner: str) -> None:
    assert unwrap(ipaddress.ip_address(wrapped)) == ipaddress.ip_address(inner)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://user:s3cret@docs.example/a.pdf?X-Amz-Signature=abc#p2",
            "https://docs.example/a.pdf?<redacted>",
        ),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("s3://inbox/in/doc.pdf", "s3://inbox/in/doc.pdf"),
        ("http://[::1/x", "<malformed URL>"),
    ],
)
def test_fetcher_redact_url_drops_secrets(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_fetcher_security_settings_from_json_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLEET_FETCH_ALLOW_CIDRS", '["127.0.0.0/8", "::1/128", "10.1.2.3"]')
    monkeypatch.setenv("DOCFLEET_FETCH_ALLOW_HOSTS", '["docs.internal"]')
    monkeypatch.setenv("DOCFLEET_FETCH_S3_ALLOWED_BUCKETS", '["inbox"]')
    settings = FetchSettings()
    assert settings.fetch_allow_cidrs == ["127.0.0.0/8", "::1/128", "10.1.2.3/32"]
    assert settings.fetch_allow_hosts == ["docs.internal"]
    assert settings.fetch_s3_allowed_buckets == ["inbox"]


def test_fetcher_security_settings_refuse_a_bad_cidr() -> None:
    with pytest.raises(pydantic.ValidationError, match="fetch_allow_cidrs"):
        FetchSettings(fetch_allow_cidrs=["127.0.0.0/33"])


async def test_fetcher_pinned_backend_fails_closed() -> None:
    with pytest.raises(AddressRefused, match="not checked before connecting"):
        await PinnedBackend().connect_tcp("127.0.0.1", 80)


@pytest.mark.parametrize(
    ("allowed", "url", "message"),
    [
        ([], "s3://inbox/doc.pdf", "set DOCFLEET_FETCH_S3_ALLOWED_BUCKETS"),
        (["inbox"], "s3://secrets/doc.pdf", "bucket 'secrets' is not listed"),
    ],
)
async def test_fetcher_s3_buckets_need_the_allowlist(
    tmp_path: Path, allowed: list[str], url: str, message: str
) -> None:
    # The client is never opened: the refusal comes before any S3 call.
    source = S3Source(S3Client(S3Options()), allowed_buckets=allowed)
    with Spool(1000, directory=tmp_path) as spool, pytest.raises(BucketRefused) as info:
        await source.download(url, spool)
    assert message in str(info.value)
    assert (info.value.error_type, info.value.retryable) == (error_types.ACCESS_DENIED, False)


@pytest.mark.integration
async def test_fetcher_refusal_is_a_typed_non_retryable_activity_error(
    fetch_factory: Callable[..., FetchActivities], http_base: str
) -> None:
    activities = fetch_factory(fetch_allow_cidrs=[])
    request = FetchInput(batch_id="b", document_id="d", url=f"{http_base}/doc.pdf?token=t0p")
    with pytest.raises(ApplicationError) as info:
        await ActivityEnvironment().run(activities.fetch_document, request)
    assert (info.value.type, info.value.non_retryable) == (error_types.ACCESS_DENIED, True)
    assert info.value.message.startswith("refused: 127.0.0.1 is a loopback address")
    assert "t0p" not in info.value.message and "\n" not in info.value.message
