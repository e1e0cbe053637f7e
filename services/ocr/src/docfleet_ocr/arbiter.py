"""Line-by-line choice between two readings of one page: PP-OCR's lines and Tesseract's lines.

Lines of the two engines that cover the same ink form a group (a connected component of
overlapping boxes); each group is taken whole from one engine, so no text is read twice and
every line keeps the name of the engine that read it. Text only one engine found is kept
(Tesseract's only when it is sure of it: alone it also "reads" smudges and figures).

The thresholds were measured on the dev set (`../shared/data/quality-dev`: 25 SROIE receipt
photos, 20 UW-III printed lines, the 12 pages of a two-column IEEE preprint rendered at
200 dpi): each engine's lines were cached once, then each rule's output was scored by
case-folded CER against both engines alone (figures in `combined.py`). Tesseract's line
confidences are the means of its word confidences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import pairwise

import numpy as np

from docfleet_ocr.engine import Image, OcrLine
from docfleet_ocr.layout import page_text

CLEAN_PAGE = 0.9
"""A page whose Tesseract lines average at least this confidence (weighted by length) is clean
print: Tesseract's reading is the default there. Measured: receipt photos 0.19-0.898 (none
clean), UW-III lines 0.88-0.97 (19 of 20 clean), the preprint's pages 0.86-0.95 (10 of 12
clean; the other two are read like photos, at the cost of a full PP-OCR pass)."""
SURE_LINE = 0.8
"""On a clean page, Tesseract lines at least this sure are kept; less sure ones give way to
PP-OCR's reading of the same place (formulas, odd fonts). Tesseract lines nobody else read
are kept only from this confidence on, on any page."""
AGREE = 0.5
"""On other pages PP-OCR's reading is kept (where the two differ it was the better one at every
Tesseract confidence, on receipts and on the preprint alike), except where both engines read
the same characters (case and spaces aside) and Tesseract is at least this sure of each of its
lines: Tesseract keeps the English word spaces PP-OCR drops."""
LINK_SHARE = 0.5
"""Two lines of different engines read the same text when their boxes share this much of the
smaller box's area."""
CUT_AGREEMENT = 0.6
"""A PP-OCR line is cut where Tesseract saw a gap only when their texts match at least this well
(difflib's ratio), so that the cut falls between the right characters."""
INK_RANGE = 32
"""A box whose darkest and lightest pixels differ by less holds no ink to tighten it to."""

Box = tuple[float, float, float, float]


def mean_confidence(lines: Sequence[OcrLine]) -> float:
    """Confidence of `lines` as a whole: their confidences weighted by text length (0 if none)."""
    chars = sum(len(line.text) for line in lines)
    if chars == 0:
        return 0.0
    return sum(line.confidence * len(line.text) for line in lines) / chars


def arbitrate(
    ppocr: Sequence[OcrLine], tesseract: Sequence[OcrLine], image: Image, *, clean: bool
) -> list[OcrLine]:
    """The lines of the page, each group of overlapping lines from the engine that read it best.

    `clean` says Tesseract's reading is the default (see `CLEAN_PAGE`). PP-OCR boxes are shrunk
    to the ink they hold: its detector pads them, and padded boxes bridge column gutters.
    """
    chosen: list[OcrLine] = []
    for pp_lines, tess_lines in _groups(split_bridges(ppocr, tesseract), tesseract):
        if not pp_lines:
            if mean_confidence(tess_lines) >= SURE_LINE:
                chosen += tess_lines
        elif tess_lines and _prefer_tesseract(pp_lines, tess_lines, clean):
            chosen += tess_lines
        else:
            chosen += [_tightened(line, image) for line in pp_lines]
    return chosen


def split_bridges(ppocr: Sequence[OcrLine], tesseract: Sequence[OcrLine]) -> list[OcrLine]:
    """PP-OCR's lines, each one that runs over a gap between Tesseract lines of one row cut
    into one piece per Tesseract line.

    PP-OCR's detector joins text across narrow gaps: the two halves of a row across a column
    gutter became one line, which reading order then cannot put in its columns. Tesseract's
    layout analysis keeps them apart; its split is kept, with PP-OCR's characters.
    """
    cut: list[OcrLine] = []
    for line in ppocr:
        parts = _side_by_side(line, tesseract)
        cut += _cut(line, parts) if len(parts) > 1 else [line]
    return cut


def _side_by_side(line: OcrLine, tesseract: Sequence[OcrLine]) -> list[OcrLine]:
    """Tesseract's lines inside `line` on its row, left to right; [] where any two overlap."""
    top, bottom = line.box[1], line.box[3]
    row = sorted(
        (
            other
            for other in tesseract
            if top <= (other.box[1] + other.box[3]) / 2 <= bottom
            and _overlap(other.box, line.box) >= LINK_SHARE * _area(other.box)
        ),
        key=lambda other: other.box[0],
    )
    if any(right.box[0] < left.box[2] for left, right in pairwise(row)):
        return []
    return row


