"""Checkpointed heartbeats: a retry resumes after the last stored page; cancellation stops early."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pymupdf
import pytest
from prometheus_client import REGISTRY
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import naming
from docfleet_contracts.models import OcrCheckpoint, OcrInput, OcrResult, PageSummary
from docfleet_ocr import checkpoint
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.settings import OcrSettings

from .conftest import pages_of, pdf_bytes, scanned_page

PAGES = (
    "Delivery note 7781",
    "Received in good order",
    "Signed copy attached",
    "Statement of account for March",
)
"""One line per scanned page: each page is OCR'd (no text layer), and quickly."""


@pytest.fixture(scope="module")
def scan() -> bytes:
    doc = pymupdf.open()
    for line in PAGES:
        scanned_page(doc, [line])
    return pdf_bytes(doc)


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    executor = ThreadPoolExecutor(2)
    yield executor
    executor.shutdown()


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def ocr_pages_read() -> float:
    return sample("docfleet_ocr_pages_total", method="ocr")


class Run:
    """One attempt of the activity in an `ActivityEnvironment`, recording its heartbeats."""

    def __init__(self, details: list[object] | None = None, cancel_at: int | None = None) -> None:
        self.env = ActivityEnvironment()
        self.env.info = dataclasses.replace(self.env.info, heartbeat_details=details or [])
        self.env.on_heartbeat = self._beat
        self.beats: list[OcrCheckpoint] = []
        self.beaten = asyncio.Event()
        self._cancel_at = cancel_at

    def _beat(self, *details: object) -> None:
        assert len(details) == 1 and isinstance(details[0], OcrCheckpoint)
        self.beats.append(details[0])
        self.beaten.set()
        if self._cancel_at is not None and details[0].pages_done == self._cancel_at:
            self.env.cancel()

    async def read(self, ocr: OcrActivities, request: OcrInput) -> OcrResult:
        return await self.env.run(ocr.ocr_pages, request)

    def as_json(self) -> list[object]:
        """The last checkpoint as a retry gets it: plain JSON, decoded without a type hint."""
        return [self.beats[-1].model_dump(mode="json")]


async def stored_scan(store: FileBlobStore, scan: bytes, doc_id: str) -> OcrInput:
    source = await store.put_bytes(naming.source_key("b1", doc_id), scan, "application/pdf")
    return OcrInput(batch_id="b1", document_id=doc_id, source=source, kind="pdf")


def activities(
    engine: RapidOcrEngine, store: FileBlobStore, pool: ThreadPoolExecutor, **settings: object
) -> OcrActivities:
    values = {"ocr_heartbeat_every_seconds": 600.0, "ocr_dpi": 120, **settings}
    return OcrActivities(engine, store, pool, OcrSettings.model_validate(values))


async def stored_summary(store: FileBlobStore, number: int) -> PageSummary:
    uri = store.uri_for(naming.page_summary_key("b1", "d1", number))
    return PageSummary.model_validate_json(await store.get_bytes(uri))


async def assert_full_text(store: FileBlobStore, result: OcrResult) -> None:
    full = await store.read_text(result.text)
    assert full == "\f".join(PAGES)
    assert (result.page_count, result.ocr_pages, result.chars) == (4, 4, len(full))
    pages = await pages_of(store, result)
    for number, (page, line) in enumerate(zip(pages, PAGES, strict=True), start=1):
        assert page.number == number
        assert full[page.start : page.start + page.chars] == line
        assert page.text_uri == store.uri_for(naming.page_text_key("b1", "d1", number))


