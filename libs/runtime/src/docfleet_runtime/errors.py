"""Base of every service's domain errors, and their translation at the activity boundary.

Domain code raises a `ServiceError` subclass naming a contract error type; the activity turns
it into `ApplicationError(type=...)` so the orchestrator's retry policy and the batch result
see a stable type name and a message a user can act on.
"""

from __future__ import annotations

from typing import Protocol

from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from docfleet_contracts import errors as error_types


class TypedError(Protocol):
    """Any error naming a contract error type: a `ServiceError`, or a blob-store error."""

    error_type: str


class ServiceError(Exception):
    """A failure with a contract error type; subclasses set `error_type`."""

    error_type: str = error_types.INVALID_REQUEST

    def __init__(self, message: str, *, error_type: str | None = None) -> None:
        super().__init__(message)
        if error_type is not None:
            self.error_type = error_type

    @property
    def retryable(self) -> bool:
        return self.error_type not in error_types.NON_RETRYABLE


def application_error(exc: TypedError) -> ApplicationError:
    """The Temporal error for a domain error; non-retryable types stop retries at once.

    A non-retryable error is the input's fault, not the fleet's: it is marked benign so the SDK
    logs it quietly instead of as a worker failure with a traceback.
    """
    retryable = exc.error_type not in error_types.NON_RETRYABLE
    return ApplicationError(
        str(exc),
        type=exc.error_type,
        non_retryable=not retryable,
        category=ApplicationErrorCategory.UNSPECIFIED
        if retryable
        else ApplicationErrorCategory.BENIGN,
    )
