"""Errors of the storage service."""

from __future__ import annotations

from docfleet_contracts import errors as types
from docfleet_runtime import ServiceError


class StorageError(ServiceError):
    """Base of the storage service's errors."""


class BackendUnavailable(StorageError):
    """Redis cannot be reached right now; retried."""

    error_type = types.DEPENDENCY_UNAVAILABLE


class ManifestRefused(StorageError):
    """A batch manifest lies outside this fleet's blob store, or nothing is at its URI."""

    error_type = types.INVALID_REQUEST


class ResultsPartMissing(StorageError):
    """A results page the batch wrote earlier is gone from the blob store."""

    error_type = types.INVALID_REQUEST
