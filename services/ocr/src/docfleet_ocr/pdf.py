"""PDF pages in the sandbox child: the text layer when it holds real text, else a grey render."""

from __future__ import annotations

import math

import pymupdf

from docfleet_ocr.options import ReadOptions
from docfleet_ocr.textlayer import is_real_text
from docfleet_ocr.wire import Page, Refused

RENDER_MARGIN = 0.99
"""Pixmap sizes round up; aim a little under the pixel cap so the result stays below it."""


class PdfPages:
    """A PDF opened by PyMuPDF as a PDF (never left to guess the format from the content)."""

    def __init__(self, data: bytes, options: ReadOptions, password: str | None = None) -> None:
        try:
            doc = pymupdf.open(stream=data, filetype="pdf")
        except MemoryError:
            raise
        except Exception as exc:
            raise Refused("invalid", f"not a readable PDF: {exc}") from exc
        if doc.needs_pass:
            _unlock(doc, password)
        self._doc = doc
        self._options = options
        self.count: int = doc.page_count

    def page(self, number: int) -> Page:
        page = self._doc.load_page(number - 1)
        text = _tidy(page.get_text("text"))
        if len(text) > self._options.max_text_chars:
            raise Refused(
                "too_large",
                f"page {number} holds {len(text)} characters; the limit is "
                f"{self._options.max_text_chars} (DOCFLEET_OCR_MAX_TEXT_CHARS)",
            )
        if is_real_text(text, self._options.min_text_chars):
            return Page(text=text)
        self._check_images(page, number)
        return self._render(page, number)

    def _check_images(self, page: pymupdf.Page, number: int) -> None:
        # Image sizes come from the image dictionaries: checked before MuPDF decodes anything.
        limit = self._options.max_embedded_image_pixels
        for image in page.get_images(full=True):
            width, height = int(image[2]), int(image[3])
            if width * height > limit:
                raise Refused(
                    "too_large",
                    f"page {number} embeds a {width}x{height} image; the limit is {limit} "
                    "pixels (DOCFLEET_OCR_MAX_EMBEDDED_IMAGE_PIXELS)",
                )

    def _render(self, page: pymupdf.Page, number: int) -> Page:
        rect = page.rect
        area = rect.width * rect.height
        if not math.isfinite(area) or area <= 0:
            raise Refused("invalid", f"page {number} has no area ({rect})")
        zoom = self._options.dpi / 72
        cap = self._options.max_image_pixels
        if area * zoom * zoom > cap * RENDER_MARGIN:
            # Oversized pages are rendered smaller rather than refused: the text is still there.
            zoom = math.sqrt(cap * RENDER_MARGIN / area)
        matrix = pymupdf.Matrix(zoom, zoom)
        pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
        width, height, stride = pix.width, pix.height, pix.stride
        if width * height > cap:
            raise Refused("too_large", f"page {number} renders to {width}x{height} pixels")
        samples = pix.samples_mv
        if stride == width:
            return Page(width=width, height=height, pixels=bytes(samples))
        rows = (samples[row * stride : row * stride + width] for row in range(height))
        return Page(width=width, height=height, pixels=b"".join(rows))

    def close(self) -> None:
        self._doc.close()


def _unlock(doc: pymupdf.Document, password: str | None) -> None:
    """Authenticate an encrypted PDF; no message ever repeats the password."""
    if password is None:
        doc.close()
        raise Refused(
            "encrypted",
            "password-protected PDF: not supported without its password "
            "(supply one in the document's `password`)",
        )
    # authenticate() returns 0 on failure, a positive permission level on success.
    if not doc.authenticate(password):
        doc.close()
        raise Refused("encrypted", "password-protected PDF: the supplied password is wrong")


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())
