"""Errors of the NLP worker; each names the contract error type it crosses the wire as."""

from __future__ import annotations

from docfleet_contracts import errors as error_types
from docfleet_runtime import ServiceError


class NlpError(ServiceError):
    """Base of every NLP worker error."""


class TextNotFound(NlpError):
    """A blob the request points at (text, page index) does not exist; no retry brings it."""

    error_type = error_types.INVALID_REQUEST


class InvalidText(NlpError):
    """A blob the request points at cannot be used: not UTF-8 or not a page index, changed
    since it was referenced, or foreign."""

    error_type = error_types.INVALID_REQUEST


class BlobStoreDown(NlpError):
    """The blob store could not be reached to read the text or write the entities; retried."""

    error_type = error_types.DEPENDENCY_UNAVAILABLE
