"""Image documents (PNG, JPEG, TIFF with any number of pages) read by OCR through Pillow."""

from __future__ import annotations

import io
import threading

import numpy as np
from PIL import Image as PilImage
from PIL import ImageOps, UnidentifiedImageError

from docfleet_ocr.engine import Image, OcrEngine
from docfleet_ocr.errors import DocumentTooLarge, InvalidDocument
from docfleet_ocr.pipeline import PageSource, PageText, ReadOptions


class ImageSource(PageSource):
    """An image file; each frame of a multi-page TIFF is a page."""

    def __init__(self, data: bytes, engine: OcrEngine, options: ReadOptions) -> None:
        try:
            image = PilImage.open(io.BytesIO(data))
        except PilImage.DecompressionBombError as exc:
            raise DocumentTooLarge(f"image is too large: {exc}") from exc
        except (UnidentifiedImageError, OSError) as exc:
            raise InvalidDocument(f"not a readable image: {exc}") from exc
        self._image = image
        self._lock = threading.Lock()
        try:
            super().__init__(engine, options, getattr(image, "n_frames", 1))
        except Exception:
            image.close()
            raise

    def read_page(self, number: int) -> PageText:
        with self._lock:
            try:
                self._image.seek(number - 1)
                width, height = self._image.size
                if width * height > self.options.max_image_pixels:
                    raise DocumentTooLarge(
                        f"page {number} has {width}x{height} pixels; the limit is "
                        f"{self.options.max_image_pixels}"
                    )
                grey = to_grey(self._image)
            except (OSError, ValueError, EOFError) as exc:
                raise InvalidDocument(f"page {number} cannot be decoded: {exc}") from exc
        return self.ocr(number, grey)

    def close(self) -> None:
        with self._lock:
            self._image.close()


def to_grey(image: PilImage.Image) -> Image:
    """8-bit grey, upright per EXIF; transparency over white (RapidOCR reads nothing in 1-bit)."""
    upright = ImageOps.exif_transpose(image) or image
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        white = PilImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        upright = PilImage.alpha_composite(white, rgba)
    return np.asarray(upright.convert("L"), dtype=np.uint8)
