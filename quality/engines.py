"""OCR engines by name, built by the worker's own factory (`docfleet_ocr.engines.build_engine`).

Parts are shared: `auto` is built from the `ppocr` and `tesseract` engines already loaded, so the
PP-OCR models load once per run and every configuration reads with the same models.
"""

from __future__ import annotations

from docfleet_ocr.engine import OcrEngine, RapidOcrEngine
from docfleet_ocr.engines import build_engine
from docfleet_ocr.settings import OcrSettings
from docfleet_ocr.tesseract import TesseractEngine

DEFAULT = "auto"
"""The name of DocFleet's default configuration."""
ENGINES = ("ppocr", "tesseract", DEFAULT)


class EngineUnavailable(Exception):
    """The engine cannot be built here (program or models missing, code not there yet)."""


class EngineCache:
    """Each engine built once; a failure to build is kept and raised again on every ask."""

    def __init__(self, settings: OcrSettings) -> None:
        self.settings = settings
        self._built: dict[str, OcrEngine | EngineUnavailable] = {}

    def _part(self, name: str) -> OcrEngine | None:
        try:
            return self.get(name)
        except EngineUnavailable:
            return None

    def get(self, name: str) -> OcrEngine:
        """The engine `name`; `EngineUnavailable` when it cannot be built here."""
        if name not in self._built:
            ppocr = self._part("ppocr") if name == DEFAULT else None
            tesseract = self._part("tesseract") if name == DEFAULT else None
            try:
                self._built[name] = build_engine(
                    self.settings,
                    name,
                    ppocr=ppocr if isinstance(ppocr, RapidOcrEngine) else None,
                    tesseract=tesseract if isinstance(tesseract, TesseractEngine) else None,
                )
            except Exception as exc:  # whatever stops it (missing program, module, models)
                self._built[name] = EngineUnavailable(f"{name}: {type(exc).__name__}: {exc}")
        found = self._built[name]
        if isinstance(found, EngineUnavailable):
            raise found
        return found
