"""Engines chosen by name: each builds, reads a rendered page and names itself on every line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from docfleet_ocr.device import load_engine
from docfleet_ocr.engine import Image, RapidOcrEngine
from docfleet_ocr.engines import build_engine
from docfleet_ocr.errors import EngineUnavailable
from docfleet_ocr.paddle import PaddleOcrEngine, lines_of_result
from docfleet_ocr.settings import OcrSettings
from docfleet_ocr.tesseract import TesseractEngine

LINES = ("Delivery note 7741", "Ship to: Northwind Traders")


def grey_page(lines: Sequence[str], dpi: int = 200) -> Image:
    """`lines` typeset by PyMuPDF, rendered to an 8-bit grey array."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=140)
    for index, line in enumerate(lines):
        page.insert_text((36, 50 + index * 34), line, fontsize=16, fontname="helv")
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).copy()


@pytest.fixture
def no_paddleocr(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import paddleocr` fail as it does where it is not installed.
    monkeypatch.setitem(sys.modules, "paddleocr", None)


@pytest.mark.parametrize("name", ["ppocr", "tesseract"])
def test_each_engine_reads_the_page_and_names_itself_on_every_line(name: str) -> None:
    engine = build_engine(OcrSettings(ocr_inference_threads=1), name)

    lines = sorted(engine.read(grey_page(LINES)), key=lambda line: line.box[1])

    assert engine.name == name
    assert [line.text for line in lines] == list(LINES)
    assert {line.engine for line in lines} == {name}


def test_the_name_defaults_to_the_settings_and_parts_are_reused(engine: RapidOcrEngine) -> None:
    tesseract = TesseractEngine()
    settings = OcrSettings(ocr_engine="tesseract")
    assert build_engine(settings, tesseract=tesseract) is tesseract
    assert build_engine(settings, "ppocr", ppocr=engine) is engine
    assert isinstance(build_engine(settings), TesseractEngine)


def test_tesseract_settings_reach_the_engine() -> None:
    settings = OcrSettings(ocr_tesseract_psm=6, ocr_tesseract_lang="eng")
    engine = build_engine(settings, "tesseract")
    assert isinstance(engine, TesseractEngine) and (engine.psm, engine.lang) == (6, "eng")


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown OCR engine 'abbyy'"):
        build_engine(OcrSettings(), "abbyy")


def test_a_missing_tesseract_is_engine_unavailable(tmp_path: Path) -> None:
    settings = OcrSettings(ocr_tesseract_cmd=str(tmp_path / "bin/tesseract"))
    for name in ("tesseract", "auto"):  # auto fails before it loads any model
        with pytest.raises(EngineUnavailable, match="apt-get install tesseract-ocr"):
            build_engine(settings, name)


@pytest.mark.usefixtures("no_paddleocr")
def test_paddleocr_without_its_package_is_engine_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match=r"pip install paddleocr paddlepaddle"):
        build_engine(OcrSettings(), "paddleocr")
    with pytest.raises(EngineUnavailable, match="model hub"):
        PaddleOcrEngine()


def test_paddleocr_results_become_lines_named_paddleocr() -> None:
    # The shape PaddleOCR 3.x documents for one page (its OCRResult is a dict): texts, scores
    # and (4, 2) int16 corner arrays in image pixels.
    result = {
        "rec_texts": ["Delivery note 7741", " ", "Ship to: Northwind Traders"],
        "rec_scores": np.array([0.98, 0.40, 0.95]),
        "rec_polys": [
            np.array([[70, 80], [520, 78], [521, 120], [71, 122]], np.int16),
            np.array([[0, 0], [5, 0], [5, 5], [0, 5]], np.int16),
            np.array([[70, 170], [760, 170], [760, 210], [70, 210]], np.int16),
        ],
    }
    first, second = lines_of_result(result)
    assert (first.text, first.confidence, first.box) == (
        "Delivery note 7741",
        0.98,
        (70, 78, 521, 122),
    )
    assert (second.text, second.engine) == ("Ship to: Northwind Traders", "paddleocr")


def test_load_engine_logs_the_engine_and_tesseract_version(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="docfleet_ocr")

    engine = load_engine(OcrSettings(ocr_engine="tesseract", ocr_pool_size=2))

    assert isinstance(engine, TesseractEngine)
    (ready,) = [m for m in caplog.messages if m.startswith("OCR engine ready")]
    assert f"engine=tesseract tesseract={engine.version} psm=3 lang=eng" in ready
    assert "pool_size=2" in ready and "device=" not in ready  # no PP-OCR models were loaded