async def test_a_retry_resumes_after_the_checkpointed_pages(
    engine: RapidOcrEngine,
    blob_store: FileBlobStore,
    pool: ThreadPoolExecutor,
    scan: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ocr = activities(engine, blob_store, pool)
    request = await stored_scan(blob_store, scan, "d1")
    before = ocr_pages_read()

    first = Run(cancel_at=2)
    with pytest.raises(asyncio.CancelledError):
        await first.read(ocr, request)
    assert [beat.pages_done for beat in first.beats] == [0, 1, 2]
    assert ocr_pages_read() - before == 2  # page 3 was never started after the cancel
    assert first.beats[-1] == OcrCheckpoint(pages_total=4, pages_done=2)
    assert not await blob_store.exists(blob_store.uri_for(naming.page_text_key("b1", "d1", 3)))
    assert not await blob_store.exists(blob_store.uri_for(naming.page_summary_key("b1", "d1", 3)))
    checkpointed = [await stored_summary(blob_store, number) for number in (1, 2)]

    resumed = sample("docfleet_ocr_pages_resumed_total")
    caplog.set_level(logging.INFO, logger="docfleet_ocr")
    second = Run(details=first.as_json())
    result = await second.read(ocr, request)

    assert ocr_pages_read() - before == 4  # the retry OCR'd pages 3 and 4 only
    assert sample("docfleet_ocr_pages_resumed_total") - resumed == 2
    assert "resuming b1/d1 after page 2 of 4 (checkpoint)" in caplog.messages
    assert [beat.pages_done for beat in second.beats] == [2, 3, 4]
    assert (await pages_of(blob_store, result))[:2] == checkpointed
    await assert_full_text(blob_store, result)


async def test_a_checkpointed_page_whose_text_is_gone_is_read_again(
    engine: RapidOcrEngine, blob_store: FileBlobStore, pool: ThreadPoolExecutor, scan: bytes
) -> None:
    ocr = activities(engine, blob_store, pool)
    request = await stored_scan(blob_store, scan, "d1")
    first = Run(cancel_at=2)
    with pytest.raises(asyncio.CancelledError):
        await first.read(ocr, request)
    assert (blob_store.root / naming.page_text_key("b1", "d1", 2)).is_file()
    (blob_store.root / naming.page_text_key("b1", "d1", 2)).unlink()
    before = ocr_pages_read()

    second = Run(details=first.as_json())
    result = await second.read(ocr, request)

    assert ocr_pages_read() - before == 3  # pages 2, 3 and 4; page 1 came from the checkpoint
    assert [beat.pages_done for beat in second.beats] == [1, 2, 3, 4]
    await assert_full_text(blob_store, result)


async def test_only_a_consistent_prefix_of_a_checkpoint_is_trusted(
    blob_store: FileBlobStore,
) -> None:
    async def stored(number: int, text: str, chars: int | None = None, named: int = 0) -> None:
        summary = PageSummary(
            number=named or number, method="ocr", chars=len(text) if chars is None else chars,
            start=99, confidence=0.5,
        )  # fmt: skip
        await blob_store.put_text(naming.page_text_key("b1", "d1", number), text)
        key = naming.page_summary_key("b1", "d1", number)
        await blob_store.put_bytes(key, summary.model_dump_json().encode(), "application/json")

    async def kept(done: int, total: int = 4) -> list[tuple[int, int, str]]:
        listing = OcrCheckpoint(pages_total=4, pages_done=done)
        pages = await checkpoint.restore(blob_store, "b1", "d1", listing, total)
        return [(page.summary.number, page.summary.start, page.text) for page in pages]

    for number, text in enumerate(["one", "two", "three"], start=1):
        await stored(number, text)
    assert await kept(3) == [(1, 0, "one"), (2, 4, "two"), (3, 8, "three")]
    assert await kept(2) == [(1, 0, "one"), (2, 4, "two")]  # only what the checkpoint counts
    assert await kept(4) == [(1, 0, "one"), (2, 4, "two"), (3, 8, "three")]  # 4 never stored
    assert await kept(2, total=5) == []  # another page count
    await stored(2, "two", named=3)
    assert await kept(3) == [(1, 0, "one")]  # a summary of another page
    await stored(2, "two", chars=4)
    assert await kept(3) == [(1, 0, "one")]  # another length
    await stored(2, "two")
    (blob_store.root / naming.page_text_key("b1", "d1", 2)).unlink()
    assert await kept(3) == [(1, 0, "one")]  # a missing text
    await stored(2, "two")
    (blob_store.root / naming.page_summary_key("b1", "d1", 2)).write_text("{not json")
    assert await kept(3) == [(1, 0, "one")]  # an unreadable summary
    await stored(2, "two")
    restored = await checkpoint.restore(
        blob_store, "b1", "d1", OcrCheckpoint(pages_total=4, pages_done=3), 4
    )
    assert [page.summary.confidence for page in restored] == [0.5, 0.5, 0.5]
    assert restored[1].summary.text_uri == blob_store.uri_for(naming.page_text_key("b1", "d1", 2))


def test_heartbeat_details_that_are_no_checkpoint_mean_start_over() -> None:
    assert checkpoint.parse([]) is None
    assert checkpoint.parse([1, 2]) is None  # an older worker's (pages_done, pages_total)
    assert checkpoint.parse([{"pages_total": 3, "pages_done": 4}]) is None
    parsed = checkpoint.parse([{"pages_total": 3, "pages_done": 2, "added_later": True}])
    assert parsed == OcrCheckpoint(pages_total=3, pages_done=2)
    # A checkpoint that listed its pages inline counts none: those pages are read again.
    assert checkpoint.parse([{"pages_total": 3, "pages": []}]) == OcrCheckpoint(pages_total=3)


async def test_cancel_while_a_page_is_in_flight_ends_its_child_promptly(
    engine: RapidOcrEngine, blob_store: FileBlobStore, scan: bytes
) -> None:
    settings = OcrSettings(ocr_heartbeat_every_seconds=0.05, ocr_sandbox_wall_seconds=600)
    with ThreadPoolExecutor(1) as pool:
        # The child hangs before answering page 1: only an interrupt ends that read early.
        ocr = OcrActivities(engine, blob_store, pool, settings, faults={"stuck": "hang"})
        request = await stored_scan(blob_store, scan, "stuck")
        run = Run()
        cancelled = sample("docfleet_ocr_documents_total", outcome="cancelled")
        before = ocr_pages_read()
        task = asyncio.create_task(run.read(ocr, request))
        while len(run.beats) < 2:  # the second beat is a keep-alive: page 1 is being read
            run.beaten.clear()
            await asyncio.wait_for(run.beaten.wait(), timeout=30)
        run.env.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=20)
        # The page thread in flight has ended too (the pool's only thread is free again).
        assert await asyncio.wait_for(asyncio.wrap_future(pool.submit(lambda: "free")), 10)
    assert all(beat == OcrCheckpoint(pages_total=4) for beat in run.beats)
    assert sample("docfleet_ocr_documents_total", outcome="cancelled") - cancelled == 1
    assert ocr_pages_read() == before
