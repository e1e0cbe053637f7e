"""The default OCR engine: Tesseract and PP-OCR together, each line from the one that reads it best.

Neither engine wins everywhere: PP-OCR reads receipt photos far better, Tesseract clean print.
Measured on the dev set in one run (case-folded CER, whitespace collapsed; receipts against
their transcripts put in reading order; seconds per page on 2 cores shared with other work):

| set | PP-OCR alone | Tesseract alone | this engine |
| --- | --- | --- | --- |
| 25 SROIE receipt photos | 4.84% (3.9 s) | 27.0% (1.2 s) | 4.62% (4.7 s) |
| 20 UW-III printed lines | 1.87% (1.9 s) | 0.66% (0.2 s) | 0.66% (0.3 s) |
| 12 two-column preprint pages, 200 dpi | 62.8% (17 s) | 4.93% (5.7 s) | 4.32% (10 s) |

(PP-OCR alone loses on the preprint mostly by order: its padded boxes hide the column gutter.)

Tesseract reads first (it is the cheaper engine on dense print). On a clean page (`arbiter.
CLEAN_PAGE`) PP-OCR then reads only where Tesseract is unsure or left visible ink unread,
those places pasted together on small sheets; on any other page (photos, receipts) PP-OCR
reads the whole page. `arbiter.arbitrate` then takes each group of overlapping lines from one
engine, so every line names the engine that read it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from statistics import median

import cv2
import numpy as np

from docfleet_ocr.arbiter import CLEAN_PAGE, SURE_LINE, arbitrate, mean_confidence
from docfleet_ocr.engine import Image, OcrLine, RapidOcrEngine
from docfleet_ocr.errors import DocumentTooLarge
from docfleet_ocr.tesseract import TesseractEngine

FULL_READ_SHARE = 0.4
"""When the sheets holding the places left for PP-OCR on a clean page would be larger than
this share of the page, PP-OCR reads the whole page instead."""
MIN_INK_SHARE = 0.15
"""Ink no Tesseract line covers counts as missed text from this many dark pixels, as a share of
the area of a square one text line high (specks and dust stay below)."""
PAD = 0.3
"""Margin around each place PP-OCR re-reads, in text line heights."""

SHEET_SIDE = 736
"""Least side of the sheets the re-read regions are pasted on: PP-OCR's detector enlarges any
image whose short side is shorter, to 736 pixels."""
SHEET_HEIGHT = 2000
"""Most rows of one sheet, under RapidOCR's `max_side_len` so a sheet is never shrunk."""
PAD_GAP = 16
"""Blank pixels between regions on a sheet (twice that between two regions)."""

Box = tuple[int, int, int, int]


class CombinedEngine:
    """Tesseract and PP-OCR on the same page, line by line the better reading (see module doc).

    Both engines are built once and shared: this class holds no state of its own per read, so
    it is as thread-safe as they are.
    """

    name = "auto"

    def __init__(self, *, ppocr: RapidOcrEngine, tesseract: TesseractEngine) -> None:
        self.ppocr = ppocr
        self.tesseract = tesseract

    def read(
        self,
        image: Image,
        time_limit: float | None = None,
        stop: threading.Event | None = None,
    ) -> list[OcrLine]:
        started = time.monotonic()

        def left() -> float | None:
            if time_limit is None:
                return None
            remaining = time_limit - (time.monotonic() - started)
            if remaining <= 0:
                raise DocumentTooLarge(
                    f"OCR of one page took over {time_limit:g} s (DOCFLEET_OCR_PAGE_SECONDS)"
                )
            return remaining

        tess_lines = self.tesseract.read(image, left(), stop)
        clean = mean_confidence(tess_lines) >= CLEAN_PAGE
        sheets = _sheets(image, _unsure_regions(image, tess_lines)) if clean else None
        if sheets is None or sum(sheet.size for sheet, _ in sheets) > FULL_READ_SHARE * image.size:
            pp_lines = self.ppocr.read(image, left(), stop)
        else:
            pp_lines = []
            for sheet, placed in sheets:
                pp_lines += _put_back(self.ppocr.read(sheet, left(), stop), placed)
        return arbitrate(pp_lines, tess_lines, image, clean=clean)


