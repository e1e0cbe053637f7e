"""The `ocr.ocr_pages` activity: read a document's pages into the blob store, report progress.

Durable page by page: after each page its text and summary are stored at their deterministic
keys and an `OcrCheckpoint` (a page count, bounded) is heartbeated, so a retry on any worker
resumes after the last finished page. The per-page summaries reach the caller as one blob, the
`PageIndex`: no payload grows with the page count.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from temporalio import activity
from temporalio.client import Client

from docfleet_blobstore import BlobStore, BlobStoreError
from docfleet_contracts import naming
from docfleet_contracts.activities import OCR_PAGES
from docfleet_contracts.models import (
    OcrCheckpoint,
    OcrInput,
    OcrResult,
    PageIndex,
    PageSummary,
)
from docfleet_ocr import checkpoint, metrics
from docfleet_ocr.checkpoint import DonePage, checkpoint_of
from docfleet_ocr.engine import OcrEngine
from docfleet_ocr.heartbeat import Heartbeat
from docfleet_ocr.options import Fault
from docfleet_ocr.orientation import OrientationDetector
from docfleet_ocr.pipeline import PageSource, PageText, ReadOptions, open_document
from docfleet_ocr.progress import ProgressSignaller
from docfleet_ocr.settings import OcrSettings
from docfleet_runtime import ServiceError, application_error
from docfleet_runtime.heartbeats import keepalive_seconds

log = logging.getLogger(__name__)


class OcrActivities:
    """Holds the worker's engine, blob store and page thread pool; one instance per worker."""

    def __init__(
        self,
        engine: OcrEngine,
        blobs: BlobStore,
        pool: ThreadPoolExecutor,
        settings: OcrSettings,
        client: Client | None = None,
        *,
        orientation: OrientationDetector | None = None,
        faults: Mapping[str, Fault] | None = None,
    ) -> None:
        """`orientation` turns pages upright (None: a CPU detector shared by the process, built
        at the first OCR page). `faults` is for tests only: document id -> fault its sandbox
        child commits."""
        self._engine = engine
        self._orientation = orientation
        self._blobs = blobs
        self._pool = pool
        self._client = client
        self._faults = dict(faults or {})
        self._interval = settings.progress_signal_interval_seconds
        self._heartbeat_every = settings.ocr_heartbeat_every_seconds
        self._options = ReadOptions(
            dpi=settings.ocr_dpi,
            max_pages=settings.ocr_max_pages,
            max_image_pixels=settings.ocr_max_image_pixels,
            max_embedded_image_pixels=settings.ocr_max_embedded_image_pixels,
            min_text_chars=settings.ocr_min_text_chars,
            max_text_chars=settings.ocr_max_text_chars,
            page_seconds=settings.ocr_page_seconds,
            memory_mb=settings.ocr_sandbox_memory_mb,
            cpu_seconds=settings.ocr_sandbox_cpu_seconds,
            wall_seconds=settings.ocr_sandbox_wall_seconds,
            min_dpi=settings.ocr_min_dpi,
            max_dpi=settings.ocr_max_dpi,
            max_side_len=settings.ocr_max_side_len,
            detect_orientation=settings.ocr_detect_orientation,
        )

    @activity.defn(name=OCR_PAGES.name)
    async def ocr_pages(self, request: OcrInput) -> OcrResult:
        """Read every page (text layer or OCR), resuming after an earlier attempt's checkpoint;
        heartbeats an `OcrCheckpoint` after each page and every few seconds meanwhile."""
        try:
            result = await self._read(request)
        except asyncio.CancelledError:
            metrics.DOCUMENTS.labels(outcome="cancelled").inc()
            raise
        except (ServiceError, BlobStoreError) as exc:
            error = application_error(exc)
            metrics.DOCUMENTS.labels(outcome="refused" if error.non_retryable else "failed").inc()
            raise error from exc
        except Exception:
            metrics.DOCUMENTS.labels(outcome="failed").inc()
            raise
        metrics.DOCUMENTS.labels(outcome="succeeded").inc()
        return result

    async def _read(self, request: OcrInput) -> OcrResult:
        previous = checkpoint.parse(activity.info().heartbeat_details)
        every = keepalive_seconds(self._heartbeat_every)
        async with Heartbeat(every, initial=previous) as beats:
            source = await self._open(request)
            total = source.page_count
            done: list[DonePage] = []
            try:
                done = await self._resume(request, source, previous)
                beats.beat(checkpoint_of(total, done))
                await self._read_pages(request, source, done, beats)
            except asyncio.CancelledError:
                source.interrupt()  # a page in flight ends now; its result is dropped
                log.info(
                    "cancelled %s/%s after page %d of %d; a retry resumes from the checkpoint",
                    request.batch_id, request.document_id, len(done), total,
                )  # fmt: skip
                raise
            finally:
                # Not on the page pool: its threads may all be busy with other documents.
                await asyncio.to_thread(source.close)
        return await self._finish(request, total, done)

    async def _open(self, request: OcrInput) -> PageSource:
        data = await self._blobs.read(request.source)
        fault = self._faults.get(request.document_id)
        password = None if request.password is None else request.password.get_secret_value()
        opener = partial(
            open_document, fault=fault, password=password, orientation=self._orientation
        )
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self._pool, opener, data, request.kind, self._engine, self._options
        )
        del password, data
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            future.add_done_callback(_close_late)  # opened after the cancel: end its child
            raise

    async def _resume(
        self, request: OcrInput, source: PageSource, previous: OcrCheckpoint | None
    ) -> list[DonePage]:
        if previous is None or not previous.pages_done:
            return []
        total = source.page_count
        done = await checkpoint.restore(
            self._blobs, request.batch_id, request.document_id, previous, total
        )
        if done:
            source.count_restored(sum(len(page.text) for page in done))
            metrics.PAGES_RESUMED.inc(len(done))
            log.info(
                "resuming %s/%s after page %d of %d (checkpoint)",
                request.batch_id, request.document_id, len(done), total,
            )  # fmt: skip
        return done

    async def _read_pages(
        self, request: OcrInput, source: PageSource, done: list[DonePage], beats: Heartbeat
    ) -> None:
        """Read the pages after `done`, appending each to `done` once stored and heartbeated."""
        loop = asyncio.get_running_loop()
        signaller = ProgressSignaller(self._client, activity.info().workflow_id, self._interval)
        total = source.page_count
        if done:
            await signaller.report(len(done), total)
        for number in range(len(done) + 1, total + 1):
            await asyncio.sleep(0)  # a cancellation point: no page starts after a cancel
            began = time.monotonic()
            page = await loop.run_in_executor(self._pool, source.read_page, number)
            seconds = time.monotonic() - began
            key = naming.page_text_key(request.batch_id, request.document_id, number)
            start = done[-1].summary.start + len(done[-1].text) + 1 if done else 0
            summary = _summary(page, start, self._blobs.uri_for(key))
            await checkpoint.store_page(
                self._blobs, request.batch_id, request.document_id, summary, page.text
            )
            done.append(DonePage(summary, page.text))
            beats.beat(checkpoint_of(total, done))
            metrics.PAGES.labels(method=page.method).inc()
            metrics.PAGE_SECONDS.labels(method=page.method).observe(seconds)
            await signaller.report(number, total)

    async def _finish(self, request: OcrInput, total: int, done: list[DonePage]) -> OcrResult:
        full = "\f".join(page.text for page in done)
        text = await self._blobs.put_text(
            naming.full_text_key(request.batch_id, request.document_id), full
        )
        pages = [page.summary for page in done]
        index = await self._blobs.put_bytes(
            naming.page_index_key(request.batch_id, request.document_id),
            PageIndex(pages=pages).model_dump_json().encode("utf-8"),
            "application/json",
        )
        confidences = [page.confidence for page in pages if page.confidence is not None]
        ocr_pages = sum(page.method == "ocr" for page in pages)
        log.info(
            "read %s/%s: %d pages (%d by OCR), %d chars",
            request.batch_id, request.document_id, total, ocr_pages, len(full),
        )  # fmt: skip
        return OcrResult(
            page_count=total,
            text_layer_pages=total - ocr_pages,
            ocr_pages=ocr_pages,
            mean_confidence=sum(confidences) / len(confidences) if confidences else None,
            chars=len(full),
            text=text,
            page_index=index,
        )


def _summary(page: PageText, start: int, uri: str) -> PageSummary:
    return PageSummary(
        number=page.number,
        method=page.method,
        chars=len(page.text),
        start=start,
        confidence=page.confidence,
        text_uri=uri,
        engine=page.engine,
        rotation=page.rotation,
        skew=page.skew,
        dpi=page.dpi,
    )


def _close_late(future: asyncio.Future[PageSource]) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    threading.Thread(target=future.result().close, name="ocr-close", daemon=True).start()
