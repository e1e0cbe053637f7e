"""Settings of the orchestrator worker."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from docfleet_contracts.policies import DEFAULT_POLICIES
from docfleet_runtime import ServiceSettings


class OrchestratorSettings(ServiceSettings):
    """`DOCFLEET_*` variables read by the orchestrator worker."""

    max_concurrent_workflow_tasks: int = Field(default=50, ge=1)
    activity_policies: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Overrides of activity timeouts and retries as JSON, e.g. "
        '{"ocr": {"start_to_close_seconds": 7200, "maximum_attempts": 3}}; '
        "see README, Failure behaviour.",
    )

    @field_validator("activity_policies")
    @classmethod
    def _policies_valid(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        # Fail at start-up with the bad name, not at the first activity call.
        DEFAULT_POLICIES.merged(value)
        return value
