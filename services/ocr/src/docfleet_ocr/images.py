"""Image documents (PNG, JPEG, TIFF with any number of pages) decoded inside the sandbox child."""

from __future__ import annotations

import io
import warnings

from PIL import Image as PilImage
from PIL import ImageOps, UnidentifiedImageError

from docfleet_ocr.options import ReadOptions
from docfleet_ocr.wire import Page, Refused

FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF"}
"""Pillow decoders allowed per document kind: a file labelled PNG never reaches another one."""


class ImagePages:
    """An image file; each frame of a multi-page TIFF is a page."""

    def __init__(self, data: bytes, kind: str, options: ReadOptions) -> None:
        self._limit = options.max_image_pixels
        # Pillow's bomb guard, at our cap, and its warning (between 1x and 2x the cap) made fatal.
        PilImage.MAX_IMAGE_PIXELS = self._limit
        warnings.simplefilter("error", PilImage.DecompressionBombWarning)
        try:
            image = PilImage.open(io.BytesIO(data), formats=[FORMATS[kind]])
            self.count: int = getattr(image, "n_frames", 1)
        except (PilImage.DecompressionBombError, PilImage.DecompressionBombWarning) as exc:
            raise Refused("too_large", f"{exc} (DOCFLEET_OCR_MAX_IMAGE_PIXELS)") from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
            raise Refused("invalid", f"not a readable {kind.upper()} image: {exc}") from exc
        self._image = image

    def page(self, number: int) -> Page:
        try:
            self._image.seek(number - 1)
            width, height = self._image.size
            if width * height > self._limit:
                raise Refused(
                    "too_large",
                    f"page {number} has {width}x{height} pixels; the limit is {self._limit} "
                    "(DOCFLEET_OCR_MAX_IMAGE_PIXELS)",
                )
            grey = to_grey(self._image)
        except (OSError, ValueError, EOFError, SyntaxError) as exc:
            raise Refused("invalid", f"page {number} cannot be decoded: {exc}") from exc
        return Page(width=grey.width, height=grey.height, pixels=grey.tobytes())

    def close(self) -> None:
        self._image.close()


def to_grey(image: PilImage.Image) -> PilImage.Image:
    """8-bit grey, upright per EXIF; transparency over white (RapidOCR reads nothing in 1-bit)."""
    upright = ImageOps.exif_transpose(image) or image
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        white = PilImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        upright = PilImage.alpha_composite(white, rgba)
    return upright.convert("L")
