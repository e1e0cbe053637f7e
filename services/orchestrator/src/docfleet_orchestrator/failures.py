"""Turn a Temporal failure chain into the (type, message) pair a batch result shows."""

from __future__ import annotations

from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    CancelledError,
    ChildWorkflowError,
    FailureError,
    TerminatedError,
    TimeoutError,
)

MAX_MESSAGE = 1000
"""Messages are cut to this length: they travel in results, never whole stack traces."""


def describe_failure(err: FailureError) -> tuple[str, str]:
    """The innermost cause's type name and message: what actually went wrong."""
    error_type, message = _innermost(err)
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return error_type, message


def _innermost(err: FailureError) -> tuple[str, str]:
    cause: BaseException | None = err
    while isinstance(cause, ActivityError | ChildWorkflowError) and cause.cause is not None:
        cause = cause.cause
    if isinstance(cause, ApplicationError):
        return cause.type or "ApplicationError", cause.message
    if isinstance(cause, TimeoutError):
        return "Timeout", f"timed out ({cause.type.name if cause.type else 'unknown'})"
    if isinstance(cause, CancelledError):
        return "Cancelled", "cancelled"
    if isinstance(cause, TerminatedError):
        return "Terminated", "terminated"
    return type(cause).__name__, str(cause)
