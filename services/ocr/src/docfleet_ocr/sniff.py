"""Recognise a document's format from its first bytes, before any parser sees it.

PyMuPDF and Pillow pick their decoder from the content, so a file labelled PDF could reach an
XPS, EPUB or image parser; only bytes that really start like the claimed kind go further.
"""

from __future__ import annotations

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"GIF8", "a GIF image"),
    (b"%!PS", "a PostScript file"),
    (b"{\\rtf", "an RTF file"),
    (b"\xd0\xcf\x11\xe0", "an OLE (Microsoft Office) file"),
)
MARKUP = (b"<!doctype", b"<html", b"<?xml", b"<svg", b"<")


def detect(data: bytes) -> str:
    """`pdf`, `png`, `jpeg` or `tiff`; otherwise a description of what the bytes are."""
    if not data:
        return "an empty file"
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:64].lstrip().lower()
    if head.startswith(MARKUP):
        return "markup (HTML/XML)"
    return "an unrecognised format"


def mismatch(data: bytes, kind: str) -> str | None:
    """Why `data` cannot be read as `kind`, or None when its first bytes are that kind's."""
    found = detect(data)
    if found == kind:
        return None
    if found == "an empty file":
        return "the file is empty"
    if found in ("pdf", "png", "jpeg", "tiff"):
        return f"the file is labelled {kind} but its bytes are {found.upper()}"
    return f"the file is labelled {kind} but is {found} (no {kind.upper()} signature at byte 0)"
