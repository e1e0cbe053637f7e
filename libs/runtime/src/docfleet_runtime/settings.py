"""Settings shared by every worker; each service subclasses `ServiceSettings` with its own."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_blob_url() -> str:
    return (Path.cwd() / ".docfleet" / "blobs").as_uri()


class ServiceSettings(BaseSettings):
    """Read from `DOCFLEET_*` variables; the Temporal connection uses Temporal's own."""

    model_config = SettingsConfigDict(env_prefix="DOCFLEET_", extra="ignore")

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Lowest level logged."
    )
    log_format: Literal["auto", "text", "json"] = Field(
        default="auto",
        description="json: one object per line; text: for people; auto: text on a terminal, "
        "json otherwise.",
    )
    blob_url: str = Field(
        default_factory=default_blob_url,
        description="file:///folder or s3://bucket/prefix; the default is ./.docfleet/blobs.",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="S3 API endpoint for MinIO/R2/moto; AWS when unset."
    )
    s3_region: str = "us-east-1"
    s3_create_bucket: bool = Field(
        default=False, description="Create the blob bucket at start if missing (dev setups)."
    )
    max_concurrent_activities: int = Field(default=8, ge=1)
    graceful_shutdown_seconds: float = Field(default=30.0, ge=0)
    heartbeat_throttle_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Longest time a heartbeat's details wait before reaching the server; bounds "
        "how much checkpointed work a killed worker can lose.",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Port of the worker's HTTP endpoint (/metrics with DocFleet's and the "
        "Temporal SDK's metrics, /healthz, /readyz); off when unset. 9464 in the recipes.",
    )
    metrics_host: str = Field(default="0.0.0.0", description="Address the metrics endpoint binds.")
    readiness_probe_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often a serving worker checks that Temporal answers (for /readyz).",
    )
    backlog_poll_seconds: float = Field(
        default=15.0,
        gt=0,
        description="How often the orchestrator worker reads every DocFleet task queue's backlog "
        "into docfleet_task_queue_backlog (other workers ignore it).",
    )
    temporal_connect_wait_seconds: float = Field(
        default=30.0, ge=0, description="How long to keep retrying the first Temporal connection."
    )

    def public_summary(self) -> dict[str, object]:
        """Settings safe to log: secrets are masked."""
        return {
            name: ("***" if isinstance(value, SecretStr) else value)
            for name, value in self.model_dump().items()
        }
