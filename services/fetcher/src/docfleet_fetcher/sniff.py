"""Document type detection from magic bytes; names and extensions are never trusted."""

from __future__ import annotations

from typing import Final

from docfleet_contracts.models import DocumentKind
from docfleet_fetcher.errors import UnsupportedDocument

SNIFF_BYTES: Final = 1024
"""How much of the start of a document decides its type (PDF allows junk before `%PDF-`)."""

CONTENT_TYPES: Final[dict[DocumentKind, str]] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}

_IMAGE_MAGIC: Final[tuple[tuple[bytes, DocumentKind], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)

# Formats users send by mistake, so the error can say what arrived instead.
_KNOWN_OTHERS: Final[tuple[tuple[bytes, str], ...]] = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (DOCX/XLSX/ODT are ZIPs)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
    (b"II+\x00", "a BigTIFF image (not supported)"),
    (b"MM\x00+", "a BigTIFF image (not supported)"),
)


def sniff(head: bytes) -> DocumentKind:
    """The kind of a document from its first `SNIFF_BYTES` bytes, or `UnsupportedDocument`."""
    for magic, kind in _IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return "pdf"
    raise UnsupportedDocument(
        f"not a PDF, PNG, JPEG or TIFF document: the content {describe(head)}"
    )


def describe(head: bytes) -> str:
    """A short phrase saying what the bytes look like, for error messages."""
    if not head:
        return "is an empty file"
    for magic, name in _KNOWN_OTHERS:
        if head.startswith(magic):
            return f"looks like {name}"
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "looks like a WebP image"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in text:
        return "looks like HTML (a web page, perhaps an error or login page)"
    if text.startswith((b"<?xml", b"<svg")):
        return "looks like an SVG image" if b"<svg" in text else "looks like XML"
    if text[:1] in (b"{", b"["):
        return "looks like JSON"
    if _is_text(head):
        return "looks like plain text"
    return f"is unrecognised binary data starting {head[:8].hex(' ')}"


def _is_text(head: bytes) -> bool:
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the end of the sample is still text.
        try:
            decoded = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\t\r\n\f" for ch in decoded)
