"""Fixtures of the OCR tests: the PP-OCR engine loads once per session, as in the worker."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pymupdf
import pytest
from PIL import Image

from docfleet_blobstore import BlobStore
from docfleet_contracts.models import OcrResult, PageIndex, PageSummary
from docfleet_ocr.engine import RapidOcrEngine

INVOICE_LINES = (
    "INVOICE No. 2024-0001",
    "Bill to: Acme Corporation",
    "Total due: $1,234.56",
)
"""Lines the recogniser glues together without the spacing fix, in `GLUED_STYLE` at 200 dpi."""
GLUED_STYLE: dict[str, Any] = {"size": 10, "font": "tiro"}


@pytest.fixture(scope="session")
def engine() -> RapidOcrEngine:
    return RapidOcrEngine(threads=2)


def text_page(
    doc: pymupdf.Document, lines: Sequence[str], size: float = 16, font: str = "helv"
) -> None:
    """A small page with `lines` as a real text layer."""
    page = doc.new_page(width=420, height=300)
    for index, line in enumerate(lines):
        page.insert_text((36, 50 + index * size * 2.2), line, fontsize=size, fontname=font)


def scanned_page(doc: pymupdf.Document, lines: Sequence[str], dpi: int = 200, **style: Any) -> None:
    """A page holding only a picture of `lines` (no text layer), as a scanner makes."""
    picture = png_of(lines, dpi, **style)
    page = doc.new_page(width=420, height=300)
    page.insert_image(page.rect, stream=picture)


def png_of(lines: Sequence[str], dpi: int = 200, **style: Any) -> bytes:
    """`lines` rendered at `dpi` into an 8-bit grey PNG."""
    source = pymupdf.open()
    text_page(source, lines, **style)
    pixmap = source[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return bytes(pixmap.tobytes("png"))


def pil_of(lines: Sequence[str], dpi: int = 200) -> Image.Image:
    return Image.open(io.BytesIO(png_of(lines, dpi)))


def pdf_bytes(doc: pymupdf.Document, **save: object) -> bytes:
    return bytes(doc.tobytes(**save))


async def pages_of(store: BlobStore, result: OcrResult) -> list[PageSummary]:
    """Every page's summary, from the page index the result points at."""
    return PageIndex.model_validate_json(await store.read(result.page_index)).pages