def _unsure_regions(image: Image, tess_lines: Sequence[OcrLine]) -> list[Box]:
    """Where PP-OCR should look on a clean page: Tesseract's unsure lines and ink no line covers."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    height, width = grey.shape[:2]
    line_height = median(line.box[3] - line.box[1] for line in tess_lines)
    pad_y = max(2, round(PAD * line_height))
    pad_x = max(2, round(2 * PAD * line_height))
    _, otsu = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ink = np.asarray(otsu, np.uint8)
    places: list[Box] = []
    for line in tess_lines:
        x0, y0, x1, y1 = (round(value) for value in line.box)
        if line.confidence >= SURE_LINE:
            ink[max(0, y0 - pad_y) : y1 + pad_y, max(0, x0 - pad_x) : x1 + pad_x] = 0
        else:
            places.append((x0, y0, x1, y1))
    places += _ink_blobs(ink, line_height)
    return _merged(
        [
            (
                max(0, x0 - pad_x),
                max(0, y0 - pad_y),
                min(width, x1 + pad_x),
                min(height, y1 + pad_y),
            )
            for x0, y0, x1, y1 in places
        ]
    )


def _ink_blobs(ink: Image, line_height: float) -> list[Box]:
    """Boxes of the clumps of ink left in `ink` (letters joined into words by a dilation)."""
    size = max(3, round(line_height / 2))
    joined = cv2.dilate(ink, np.ones((max(1, size // 2), size), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    if count <= 1:
        return []
    dark = np.bincount(labels[ink > 0], minlength=count)
    least = MIN_INK_SHARE * line_height * line_height
    return [
        (int(x), int(y), int(x + w), int(y + h))
        for label, (x, y, w, h, _) in enumerate(stats)
        if label > 0 and dark[label] >= least
    ]


def _merged(boxes: list[Box]) -> list[Box]:
    """`boxes` with overlapping ones replaced by their union, until none overlap."""
    merged = sorted(boxes)
    changed = True
    while changed:
        changed = False
        out: list[Box] = []
        for box in merged:
            for index, other in enumerate(out):
                if (
                    box[0] < other[2]
                    and other[0] < box[2]
                    and box[1] < other[3]
                    and other[1] < box[3]
                ):
                    out[index] = (
                        min(box[0], other[0]),
                        min(box[1], other[1]),
                        max(box[2], other[2]),
                        max(box[3], other[3]),
                    )
                    changed = True
                    break
            else:
                out.append(box)
        merged = out
    return merged


def _sheets(image: Image, regions: Sequence[Box]) -> list[tuple[Image, list[tuple[Box, int]]]]:
    """The regions' pixels stacked on blank sheets of at least `SHEET_SIDE` a side.

    One detection pass per sheet instead of one per region; and PP-OCR's detector enlarges any
    image whose short side is under 736 pixels, which made small crops slow and split their
    lines. Each placed region is given with the sheet row it starts at.
    """
    background = int(np.median(image))
    gap = 2 * PAD_GAP
    sheets: list[tuple[Image, list[tuple[Box, int]]]] = []
    batch: list[tuple[Box, int]] = []
    top = gap
    for region in sorted(regions, key=lambda box: (box[1], box[0])):
        height = region[3] - region[1]
        if batch and top + height + gap > SHEET_HEIGHT:
            sheets.append((_sheet(image, batch, top, background), batch))
            batch, top = [], gap
        batch.append((region, top))
        top += height + gap
    if batch:
        sheets.append((_sheet(image, batch, top, background), batch))
    return sheets


def _sheet(image: Image, placed: Sequence[tuple[Box, int]], height: int, background: int) -> Image:
    width = max(SHEET_SIDE, max(box[2] - box[0] for box, _ in placed) + 2 * PAD_GAP)
    sheet = np.full((max(SHEET_SIDE, height), width, *image.shape[2:]), background, np.uint8)
    for (x0, y0, x1, y1), top in placed:
        sheet[top : top + y1 - y0, PAD_GAP : PAD_GAP + x1 - x0] = image[y0:y1, x0:x1]
    return sheet


def _put_back(lines: Sequence[OcrLine], placed: Sequence[tuple[Box, int]]) -> list[OcrLine]:
    """Lines read on a sheet, moved to the page region their centre fell in (others dropped)."""
    back = []
    for line in lines:
        x0, y0, x1, y1 = line.box
        middle = (y0 + y1) / 2
        for (left, top_on_page, _, bottom_on_page), top in placed:
            if top <= middle < top + bottom_on_page - top_on_page:
                dx, dy = left - PAD_GAP, top_on_page - top
                box = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
                back.append(OcrLine(line.text, line.confidence, box, line.engine))
                break
    return back
