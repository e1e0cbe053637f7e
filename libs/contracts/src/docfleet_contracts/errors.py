"""Error type names that cross the wire as `ApplicationError.type`.

Services raise `ApplicationError(message, type=<one of these>)` at the activity boundary; the
orchestrator's retry policies name the non-retryable ones, and a batch result shows the type of
each failed document next to a message a user can act on.
"""

from typing import Final

NOT_FOUND: Final = "DocumentNotFound"
"""The URL answered 404/410 or the file/object does not exist."""

ACCESS_DENIED: Final = "AccessDenied"
"""The URL answered 401/403, or a `file://` path lies outside the allowed root."""

UNSUPPORTED_TYPE: Final = "UnsupportedDocumentType"
"""The bytes are not a PDF, PNG, JPEG or TIFF (checked by magic bytes, not by name)."""

TOO_LARGE: Final = "DocumentTooLarge"
"""The document exceeds the configured size or page cap."""

INVALID_DOCUMENT: Final = "InvalidDocument"
"""The document is corrupt or cannot be opened."""

ENCRYPTED_DOCUMENT: Final = "EncryptedDocument"
"""The PDF is encrypted and no (or a wrong) password came with it."""

INVALID_REQUEST: Final = "InvalidRequest"
"""The request itself is malformed (bad URL scheme, unknown blob reference)."""

FETCH_FAILED: Final = "FetchFailed"
"""A transient fetch failure (connection error, 5xx, 408); retried."""

FETCH_TIMEOUT: Final = "FetchTimeout"
"""The source was too slow: no byte within the read timeout, or not all within the total one."""

RATE_LIMITED: Final = "RateLimited"
"""The source answered 429; the retry waits for its Retry-After (carried as the retry delay)."""

CIRCUIT_OPEN: Final = "CircuitOpen"
"""The source host failed repeatedly, so calls to it pause; retried after the breaker's delay."""

DEPENDENCY_UNAVAILABLE: Final = "DependencyUnavailable"
"""Blob store or Redis unreachable; retried."""

NON_RETRYABLE: Final = (
    NOT_FOUND,
    ACCESS_DENIED,
    UNSUPPORTED_TYPE,
    TOO_LARGE,
    INVALID_DOCUMENT,
    ENCRYPTED_DOCUMENT,
    INVALID_REQUEST,
)
"""Error types that no retry can fix; retry policies list these as non-retryable."""

RETRYABLE: Final = (
    FETCH_FAILED,
    FETCH_TIMEOUT,
    RATE_LIMITED,
    CIRCUIT_OPEN,
    DEPENDENCY_UNAVAILABLE,
)
"""Error types a later attempt may fix; some carry their own retry delay."""
