"""Each parser limit driven for real at the domain level; the same engine then reads a good page."""

from __future__ import annotations

import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pymupdf
import pytest

from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.errors import DocumentTooLarge, InvalidDocument, ReadStopped
from docfleet_ocr.options import Fault
from docfleet_ocr.pipeline import ReadOptions, open_document
from docfleet_ocr.sniff import mismatch

from .conftest import pdf_bytes, pil_of, png_of, scanned_page, text_page
from .ocr_attacks import bomb_pdf, bomb_png

GOOD = ("Delivery note 7781", "Received in good order")


def assert_still_reads(engine: RapidOcrEngine) -> None:
    """The worker process survived: a scanned page still comes back right."""
    doc = pymupdf.open()
    scanned_page(doc, GOOD)
    with open_document(pdf_bytes(doc), "pdf", engine, ReadOptions()) as source:
        assert source.read_page(1).text.splitlines() == list(GOOD)


def many_pages(count: int = 6) -> bytes:
    doc = pymupdf.open()
    for index in range(count):
        scanned_page(doc, [f"Page {index} of a long fax"], dpi=100)
    return pdf_bytes(doc)


def read_all(data: bytes, engine: RapidOcrEngine, options: ReadOptions, fault: Fault) -> None:
    with open_document(data, "pdf", engine, options, fault=fault) as source:
        for number in range(1, source.page_count + 1):
            source.read_page(number)


def test_segfaulting_parser_is_an_invalid_document(engine: RapidOcrEngine) -> None:
    with pytest.raises(InvalidDocument, match=r"crashed.*SIGSEGV"):
        read_all(many_pages(2), engine, ReadOptions(), fault="segfault")
    assert_still_reads(engine)


def test_hung_parser_is_killed_at_the_wall_clock_limit(engine: RapidOcrEngine) -> None:
    options = ReadOptions(wall_seconds=0.5)
    with pytest.raises(DocumentTooLarge, match="SANDBOX_WALL_SECONDS"):
        read_all(many_pages(2), engine, options, fault="hang")
    assert_still_reads(engine)


def test_tiny_wall_clock_limit_stops_a_real_multi_page_document(engine: RapidOcrEngine) -> None:
    with pytest.raises(DocumentTooLarge, match=r"longer than 0.001 s"):
        with open_document(many_pages(), "pdf", engine, ReadOptions(wall_seconds=0.001)) as doc:
            for number in range(1, doc.page_count + 1):
                doc.read_page(number)
    assert_still_reads(engine)


def test_spinning_parser_dies_at_the_cpu_limit(engine: RapidOcrEngine) -> None:
    with pytest.raises(DocumentTooLarge, match=r"SIGXCPU.*SANDBOX_CPU_SECONDS"):
        read_all(many_pages(2), engine, ReadOptions(cpu_seconds=1), fault="spin")
    assert_still_reads(engine)


def test_memory_limit_stops_the_parser(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    doc.new_page(width=3_000, height=3_000)  # renders to 69 million grey pixels at 200 dpi
    big = pdf_bytes(doc)
    with pytest.raises(DocumentTooLarge, match="SANDBOX_MEMORY_MB"):
        with open_document(big, "pdf", engine, ReadOptions(memory_mb=64)) as source:
            source.read_page(1)
    assert_still_reads(engine)


def test_png_decompression_bomb_is_too_large(engine: RapidOcrEngine) -> None:
    bomb = bomb_png()
    assert len(bomb) < 1_000_000
    with pytest.raises(DocumentTooLarge, match="MAX_IMAGE_PIXELS"):
        open_document(bomb, "png", engine, ReadOptions())
    assert_still_reads(engine)


def test_pdf_embedding_a_bomb_image_is_too_large(engine: RapidOcrEngine) -> None:
    with pytest.raises(DocumentTooLarge, match=r"30000x30000.*MAX_EMBEDDED_IMAGE_PIXELS"):
        with open_document(bomb_pdf(), "pdf", engine, ReadOptions()) as doc:
            doc.read_page(1)
    assert_still_reads(engine)


def test_giant_page_is_rendered_under_the_pixel_cap(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=14_400, height=14_400)  # 40000x40000 pixels at 200 dpi
    page.insert_text((100, 7000), "Tiny text on a huge sheet", fontsize=400)
    options = ReadOptions(max_image_pixels=4_000_000, min_text_chars=10_000)
    with open_document(pdf_bytes(doc), "pdf", engine, options) as source:
        read = source.read_page(1)
    assert read.method == "ocr"
    assert "huge sheet" in read.text


def test_text_over_the_character_cap_is_too_large(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    text_page(doc, ["Quarterly report for the board"])
    text_page(doc, ["Revenue grew by twelve percent"])
    options = ReadOptions(max_text_chars=40)
    with pytest.raises(DocumentTooLarge, match=r"page 2.*MAX_TEXT_CHARS"):
        with open_document(pdf_bytes(doc), "pdf", engine, options) as source:
            source.read_page(1)
            source.read_page(2)


def test_ocr_time_per_page_is_capped(engine: RapidOcrEngine) -> None:
    with pytest.raises(DocumentTooLarge, match="OCR_PAGE_SECONDS"):
        with open_document(png_of(GOOD), "png", engine, ReadOptions(page_seconds=1e-6)) as doc:
            doc.read_page(1)
    assert_still_reads(engine)


@pytest.mark.parametrize(
    ("data", "kind", "reason"),
    [
        (b"", "pdf", "empty"),
        (b"PK\x03\x04zip entries...%PDF-1.7\n", "pdf", "ZIP archive"),
        (b"<html><body>hi</body></html>\n%PDF-1.4\n", "pdf", "markup"),
        (b"\x89PNG\r\n\x1a\n%PDF-1.4\n", "pdf", "bytes are PNG"),
        (b"%PDF-1.4\n1 0 obj", "png", "bytes are PDF"),
    ],
)
def test_polyglot_and_mislabelled_bytes_are_refused_unparsed(
    data: bytes, kind: str, reason: str
) -> None:
    found = mismatch(data, kind)
    assert found is not None and reason in found


def test_truncated_png_is_an_invalid_document(engine: RapidOcrEngine) -> None:
    png = png_of(GOOD)
    with pytest.raises(InvalidDocument, match="page 1 cannot be decoded"):
        with open_document(png[: len(png) // 2], "png", engine, ReadOptions()) as source:
            source.read_page(1)
    assert_still_reads(engine)


def test_interrupt_ends_a_page_in_flight_and_kills_its_child(engine: RapidOcrEngine) -> None:
    # The child hangs before answering: without the interrupt the read would wait 600 s.
    source = open_document(many_pages(2), "pdf", engine, ReadOptions(), fault="hang")
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(source.read_page, 1)
        source.interrupt()
        with pytest.raises(ReadStopped):
            reading.result(timeout=10)
    source.close()
    assert source._sandbox.exit_code == -signal.SIGKILL
    with pytest.raises(ReadStopped):
        source.read_page(2)
    assert_still_reads(engine)


def test_ocr_in_flight_stops_between_lines_when_told(engine: RapidOcrEngine) -> None:
    image = np.asarray(pil_of(GOOD).convert("L"))
    stop = threading.Event()
    assert [line.text for line in engine.read(image, stop=stop)]
    stop.set()
    with pytest.raises(ReadStopped):
        engine.read(image, stop=stop)
