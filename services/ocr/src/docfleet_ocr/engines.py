"""The OCR engine a worker reads with, chosen by name (`DOCFLEET_OCR_ENGINE`).

- `auto` (default): PP-OCR and Tesseract together (`combined.CombinedEngine`), each line from
  the engine that reads it best.
- `ppocr`: the PP-OCR models on ONNX Runtime (`engine.RapidOcrEngine`), offline.
- `tesseract`: the `tesseract` program (`tesseract.TesseractEngine`).
- `paddleocr`: PaddleOCR itself (`paddle.PaddleOcrEngine`), optional, needs its model hub.
"""

from __future__ import annotations

from typing import get_args

from docfleet_ocr.device import load_ppocr
from docfleet_ocr.engine import OcrEngine, RapidOcrEngine
from docfleet_ocr.paddle import PaddleOcrEngine
from docfleet_ocr.settings import OcrDevice, OcrEngineName, OcrSettings
from docfleet_ocr.tesseract import TesseractEngine

ENGINE_NAMES: tuple[str, ...] = get_args(OcrEngineName)
USES_PPOCR = frozenset({"auto", "ppocr"})
"""Engines built on the PP-OCR models."""
USES_TESSERACT = frozenset({"auto", "tesseract"})
"""Engines built on the tesseract program."""


def build_engine(
    settings: OcrSettings,
    name: str | None = None,
    *,
    ppocr: RapidOcrEngine | None = None,
    tesseract: TesseractEngine | None = None,
) -> OcrEngine:
    """The engine called `name` (None: `settings.ocr_engine`), built from the settings.

    `ppocr` and `tesseract` are parts already built, used where the engine needs them (so a
    harness comparing engines loads the PP-OCR models once). `EngineUnavailable` when a part
    cannot run here; `ValueError` for an unknown name.
    """
    chosen = name or settings.ocr_engine
    if chosen not in ENGINE_NAMES:
        raise ValueError(f"unknown OCR engine {chosen!r}: one of {', '.join(ENGINE_NAMES)}")
    if chosen == "paddleocr":
        return PaddleOcrEngine(device=paddle_device(settings.ocr_device))
    if chosen == "tesseract":
        return tesseract or tesseract_engine(settings)
    if chosen == "ppocr":
        return ppocr or load_ppocr(settings)
    # Tesseract first: a missing program fails in milliseconds, before the models load.
    tesseract = tesseract or tesseract_engine(settings)
    from docfleet_ocr.combined import CombinedEngine

    return CombinedEngine(ppocr=ppocr or load_ppocr(settings), tesseract=tesseract)


def tesseract_engine(settings: OcrSettings) -> TesseractEngine:
    """The Tesseract engine the settings describe (`DOCFLEET_OCR_TESSERACT_*`)."""
    return TesseractEngine(
        cmd=settings.ocr_tesseract_cmd,
        lang=settings.ocr_tesseract_lang,
        psm=settings.ocr_tesseract_psm,
    )


def paddle_device(device: OcrDevice) -> str | None:
    """Paddle's name for the device asked for (`auto`: Paddle's own choice, a GPU if any)."""
    return {"cpu": "cpu", "cuda": "gpu:0"}.get(device)
