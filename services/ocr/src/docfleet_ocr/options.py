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
    max_pages: int = 500
    max_image_pixels: int = 60_000_000
    max_embedded_image_pixels: int = 100_000_000
    min_text_chars: int = 20
    max_text_chars: int = 5_000_000
    page_seconds: float = 120.0
    memory_mb: int = 1024
    cpu_seconds: int = 300
    wall_seconds: float = 600.0
