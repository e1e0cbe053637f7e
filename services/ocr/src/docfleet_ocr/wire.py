"""What the sandbox child and the worker say to each other: small JSON headers, raw payloads.

The worker never unpickles anything the child sends: a child compromised by a hostile file
could otherwise run code in the worker.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

HEADER_LIMIT = 64 * 1024
"""Longest JSON header either side accepts."""
MEMORY_EXIT = 86
"""Exit status of a child that ran out of memory before it could say so."""

STATUS = struct.Struct(">i")
"""A child's pid, or its exit status as `os.waitstatus_to_exitcode` gives it."""

RefusalKind = Literal["invalid", "too_large", "encrypted"]


class Refused(Exception):
    """The child refuses the document: `invalid` (corrupt), `too_large` (a limit) or `encrypted`
    (a PDF without its password, or with a wrong one)."""

    def __init__(self, kind: RefusalKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


MAX_DPI = 10_000
"""Largest rendering resolution a child may report; anything else in a header is a violation."""


@dataclass(frozen=True)
class Page:
    """What the child returns for one page: its text layer, or a grey image (row-major bytes)
    with the resolution a PDF page was rendered at (`dpi`; None for image files)."""

    text: str | None = None
    width: int = 0
    height: int = 0
    pixels: bytes = b""
    dpi: int | None = None


def encode(header: Mapping[str, Any]) -> bytes:
    return json.dumps(header).encode()


def decode(raw: bytes) -> dict[str, Any]:
    header = json.loads(raw)
    if not isinstance(header, dict):
        raise ValueError("a header must be a JSON object")
    return header
