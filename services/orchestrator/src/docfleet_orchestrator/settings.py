"""Settings of the orchestrator worker."""

from __future__ import annotations

from pydantic import Field

from docfleet_runtime import ServiceSettings


class OrchestratorSettings(ServiceSettings):
    """`DOCFLEET_*` variables read by the orchestrator worker."""

    max_concurrent_workflow_tasks: int = Field(default=50, ge=1)
