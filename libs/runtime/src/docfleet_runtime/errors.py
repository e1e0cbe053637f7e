"""Base of every service's domain errors, and their translation at the activity boundary.

Domain code raises a `ServiceError` subclass naming a contract error type; the activity turns
it into `ApplicationError(type=...)` so the orchestrator's retry policy and the batch result
see a stable type name and a message a user can act on.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from docfleet_contracts import errors as error_types


class TypedError(Protocol):
    """Any error naming a contract error type: a `ServiceError`, or a blob-store error."""

    error_type: str


class ServiceError(Exception):
    """A failure with a contract error type; subclasses set `error_type`."""

    error_type: str = error_types.INVALID_REQUEST

    def __init__(
        self, message: str, *, error_type: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        if error_type is not None:
            self.error_type = error_type
        self.retry_after = retry_after
        """Seconds the next attempt should wait (a 429's Retry-After, an open breaker)."""

    @property
    def retryable(self) -> bool:
        return self.error_type not in error_types.NON_RETRYABLE


def application_error(exc: TypedError) -> ApplicationError:
    """The Temporal error for a domain error; non-retryable types stop retries at once.

    A non-retryable error is the input's fault, not the fleet's: it is marked benign so the SDK
    logs it quietly instead of as a worker failure with a traceback.

    A retryable error with a `retry_after` (seconds) sets the next attempt's delay, overriding
    the retry policy's backoff for that one attempt.
    """
    retryable = exc.error_type not in error_types.NON_RETRYABLE
    retry_after = getattr(exc, "retry_after", None)
    delay = timedelta(seconds=retry_after) if retryable and retry_after else None
    return ApplicationError(
        str(exc),
        type=exc.error_type,
        non_retryable=not retryable,
        next_retry_delay=delay,
        category=ApplicationErrorCategory.UNSPECIFIED
        if retryable
        else ApplicationErrorCategory.BENIGN,
    )
