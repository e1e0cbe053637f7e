"""Domain errors of the OCR service, each naming the contract error type it crosses the wire as."""

from __future__ import annotations

from docfleet_contracts import errors as error_types
from docfleet_runtime import ServiceError


class OcrError(ServiceError):
    """Base of every OCR failure."""


class InvalidDocument(OcrError):
    """The bytes are corrupt, encrypted with a password, or not the kind they claim to be."""

    error_type = error_types.INVALID_DOCUMENT


class DocumentTooLarge(OcrError):
    """More pages than `ocr_max_pages`, or an image with more pixels than `ocr_max_image_pixels`."""

    error_type = error_types.TOO_LARGE
