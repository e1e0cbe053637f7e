"""A document read page by page: a PDF page's text layer when it holds real text, OCR otherwise.

Knows nothing of Temporal or the blob store: `open_document` takes bytes and returns a
`PageSource` whose pages the caller reads one at a time (so it can report progress between them).
"""

from __future__ import annotations

import math
import threading
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from types import TracebackType

import numpy as np
import pymupdf

from docfleet_contracts.models import DocumentKind, PageMethod
from docfleet_ocr.engine import Image, OcrEngine
from docfleet_ocr.errors import DocumentTooLarge, InvalidDocument
from docfleet_ocr.layout import page_text

MUPDF_LOCK = threading.Lock()
"""MuPDF is not thread-safe even across documents; every PyMuPDF call holds this lock."""
JUNK_SHARE = 0.1
"""A text layer with more than this share of unprintable characters is garbage."""


@dataclass(frozen=True)
class ReadOptions:
    """Limits and rendering choices for reading one document."""

    dpi: int = 200
    max_pages: int = 500
    max_image_pixels: int = 60_000_000
    min_text_chars: int = 20


@dataclass(frozen=True)
class PageText:
    """One page's text and how it was read; `confidence` is None for text-layer pages."""

    number: int
    method: PageMethod
    text: str
    confidence: float | None = None


class PageSource(ABC):
    """An opened document; read pages with `read_page(number)`, numbers from 1."""

    def __init__(self, engine: OcrEngine, options: ReadOptions, page_count: int) -> None:
        if page_count > options.max_pages:
            raise DocumentTooLarge(
                f"document has {page_count} pages; this worker reads at most {options.max_pages}"
            )
        self.engine = engine
        self.options = options
        self.page_count = page_count

    @abstractmethod
    def read_page(self, number: int) -> PageText:
        """Read page `number` (CPU-bound; call it from a worker thread)."""

    @abstractmethod
    def close(self) -> None:
        """Release the document."""

    def ocr(self, number: int, image: Image) -> PageText:
        """OCR one page image and assemble its lines in reading order."""
        lines = self.engine.read(image)
        chars = sum(len(line.text) for line in lines)
        confidence = (
            sum(line.confidence * len(line.text) for line in lines) / chars if chars else None
        )
        return PageText(number, "ocr", page_text(lines), confidence)

    def __enter__(self) -> PageSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_document(
    data: bytes, kind: DocumentKind, engine: OcrEngine, options: ReadOptions
) -> PageSource:
    """Open `data` as `kind`; raises `InvalidDocument` or `DocumentTooLarge`."""
    if kind == "pdf":
        return PdfSource(data, engine, options)
    from docfleet_ocr.images import ImageSource

    return ImageSource(data, engine, options)


def is_real_text(text: str, min_chars: int) -> bool:
    """Enough letters/digits, and few unprintable characters (undecodable fonts give those)."""
    visible = [char for char in text if not char.isspace()]
    meaningful = sum(char.isalnum() for char in visible)
    junk = sum(
        not char.isprintable() or char == "\ufffd" or unicodedata.category(char) == "Co"
        for char in visible
    )
    return meaningful >= min_chars and junk <= JUNK_SHARE * len(visible)


class PdfSource(PageSource):
    """A PDF opened with PyMuPDF."""

    def __init__(self, data: bytes, engine: OcrEngine, options: ReadOptions) -> None:
        with MUPDF_LOCK:
            try:
                doc = pymupdf.open(stream=data, filetype="pdf")
            except Exception as exc:
                raise InvalidDocument(f"not a readable PDF: {exc}") from exc
            if doc.needs_pass:
                doc.close()
                raise InvalidDocument("the PDF is encrypted with a password")
            count = doc.page_count
        self._doc = doc
        try:
            if count == 0:
                raise InvalidDocument("the PDF has no pages")
            super().__init__(engine, options, count)
        except Exception:
            self.close()
            raise

    def read_page(self, number: int) -> PageText:
        with MUPDF_LOCK:
            try:
                page = self._doc.load_page(number - 1)
                text = _tidy(page.get_text("text"))
                if is_real_text(text, self.options.min_text_chars):
                    return PageText(number, "text_layer", text)
                image = self._render(page)
            except (RuntimeError, ValueError) as exc:
                raise InvalidDocument(f"page {number} cannot be read: {exc}") from exc
        return self.ocr(number, image)

    def _render(self, page: pymupdf.Page) -> Image:
        dpi = float(self.options.dpi)
        width, height = page.rect.width * dpi / 72, page.rect.height * dpi / 72
        if width * height > self.options.max_image_pixels:
            # Oversized pages are rendered smaller rather than refused: the text is still there.
            dpi *= math.sqrt(self.options.max_image_pixels / (width * height))
        pix = page.get_pixmap(dpi=max(int(dpi), 1), colorspace=pymupdf.csGRAY, alpha=False)
        rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
        return np.ascontiguousarray(rows[:, : pix.width])

    def close(self) -> None:
        with MUPDF_LOCK:
            self._doc.close()


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())
