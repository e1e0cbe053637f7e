from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from docfleet_ocr import spacing
from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.pipeline import ReadOptions, open_document
from docfleet_ocr.spacing import decode_line, ink_gaps

from .conftest import GLUED_STYLE, INVOICE_LINES, pdf_bytes, png_of, scanned_page

EXPECTED_WORDS = ["INVOICE", "No.", "2024-0001", "Bill", "to:", "Acme", "Corporation"]


def assert_words_kept(text: str) -> None:
    words = text.split()
    for expected in EXPECTED_WORDS:
        assert expected in words, f"{expected!r} not a separate word in {text!r}"
    assert "$1,234.56" in words or "$1,234.56" in text.replace(" ", "")
    assert "Total" in words and "due:" in words


def test_image_only_pdf_keeps_english_word_spaces(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    scanned_page(doc, INVOICE_LINES, **GLUED_STYLE)
    with open_document(pdf_bytes(doc), "pdf", engine, ReadOptions()) as source:
        page = source.read_page(1)
    assert page.method == "ocr"
    assert_words_kept(page.text)


def test_png_keeps_english_word_spaces(engine: RapidOcrEngine) -> None:
    png = png_of(INVOICE_LINES, dpi=200, **GLUED_STYLE)
    with open_document(png, "png", engine, ReadOptions()) as source:
        page = source.read_page(1)
    assert_words_kept(page.text)
    assert page.text.splitlines()[0] == "INVOICE No. 2024-0001"


def test_the_same_png_comes_back_glued_without_the_spacing_fix(
    engine: RapidOcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spacing, "SPACE_PROB", 2.0)
    monkeypatch.setattr(spacing, "GAP_MIN", 100.0)
    png = png_of(INVOICE_LINES, dpi=200, **GLUED_STYLE)
    with open_document(png, "png", engine, ReadOptions()) as source:
        page = source.read_page(1)
    assert "INVOICENo." in page.text.replace(" 2024", "2024")


def test_ink_gaps_find_the_space_between_two_blocks() -> None:
    crop = np.full((40, 200), 255, dtype=np.uint8)
    crop[10:30, 10:60] = 0
    crop[10:30, 62:90] = 0  # a 2-pixel letter gap: not a word space
    crop[10:30, 120:180] = 0
    gaps = ink_gaps(crop)
    assert [(gap.start, gap.end) for gap in gaps] == [(90, 120)]


def test_decode_inserts_space_at_wide_gap_and_at_likely_space_column() -> None:
    alphabet = ["blank", "a", "b", "c", " "]
    # Columns: a, blank, b, blank(space 0.3), c. A wide gap lies between a and b.
    probs = np.zeros((5, 5), dtype=np.float32)
    for column, index in enumerate([1, 0, 2, 0, 3]):
        probs[column, index] = 0.9
    probs[3, 4] = 0.3
    gaps = ink_gaps(_blocks_with_gap())
    text, confidence = decode_line(probs, alphabet, gaps, column_width=20.0)
    assert text == "a b c"
    assert abs(confidence - 0.9) < 1e-6


def _blocks_with_gap() -> np.ndarray:
    crop = np.full((40, 100), 255, dtype=np.uint8)
    crop[10:30, 2:18] = 0
    crop[10:30, 42:100] = 0  # 24 px of white between x=18 and x=42 (0.6 line heights)
    return crop
