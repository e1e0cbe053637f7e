"""OCR engines behind one small interface; PP-OCR through RapidOCR's bundled ONNX models."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from docfleet_ocr.errors import DocumentTooLarge, ReadStopped
from docfleet_ocr.spacing import decode_line, ink_gaps

Image = npt.NDArray[np.uint8]
"""A page image: greyscale (H, W) or BGR (H, W, 3), 8 bits per channel."""

BLANK_RANGE = 32
"""A page whose darkest and lightest pixels differ by less is blank: skip its costly detection."""
MIN_LINE_SCORE = 0.5
"""Lines recognised with a lower mean confidence are dropped (RapidOCR's own default)."""
CUDA_PROVIDER = "CUDAExecutionProvider"
"""ONNX Runtime's CUDA execution provider, offered by the onnxruntime-gpu build."""


@dataclass(frozen=True)
class OcrLine:
    """One recognised text line: its text, mean confidence (0-1), box (x0, y0, x1, y1) and the
    engine that read it."""

    text: str
    confidence: float
    box: tuple[float, float, float, float]
    engine: str = ""


class OcrEngine(Protocol):
    """Reads the text lines of one page image; implementations must be safe to share by threads."""

    name: str
    """Short stable name recorded per page (`ppocr`, `tesseract`, ...)."""

    def read(
        self,
        image: Image,
        time_limit: float | None = None,
        stop: threading.Event | None = None,
    ) -> list[OcrLine]:
        """Every line found on the page, in no particular order; `DocumentTooLarge` past
        `time_limit` seconds, `ReadStopped` soon after `stop` is set."""
        ...


class RapidOcrEngine:
    """PP-OCRv4 detection and recognition (Chinese+English) run by ONNX Runtime, offline.

    Load once per process: the models take about a second to load. Recognition runs one line
    at a time (faster than RapidOCR's batches on dense pages, and padding changes results) and
    decodes with `spacing` so English words keep their spaces.
    """

    name = "ppocr"

    def __init__(
        self, *, threads: int = 1, max_side_len: int = 2400, use_cuda: bool = False
    ) -> None:
        """`use_cuda` asks ONNX Runtime for its CUDA provider first (onnxruntime-gpu); where a
        session cannot have it, that session runs on CPU: `providers` tells which one does."""
        from rapidocr_onnxruntime import RapidOCR

        self._ocr: Any = RapidOCR(
            intra_op_num_threads=threads,
            inter_op_num_threads=1,
            det_use_cuda=use_cuda,
            cls_use_cuda=use_cuda,
            rec_use_cuda=use_cuda,
        )
        self.threads = threads
        self._max_side = max_side_len
        self._alphabet: list[str] = list(self._ocr.text_rec.postprocess_op.character)
        if self._alphabet[-1] != " ":
            raise RuntimeError("RapidOCR's alphabet no longer ends with a space class")

    @property
    def providers(self) -> list[str]:
        """The execution providers the model sessions got, in order of preference."""
        return list(dict.fromkeys(p for s in self._sessions() for p in s.get_providers()))

    @property
    def device(self) -> str:
        """`cuda` when every model session runs on the CUDA provider first, else `cpu`."""
        firsts = {session.get_providers()[0] for session in self._sessions()}
        return "cuda" if firsts == {CUDA_PROVIDER} else "cpu"

    def _sessions(self) -> list[Any]:
        """The ONNX Runtime sessions of detection, direction and recognition."""
        ocr = self._ocr
        return [
            ocr.text_det.infer.session,
            ocr.text_cls.infer.session,
            ocr.text_rec.session.session,
        ]

    def read(
        self,
        image: Image,
        time_limit: float | None = None,
        stop: threading.Event | None = None,
    ) -> list[OcrLine]:
        started = time.monotonic()
        bgr = _u8(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)) if image.ndim == 2 else image
        scale = min(1.0, self._max_side / max(bgr.shape[:2]))
        if scale < 1.0:
            bgr = _u8(cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
        if min(bgr.shape[:2]) < 8 or int(bgr.max()) - int(bgr.min()) < BLANK_RANGE:
            return []
        bgr, pad = _letterbox(bgr)
        boxes, _ = self._ocr.text_det(bgr)
        if boxes is None or len(boxes) == 0:
            return []
        crops = self._upright(self._ocr.get_crop_img_list(bgr, list(boxes)))
        lines = []
        for box, crop in zip(boxes, crops, strict=True):
            # Detection is bounded by max_side_len; the line count is not, so check per line.
            if time_limit is not None and time.monotonic() - started > time_limit:
                raise DocumentTooLarge(
                    f"OCR of one page took over {time_limit:g} s ({len(boxes)} text lines; "
                    "DOCFLEET_OCR_PAGE_SECONDS)"
                )
            if stop is not None and stop.is_set():
                raise ReadStopped("OCR of the page was stopped: its activity was cancelled")
            text, confidence = self._recognise(crop)
            if text and confidence >= MIN_LINE_SCORE:
                xs, ys = box[:, 0] / scale, (box[:, 1] - pad) / scale
                edges = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
                lines.append(OcrLine(text, confidence, edges, self.name))
        return lines

    def _upright(self, crops: list[Image]) -> list[Image]:
        # One vote for the whole page: per-line 180-degree flips misfire on short upright lines.
        _, votes, _ = self._ocr.text_cls(crops)
        width = sum(crop.shape[1] for crop in crops)
        flipped = sum(
            crop.shape[1]
            for crop, (label, score) in zip(crops, votes, strict=True)
            if label == "180" and score > 0.9
        )
        if flipped > width / 2:
            return [_u8(cv2.rotate(crop, cv2.ROTATE_180)) for crop in crops]
        return crops

    def _recognise(self, crop: Image) -> tuple[str, float]:
        rec = self._ocr.text_rec
        height, width = crop.shape[:2]
        _, model_height, model_width = rec.rec_image_shape
        ratio = max(model_width / model_height, width / height)
        batch = rec.resize_norm_img(crop, ratio)[np.newaxis].astype(np.float32)
        probs = rec.session(batch)[0][0]
        column_width = model_height * ratio / probs.shape[0] * height / model_height
        return decode_line(probs, self._alphabet, ink_gaps(crop), column_width)


def _letterbox(image: Image) -> tuple[Image, int]:
    """Pad a lone wide or low text line vertically; the detector misses such lines otherwise."""
    height, width = image.shape[:2]
    if height > 30 and width / height <= 8:
        return image, 0
    pad = max(int(width / 8), 30) - height // 2
    return _u8(cv2.copyMakeBorder(image, pad, pad, 0, 0, cv2.BORDER_REPLICATE)), pad


def _u8(array: npt.NDArray[Any]) -> Image:
    return np.asarray(array, dtype=np.uint8)
