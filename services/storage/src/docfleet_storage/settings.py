"""Settings of the storage worker."""

from __future__ import annotations

from pydantic import Field

from docfleet_runtime import ServiceSettings


class StorageSettings(ServiceSettings):
    """`DOCFLEET_*` variables read by the storage worker."""

    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Redis holding the analytics aggregates."
    )
    analytics_prefix: str = Field(default="docfleet", description="Prefix of every Redis key.")
    analytics_dedupe_days: int = Field(
        default=30,
        ge=1,
        description="How long a recorded document is remembered, to count it once.",
    )
    store_part_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=5 * 1024 * 1024,
        description="Part size of result uploads; S3 needs at least 5 MiB for all but the last.",
    )
    cache_enabled: bool = Field(
        default=True,
        description="Reuse complete readings of identical bytes (content-hash cache in Redis).",
    )
    cache_ttl_days: int = Field(
        default=30, ge=1, description="How long a reading stays in the content-hash cache."
    )
    cache_timeout_seconds: float = Field(
        default=0.5,
        gt=0,
        description="Longest wait for Redis in a cache call; slower counts as unavailable.",
    )
