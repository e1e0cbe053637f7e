"""A temporary file that counts, hashes and caps the bytes of a download as they arrive."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from docfleet_contracts.models import DocumentKind
from docfleet_fetcher.errors import SourceTooLarge
from docfleet_fetcher.sniff import SNIFF_BYTES, sniff

PROGRESS_EVERY = 1 << 20
"""Bytes between two progress callbacks (the activity turns them into heartbeats)."""


@dataclass(frozen=True)
class Spooled:
    """A complete download on local disk, with its detected kind."""

    path: Path
    size: int
    sha256: str
    kind: DocumentKind


class Spool:
    """Receives chunks into a temporary file; deleted on exit whatever happened."""

    def __init__(
        self,
        max_bytes: int,
        *,
        directory: Path | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self._directory = directory
        self._progress = progress
        self._digest = hashlib.sha256()
        self._head = bytearray()
        self._kind: DocumentKind | None = None
        self._size = 0
        self._next_progress = PROGRESS_EVERY
        fd, name = tempfile.mkstemp(prefix="docfleet-fetch-", dir=directory)
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")

    @property
    def size(self) -> int:
        return self._size

    def check_declared_size(self, declared: int | None, where: str) -> None:
        """Refuse before reading a byte when the source announces too much."""
        if declared is not None and declared > self.max_bytes:
            raise SourceTooLarge(
                f"{where} is {declared} bytes, over the {self.max_bytes}-byte limit"
            )

    def write(self, chunk: bytes) -> None:
        """Append a chunk; raises `SourceTooLarge` past the cap, `UnsupportedDocument` early."""
        self._size += len(chunk)
        if self._size > self.max_bytes:
            raise SourceTooLarge(f"the document passed the {self.max_bytes}-byte limit")
        # Plain blocking writes: chunks are small and local disks fast, cheaper than a thread hop.
        self._file.write(chunk)
        self._digest.update(chunk)
        if self._kind is None:
            self._head += chunk[: SNIFF_BYTES - len(self._head)]
            if len(self._head) >= SNIFF_BYTES:
                # Deciding now stops a large web page from being downloaded for nothing.
                self._kind = sniff(bytes(self._head))
        if self._progress is not None and self._size >= self._next_progress:
            self._next_progress = self._size + PROGRESS_EVERY
            self._progress(self._size)

    def finish(self) -> Spooled:
        """Close the file and return the download; sniffs short documents."""
        self._file.close()
        kind = self._kind if self._kind is not None else sniff(bytes(self._head))
        return Spooled(self.path, self._size, self._digest.hexdigest(), kind)

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)
