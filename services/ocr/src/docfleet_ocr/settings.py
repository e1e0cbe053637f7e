"""Settings of the OCR worker, read from `DOCFLEET_*` environment variables.

Its parallelism follows the CPUs this process may use (`available_cores`): one page thread per
core, one document per page thread, and ONNX Runtime threads sharing what is left.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from docfleet_runtime import ServiceSettings

OcrDevice = Literal["cpu", "cuda", "auto"]
OcrEngineName = Literal["auto", "ppocr", "tesseract", "paddleocr"]

CGROUP_ROOT = Path("/sys/fs/cgroup")


def available_cores(cgroup_root: Path = CGROUP_ROOT) -> int:
    """CPUs this process may use: its affinity mask, capped by a container's CPU quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    quota = cpu_quota(cgroup_root)
    return max(1, min(cores, quota) if quota else cores)


def cpu_quota(cgroup_root: Path = CGROUP_ROOT) -> int | None:
    """The cgroup CPU quota in whole CPUs, rounded up (v2 `cpu.max`, else v1); None if none."""
    try:
        fields = (cgroup_root / "cpu.max").read_text().split()
        quota, period = fields[0], fields[1]
    except (OSError, IndexError):
        try:
            quota = (cgroup_root / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (cgroup_root / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:  # "max": no quota
        return None
    if quota_us <= 0 or period_us <= 0:  # v1 gives -1 for no quota
        return None
    return math.ceil(quota_us / period_us)


class OcrSettings(ServiceSettings):
    """The OCR worker's settings; field names carry `ocr_` so env names stay unambiguous."""

    ocr_dpi: int = Field(
        default=200,
        ge=50,
        le=600,
        description="Base resolution of PDF pages rendered for OCR: an A4 page without a scan "
        "gets it; smaller pages more, larger ones less; scans their own.",
    )
    ocr_min_dpi: int = Field(
        default=100, ge=36, le=1200, description="Least resolution a PDF page is rendered at."
    )
    ocr_max_dpi: int = Field(
        default=400,
        ge=36,
        le=1200,
        description="Most resolution a PDF page is rendered at (the pixel cap may lower it).",
    )
    ocr_detect_orientation: bool = Field(
        default=True,
        description="Turn pages upright (90/180/270 degrees and skew) before OCR reads them.",
    )

    @model_validator(mode="after")
    def _dpi_within_bounds(self) -> OcrSettings:
        if not self.ocr_min_dpi <= self.ocr_dpi <= self.ocr_max_dpi:
            raise ValueError(
                f"DOCFLEET_OCR_DPI={self.ocr_dpi} must lie within DOCFLEET_OCR_MIN_DPI="
                f"{self.ocr_min_dpi} and DOCFLEET_OCR_MAX_DPI={self.ocr_max_dpi}"
            )
        return self

    ocr_max_pages: int = Field(
        default=500, ge=1, description="Documents with more pages fail with DocumentTooLarge."
    )
    ocr_max_image_pixels: int = Field(
        default=60_000_000,
        ge=1,
        le=89_478_485,  # Pillow's own decompression-bomb threshold
        description="Images (or image pages) with more pixels fail with DocumentTooLarge.",
    )
    ocr_max_embedded_image_pixels: int = Field(
        default=100_000_000,
        ge=1,
        description="PDF pages to render that embed an image with more pixels fail (TOO_LARGE).",
    )
    ocr_max_text_chars: int = Field(
        default=5_000_000, ge=1, description="Documents with more text fail with DocumentTooLarge."
    )
    ocr_page_seconds: float = Field(
        default=120.0, gt=0, description="OCR of one page may take this long (TOO_LARGE after)."
    )
    ocr_sandbox_memory_mb: int = Field(
        default=1024,
        ge=64,
        description="Address space of the child process that parses one document (RLIMIT_AS).",
    )
    ocr_sandbox_cpu_seconds: int = Field(
        default=300, ge=1, description="CPU seconds the parser child may use per document."
    )
    ocr_sandbox_wall_seconds: float = Field(
        default=600.0,
        gt=0,
        description="Seconds the worker waits in all on a document's parser before killing it.",
    )
    ocr_pool_size: int = Field(
        default_factory=available_cores,
        ge=1,
        description="Threads running page work (rendering, OCR); defaults to the cores available.",
    )
    ocr_inference_threads: int = Field(
        default=0,
        ge=0,
        description="ONNX Runtime threads per OCR inference; 0: the cores available divided by "
        "the pool size, at least 1.",
    )
    ocr_device: OcrDevice = Field(
        default="cpu",
        description="Where ONNX Runtime runs the models: cpu; cuda (onnxruntime-gpu's "
        "CUDAExecutionProvider, falling back to CPU with a warning when it is missing); auto "
        "(cuda when available, else cpu).",
    )
    max_concurrent_activities: int = Field(
        default=0,
        ge=0,
        description="Documents this worker reads at once; 0: the pool size (a page thread each).",
    )
    ocr_engine: OcrEngineName = Field(
        default="auto",
        description="The OCR engine: auto (PP-OCR and Tesseract combined), ppocr (PP-OCR models "
        "on ONNX Runtime), tesseract (the tesseract program), paddleocr (the paddleocr package, "
        "optional, which fetches its models from a hub).",
    )
    ocr_tesseract_cmd: str = Field(
        default="tesseract", description="The tesseract program: a name on PATH, or a path."
    )
    ocr_tesseract_lang: str = Field(
        default="eng", description="Tesseract's language data (`-l`), e.g. eng or eng+deu."
    )
    ocr_tesseract_psm: int = Field(
        default=3,
        ge=1,
        le=13,
        description="Tesseract's page segmentation mode (`--psm`: 1 or 3-13); 3: automatic.",
    )
    ocr_max_side_len: int = Field(
        default=2400, ge=256, description="Page images are shrunk to this longest side for OCR."
    )
    ocr_min_text_chars: int = Field(
        default=20,
        ge=0,
        description="A PDF page's text layer counts as real text from this many letters/digits.",
    )
    ocr_heartbeat_every_seconds: float = Field(
        default=10.0,
        gt=0,
        description="While a page is read, the last checkpoint is heartbeated again this often.",
    )
    progress_signal_interval_seconds: float = Field(
        default=1.0, ge=0, description="Least time between two page-progress signals."
    )

    @model_validator(mode="after")
    def _fill_in_per_core_defaults(self) -> OcrSettings:
        if self.ocr_inference_threads == 0:
            self.ocr_inference_threads = max(1, available_cores() // self.ocr_pool_size)
        if self.max_concurrent_activities == 0:
            self.max_concurrent_activities = self.ocr_pool_size
        return self
