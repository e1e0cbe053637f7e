"""Fetcher domain errors, each bound to a contract error type (`docfleet_contracts.errors`)."""

from __future__ import annotations

from docfleet_contracts import errors as error_types
from docfleet_runtime import ServiceError


class FetchError(ServiceError):
    """Base of every fetcher failure."""

    host_fault: bool = False
    """True when the failure says the source host is in trouble; the circuit breaker counts it."""


class SourceNotFound(FetchError):
    """The URL answered 404/410, or the file or object does not exist."""

    error_type = error_types.NOT_FOUND


class SourceAccessDenied(FetchError):
    """The URL answered 401/403, or a file:// path is outside the allowed root (or none is set)."""

    error_type = error_types.ACCESS_DENIED


class SourceTooLarge(FetchError):
    """The document is larger than `fetch_max_bytes`, by its declared size or its bytes."""

    error_type = error_types.TOO_LARGE


class UnsupportedDocument(FetchError):
    """The bytes are not a PDF, PNG, JPEG or TIFF; the message says what they look like."""

    error_type = error_types.UNSUPPORTED_TYPE


class BadFetchRequest(FetchError):
    """The request cannot succeed as asked: a malformed URL, another 4xx, a redirect loop."""

    error_type = error_types.INVALID_REQUEST


class TransientFetchError(FetchError):
    """A failure worth retrying that says nothing against the host: 408, a local spool, S3."""

    error_type = error_types.FETCH_FAILED


class SourceUnavailable(TransientFetchError):
    """The host answered 5xx or could not be reached; counts against its circuit breaker."""

    host_fault = True


class FetchTimeout(TransientFetchError):
    """The source was too slow (connect, read or total deadline); the message names the setting."""

    error_type = error_types.FETCH_TIMEOUT
    host_fault = True


class RateLimited(TransientFetchError):
    """The host answered 429; `retry_after` carries its Retry-After. The host itself is fine."""

    error_type = error_types.RATE_LIMITED


class CircuitOpen(TransientFetchError):
    """The host's circuit breaker is open: no request was sent; `retry_after` says when to retry."""

    error_type = error_types.CIRCUIT_OPEN


class StoreUnavailable(FetchError):
    """The blob store could not take the document; worth retrying."""

    error_type = error_types.DEPENDENCY_UNAVAILABLE


class Refused(FetchError):
    """A security rule forbids this fetch; the message names the rule and the setting to change."""

    error_type = error_types.ACCESS_DENIED


class AddressRefused(Refused):
    """The host is, or resolves to, an address that is not globally routable and not allowed."""


class CredentialsRefused(Refused):
    """The URL carries credentials (user:password@host), which are never sent from a URL."""


class BucketRefused(Refused):
    """The s3:// bucket is not in `fetch_s3_allowed_buckets` (empty refuses every bucket)."""
