"""Reading order for OCR'd lines: rows by vertical overlap, left to right, columns kept apart."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from docfleet_ocr.engine import OcrLine

ROW_OVERLAP = 0.5
"""Two boxes share a row when they overlap vertically by this share of the lower one's height."""
COLUMN_MIN_WIDTH = 0.25
"""Each side of a gutter must hold lines this wide (share of the text's width) to be a column."""
COLUMN_MIN_LINES = 3
GUTTER_MIN = 0.015
"""The narrowest gutter between columns, as a share of the text's width."""


def reading_order(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Rows of boxes top to bottom; in a two-column region, the left column's rows come first."""
    if not lines:
        return []
    split = _gutter(lines)
    if split is None:
        return _rows(lines)
    left_edge, right_edge = split
    ordered: list[list[OcrLine]] = []
    left: list[OcrLine] = []
    right: list[OcrLine] = []
    # Lines spanning the gutter (titles, footers) close the column region above them.
    for line in sorted(lines, key=lambda item: item.box[1]):
        if line.box[2] <= left_edge:
            left.append(line)
        elif line.box[0] >= right_edge:
            right.append(line)
        else:
            ordered += _rows(left) + _rows(right)
            left, right = [], []
            ordered.append([line])
    return ordered + _rows(left) + _rows(right)


def page_text(lines: Sequence[OcrLine]) -> str:
    """The page's text: one output line per row, boxes of a row joined by a space."""
    return "\n".join(" ".join(box.text for box in row) for row in reading_order(lines))


def _rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    rows: list[list[OcrLine]] = []
    bands: list[tuple[float, float]] = []
    for line in sorted(lines, key=lambda item: (item.box[1] + item.box[3]) / 2):
        top, bottom = line.box[1], line.box[3]
        if bands:
            band_top, band_bottom = bands[-1]
            overlap = min(bottom, band_bottom) - max(top, band_top)
            lower = min(bottom - top, band_bottom - band_top)
            if lower > 0 and overlap >= ROW_OVERLAP * lower:
                rows[-1].append(line)
                bands[-1] = (min(top, band_top), max(bottom, band_bottom))
                continue
        rows.append([line])
        bands.append((top, bottom))
    return [sorted(row, key=lambda item: item.box[0]) for row in rows]


def _gutter(lines: Sequence[OcrLine]) -> tuple[float, float] | None:
    """The widest vertical strip in the middle of the text that no narrow line crosses."""
    x0 = min(line.box[0] for line in lines)
    x1 = max(line.box[2] for line in lines)
    width = x1 - x0
    if width <= 0:
        return None
    narrow = [line for line in lines if line.box[2] - line.box[0] < 0.6 * width]
    low, high = x0 + 0.3 * width, x0 + 0.7 * width
    spans = sorted(
        (min(max(line.box[0], low), high), max(min(line.box[2], high), low)) for line in narrow
    )
    best: tuple[float, float] | None = None
    cursor = low
    for start, end in [*spans, (high, high)]:
        if start > cursor and (best is None or start - cursor > best[1] - best[0]):
            best = (cursor, start)
        cursor = max(cursor, end)
    if best is None or best[1] - best[0] < GUTTER_MIN * width:
        return None
    left = [line for line in narrow if line.box[2] <= best[0]]
    right = [line for line in narrow if line.box[0] >= best[1]]
    if min(len(left), len(right)) < COLUMN_MIN_LINES:
        return None
    for side in (left, right):
        if median(line.box[2] - line.box[0] for line in side) < COLUMN_MIN_WIDTH * width:
            return None
    return best
