"""Timeouts and retry policies of every stage, in one place so they are reviewed together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from docfleet_contracts import errors

STAGE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=5,
    non_retryable_error_types=list(errors.NON_RETRYABLE),
)
"""Transient failures are retried with backoff; the non-retryable contract types stop at once."""

ANALYTICS_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=0,  # keep trying until schedule_to_close: analytics must not be lost
)


@dataclass(frozen=True)
class StageTimeouts:
    """Temporal timeouts of one activity call."""

    start_to_close: timedelta
    heartbeat: timedelta | None = None

    def options(self, retry: RetryPolicy = STAGE_RETRY) -> dict[str, Any]:
        opts: dict[str, Any] = {
            "start_to_close_timeout": self.start_to_close,
            "retry_policy": retry,
        }
        if self.heartbeat is not None:
            opts["heartbeat_timeout"] = self.heartbeat
        return opts


# Longer than the fetcher's own total deadline (DOCFLEET_FETCH_TOTAL_TIMEOUT_SECONDS, 300 s).
FETCH = StageTimeouts(start_to_close=timedelta(minutes=6))
OCR = StageTimeouts(start_to_close=timedelta(hours=1), heartbeat=timedelta(minutes=3))
CLASSIFY = StageTimeouts(start_to_close=timedelta(minutes=2))
EXTRACT = StageTimeouts(start_to_close=timedelta(minutes=15), heartbeat=timedelta(minutes=2))
STORE = StageTimeouts(start_to_close=timedelta(minutes=5), heartbeat=timedelta(minutes=1))
ANALYTICS = StageTimeouts(start_to_close=timedelta(seconds=30))
ANALYTICS_DEADLINE = timedelta(days=1)
