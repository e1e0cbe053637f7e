from __future__ import annotations

from collections import Counter

import cv2
import numpy as np
import pymupdf
import pytest

from docfleet_ocr.engine import Image, RapidOcrEngine
from docfleet_ocr.orientation import (
    UPRIGHT,
    OrientationDetector,
    PageOrientation,
    upright,
)
from docfleet_ocr.pipeline import ReadOptions, open_document

LETTER = (
    "Dear Ms Taylor, thank you for",
    "your order of twelve boxes. They",
    "left our warehouse in Leeds on",
    "Monday and should reach you by",
    "Friday. Please call us if any",
    "item is missing or broken.",
)


@pytest.fixture(scope="module")
def detector() -> OrientationDetector:
    return OrientationDetector(threads=2)


@pytest.fixture(scope="module")
def letter() -> Image:
    """A small page of printed text, rendered in grey at 150 dpi."""
    doc = pymupdf.open()
    page = doc.new_page(width=290, height=250)
    for index, line in enumerate(LETTER):
        page.insert_text((20, 40 + index * 36), line, fontsize=14, fontname="helv")
    pixmap = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.width)


def turned(image: Image, rotation: int, skew: float = 0.0) -> Image:
    """`image` skewed `skew` degrees counter-clockwise, then turned by `rotation` degrees
    counter-clockwise: the page `PageOrientation(rotation, skew)` turns back."""
    if skew:
        image = np.asarray(
            cv2.copyMakeBorder(image, 60, 60, 60, 60, cv2.BORDER_CONSTANT, value=255),
            dtype=np.uint8,
        )
        height, width = image.shape
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
        image = np.asarray(
            cv2.warpAffine(image, matrix, (width, height), borderValue=255), dtype=np.uint8
        )
    return np.ascontiguousarray(np.rot90(image, rotation // 90))


def word_recall(found: str, truth: str) -> float:
    found_words = Counter(found.upper().split())
    truth_words = Counter(truth.upper().split())
    return sum((found_words & truth_words).values()) / sum(truth_words.values())


def png(image: Image) -> bytes:
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    return encoded.tobytes()


@pytest.mark.parametrize(("rotation", "skew"), [(0, 7.0), (90, -7.0), (180, 7.0), (270, -7.0)])
def test_detector_finds_rotation_and_skew(
    detector: OrientationDetector, letter: Image, rotation: int, skew: float
) -> None:
    found = detector.detect(turned(letter, rotation, skew))
    assert found.rotation == rotation
    assert found.skew == pytest.approx(skew, abs=1.0)
    assert found.confidence > 0.3


@pytest.mark.parametrize(("rotation", "skew"), [(90, 0.0), (180, 0.0), (270, 7.0)])
def test_turned_page_is_read_upright(
    engine: RapidOcrEngine,
    detector: OrientationDetector,
    letter: Image,
    rotation: int,
    skew: float,
) -> None:
    data = png(turned(letter, rotation, skew))
    with open_document(data, "png", engine, ReadOptions(), orientation=detector) as source:
        page = source.read_page(1)
    assert (page.rotation, page.skew == pytest.approx(skew, abs=1.0)) == (rotation, True)
    assert page.dpi is None
    assert word_recall(page.text, "\n".join(LETTER)) >= 0.9
    assert page.text.startswith("Dear Ms Taylor")  # lines in reading order, not reversed


def test_pages_without_text_stay_as_they_are(
    engine: RapidOcrEngine, detector: OrientationDetector
) -> None:
    blank = np.full((800, 600), 255, dtype=np.uint8)
    speckled = blank.copy()
    speckled[np.random.default_rng(7).random(blank.shape) > 0.999] = 0
    assert detector.detect(blank) == UPRIGHT
    assert detector.detect(speckled) == UPRIGHT
    with open_document(png(blank), "png", engine, ReadOptions(), orientation=detector) as source:
        page = source.read_page(1)
    assert (page.rotation, page.skew, page.text) == (0, 0.0, "")


def test_orientation_detection_can_be_turned_off(engine: RapidOcrEngine, letter: Image) -> None:
    options = ReadOptions(detect_orientation=False)
    with open_document(png(turned(letter, 180)), "png", engine, options) as source:
        page = source.read_page(1)
    assert (page.rotation, page.skew) == (0, 0.0)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_upright_undoes_a_quarter_turn_exactly(letter: Image, rotation: int) -> None:
    assert np.array_equal(upright(turned(letter, rotation), PageOrientation(rotation)), letter)


def ink_box(image: Image) -> tuple[int, int]:
    """Height and width of the box around the dark pixels."""
    rows, columns = (
        np.flatnonzero((image < 128).any(axis=1)),
        np.flatnonzero((image < 128).any(axis=0)),
    )
    return int(rows[-1] - rows[0]), int(columns[-1] - columns[0])


def test_upright_straightens_a_skew_and_keeps_all_the_ink(letter: Image) -> None:
    skewed = turned(letter, 0, 7.0)
    straight = upright(skewed, PageOrientation(0, 7.0))
    (height, width), (skewed_height, _) = ink_box(letter), ink_box(skewed)
    assert skewed_height > 1.05 * height
    assert ink_box(straight) == pytest.approx((height, width), abs=4)
    # Cut to the ink (engines shrink large pages), but nothing of it lost.
    assert straight.shape[0] < skewed.shape[0] and straight.shape[1] < skewed.shape[1]
    assert straight[0].min() == 255 and straight[:, -1].min() == 255
