"""Word spaces for CTC line recognition: the model's own space evidence plus ink gaps in the crop.

PP-OCR's Chinese+English recogniser rarely emits a space between English words. Two signals
recover them: the space class's probability at blank columns (emitted when it is merely
plausible, not only when it wins), and wide ink-free gaps in the line image between two
recognised characters. Measured on rendered invoice lines and SROIE receipts, this beats
either signal alone; see the service README for the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

SPACE_PROB = 0.2
"""A blank column whose space probability reaches this reads as a space."""
GAP_MIN = 0.35
"""An ink gap at least this many line heights wide may separate words..."""
GAP_EVIDENCE = 0.005
"""...if the model gave a space at least this probability between the two characters..."""
GAP_CERTAIN = 0.6
"""...or on its own when the gap is at least this many line heights wide."""


@dataclass(frozen=True)
class Gap:
    """An ink-free horizontal run in a line crop, in crop pixels."""

    start: int
    end: int
    height_ratio: float

    @property
    def centre(self) -> float:
        return (self.start + self.end) / 2


def ink_gaps(crop: npt.NDArray[np.uint8], min_ratio: float | None = None) -> list[Gap]:
    """Ink-free runs at least `min_ratio` (default `GAP_MIN`) line heights wide, inside the ink."""
    min_ratio = GAP_MIN if min_ratio is None else min_ratio
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    height = grey.shape[0]
    # Neighbouring lines' ascenders and descenders intrude at the crop's edges.
    top, bottom = int(height * 0.15), max(int(height * 0.85), int(height * 0.15) + 1)
    _, ink = cv2.threshold(grey[top:bottom], 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    columns = np.flatnonzero(ink.any(axis=0))
    if columns.size < 2:
        return []
    widths = np.diff(columns) - 1
    return [
        Gap(int(columns[i]) + 1, int(columns[i + 1]), float(widths[i]) / height)
        for i in np.flatnonzero(widths >= min_ratio * height)
    ]


def decode_line(
    probs: npt.NDArray[np.float32],
    alphabet: list[str],
    gaps: list[Gap],
    column_width: float,
) -> tuple[str, float]:
    """Greedy CTC decode of one line (`probs`: columns x classes, blank first, space last).

    `column_width` converts a column index to an x position in the crop, to place `gaps`.
    Returns the text and the mean probability of its characters other than spaces.
    """
    space = len(alphabet) - 1
    best = probs.argmax(axis=1)
    chars: list[str] = []
    confidences: list[float] = []
    previous = 0
    last_x: float | None = None
    last_column = 0
    for column, index in enumerate(best.tolist()):
        if index == 0 and probs[column, space] >= SPACE_PROB:
            index = space
        if index not in (0, previous):
            x = (column + 0.5) * column_width
            if index != space and last_x is not None:
                if _gap_between(gaps, last_x, x, probs[last_column : column + 1, space]):
                    chars.append(" ")
            chars.append(alphabet[index])
            if index != space:
                confidences.append(float(probs[column, index]))
                last_x, last_column = x, column
        previous = index
    text = " ".join("".join(chars).split())
    return text, float(np.mean(confidences)) if confidences else 0.0


def _gap_between(
    gaps: list[Gap], left: float, right: float, space_probs: npt.NDArray[np.float32]
) -> bool:
    for gap in gaps:
        if left < gap.centre < right:
            return gap.height_ratio >= GAP_CERTAIN or float(space_probs.max()) >= GAP_EVIDENCE
    return False
