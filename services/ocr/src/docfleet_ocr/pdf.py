"""PDF pages in the sandbox child: the text layer when it holds real text, else a grey render."""

from __future__ import annotations

import math

import pymupdf

from docfleet_ocr.options import ReadOptions
from docfleet_ocr.textlayer import is_real_text
from docfleet_ocr.wire import Page, Refused

RENDER_MARGIN = 0.99
"""Pixmap sizes round up; aim a little under the pixel cap so the result stays below it."""
A4_LONG_SIDE = 841.89
"""Points along an A4 page's long side: a page this long gets the base resolution."""
SCAN_COVERAGE = 0.5
"""A page whose images cover this share of it is a scan, rendered at its largest image's own
resolution."""


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
        zoom = page_dpi(rect.width, rect.height, scan_dpi(page), self._options) / 72
        cap = self._options.max_image_pixels
        if area * zoom * zoom > cap * RENDER_MARGIN:
            # Oversized pages are rendered smaller rather than refused: the text is still there.
            zoom = math.sqrt(cap * RENDER_MARGIN / area)
        matrix = pymupdf.Matrix(zoom, zoom)
        pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
        width, height, stride = pix.width, pix.height, pix.stride
        if width * height > cap:
            raise Refused("too_large", f"page {number} renders to {width}x{height} pixels")
        dpi = max(1, round(zoom * 72))
        samples = pix.samples_mv
        if stride == width:
            return Page(width=width, height=height, pixels=bytes(samples), dpi=dpi)
        rows = (samples[row * stride : row * stride + width] for row in range(height))
        return Page(width=width, height=height, pixels=b"".join(rows), dpi=dpi)

    def close(self) -> None:
        self._doc.close()


def page_dpi(width: float, height: float, scan: float | None, options: ReadOptions) -> float:
    """The resolution to render a `width` x `height` point page at, before the pixel cap.

    A scan (`scan`: its image's own resolution) keeps its pixels. Other pages get the base
    `dpi` at A4 size; smaller pages get more, so their long side has A4's pixels (small pages
    tend to small print); larger ones less, so their long side stays within what OCR uses
    (`max_side_len`, or A4's pixels at the base if more). Always within [min_dpi, max_dpi].
    """
    if scan is not None:
        dpi = scan
    else:
        long_side = max(width, height)
        budget = options.dpi * A4_LONG_SIDE  # in pixel-points: pixels x 72
        if long_side <= A4_LONG_SIDE:
            dpi = budget / long_side
        else:
            dpi = min(options.dpi, max(options.max_side_len * 72, budget) / long_side)
    return min(max(dpi, options.min_dpi), options.max_dpi)


def scan_dpi(page: pymupdf.Page) -> float | None:
    """The resolution of the page's largest image as placed, when images cover most of the
    page (a scan); None otherwise."""
    # Image boxes are in unrotated page space.
    bounds = page.rect * page.derotation_matrix
    try:
        infos = page.get_image_info()
    except MemoryError:
        raise
    except Exception:
        return None  # unreadable content: the render below will tell
    covered = 0.0
    best: tuple[tuple[float, int], float] | None = None
    for info in infos:
        visible = pymupdf.Rect(info["bbox"]) & bounds
        shown = 0.0 if visible.is_empty else visible.width * visible.height
        covered += shown
        a, b, c, d = info["transform"][:4]
        # The lengths its pixel axes are drawn at, in points: rotation and flips do not matter.
        along_x, along_y = math.hypot(a, b), math.hypot(c, d)
        if shown <= 0 or along_x <= 0 or along_y <= 0:
            continue
        dpi = max(info["width"] * 72 / along_x, info["height"] * 72 / along_y)
        key = (shown, int(info["width"]) * int(info["height"]))
        if best is None or key > best[0]:
            best = (key, dpi)
    if best is None or covered < SCAN_COVERAGE * bounds.width * bounds.height:
        return None
    return best[1]


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
