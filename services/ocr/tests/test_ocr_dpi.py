from __future__ import annotations

import pymupdf
import pytest

from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.options import ReadOptions
from docfleet_ocr.pdf import PdfPages, page_dpi, scan_dpi
from docfleet_ocr.pipeline import open_document

from .conftest import pdf_bytes, png_of

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
A3 = (841.89, 1190.55)
A6 = (297.64, 419.53)
SCAN = ("Delivery note 7781", "Received in good order")


def scanned(dpi: int, width: float = 420, height: float = 300, rotate: int = 0) -> pymupdf.Page:
    """A page holding one picture of `SCAN` at `dpi` that fills it (turned `rotate` degrees)."""
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    page.insert_image(page.rect, stream=png_of(SCAN, dpi), rotate=rotate, keep_proportion=False)
    return page


@pytest.mark.parametrize(
    ("size", "least", "most"),
    [(A4, 200, 200), (LETTER, 200, 215), (A6, 395, 400), ((100, 60), 400, 400)],
)
def test_pages_up_to_a4_get_the_base_or_more(
    size: tuple[float, float], least: float, most: float
) -> None:
    assert least <= round(page_dpi(*size, None, ReadOptions())) <= most


def test_pages_over_a4_keep_their_long_side_within_what_ocr_uses() -> None:
    options = ReadOptions()
    a3 = page_dpi(*A3, None, options)
    assert a3 < options.dpi
    assert a3 * A3[1] / 72 == pytest.approx(options.max_side_len)
    assert page_dpi(14_400, 14_400, None, options) == options.min_dpi


def test_a_scan_keeps_its_own_resolution_within_bounds() -> None:
    options = ReadOptions(min_dpi=100, max_dpi=400)
    assert page_dpi(*A4, 300.0, options) == 300
    assert page_dpi(*A4, 72.0, options) == 100
    assert page_dpi(*A4, 1200.0, options) == 400


@pytest.mark.parametrize(("width", "height", "rotate"), [(420, 300, 0), (300, 420, 90)])
def test_scan_resolution_is_read_from_the_placed_image(
    width: float, height: float, rotate: int
) -> None:
    # A 420x300-point picture rendered at 300 dpi, placed as is or turned on an upright page.
    found = scan_dpi(scanned(300, width, height, rotate))
    assert found == pytest.approx(300, abs=3)


def test_small_pictures_do_not_make_a_scan() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=A4[0], height=A4[1])
    page.insert_image(pymupdf.Rect(40, 40, 240, 140), stream=png_of(SCAN, 300))
    assert scan_dpi(page) is None


def test_oversized_page_is_rendered_under_the_pixel_cap() -> None:
    doc = pymupdf.open()
    doc.new_page(width=A4[0], height=A4[1]).draw_rect(pymupdf.Rect(50, 50, 300, 300))
    options = ReadOptions(max_image_pixels=500_000)
    pages = PdfPages(pdf_bytes(doc), options)
    page = pages.page(1)
    pages.close()
    assert page.width * page.height <= options.max_image_pixels
    assert page.dpi is not None and page.dpi < options.min_dpi
    assert page.width == pytest.approx(A4[0] * page.dpi / 72, rel=0.01)


def test_rendering_resolution_comes_back_from_the_sandbox(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    doc.new_page(width=420, height=300).insert_image(
        pymupdf.Rect(0, 0, 420, 300), stream=png_of(SCAN, 150)
    )
    with open_document(pdf_bytes(doc), "pdf", engine, ReadOptions()) as source:
        page = source.read_page(1)
    assert (page.method, page.dpi) == ("ocr", 150)
    assert page.text.splitlines() == list(SCAN)
    with open_document(png_of(SCAN, 150), "png", engine, ReadOptions()) as source:
        assert source.read_page(1).dpi is None
