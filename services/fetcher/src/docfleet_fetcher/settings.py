"""Settings of the fetcher worker, read from `DOCFLEET_FETCH_*` environment variables."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, field_validator

from docfleet_runtime import ServiceSettings

FILE_ROOT_ENV = "DOCFLEET_FETCH_FILE_ROOT"
"""The variable that enables `file://` URLs, for messages telling a user how to turn them on."""

ALLOW_CIDRS_ENV = "DOCFLEET_FETCH_ALLOW_CIDRS"
ALLOW_HOSTS_ENV = "DOCFLEET_FETCH_ALLOW_HOSTS"
S3_BUCKETS_ENV = "DOCFLEET_FETCH_S3_ALLOWED_BUCKETS"
"""Variables named in refusals, so a user knows which one would lift them."""

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
