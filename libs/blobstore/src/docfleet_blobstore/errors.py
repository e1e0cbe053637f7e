"""Blob-store errors. Each names the contract error type it crosses the wire as, so every
activity hands it to `docfleet_runtime.application_error` as it is, with no mapping of its own."""

from docfleet_contracts import errors as error_types


class BlobStoreError(Exception):
    """Base of every blob-store error."""

    error_type: str = error_types.DEPENDENCY_UNAVAILABLE


class BlobNotFound(BlobStoreError):
    """No blob exists at that URI."""

    error_type = error_types.INVALID_REQUEST


class BlobIntegrityError(BlobStoreError):
    """The stored bytes no longer match the reference's SHA-256."""

    error_type = error_types.INVALID_REQUEST


class BlobStoreUnavailable(BlobStoreError):
    """The backend could not be reached (connection refused, timeout, 5xx); worth retrying."""

    error_type = error_types.DEPENDENCY_UNAVAILABLE


class ForeignBlobUri(BlobStoreError):
    """The URI belongs to another store (other scheme, folder or bucket)."""

    error_type = error_types.INVALID_REQUEST


class UploadGone(BlobStoreError):
    """The multipart upload being resumed no longer exists (completed, aborted or expired).

    Retryable: the next attempt starts the upload over.
    """

    error_type = error_types.DEPENDENCY_UNAVAILABLE
