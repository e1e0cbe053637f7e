"""Limits and rendering choices for reading one document; shared by the worker and its sandbox.

Kept free of heavy imports: the sandbox child imports it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Fault = Literal["segfault", "hang", "spin"]
"""Test-only faults a sandbox child can be told to commit after opening its document."""


@dataclass(frozen=True)
class ReadOptions:
    """Limits and rendering choices for reading one document; each limit names its setting."""

    dpi: int = 200
    """Base resolution of PDF pages rendered for OCR: an A4 page without a scan gets it."""
    min_dpi: int = 100
    max_dpi: int = 400
    """Bounds of the per-page resolution (a scan's own, or one from the page size)."""
    max_side_len: int = 2400
    """Longest side OCR uses: pages larger than A4 are rendered no larger than needed for it."""
    detect_orientation: bool = True
    """Turn OCR'd pages upright (rotation and skew) before reading them."""
    max_pages: int = 500
    max_image_pixels: int = 60_000_000
    max_embedded_image_pixels: int = 100_000_000
    min_text_chars: int = 20
    max_text_chars: int = 5_000_000
    page_seconds: float = 120.0
    memory_mb: int = 1024
    cpu_seconds: int = 300
    wall_seconds: float = 600.0
