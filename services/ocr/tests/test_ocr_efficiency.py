"""Work the worker must not do: OCR of text pages, payloads that grow, a blocked event loop."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pymupdf
import pytest
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import naming
from docfleet_contracts.models import OcrCheckpoint, OcrInput, OcrResult
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.engine import Image, OcrEngine, OcrLine, RapidOcrEngine
from docfleet_ocr.settings import OcrSettings

from .conftest import pages_of, pdf_bytes, scanned_page, text_page

DENSE = [f"Line {n}: received in good order, signed and dated by the clerk" for n in range(7)]
"""A page of many lines: its OCR takes about a second here."""


class CountingEngine:
    """The real engine, counting the page images it is asked to read."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self.pages = 0

    def read(
        self, image: Image, time_limit: float | None = None, stop: threading.Event | None = None
    ) -> list[OcrLine]:
        self.pages += 1
        return self.engine.read(image, time_limit, stop)


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    executor = ThreadPoolExecutor(2)
    yield executor
    executor.shutdown()


async def read(
    ocr: OcrActivities, store: FileBlobStore, doc_id: str, data: bytes
) -> tuple[OcrResult, list[tuple[float, OcrCheckpoint]]]:
    """Run the activity once; also give its heartbeats, each with the time it was sent."""
    source = await store.put_bytes(naming.source_key("b1", doc_id), data, "application/pdf")
    beats: list[tuple[float, OcrCheckpoint]] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: beats.append((time.monotonic(), details[0]))
    request = OcrInput(batch_id="b1", document_id=doc_id, source=source, kind="pdf")
    return await env.run(ocr.ocr_pages, request), beats


def text_pdf(pages: int) -> bytes:
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        text_page(doc, [f"Statement of account, page {number}", "Balance carried forward"])
    return pdf_bytes(doc)


async def test_text_pages_are_never_ocrd_and_no_payload_grows_with_the_page_count(
    engine: RapidOcrEngine, tmp_path: Path, pool: ThreadPoolExecutor
) -> None:
    store = FileBlobStore(tmp_path)
    counting = CountingEngine(engine)
    ocr = OcrActivities(counting, store, pool, OcrSettings(ocr_heartbeat_every_seconds=600))

    few, few_beats = await read(ocr, store, "few", text_pdf(3))
    many, many_beats = await read(ocr, store, "many", text_pdf(120))

    # A rendered page always goes to the engine: no engine call means no page was rendered.
    assert counting.pages == 0
    assert (many.page_count, many.text_layer_pages, many.ocr_pages) == (120, 120, 0)
    pages = await pages_of(store, many)
    assert [page.number for page in pages] == list(range(1, 121))
    assert {page.method for page in pages} == {"text_layer"}
    # Result and checkpoints keep their size from 3 pages to 120 (ids and counts aside), where
    # a list of page summaries would add about 150 bytes a page.
    assert abs(len(many.model_dump_json()) - len(few.model_dump_json())) < 40
    sizes = {len(beat.model_dump_json()) for _, beat in few_beats + many_beats}
    assert max(sizes) < 40
    assert many_beats[-1][1] == OcrCheckpoint(pages_total=120, pages_done=120)


async def test_ocr_runs_off_the_event_loop_and_heartbeats_go_on_meanwhile(
    engine: RapidOcrEngine, tmp_path: Path, pool: ThreadPoolExecutor
) -> None:
    store = FileBlobStore(tmp_path)
    ocr = OcrActivities(engine, store, pool, OcrSettings(ocr_heartbeat_every_seconds=0.05))
    doc = pymupdf.open()
    scanned_page(doc, DENSE)
    scanned_page(doc, DENSE)
    stalls: list[float] = []

    async def probe() -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            stalls.append(time.monotonic() - before - 0.01)

    ticking = asyncio.create_task(probe())
    began = time.monotonic()
    try:
        result, beats = await read(ocr, store, "dense", pdf_bytes(doc))
    finally:
        ticking.cancel()
    took = time.monotonic() - began

    assert result.ocr_pages == 2 and result.chars > 600
    # The loop answered within a small fraction of the OCR time all along (a loop blocked by
    # OCR would stall for a page's time: about 0.7 s here)...
    assert max(stalls) < min(0.25, took / 4)
    # ... and the keep-alive heartbeat kept going while the page was OCR'd.
    times = [began, *(at for at, _ in beats)]
    assert max(later - earlier for earlier, later in itertools.pairwise(times)) < 0.5
    assert len(beats) > took / 0.05 / 2
