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
