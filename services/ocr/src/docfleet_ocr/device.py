"""Where the OCR models run: ONNX Runtime on CPU, or on a CUDA GPU through onnxruntime-gpu.

`DOCFLEET_OCR_DEVICE` asks; what ONNX Runtime offers decides. A GPU that was asked for and is
not there never stops the worker: it reads on CPU and says so, once, at startup.
`load_engine` builds the worker's engine (`engines.build_engine`) around these models.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from docfleet_ocr.engine import CUDA_PROVIDER, OcrEngine, RapidOcrEngine
from docfleet_ocr.settings import OcrDevice, OcrSettings, available_cores

log = logging.getLogger(__name__)


def available_providers() -> list[str]:
    """The execution providers of the installed ONNX Runtime build."""
    import onnxruntime  # type: ignore[import-untyped]  # ships no type information

    return list(onnxruntime.get_available_providers())


def wants_cuda(requested: OcrDevice, available: Sequence[str]) -> bool:
    """Whether to ask ONNX Runtime for CUDA: `cuda` or `auto`, and the CUDA provider offered.

    `cuda` without that provider logs a warning and falls back to CPU.
    """
    if requested == "cpu":
        return False
    if CUDA_PROVIDER in available:
        return True
    if requested == "cuda":
        log.warning(
            "DOCFLEET_OCR_DEVICE=cuda, but this ONNX Runtime offers no %s (available: %s): "
            "OCR runs on CPU. A GPU needs the onnxruntime-gpu build in place of onnxruntime, "
            "and CUDA/cuDNN libraries matching it.",
            CUDA_PROVIDER, ", ".join(available),
        )  # fmt: skip
    return False


def load_ppocr(settings: OcrSettings) -> RapidOcrEngine:
    """Load the PP-OCR models on the device the settings and ONNX Runtime allow; a CUDA
    provider that is offered but unusable logs a warning and leaves them on CPU."""
    use_cuda = wants_cuda(settings.ocr_device, available_providers())
    engine = RapidOcrEngine(
        threads=settings.ocr_inference_threads,
        max_side_len=settings.ocr_max_side_len,
        use_cuda=use_cuda,
    )
    if use_cuda and engine.device != "cuda":
        # onnxruntime-gpu offers the provider even when the CUDA libraries fail to load.
        log.warning(
            "%s is offered but the OCR model sessions could not use it (providers: %s): "
            "OCR runs on CPU; check the CUDA and cuDNN libraries",
            CUDA_PROVIDER, ", ".join(engine.providers),
        )  # fmt: skip
    return engine


def load_engine(settings: OcrSettings) -> OcrEngine:
    """Build the engine `DOCFLEET_OCR_ENGINE` names, once for this process, and log one line
    saying which it is, where its PP-OCR models run, tesseract's version and how parallel the
    worker is."""
    from docfleet_ocr.engines import USES_PPOCR, USES_TESSERACT, build_engine, tesseract_engine

    name = settings.ocr_engine
    tesseract = tesseract_engine(settings) if name in USES_TESSERACT else None
    ppocr = load_ppocr(settings) if name in USES_PPOCR else None
    engine = build_engine(settings, name, ppocr=ppocr, tesseract=tesseract)
    parts = []
    if ppocr is not None:
        parts.append(
            f"device={ppocr.device} (asked: {settings.ocr_device}) "
            f"providers={','.join(ppocr.providers)}"
        )
    if tesseract is not None:
        parts.append(f"tesseract={tesseract.version} psm={tesseract.psm} lang={tesseract.lang}")
    log.info(
        "OCR engine ready: engine=%s%s inference_threads=%d "
        "pool_size=%d max_concurrent_activities=%d cores_available=%d",
        engine.name, "".join(f" {part}" for part in parts), settings.ocr_inference_threads,
        settings.ocr_pool_size, settings.max_concurrent_activities, available_cores(),
    )  # fmt: skip
    return engine
