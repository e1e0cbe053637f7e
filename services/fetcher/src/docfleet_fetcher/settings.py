"""Settings of the fetcher worker, read from `DOCFLEET_FETCH_*` environment variables."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, field_validator

from docfleet_fetcher.urls import redact_url
from docfleet_runtime import ServiceSettings

FILE_ROOT_ENV = "DOCFLEET_FETCH_FILE_ROOT"
"""The variable that enables `file://` URLs, for messages telling a user how to turn them on."""

ALLOW_CIDRS_ENV = "DOCFLEET_FETCH_ALLOW_CIDRS"
ALLOW_HOSTS_ENV = "DOCFLEET_FETCH_ALLOW_HOSTS"
S3_BUCKETS_ENV = "DOCFLEET_FETCH_S3_ALLOWED_BUCKETS"
"""Variables named in refusals, so a user knows which one would lift them."""

CONNECT_TIMEOUT_ENV = "DOCFLEET_FETCH_CONNECT_TIMEOUT_SECONDS"
READ_TIMEOUT_ENV = "DOCFLEET_FETCH_READ_TIMEOUT_SECONDS"
TOTAL_TIMEOUT_ENV = "DOCFLEET_FETCH_TOTAL_TIMEOUT_SECONDS"
"""Variables named in timeout messages, so a user knows which limit cut the download."""

DEFAULT_USER_AGENT = "DocFleet-Fetcher/0.1 (document-processing fleet)"


class FetchSettings(ServiceSettings):
    """Limits and sources of the fetcher; every field has a safe default."""

    fetch_max_bytes: int = Field(
        default=100 * 1024 * 1024, ge=1, description="Largest document accepted, in bytes."
    )
    fetch_connect_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time allowed to open an HTTP connection."
    )
    fetch_read_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Longest silence allowed between two reads of a response."
    )
    fetch_total_timeout_seconds: float = Field(
        default=300.0, gt=0, description="Deadline for one whole download, any source."
    )
    fetch_max_redirects: int = Field(
        default=5, ge=0, description="HTTP redirects followed before giving up."
    )
    fetch_file_root: Path | None = Field(
        default=None,
        description="Folder that file:// URLs may read from; unset refuses every file:// URL.",
    )
    fetch_user_agent: str = Field(
        default=DEFAULT_USER_AGENT, min_length=1, description="User-Agent of HTTP requests."
    )
    fetch_temp_dir: Path | None = Field(
        default=None, description="Where downloads are spooled; the system temp folder if unset."
    )

    fetch_allow_cidrs: list[str] = Field(
        default_factory=list,
        description="Extra networks http(s) may reach although not globally routable, as a "
        'JSON list such as ["127.0.0.0/8", "::1/128"]; empty refuses every non-global address.',
    )
    fetch_allow_hosts: list[str] = Field(
        default_factory=list,
        description="Host names http(s) may reach whatever they resolve to (JSON list).",
    )
    fetch_s3_allowed_buckets: list[str] = Field(
        default_factory=list,
        description='Buckets s3:// URLs may read (JSON list); ["*"] allows all, empty refuses s3://.',
    )

    fetch_max_retry_after_seconds: float = Field(
        default=600.0,
        ge=0,
        description="Longest Retry-After (429, 503) honoured as the next retry's delay (s).",
    )
    fetch_heartbeat_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Heartbeat interval of a running fetch (download and upload); keep it well "
        "under the caller's heartbeat_timeout.",
    )

    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="Redis holding the circuit breakers shared by every fetcher replica.",
    )
    breaker_prefix: str = Field(
        default="docfleet", min_length=1, description="Prefix of the breakers' Redis keys."
    )
    fetch_breaker_enabled: bool = Field(
        default=True, description="Pause calls to a host after repeated transient failures."
    )
    fetch_breaker_failures: int = Field(
        default=5, ge=1, description="Transient failures within the window that open a breaker."
    )
    fetch_breaker_window_seconds: float = Field(
        default=60.0, gt=0, description="Window in which those failures are counted."
    )
    fetch_breaker_open_seconds: float = Field(
        default=30.0, gt=0, description="How long an open breaker refuses calls before a probe."
    )

    def public_summary(self) -> dict[str, object]:
        """Settings safe to log; the Redis URL loses any password."""
        summary = super().public_summary()
        summary["redis_url"] = redact_url(self.redis_url)
        return summary

    @field_validator("fetch_allow_cidrs")
    @classmethod
    def _cidrs_parse(cls, value: list[str]) -> list[str]:
        # Fail at start-up, not on the first fetch, and keep a typo from silently allowing nothing.
        return [str(ipaddress.ip_network(cidr.strip(), strict=False)) for cidr in value]

    @field_validator("fetch_file_root", "fetch_temp_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # An empty variable would otherwise become Path("."), silently opening the working folder.
        if isinstance(value, str) and not value.strip():
            return None
        return value
