"""Timeouts and retry policy of every activity, defined once and overridable by configuration.

The defaults live here, beside the activity names, so a service author sees what budget their
activity runs under. The orchestrator worker may override any field at start-up from
`DOCFLEET_ACTIVITY_POLICIES` (JSON keyed by stage) with `configure`; workflows read `in_force()`
and pass `ActivityPolicy.options()` to each call. Timeouts and retry settings are not part of
workflow determinism, so changing them never breaks a running workflow's replay.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from pydantic import Field
from temporalio.common import RetryPolicy

from docfleet_contracts import errors
from docfleet_contracts.models import WireModel


class ActivityPolicy(WireModel):
    """Temporal timeouts and retry policy of one activity call, in seconds."""

    start_to_close_seconds: float = Field(gt=0, description="One attempt's limit.")
    schedule_to_close_seconds: float = Field(
        gt=0, description="All attempts together, retries and their waits included."
    )
    heartbeat_seconds: float | None = Field(
        default=None, gt=0, description="Longest silence before an attempt counts as lost."
    )
    initial_interval_seconds: float = Field(default=1.0, gt=0)
    backoff_coefficient: float = Field(default=2.0, ge=1)
    maximum_interval_seconds: float = Field(default=30.0, gt=0)
    maximum_attempts: int = Field(
        default=5, ge=0, description="0 retries until schedule_to_close runs out."
    )

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            initial_interval=timedelta(seconds=self.initial_interval_seconds),
            backoff_coefficient=self.backoff_coefficient,
            maximum_interval=timedelta(seconds=self.maximum_interval_seconds),
            maximum_attempts=self.maximum_attempts,
            non_retryable_error_types=list(errors.NON_RETRYABLE),
        )

    def options(self) -> dict[str, Any]:
        """Keyword arguments of `workflow.execute_activity`."""
        opts: dict[str, Any] = {
            "start_to_close_timeout": timedelta(seconds=self.start_to_close_seconds),
            "schedule_to_close_timeout": timedelta(seconds=self.schedule_to_close_seconds),
            "retry_policy": self.retry_policy(),
        }
        if self.heartbeat_seconds is not None:
            opts["heartbeat_timeout"] = timedelta(seconds=self.heartbeat_seconds)
        return opts


class ActivityPolicies(WireModel):
    """The policy of every stage; the orchestrator worker holds one instance."""

    fetch: ActivityPolicy
    ocr: ActivityPolicy
    classify: ActivityPolicy
    extract: ActivityPolicy
    store: ActivityPolicy
    find_cached: ActivityPolicy
    analytics: ActivityPolicy
    manifest: ActivityPolicy

    def merged(self, overrides: dict[str, dict[str, Any]]) -> ActivityPolicies:
        """A copy with `overrides` ({stage: {field: value}}) applied and validated."""
        unknown = set(overrides) - set(type(self).model_fields)
        if unknown:
            raise ValueError(
                f"unknown stage(s) {sorted(unknown)}; expected {sorted(type(self).model_fields)}"
            )
        data = self.model_dump()
        for stage, fields in overrides.items():
            bad = set(fields) - set(ActivityPolicy.model_fields)
            if bad:
                raise ValueError(f"{stage}: unknown field(s) {sorted(bad)}")
            data[stage].update(fields)
        return ActivityPolicies.model_validate(data)


DEFAULT_POLICIES: Final = ActivityPolicies(
    # Longer than the fetcher's own total deadline (DOCFLEET_FETCH_TOTAL_TIMEOUT_SECONDS, 300 s).
    fetch=ActivityPolicy(
        start_to_close_seconds=360,
        schedule_to_close_seconds=1800,
        heartbeat_seconds=60,
        maximum_interval_seconds=120,
        maximum_attempts=6,
    ),
    # Heartbeats after every page (and while a long page is read); a lost worker is noticed
    # within a minute and the retry resumes after the last checkpointed page.
    # Stages reading blobs wait out a blob-store outage of a minute or two (8 attempts).
    ocr=ActivityPolicy(
        start_to_close_seconds=3600,
        schedule_to_close_seconds=4 * 3600,
        heartbeat_seconds=60,
        maximum_attempts=8,
    ),
    classify=ActivityPolicy(
        start_to_close_seconds=120, schedule_to_close_seconds=900, maximum_attempts=8
    ),
    extract=ActivityPolicy(
        start_to_close_seconds=900,
        schedule_to_close_seconds=3600,
        heartbeat_seconds=120,
        maximum_attempts=8,
    ),
    # Patient: a blob store outage of a few minutes must not fail documents already read.
    store=ActivityPolicy(
        start_to_close_seconds=300,
        schedule_to_close_seconds=1800,
        heartbeat_seconds=60,
        maximum_interval_seconds=60,
        maximum_attempts=10,
    ),
    find_cached=ActivityPolicy(
        start_to_close_seconds=30, schedule_to_close_seconds=120, maximum_attempts=3
    ),
    # Analytics must not be lost: retried for up to a day.
    analytics=ActivityPolicy(
        start_to_close_seconds=30,
        schedule_to_close_seconds=86400,
        initial_interval_seconds=2,
        maximum_interval_seconds=120,
        maximum_attempts=0,
    ),
    # Reading a batch's manifest and writing its results pages: the batch waits out a blob store
    # outage (for up to a day) rather than losing its place.
    manifest=ActivityPolicy(
        start_to_close_seconds=120,
        schedule_to_close_seconds=86400,
        initial_interval_seconds=2,
        maximum_interval_seconds=120,
        maximum_attempts=0,
    ),
)


_in_force: ActivityPolicies = DEFAULT_POLICIES


def configure(overrides: dict[str, dict[str, Any]]) -> ActivityPolicies:
    """Apply `{stage: {field: value}}` over the defaults for this process; raises ValueError.

    The orchestrator worker calls this once at start-up. The state lives here, in a package
    workflows import through the sandbox's pass-through, because a module of the workflows' own
    package is re-imported inside the sandbox and would not see it.
    """
    global _in_force
    _in_force = DEFAULT_POLICIES.merged(overrides)
    return _in_force


def in_force() -> ActivityPolicies:
    """The policies workflows in this process use for their next activity call."""
    return _in_force
