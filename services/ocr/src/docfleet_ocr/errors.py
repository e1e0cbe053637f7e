"""Domain errors of the OCR service, each naming the contract error type it crosses the wire as."""

from __future__ import annotations

from docfleet_contracts import errors as error_types
from docfleet_runtime import ServiceError


class OcrError(ServiceError):
    """Base of every OCR failure."""


class InvalidDocument(OcrError):
    """The bytes are corrupt, unreadable, or not the kind they claim to be."""

    error_type = error_types.INVALID_DOCUMENT


class EncryptedDocument(OcrError):
    """A password-protected PDF came without its password, or with a wrong one."""

    error_type = error_types.ENCRYPTED_DOCUMENT


class DocumentTooLarge(OcrError):
    """More pages than `ocr_max_pages`, or an image with more pixels than `ocr_max_image_pixels`."""

    error_type = error_types.TOO_LARGE


class EngineUnavailable(OcrError):
    """An OCR engine cannot run here: its program, package, language data or models are missing.

    Raised when the engine is built (worker startup), or by a read whose engine process fails;
    retryable, since another worker may have the engine.
    """

    error_type = error_types.DEPENDENCY_UNAVAILABLE


class ReadStopped(Exception):
    """Reading was stopped because its activity was cancelled; never crosses the wire.

    Raised in a page thread still in flight after the activity gave up on it: nobody awaits
    its result any more.
    """
