"""The `ocr.ocr_pages` activity: read a document's pages into the blob store, report progress."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from temporalio import activity
from temporalio.client import Client

from docfleet_blobstore import BlobStore, BlobStoreError
from docfleet_contracts import naming
from docfleet_contracts.activities import OCR_PAGES
from docfleet_contracts.models import OcrInput, OcrResult, PageSummary
from docfleet_ocr.engine import OcrEngine
from docfleet_ocr.options import Fault
from docfleet_ocr.pipeline import PageText, ReadOptions, open_document
from docfleet_ocr.progress import ProgressSignaller
from docfleet_ocr.settings import OcrSettings
from docfleet_runtime import ServiceError, application_error

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
        faults: Mapping[str, Fault] | None = None,
    ) -> None:
        """`faults` is for tests only: document id -> fault its sandbox child commits."""
        self._engine = engine
        self._blobs = blobs
        self._pool = pool
        self._client = client
        self._faults = dict(faults or {})
        self._interval = settings.progress_signal_interval_seconds
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
        )

    @activity.defn(name=OCR_PAGES.name)
    async def ocr_pages(self, request: OcrInput) -> OcrResult:
        """Read every page (text layer or OCR); heartbeats `(pages_done, pages_total)`."""
        try:
            return await self._read(request)
        except (ServiceError, BlobStoreError) as exc:
            raise application_error(exc) from exc

    async def _read(self, request: OcrInput) -> OcrResult:
        data = await self._blobs.read(request.source)
        loop = asyncio.get_running_loop()
        fault = self._faults.get(request.document_id)
        password = None if request.password is None else request.password.get_secret_value()
        opener = partial(open_document, fault=fault, password=password)
        source = await loop.run_in_executor(
            self._pool, opener, data, request.kind, self._engine, self._options
        )
        del password
        del data
        signaller = ProgressSignaller(self._client, activity.info().workflow_id, self._interval)
        total = source.page_count
        pages: list[PageText] = []
        summaries: list[PageSummary] = []
        start = 0
        try:
            activity.heartbeat(0, total)
            for number in range(1, total + 1):
                page = await loop.run_in_executor(self._pool, source.read_page, number)
                key = naming.page_text_key(request.batch_id, request.document_id, number)
                ref = await self._blobs.put_text(key, page.text)
                summaries.append(_summary(page, start, ref.uri))
                pages.append(page)
                start += len(page.text) + 1  # the form feed between pages
                activity.heartbeat(number, total)
                await signaller.report(number, total)
        finally:
            await loop.run_in_executor(self._pool, source.close)
        full = "\f".join(page.text for page in pages)
        text = await self._blobs.put_text(
            naming.full_text_key(request.batch_id, request.document_id), full
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
            pages=summaries,
        )


def _summary(page: PageText, start: int, uri: str) -> PageSummary:
    return PageSummary(
        number=page.number,
        method=page.method,
        chars=len(page.text),
        start=start,
        confidence=page.confidence,
        text_uri=uri,
    )
