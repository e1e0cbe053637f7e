"""Page orientation: turn a page image upright (0/90/180/270 degrees, plus moderate skew) before
any OCR engine reads it.

The text-line boxes of PP-OCR's detector, found on a downscaled copy of the page, give the axis
of the lines (horizontal or vertical) and their skew; the PP-OCR direction classifier, asked
about short pieces of the longest lines once they are turned horizontal, decides between the
two directions of that axis (0 or 180, 90 or 270) by a page-level vote. Both models ship in
`rapidocr_onnxruntime` and load once per process, whichever engine reads the page afterwards.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from docfleet_ocr.engine import BLANK_RANGE, CUDA_PROVIDER, Image

DETECT_SIDES = (1024, 1600)
"""Longest sides of the copies the line detector sees, the larger only when the smaller shows
too little text (the detector finds fewer lines of small text when they run vertically)."""
MIN_DETECT_SIDE = 640
"""Images smaller than this are enlarged to it for the detector; larger ones never are."""
SURE_EVIDENCE = 50.0
"""Text enough, in line heights, to decide from the first, smaller copy."""
LINE_ASPECT = 2.0
"""Boxes at least this many times longer than high count as text lines; shorter ones have no
reliable axis (a single letter, a square logo)."""
MIN_EVIDENCE = 10.0
"""Least text to turn a page for, counted in line heights along the lines (about characters)."""
MIN_SKEW = 0.5
"""Smaller skews are left alone: resampling would blur more than it straightens."""
VOTE_LINES = 40
"""The longest lines give the direction classifier its pieces."""
VOTE_PIECES = 80
PIECE_ASPECT = 3
"""Lines are cut into pieces this many heights long: the classifier squeezes its input into a
48x192 box, and a whole line squeezed that far is unreadable (it then votes at random)."""
INK_MARGIN = 16
"""Pixels of white kept around the ink of a straightened page (plus 1% of its longest side)."""
CLASS_SCORE = 0.9
"""Direction votes below this classifier score are not counted (RapidOCR's own threshold)."""


@dataclass(frozen=True)
class PageOrientation:
    """How to turn a page upright: `rotation` (0, 90, 180 or 270) then `skew` degrees, both
    clockwise (negative skew: counter-clockwise). `confidence` (0-1) is the share of the text
    lines along the chosen axis times the margin of the direction vote; 0 when there was too
    little text to tell (no turn) or the vote was a tie."""

    rotation: int = 0
    skew: float = 0.0
    confidence: float = 0.0

    @property
    def is_upright(self) -> bool:
        """Whether the page needs no turn at all."""
        return self.rotation == 0 and self.skew == 0.0


UPRIGHT = PageOrientation()


class OrientationDetector:
    """Detects a page's rotation and skew with PP-OCR's detector and direction classifier.

    Load once per process (under a second); `detect` is safe to call from several threads.
    """

    def __init__(self, *, threads: int = 1, use_cuda: bool = False, max_skew: float = 15.0) -> None:
        """`max_skew`: larger skews are not corrected (the rotation still is)."""
        import rapidocr_onnxruntime
        from rapidocr_onnxruntime.ch_ppocr_cls import TextClassifier
        from rapidocr_onnxruntime.ch_ppocr_det import TextDetector
        from rapidocr_onnxruntime.utils import read_yaml, update_model_path

        config = update_model_path(
            read_yaml(Path(rapidocr_onnxruntime.__file__).parent / "config.yaml")
        )
        for part in ("Det", "Cls"):
            config[part].update(
                intra_op_num_threads=threads, inter_op_num_threads=1, use_cuda=use_cuda
            )
        # Detect at the size `detect` gives, never stretched to a 736-pixel short side (the
        # default): narrow receipts would cost twice as much for nothing.
        config["Det"]["limit_type"] = "max"
        self._det: Any = TextDetector(config["Det"])
        self._cls: Any = TextClassifier(config["Cls"])
        self.max_skew = max_skew

    @property
    def device(self) -> str:
        """`cuda` when both model sessions run on the CUDA provider first, else `cpu`."""
        sessions = (self._det.infer.session, self._cls.infer.session)
        firsts = {session.get_providers()[0] for session in sessions}
        return "cuda" if firsts == {CUDA_PROVIDER} else "cpu"

    def detect(self, image: Image) -> PageOrientation:
        """The turn that makes `image` (grey or BGR) upright; `UPRIGHT` for a page with too
        little text to tell."""
        grey = _grey(image)
        if min(grey.shape) < 8 or int(grey.max()) - int(grey.min()) < BLANK_RANGE:
            return UPRIGHT
        for side in DETECT_SIDES:
            longest = max(grey.shape)
            scale = min(side / longest, max(1.0, MIN_DETECT_SIDE / longest))
            boxes = self._boxes(grey, scale)
            lines = [line for line in map(_line, boxes) if line is not None]
            if scale >= 1.0 or _evidence(lines) >= SURE_EVIDENCE:
                break
        axis = _axis(lines, self.max_skew)
        if axis is None:
            return UPRIGHT
        rotation, skew, agreement = axis
        if rotation or skew:
            # Lines of dense text merge into blocks when found turned or skewed, and blocks
            # fool the direction classifier: find the lines again on the page laid straight.
            boxes = self._straight_boxes(grey, scale, rotation + skew) or boxes
        flipped, margin = self._direction(grey, [box / scale for box in boxes], rotation, skew)
        if flipped:
            rotation = (rotation + 180) % 360
        return PageOrientation(rotation, skew, round(agreement * margin, 3))

    def upright(self, image: Image, orientation: PageOrientation) -> Image:
        """`image` turned as `orientation` says (see the module function `upright`)."""
        return upright(image, orientation)

    def _boxes(self, grey: Image, scale: float) -> list[npt.NDArray[Any]]:
        """Text boxes (4 corners each) the detector finds on `grey` shrunk by `scale`."""
        small = grey if scale == 1.0 else _resize(grey, scale)
        boxes, _ = self._det(_u8(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)))
        return [] if boxes is None else list(boxes)

    def _straight_boxes(self, grey: Image, scale: float, clockwise: float) -> list[Any]:
        """Text boxes found on `grey` shrunk by `scale` and turned `clockwise` degrees, mapped
        back onto the shrunk page."""
        small = grey if scale == 1.0 else _resize(grey, scale)
        matrix, size = _turn_matrix(small.shape, clockwise)
        straight = _u8(cv2.warpAffine(small, matrix, size, borderValue=255))
        back = cv2.invertAffineTransform(matrix)
        return [
            np.hstack([box, np.ones((len(box), 1))]) @ back.T for box in self._boxes(straight, 1.0)
        ]

    def _direction(
        self, grey: Image, boxes: list[npt.NDArray[Any]], rotation: int, skew: float
    ) -> tuple[bool, float]:
        """Whether the page, turned by `rotation` and `skew`, is upside down, and how clear the
        classifier's vote was (0-1)."""
        pieces = _pieces(grey, boxes, rotation, skew)
        if not pieces:
            return False, 0.0
        _, votes, _ = self._cls([_u8(cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR)) for piece in pieces])
        down = sum(1 for label, score in votes if label == "180" and score > CLASS_SCORE)
        up = sum(1 for label, score in votes if label == "0" and score > CLASS_SCORE)
        return down > up, abs(down - up) / len(pieces)


