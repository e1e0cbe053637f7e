"""The Tesseract engine against the real `tesseract` program, on pages rendered here."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest

from docfleet_ocr.engine import Image
from docfleet_ocr.errors import DocumentTooLarge, EngineUnavailable, ReadStopped
from docfleet_ocr.tesseract import TesseractEngine, lines_of_tsv

LINES = ("Invoice number 2024-0001", "Bill to: Acme Corporation", "Total due 1,234.56 EUR")
WORDS = (
    "The quick brown fox jumps over the lazy dog while seven grey wolves watch from "
    "the ridge and count every step of the long road home. "
)


def grey_page(lines: Sequence[str], dpi: int = 200, size: float = 14) -> Image:
    """`lines` typeset by PyMuPDF on a small page, rendered to an 8-bit grey array."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=60 + len(lines) * size * 2.2)
    for index, line in enumerate(lines):
        page.insert_text((36, 40 + index * size * 2.2), line, fontsize=size, fontname="helv")
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).copy()


def dense_page(dpi: int = 300) -> Image:
    """An A4 page filled with small text: several seconds of work for Tesseract."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(36, 36, 559, 806), WORDS * 60, fontsize=8)
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).copy()


def child_processes() -> set[int]:
    """Live children of this process (Linux: every thread's `children` list)."""
    found: set[int] = set()
    for children in Path("/proc/self/task").glob("*/children"):
        found |= {int(pid) for pid in children.read_text().split()}
    return found


@pytest.fixture(scope="module")
def tesseract() -> TesseractEngine:
    return TesseractEngine()


def test_reads_a_rendered_page_word_for_word_in_reading_order(tesseract: TesseractEngine) -> None:
    image = grey_page(LINES)

    lines = tesseract.read(image)

    assert [line.text for line in lines] == list(LINES)
    assert all(line.engine == "tesseract" and line.confidence > 0.8 for line in lines)
    tops = [line.box[1] for line in lines]
    assert tops == sorted(tops)
    for line in lines:
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 < x1 <= image.shape[1] and 0 <= y0 < y1 <= image.shape[0]


def test_reads_a_colour_image_too(tesseract: TesseractEngine) -> None:
    bgr = cv2.cvtColor(grey_page(LINES[:1]), cv2.COLOR_GRAY2BGR)
    assert [line.text for line in tesseract.read(np.asarray(bgr, np.uint8))] == [LINES[0]]


def test_a_blank_page_starts_no_process(tesseract: TesseractEngine) -> None:
    assert tesseract.read(np.full((400, 300), 250, np.uint8)) == []


def test_the_time_limit_kills_the_process(tesseract: TesseractEngine) -> None:
    image = dense_page()
    before = child_processes()
    started = time.monotonic()

    with pytest.raises(DocumentTooLarge, match=r"took over 0\.3 s .*DOCFLEET_OCR_PAGE_SECONDS"):
        tesseract.read(image, time_limit=0.3)

    assert time.monotonic() - started < 2.0  # a whole read of this page takes several seconds
    assert child_processes() <= before


def test_the_stop_event_ends_a_read_in_flight(tesseract: TesseractEngine) -> None:
    image = dense_page()
    stop = threading.Event()
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            tesseract.read(image, stop=stop)
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read)
    before = child_processes()
    reader.start()
    time.sleep(0.4)
    assert child_processes() - before, "tesseract should be running"
    stop.set()
    stopped = time.monotonic()
    reader.join(5)

    assert not reader.is_alive() and time.monotonic() - stopped < 1.0
    assert len(outcome) == 1 and isinstance(outcome[0], ReadStopped)
    assert child_processes() <= before


def test_reads_in_parallel_threads_agree(tesseract: TesseractEngine) -> None:
    image = grey_page(LINES)
    results: list[list[str]] = [[], []]

    def read(slot: int) -> None:
        results[slot] = [line.text for line in tesseract.read(image)]

    threads = [threading.Thread(target=read, args=(slot,)) for slot in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [list(LINES), list(LINES)]


def test_the_version_is_known_at_construction(tesseract: TesseractEngine) -> None:
    assert tesseract.version.split(".")[0].isdigit()
    assert Path(tesseract.cmd).is_absolute() and (tesseract.lang, tesseract.psm) == ("eng", 3)


def test_a_missing_program_is_engine_unavailable_naming_the_install(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="apt-get install tesseract-ocr tesseract-ocr-eng"):
        TesseractEngine(cmd=str(tmp_path / "no-such-tesseract"))


def test_a_missing_language_is_engine_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match="no language data for zzz"):
        TesseractEngine(lang="eng+zzz")


def test_a_program_that_is_not_tesseract_is_engine_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match="not a tesseract program"):
        TesseractEngine(cmd="true")


@pytest.mark.parametrize("psm", [0, 2, 14])
def test_page_modes_that_read_no_text_are_refused(psm: int) -> None:
    with pytest.raises(ValueError, match="reads no text"):
        TesseractEngine(psm=psm)


def test_tsv_words_are_grouped_into_lines() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
        "\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t500\t300\t-1\t\n"
        "4\t1\t1\t1\t1\t0\t10\t20\t200\t30\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t80\t30\t90\tTotal\n"
        "5\t1\t1\t1\t1\t2\t100\t22\t110\t28\t70\t12.50\n"
        "5\t1\t1\t1\t1\t3\t220\t22\t5\t28\t95\t \n"
        "5\t1\t2\t1\t1\t1\t10\t80\t60\t30\t-1\tghost\n"
        "5\t1\t2\t1\t1\t2\t80\t82\t60\t26\t60\tnext\n"
    )
    first, second = lines_of_tsv(tsv)
    assert (first.text, first.confidence, first.box) == ("Total 12.50", 0.8, (10, 20, 210, 50))
    assert (second.text, second.box, second.engine) == ("next", (80, 82, 140, 108), "tesseract")
