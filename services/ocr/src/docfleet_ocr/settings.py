"""Settings of the OCR worker, read from `DOCFLEET_*` environment variables."""

from __future__ import annotations

import os

from pydantic import Field

from docfleet_runtime import ServiceSettings


class OcrSettings(ServiceSettings):
    """The OCR worker's settings; field names carry `ocr_` so env names stay unambiguous."""

    ocr_dpi: int = Field(
        default=200,
        ge=50,
        le=600,
        description="Resolution at which PDF pages are rendered for OCR.",
    )
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
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Threads running page work (rendering, OCR); defaults to the CPU count.",
    )
    ocr_inference_threads: int = Field(
        default=1, ge=1, description="ONNX Runtime threads per OCR inference."
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