def upright(image: Image, orientation: PageOrientation) -> Image:
    """`image` turned clockwise by `orientation.rotation` (exact) and `orientation.skew`
    degrees (interpolated, new ground white), then cut to its ink when skewed."""
    turned = image
    if orientation.rotation % 360:
        turned = np.ascontiguousarray(np.rot90(image, -(orientation.rotation // 90)))
    if orientation.skew == 0.0:
        return turned
    matrix, size = _turn_matrix(turned.shape[:2], orientation.skew)
    white = (255, 255, 255) if turned.ndim == 3 else 255
    straight = _u8(
        cv2.warpAffine(
            turned, matrix, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
            borderValue=white,
        )
    )  # fmt: skip
    # The canvas grew to keep the corners; engines shrink large pages to a fixed side, so a
    # grown page would be read smaller (measured: fewer words found than on the skewed page).
    return _ink_only(straight)


def _ink_only(image: Image) -> Image:
    """`image` cut to the box of what is darker than its background, with a small margin."""
    grey = _grey(image)
    background = int(
        np.median(grey[:: max(1, grey.shape[0] // 64), :: max(1, grey.shape[1] // 64)])
    )
    ink = grey < background - BLANK_RANGE
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return image
    margin = INK_MARGIN + max(grey.shape) // 100
    top, bottom = max(0, int(rows[0]) - margin), int(rows[-1]) + margin + 1
    left, right = max(0, int(columns[0]) - margin), int(columns[-1]) + margin + 1
    return np.ascontiguousarray(image[top:bottom, left:right])


_shared: OrientationDetector | None = None
_shared_lock = threading.Lock()


def shared_detector() -> OrientationDetector:
    """The process-wide detector on CPU, built at first use (for callers that pass none)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = OrientationDetector()
        return _shared


@dataclass(frozen=True)
class _Line:
    angle: float
    """Direction of the line's long side, degrees in [0, 180), image axes (y down)."""
    length: float
    height: float


def _line(box: npt.NDArray[Any]) -> _Line | None:
    """The long axis of a detected box, if the box is long enough to have one."""
    corners = cv2.boxPoints(cv2.minAreaRect(np.asarray(box, dtype=np.float32)))
    first, second = corners[1] - corners[0], corners[2] - corners[1]
    long_side, short = (first, second) if np.hypot(*first) >= np.hypot(*second) else (second, first)
    length, height = float(np.hypot(*long_side)), float(np.hypot(*short))
    if height < 2.0 or length < LINE_ASPECT * height:
        return None
    angle = math.degrees(math.atan2(float(long_side[1]), float(long_side[0]))) % 180.0
    return _Line(angle, length, height)


def _axis(lines: list[_Line], max_skew: float) -> tuple[int, float, float] | None:
    """(rotation 0 or 270, skew, agreement) that lays the lines horizontal, with text that may
    still be upside down; None if the lines are too few to tell."""
    if _evidence(lines) < MIN_EVIDENCE:
        return None
    vertical = [line for line in lines if 45.0 <= line.angle < 135.0]
    across = [line for line in lines if not 45.0 <= line.angle < 135.0]
    weight = sum(line.length for line in lines)
    if sum(line.length for line in vertical) > weight / 2:
        # Lines running down the page: turning it 270 clockwise lays them left to right.
        chosen, rotation = vertical, 270
        residuals = [line.angle - 90.0 for line in vertical]
    else:
        chosen, rotation = across, 0
        residuals = [line.angle - 180.0 if line.angle >= 135.0 else line.angle for line in across]
    # A line drawn at +a degrees (y down) leans clockwise: turning it back is -a.
    skew = -_weighted_median(residuals, [line.length for line in chosen])
    if abs(skew) < MIN_SKEW or abs(skew) > max_skew:
        skew = 0.0
    return rotation, round(skew, 1), sum(line.length for line in chosen) / weight


def _evidence(lines: list[_Line]) -> float:
    """How much text the lines hold, in line heights (about characters)."""
    return sum(line.length / line.height for line in lines)


def _pieces(grey: Image, boxes: list[npt.NDArray[Any]], rotation: int, skew: float) -> list[Image]:
    """Pieces of the longest lines, cut from the full-resolution page turned as given."""
    matrix, _ = _turn_matrix(grey.shape[:2], rotation + skew)
    lengths = [max(np.hypot(*(box[1] - box[0])), np.hypot(*(box[2] - box[1]))) for box in boxes]
    pieces: list[Image] = []
    for index in np.argsort(lengths)[::-1][:VOTE_LINES]:
        corners = np.hstack([boxes[index], np.ones((4, 1))]) @ matrix.T
        x0, y0 = np.floor(corners.min(axis=0)).astype(int)
        x1, y1 = np.ceil(corners.max(axis=0)).astype(int)
        width, height = int(x1 - x0), int(y1 - y0)
        if height < 4 or width < 2 * height:
            continue  # not a horizontal line once turned: no use to the classifier
        # Turn only the line's own rectangle: the page is never turned twice.
        shifted = matrix.copy()
        shifted[:, 2] -= (x0, y0)
        crop = _u8(
            cv2.warpAffine(grey, shifted, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
        )
        step = PIECE_ASPECT * height
        pieces += [crop[:, x : x + step] for x in range(0, width - height, step)]
        if len(pieces) >= VOTE_PIECES:
            break
    return pieces[:VOTE_PIECES]


def _turn_matrix(
    shape: tuple[int, ...], clockwise: float
) -> tuple[npt.NDArray[np.float64], tuple[int, int]]:
    """The affine map turning an image of `shape` clockwise by `clockwise` degrees about its
    centre, onto a canvas just large enough, and that canvas's (width, height)."""
    height, width = shape[0], shape[1]
    # OpenCV's positive angles turn counter-clockwise (y down).
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -clockwise, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_width = math.ceil(height * sin + width * cos - 1e-6)
    new_height = math.ceil(height * cos + width * sin - 1e-6)
    matrix[0, 2] += new_width / 2 - width / 2
    matrix[1, 2] += new_height / 2 - height / 2
    return np.asarray(matrix, dtype=np.float64), (new_width, new_height)


def _weighted_median(values: list[float], weights: list[float]) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(values)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _grey(image: Image) -> Image:
    return image if image.ndim == 2 else _u8(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))


def _resize(grey: Image, scale: float) -> Image:
    method = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
    return _u8(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=method))


def _u8(array: npt.NDArray[Any]) -> Image:
    return np.asarray(array, dtype=np.uint8)
