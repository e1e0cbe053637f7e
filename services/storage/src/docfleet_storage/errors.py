"""Errors of the storage service."""

from __future__ import annotations

from docfleet_contracts import errors as types
from docfleet_runtime import ServiceError


class StorageError(ServiceError):
    """Base of the storage service's errors."""


class BackendUnavailable(StorageError):
    """Redis cannot be reached right now; retried."""

    error_type = types.DEPENDENCY_UNAVAILABLE
