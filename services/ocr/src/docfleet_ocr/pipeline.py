"""A document read page by page: a PDF page's text layer when it holds real text, OCR otherwise.

Knows nothing of Temporal or the blob store: `open_document` takes bytes and returns a
`PageSource` whose pages the caller reads one at a time (so it can report progress between them).
The untrusted bytes are only ever parsed in a sandbox child (`sandbox.py`); this process runs OCR
on the grey images the child returns.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

from docfleet_contracts.models import DocumentKind, PageMethod
from docfleet_ocr import sniff
from docfleet_ocr.engine import Image, OcrEngine, OcrLine
from docfleet_ocr.errors import DocumentTooLarge, InvalidDocument
from docfleet_ocr.layout import page_text
from docfleet_ocr.options import Fault, ReadOptions
from docfleet_ocr.orientation import UPRIGHT, OrientationDetector, shared_detector, upright
from docfleet_ocr.sandbox import Sandbox
from docfleet_ocr.textlayer import is_real_text

__all__ = ["PageSource", "PageText", "ReadOptions", "is_real_text", "open_document"]


@dataclass(frozen=True)
class PageText:
    """One page's text and how it was read; `confidence` is None for text-layer pages.

    `engine` names the OCR engine(s) that read the page; `rotation` and `skew` are the degrees
    the image was turned clockwise before reading (`orientation.py`); `dpi` is the resolution a
    PDF page was rendered at (None for image files and text-layer pages).
    """

    number: int
    method: PageMethod
    text: str
    confidence: float | None = None
    engine: str | None = None
    rotation: int = 0
    skew: float = 0.0
    dpi: int | None = None


class PageSource:
    """An opened document; read pages with `read_page(number)`, numbers from 1; then `close()`.

    `interrupt()` (any thread) makes a page read in flight end soon with `ReadStopped`.
    Pages to OCR are turned upright first (`options.detect_orientation`) by `orientation`, or
    by the process-wide detector when none is given.
    """

    def __init__(
        self,
        data: bytes,
        kind: str,
        engine: OcrEngine,
        options: ReadOptions,
        fault: Fault | None,
        password: str | None = None,
        orientation: OrientationDetector | None = None,
    ) -> None:
        self.engine = engine
        self.options = options
        self._orientation = orientation
        self._sandbox = Sandbox(data, kind, options, fault, password)
        self.page_count = self._sandbox.page_count
        self._chars = 0
        self._stop = threading.Event()

    def count_restored(self, chars: int) -> None:
        """Count text read by an earlier attempt towards the document's character limit."""
        self._chars += chars

    def read_page(self, number: int) -> PageText:
        """Read page `number` (blocking; call it from a worker thread)."""
        content = self._sandbox.page(number)
        if isinstance(content, str):
            page = PageText(number, "text_layer", content)
        else:
            page = self.ocr(number, content.image, content.dpi)
        self._chars += len(page.text)
        if self._chars > self.options.max_text_chars:
            raise DocumentTooLarge(
                f"the document's text passes {self.options.max_text_chars} characters at page "
                f"{number} (DOCFLEET_OCR_MAX_TEXT_CHARS)"
            )
        return page

    def ocr(self, number: int, image: Image, dpi: int | None = None) -> PageText:
        """Turn one page image upright, OCR it and assemble its lines in reading order; `dpi`
        (the resolution a PDF page was rendered at) is recorded with it."""
        orientation = UPRIGHT
        if self.options.detect_orientation:
            orientation = (self._orientation or shared_detector()).detect(image)
            image = upright(image, orientation)
        lines = self.engine.read(image, time_limit=self.options.page_seconds, stop=self._stop)
        chars = sum(len(line.text) for line in lines)
        confidence = (
            sum(line.confidence * len(line.text) for line in lines) / chars if chars else None
        )
        return PageText(
            number,
            "ocr",
            page_text(lines),
            confidence,
            engine=engine_of(lines),
            rotation=orientation.rotation,
            skew=orientation.skew,
            dpi=dpi,
        )

    def interrupt(self) -> None:
        """Stop reading from any thread: kills the child, ends OCR in flight between lines."""
        self._stop.set()
        self._sandbox.interrupt()

    def close(self) -> None:
        """End the sandbox child (waits for a page read in flight in the child to end)."""
        self._sandbox.close()

    def __enter__(self) -> PageSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def engine_of(lines: Sequence[OcrLine]) -> str | None:
    """The engines that read `lines`, most characters first, joined by `+`."""
    chars: Counter[str] = Counter()
    for line in lines:
        chars[line.engine or "unknown"] += len(line.text)
    return "+".join(name for name, _ in chars.most_common()) or None


def open_document(
    data: bytes,
    kind: DocumentKind,
    engine: OcrEngine,
    options: ReadOptions,
    *,
    fault: Fault | None = None,
    password: str | None = None,
    orientation: OrientationDetector | None = None,
) -> PageSource:
    """Open `data` as `kind` in a sandbox child; raises `InvalidDocument`, `EncryptedDocument`
    or `DocumentTooLarge`.

    `password` unlocks an encrypted PDF. `orientation` turns OCR'd pages upright (default: a
    process-wide detector on CPU, built at the first page that needs it). `fault` is for tests
    only: the child commits it right after opening the document.
    """
    why = sniff.mismatch(data, kind)
    if why is not None:
        raise InvalidDocument(why)
    return PageSource(data, kind, engine, options, fault, password, orientation)
