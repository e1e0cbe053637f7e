"""Blob-store errors; services translate them into contract error types at their boundary."""


class BlobStoreError(Exception):
    """Base of every blob-store error."""


class BlobNotFound(BlobStoreError):
    """No blob exists at that URI."""


class BlobIntegrityError(BlobStoreError):
    """The stored bytes no longer match the reference's SHA-256."""


class BlobStoreUnavailable(BlobStoreError):
    """The backend could not be reached (connection refused, timeout, 5xx); worth retrying."""


class ForeignBlobUri(BlobStoreError):
    """The URI belongs to another store (other scheme, folder or bucket)."""
