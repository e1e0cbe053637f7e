"""Device selection against the ONNX Runtime installed here, and models loaded once per worker."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from docfleet_ocr.device import available_providers, load_engine, wants_cuda
from docfleet_ocr.engine import CUDA_PROVIDER, RapidOcrEngine
from docfleet_ocr.settings import OcrSettings

HAS_CUDA = CUDA_PROVIDER in available_providers()
WITH_CUDA = [CUDA_PROVIDER, "CPUExecutionProvider"]


def test_cpu_is_used_when_asked_even_beside_a_gpu() -> None:
    assert not wants_cuda("cpu", available_providers())
    assert not wants_cuda("cpu", WITH_CUDA)


def test_cuda_and_auto_take_the_cuda_provider_where_it_is_offered() -> None:
    assert wants_cuda("cuda", WITH_CUDA) and wants_cuda("auto", WITH_CUDA)
    assert wants_cuda("auto", available_providers()) == HAS_CUDA


@pytest.mark.skipif(HAS_CUDA, reason="this ONNX Runtime offers CUDA")
def test_cuda_asked_without_the_cuda_provider_falls_back_to_cpu_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert not wants_cuda("cuda", available_providers())
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "DOCFLEET_OCR_DEVICE=cuda" in warning.message and "OCR runs on CPU" in warning.message
    caplog.clear()
    assert not wants_cuda("auto", available_providers())
    assert not caplog.records  # auto without a GPU is no surprise


def test_the_engine_loads_on_the_device_it_can_have_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="docfleet_ocr")
    settings = OcrSettings(
        ocr_engine="ppocr", ocr_device="cuda", ocr_pool_size=2, ocr_inference_threads=1
    )

    engine = load_engine(settings)

    assert isinstance(engine, RapidOcrEngine)
    assert engine.device == ("cuda" if HAS_CUDA else "cpu")
    assert engine.providers[-1] == "CPUExecutionProvider"
    (ready,) = [m for m in caplog.messages if m.startswith("OCR engine ready")]
    assert f"engine=ppocr device={engine.device} (asked: cuda)" in ready
    assert f"providers={','.join(engine.providers)}" in ready
    assert "inference_threads=1 pool_size=2 max_concurrent_activities=2" in ready
    warned = any("OCR runs on CPU" in r.message for r in caplog.records if r.levelno >= 30)
    assert warned != HAS_CUDA


def test_the_parser_children_never_load_the_ocr_models() -> None:
    # Children fork from the zygote: what it imports, each child has; the models stay in the
    # worker, loaded once by its one engine.
    probe = (
        "import sys, docfleet_ocr.zygote;"
        "print([m for m in ('onnxruntime', 'rapidocr_onnxruntime') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
