"""What the parts of one run share: the dev set, the harness, the limits and cached readings."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from docfleet_contracts import DocumentKind
from quality.dataset import DevSet, Entry
from quality.engines import DEFAULT
from quality.harness import Harness, Reading

log = logging.getLogger("quality")
T = TypeVar("T")

KINDS: dict[str, DocumentKind] = {".pdf": "pdf", ".jpg": "jpeg", ".png": "png", ".tif": "tiff"}


@dataclass
class Context:
    """One run: `limit` caps the files taken per dataset (None: all); `quick` takes a few."""

    devset: DevSet
    harness: Harness
    engines: Sequence[str]
    limit: int | None = None
    quick: bool = False
    default: str = DEFAULT
    """The engine of the parts that measure the default configuration (rotation, NLP)."""
    readings: dict[tuple[str, Path], Reading | None] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def take(self, items: Sequence[T], quick: int | None = None) -> list[T]:
        """The first `limit` items, and at most `quick` of them in a quick run."""
        caps = [cap for cap in (self.limit, quick if self.quick else None) if cap is not None]
        return list(items[: min(caps)] if caps else items)

    async def read_entry(self, entry: Entry, engine: str | None = None) -> Reading | None:
        """`entry`'s file read by `engine` (the default one), once per run (a failure too)."""
        engine = engine or self.default
        key = (engine, entry.path)
        if key not in self.readings:
            data = entry.path.read_bytes()
            kind = KINDS[entry.path.suffix.lower()]
            self.readings[key] = await self.read(engine, data, kind, f"{engine}-{entry.name}")
        return self.readings[key]

    async def read(
        self, engine: str, data: bytes, kind: DocumentKind, label: str
    ) -> Reading | None:
        """`ocr.ocr_pages` on `data`; a failure is recorded and gives None."""
        started = time.monotonic()
        try:
            reading = await self.harness.read(engine, data, kind, label)
        except Exception as exc:  # one bad document must not end the run: it scores as unread
            self.errors.append({"document": label, "engine": engine, "error": repr(exc)[:300]})
            log.warning("%s with %s failed: %r", label, engine, exc)
            return None
        log.info("%s: %s in %.1f s", engine, label, time.monotonic() - started)
        return reading