def _cut(line: OcrLine, parts: Sequence[OcrLine]) -> list[OcrLine]:
    """`line`'s text cut where the texts of `parts` meet, each piece in its part's columns."""
    joined = " ".join(part.text for part in parts)
    matcher = SequenceMatcher(None, line.text.casefold(), joined.casefold(), autojunk=False)
    if matcher.ratio() < CUT_AGREEMENT:
        return [line]
    opcodes = matcher.get_opcodes()
    starts, position = [], 0
    for part in parts[:-1]:
        position += len(part.text) + 1
        starts.append(_position_in_a(opcodes, position))
    ends = [*starts, len(line.text)]
    pieces = [line.text[start:end].strip() for start, end in zip([0, *starts], ends, strict=True)]
    if not all(pieces):
        return [line]
    return [
        OcrLine(
            text, line.confidence, (part.box[0], line.box[1], part.box[2], line.box[3]), line.engine
        )
        for text, part in zip(pieces, parts, strict=True)
    ]


def _position_in_a(opcodes: Sequence[tuple[str, int, int, int, int]], b_index: int) -> int:
    """Where index `b_index` of the second text falls in the first one."""
    for tag, a_start, a_end, b_start, b_end in opcodes:
        if b_start <= b_index < b_end:
            offset = b_index - b_start
            return a_start + offset if tag == "equal" else min(a_end, a_start + offset)
    return opcodes[-1][2] if opcodes else 0


def _prefer_tesseract(
    pp_lines: Sequence[OcrLine], tess_lines: Sequence[OcrLine], clean: bool
) -> bool:
    if clean:
        return mean_confidence(tess_lines) >= SURE_LINE
    same = _letters(page_text(pp_lines)) == _letters(page_text(tess_lines))
    return same and min(line.confidence for line in tess_lines) >= AGREE


def _letters(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _groups(
    ppocr: Sequence[OcrLine], tesseract: Sequence[OcrLine]
) -> list[tuple[list[OcrLine], list[OcrLine]]]:
    """Connected components of the overlap graph between the two engines' lines."""
    count = len(ppocr)
    parent = list(range(count + len(tesseract)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    if count and tesseract:
        boxes = np.array([line.box for line in ppocr], dtype=np.float64).reshape(-1, 4)
        areas = np.maximum(1.0, (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))
        for t_index, t_line in enumerate(tesseract):
            x0, y0, x1, y1 = t_line.box
            widths = np.minimum(boxes[:, 2], x1) - np.maximum(boxes[:, 0], x0)
            heights = np.minimum(boxes[:, 3], y1) - np.maximum(boxes[:, 1], y0)
            shared = np.clip(widths, 0, None) * np.clip(heights, 0, None)  # areas in common
            smaller = np.minimum(areas, _area(t_line.box))
            for p_index in np.flatnonzero((shared > 0) & (shared >= LINK_SHARE * smaller)):
                parent[root(count + t_index)] = root(int(p_index))
    groups: dict[int, tuple[list[OcrLine], list[OcrLine]]] = {}
    for node in range(len(parent)):
        pp_lines, tess_lines = groups.setdefault(root(node), ([], []))
        if node < count:
            pp_lines.append(ppocr[node])
        else:
            tess_lines.append(tesseract[node - count])
    return list(groups.values())


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, width) * max(0.0, height)


def _area(box: Box) -> float:
    return max(1.0, (box[2] - box[0]) * (box[3] - box[1]))


def _tightened(line: OcrLine, image: Image) -> OcrLine:
    """`line` with its box shrunk to the dark pixels inside it."""
    grey = image if image.ndim == 2 else image.mean(axis=2)
    height, width = grey.shape[:2]
    x0, y0 = max(0, int(line.box[0])), max(0, int(line.box[1]))
    x1, y1 = min(width, int(np.ceil(line.box[2]))), min(height, int(np.ceil(line.box[3])))
    crop = grey[y0:y1, x0:x1]
    if crop.size == 0:
        return line
    low, high = float(crop.min()), float(crop.max())
    if high - low < INK_RANGE:
        return line
    ink = crop < (low + high) / 2
    columns = np.flatnonzero(ink.any(axis=0))
    rows = np.flatnonzero(ink.any(axis=1))
    box = (
        float(x0 + columns[0]),
        float(y0 + rows[0]),
        float(x0 + columns[-1] + 1),
        float(y0 + rows[-1] + 1),
    )
    return OcrLine(line.text, line.confidence, box, line.engine)
