"""The default `auto` engine: Tesseract and PP-OCR together, on pages rendered here."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import cv2
import numpy as np
import pymupdf
import pytest

from docfleet_ocr.arbiter import arbitrate, split_bridges
from docfleet_ocr.combined import CombinedEngine
from docfleet_ocr.engine import Image, OcrLine, RapidOcrEngine
from docfleet_ocr.errors import DocumentTooLarge, ReadStopped
from docfleet_ocr.layout import page_text
from docfleet_ocr.tesseract import TesseractEngine

PROSE = (
    "The committee met on Tuesday to review the annual budget",
    "and agreed to publish its findings before the end of May.",
    "Members asked for a summary of travel costs and fees.",
)
RECEIPT = (
    "FRESH MART SDN BHD",
    "TAX INVOICE",
    "BREAD WHOLEMEAL 4.50",
    "MILK FULL CREAM 6.90",
    "TOTAL RM 11.40",
    "CASH RM 20.00",
    "THANK YOU",
)


def rendered(lines: Sequence[str], *, size: float = 12, dpi: int = 200, width: int = 420) -> Image:
    """`lines` typeset by PyMuPDF and rendered to an 8-bit grey array, as a clean scan."""
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=50 + len(lines) * size * 2)
    for index, line in enumerate(lines):
        page.insert_text((30, 36 + index * size * 2), line, fontsize=size, fontname="helv")
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).copy()


def photographed(image: Image, seed: int = 7) -> Image:
    """`image` as a phone photo of a till slip: blurred, low contrast, uneven light, noisy."""
    rng = np.random.default_rng(seed)
    height, width = image.shape
    small = cv2.resize(image, (width * 2 // 3, height * 2 // 3), interpolation=cv2.INTER_AREA)
    soft = cv2.GaussianBlur(small, (3, 3), 0.9).astype(np.float64)
    light = np.linspace(150, 205, soft.shape[1])[np.newaxis, :]
    faded = light - (255 - soft) / 255 * 95
    noisy = faded + rng.normal(0, 9, soft.shape)
    return np.asarray(np.clip(noisy, 0, 255), np.uint8)


def words(text: str) -> list[str]:
    return text.casefold().split()


def recall(found: str, expected: Sequence[str]) -> float:
    wanted = words(" ".join(expected))
    seen = words(found)
    hits = 0
    for word in wanted:
        if word in seen:
            seen.remove(word)
            hits += 1
    return hits / len(wanted)


def by_top(lines: Sequence[OcrLine]) -> list[OcrLine]:
    return sorted(lines, key=lambda line: line.box[1])


@pytest.fixture(scope="module")
def tesseract() -> TesseractEngine:
    return TesseractEngine()


class CountedPpocr(RapidOcrEngine):
    """The real PP-OCR engine, noting the size of every image it is given."""

    def __init__(self) -> None:
        super().__init__(threads=2)
        self.shapes: list[tuple[int, ...]] = []

    def read(
        self,
        image: Image,
        time_limit: float | None = None,
        stop: threading.Event | None = None,
    ) -> list[OcrLine]:
        self.shapes.append(image.shape)
        return super().read(image, time_limit, stop)


@pytest.fixture(scope="module")
def ppocr() -> CountedPpocr:
    return CountedPpocr()


@pytest.fixture
def auto(ppocr: CountedPpocr, tesseract: TesseractEngine) -> CombinedEngine:
    ppocr.shapes.clear()
    return CombinedEngine(ppocr=ppocr, tesseract=tesseract)


def test_clean_print_is_tesseract_word_for_word_and_ppocr_is_not_run(
    auto: CombinedEngine, ppocr: CountedPpocr
) -> None:
    lines = auto.read(rendered(PROSE))

    assert page_text(lines).splitlines() == list(PROSE)
    assert {line.engine for line in lines} == {"tesseract"}
    assert ppocr.shapes == []
    assert auto.name == "auto"


def test_on_a_clean_page_ppocr_reads_only_the_photo_tesseract_misses(
    auto: CombinedEngine, ppocr: CountedPpocr
) -> None:
    page = rendered((*PROSE, *[""] * 30), width=595)  # A4
    patch = photographed(rendered(("PAID RM 42.50", "REF 7731"), size=11, width=200), seed=3)
    height, width = patch.shape
    page[-height - 10 : -10, 60 : 60 + width] = patch

    lines = by_top(auto.read(page))

    assert [(line.text, line.engine) for line in lines[:3]] == [
        (text, "tesseract") for text in PROSE
    ]
    assert "".join(line.text for line in lines[3:]).replace(" ", "") == "PAIDRM42.50REF7731"
    assert {line.engine for line in lines[3:]} == {"ppocr"}
    assert all(line.box[1] >= page.shape[0] - height - 10 for line in lines[3:])
    (sheet,) = ppocr.shapes  # one small sheet, not the page
    assert sheet[0] * sheet[1] < page.size / 5


def test_a_photographed_receipt_reads_at_least_as_well_as_either_engine_alone(
    auto: CombinedEngine, ppocr: CountedPpocr, tesseract: TesseractEngine
) -> None:
    photo = photographed(rendered(RECEIPT, size=9, width=260))

    lines = auto.read(photo)
    alone = [recall(page_text(part.read(photo)), RECEIPT) for part in (ppocr, tesseract)]

    assert recall(page_text(lines), RECEIPT) >= max(alone) >= 0.7
    assert lines and {line.engine for line in lines} <= {"ppocr", "tesseract"}


def test_a_lone_line_tesseract_is_unsure_of_goes_to_ppocr() -> None:
    ink = np.full((100, 400), 255, np.uint8)
    sure = OcrLine("Total due", 0.95, (10, 10, 200, 40), "tesseract")
    unsure = OcrLine("T0ta1 dve", 0.55, (10, 50, 200, 80), "tesseract")
    reread = OcrLine("Total due", 0.97, (5, 45, 210, 88), "ppocr")

    chosen = arbitrate([reread], [sure, unsure], ink, clean=True)

    assert [(line.text, line.engine) for line in by_top(chosen)] == [
        ("Total due", "tesseract"),
        ("Total due", "ppocr"),
    ]


def test_on_a_photo_ppocr_wins_unless_both_read_the_same_letters() -> None:
    blank = np.full((200, 400), 255, np.uint8)
    ppocr = [
        OcrLine("TOTALRM11.40", 0.98, (10, 10, 300, 40), "ppocr"),
        OcrLine("CASH RM 20.00", 0.97, (10, 60, 300, 90), "ppocr"),
        OcrLine("THANK YOU", 0.99, (10, 110, 300, 140), "ppocr"),
    ]
    tesseract = [
        OcrLine("Total RM 11.40", 0.7, (12, 12, 290, 38), "tesseract"),  # same letters: spaces
        OcrLine("CASH RN 20.0O", 0.97, (12, 62, 290, 88), "tesseract"),  # differs, however sure
        OcrLine("THANK Y0U", 0.96, (12, 112, 290, 138), "tesseract"),
        OcrLine("~~ ;:", 0.3, (12, 160, 290, 190), "tesseract"),  # alone and unsure: noise
    ]

    chosen = arbitrate(ppocr, tesseract, blank, clean=False)

    assert [(line.text, line.engine) for line in by_top(chosen)] == [
        ("Total RM 11.40", "tesseract"),
        ("CASH RM 20.00", "ppocr"),
        ("THANK YOU", "ppocr"),
    ]


def test_a_ppocr_line_across_a_column_gutter_is_cut_where_tesseract_saw_the_gap() -> None:
    bridge = OcrLine(
        "that satisfies it, and local sensitivity LSf(D)", 0.99, (90, 10, 1500, 40), "ppocr"
    )
    left = OcrLine("that satisfies it, and", 0.95, (100, 12, 780, 38), "tesseract")
    right = OcrLine("local sensitivity LS;(D)", 0.6, (830, 12, 1490, 38), "tesseract")
    stacked = OcrLine("local sensitivity LS;(D)", 0.9, (100, 14, 1490, 36), "tesseract")

    pieces = split_bridges([bridge], [right, left])

    assert [(line.text, line.box, line.engine) for line in pieces] == [
        ("that satisfies it, and", (100, 10, 780, 40), "ppocr"),
        ("local sensitivity LSf(D)", (830, 10, 1490, 40), "ppocr"),
    ]
    assert split_bridges([bridge], [left, stacked]) == [bridge]  # not side by side: kept whole


def test_ppocr_boxes_shrink_to_their_ink() -> None:
    page = np.full((100, 400), 255, np.uint8)
    page[30:50, 100:300] = 0
    padded = OcrLine("word", 0.9, (80.0, 20.0, 330.0, 60.0), "ppocr")

    (line,) = arbitrate([padded], [], page, clean=False)

    assert line.box == (100.0, 30.0, 300.0, 50.0)


def test_a_blank_page_has_no_lines(auto: CombinedEngine) -> None:
    assert auto.read(np.full((300, 300), 250, np.uint8)) == []


def test_a_stopped_read_raises_read_stopped(auto: CombinedEngine) -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(ReadStopped):
        auto.read(rendered(PROSE), stop=stop)


def test_a_read_past_its_time_limit_is_too_large(auto: CombinedEngine) -> None:
    with pytest.raises(DocumentTooLarge):
        auto.read(photographed(rendered(RECEIPT)), time_limit=1e-6)
