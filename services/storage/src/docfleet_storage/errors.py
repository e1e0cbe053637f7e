"""Errors of the storage service."""

from __future__ import annotations

from docfleet_contracts import errors as types
from docfleet_runtime import ServiceError


class StorageError(ServiceError):
    """Base of the storage service's errors."""


class InputMissing(StorageError):
    """A blob the result refers to (text, entities) is not in the blob store."""

    error_type = types.INVALID_REQUEST


class BackendUnavailable(StorageError):
    """The blob store or Redis cannot be reached right now; retried."""

    error_type = types.DEPENDENCY_UNAVAILABLE
