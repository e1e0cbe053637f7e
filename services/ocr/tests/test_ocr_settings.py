"""Per-core defaults: page threads, ONNX Runtime threads and activity slots follow the CPUs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from docfleet_ocr.settings import OcrSettings, available_cores, cpu_quota


def test_defaults_follow_the_cores_available() -> None:
    cores = available_cores()
    settings = OcrSettings()
    assert settings.ocr_pool_size == cores
    assert settings.max_concurrent_activities == cores  # one document per page thread
    assert settings.ocr_inference_threads == 1
    assert settings.ocr_device == "cpu"


def test_a_smaller_pool_gives_each_inference_the_spare_cores() -> None:
    settings = OcrSettings(ocr_pool_size=1)
    assert settings.ocr_inference_threads == available_cores()
    assert settings.max_concurrent_activities == 1


def test_explicit_values_win_and_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLEET_OCR_DEVICE", "auto")
    monkeypatch.setenv("DOCFLEET_OCR_POOL_SIZE", "3")
    monkeypatch.setenv("DOCFLEET_OCR_INFERENCE_THREADS", "2")
    monkeypatch.setenv("DOCFLEET_MAX_CONCURRENT_ACTIVITIES", "5")
    settings = OcrSettings()
    assert (settings.ocr_device, settings.ocr_pool_size) == ("auto", 3)
    assert (settings.ocr_inference_threads, settings.max_concurrent_activities) == (2, 5)
    monkeypatch.setenv("DOCFLEET_OCR_DEVICE", "tpu")
    with pytest.raises(ValidationError, match="'cpu', 'cuda' or 'auto'"):
        OcrSettings()


def test_the_cores_available_are_those_of_the_affinity_mask() -> None:
    assert 1 <= available_cores() <= (os.cpu_count() or 1)
    assert available_cores() == len(os.sched_getaffinity(0)) or cpu_quota() is not None


@pytest.mark.parametrize(
    ("files", "quota"),
    [
        ({"cpu.max": "200000 100000\n"}, 2),
        ({"cpu.max": "150000 100000\n"}, 2),  # one and a half CPUs: two threads
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "50000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({}, None),
    ],
)
def test_a_container_cpu_quota_caps_the_cores(
    tmp_path: Path, files: dict[str, str], quota: int | None
) -> None:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    assert cpu_quota(tmp_path) == quota
    affinity = len(os.sched_getaffinity(0))
    assert available_cores(tmp_path) == (min(affinity, quota) if quota else affinity)
