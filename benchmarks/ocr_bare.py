"""The bare OCR engine on the same pages, in this one process, on a pool as wide as the OCR
worker's: the ceiling the fleet's scanned throughput is measured against.

Pages are rendered first, outside the timing, with the worker's own code and settings (a PDF
scan through `PdfPages`, the sandbox child's renderer), so the timed part is OCR alone: engine
plus reading-order assembly, exactly what the worker does per page after rendering.
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf

from docfleet_ocr.engine import Image, RapidOcrEngine
from docfleet_ocr.layout import page_text
from docfleet_ocr.options import ReadOptions
from docfleet_ocr.pdf import PdfPages
from docfleet_ocr.settings import OcrSettings


@dataclass(frozen=True)
class BareRun:
    """One pass of the engine over a list of page images."""

    pages: int
    seconds: float
    cpu_seconds: float
    threads: int
    chars: int
    render_seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0


def worker_settings() -> OcrSettings:
    """The OCR worker's settings as the fleet's worker reads them (defaults plus environment)."""
    return OcrSettings()


def load_engine(settings: OcrSettings) -> RapidOcrEngine:
    return RapidOcrEngine(
        threads=settings.ocr_inference_threads, max_side_len=settings.ocr_max_side_len
    )


def _image(width: int, height: int, pixels: bytes) -> Image:
    return np.frombuffer(pixels, dtype=np.uint8).reshape(height, width)


def render_scans(paths: list[Path], settings: OcrSettings) -> list[Image]:
    """Every page of image-only PDFs, rendered as the OCR worker's sandbox child renders them."""
    options = ReadOptions(dpi=settings.ocr_dpi, min_text_chars=settings.ocr_min_text_chars)
    images = []
    for path in paths:
        pages = PdfPages(path.read_bytes(), options)
        try:
            for number in range(1, pages.count + 1):
                page = pages.page(number)
                if page.text is not None:
                    raise ValueError(f"{path.name} page {number} has a text layer, not a scan")
                images.append(_image(page.width, page.height, page.pixels))
        finally:
            pages.close()
    return images


def render_text_pages(paths: list[Path], settings: OcrSettings, limit: int) -> list[Image]:
    """The first `limit` pages of born-digital PDFs as grey images at the worker's resolution,
    as if they were scans (the worker reads their text layer instead)."""
    zoom = settings.ocr_dpi / 72
    images: list[Image] = []
    for path in paths:
        with pymupdf.open(path) as doc:
            for page in doc:
                if len(images) >= limit:
                    return images
                pix = page.get_pixmap(
                    matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False
                )
                rows = pix.samples_mv
                if pix.stride != pix.width:
                    raise ValueError("unexpected row padding in a grey pixmap")
                images.append(_image(pix.width, pix.height, bytes(rows)))
    return images


def ocr_pages(
    engine: RapidOcrEngine,
    images: list[Image],
    threads: int,
    page_seconds: float,
    render_seconds: float = 0.0,
) -> BareRun:
    """OCR every image on `threads` threads sharing one engine (as the worker's pool does)."""

    def read(image: Image) -> int:
        return len(page_text(engine.read(image, time_limit=page_seconds)))

    cpu_before = _cpu_seconds()
    started = time.monotonic()
    with ThreadPoolExecutor(threads, thread_name_prefix="bare-ocr") as pool:
        chars = sum(pool.map(read, images))
    seconds = time.monotonic() - started
    return BareRun(
        pages=len(images),
        seconds=seconds,
        cpu_seconds=_cpu_seconds() - cpu_before,
        threads=threads,
        chars=chars,
        render_seconds=render_seconds,
    )


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
