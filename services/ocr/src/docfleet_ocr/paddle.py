"""PaddleOCR itself (PyPI `paddleocr` 3.x on PaddlePaddle) as an optional OCR engine.

Not installed with DocFleet: a deployment that wants it runs `pip install paddleocr paddlepaddle`
(or `paddlepaddle-gpu`) and must reach PaddleOCR's model hub, from which the pipeline fetches its
models when it is built. Imported only when this engine is chosen.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import cv2
import numpy as np

from docfleet_ocr.engine import Image, OcrLine
from docfleet_ocr.errors import DocumentTooLarge, EngineUnavailable, ReadStopped

NEEDS = (
    "the paddleocr engine needs `pip install paddleocr paddlepaddle` (paddlepaddle-gpu for a "
    "GPU) and a machine that can reach PaddleOCR's model hub; DOCFLEET_OCR_ENGINE=auto or "
    "ppocr run PP-OCR models offline instead"
)


class PaddleOcrEngine:
    """PaddleOCR's general OCR pipeline (PP-OCRv5 by default): text detection, text-line
    orientation and recognition; page rotation and unwarping are left to DocFleet.

    PaddlePaddle predictors are not documented as thread-safe, so reads take turns; a read
    cannot be interrupted, so the time limit and the stop event are checked around it.
    """

    name = "paddleocr"

    def __init__(self, *, lang: str = "en", device: str | None = "cpu") -> None:
        """`device` is Paddle's (`cpu`, `gpu:0`; None: a GPU when there is one).
        `EngineUnavailable` when the package is missing or its models cannot be loaded."""
        try:
            module: Any = importlib.import_module("paddleocr")
        except ImportError as exc:
            raise EngineUnavailable(f"paddleocr is not installed: {NEEDS}") from exc
        try:
            self._ocr: Any = module.PaddleOCR(
                lang=lang,
                device=device,
                use_doc_orientation_classify=False,
                use_doc_unwarping=False,
                use_textline_orientation=True,
            )
        except Exception as exc:  # a hub it cannot reach, no paddlepaddle, a bad device...
            raise EngineUnavailable(
                f"paddleocr could not load its models ({exc}): {NEEDS}"
            ) from exc
        self._lock = threading.Lock()

    def read(
        self,
        image: Image,
        time_limit: float | None = None,
        stop: threading.Event | None = None,
    ) -> list[OcrLine]:
        started = time.monotonic()
        bgr = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image
        with self._lock:
            if stop is not None and stop.is_set():
                raise ReadStopped("OCR of the page was stopped: its activity was cancelled")
            results = self._ocr.predict(np.ascontiguousarray(bgr))
        if time_limit is not None and time.monotonic() - started > time_limit:
            raise DocumentTooLarge(
                f"OCR of one page took over {time_limit:g} s (paddleocr; DOCFLEET_OCR_PAGE_SECONDS)"
            )
        return [line for result in results for line in lines_of_result(result, self.name)]


def lines_of_result(result: Mapping[str, Any], engine: str = PaddleOcrEngine.name) -> list[OcrLine]:
    """One PaddleOCR 3.x page result (`rec_texts`, `rec_scores`, `rec_polys`) as text lines.

    Each of `rec_polys` is a (4, 2) array of corners; the line's box is their bounding box.
    """
    texts: Sequence[str] = result["rec_texts"]
    scores: Sequence[float] = result["rec_scores"]
    polys: Sequence[Any] = result["rec_polys"]
    lines = []
    for text, score, poly in zip(texts, scores, polys, strict=True):
        if not text.strip():
            continue
        corners = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
        x0, y0 = corners.min(axis=0)
        x1, y1 = corners.max(axis=0)
        box = (float(x0), float(y0), float(x1), float(y1))
        lines.append(OcrLine(text.strip(), float(score), box, engine))
    return lines
