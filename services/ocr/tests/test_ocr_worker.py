"""A real retry through the Temporal dev server: the second attempt resumes from the heartbeat."""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pymupdf
import pytest
from prometheus_client import REGISTRY
from temporalio import workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy

from docfleet_blobstore import BlobStoreUnavailable, FileBlobStore
from docfleet_contracts import BlobRef, naming
from docfleet_contracts.activities import OCR_PAGES
from docfleet_contracts.models import OcrInput, OcrResult, WireModel
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.settings import OcrSettings
from docfleet_runtime import build_worker

from .conftest import pages_of, pdf_bytes, scanned_page

PAGES = ("Delivery note 7781", "Received in good order", "Signed copy attached")


class ProbeInput(WireModel):
    queue: str
    request: OcrInput


@workflow.defn(sandboxed=False)
class OcrProbe:
    """Calls `ocr.ocr_pages` with a heartbeat timeout and quick retries, like the orchestrator."""

    @workflow.run
    async def run(self, probe: ProbeInput) -> OcrResult:
        result: OcrResult = await workflow.execute_activity(
            OCR_PAGES.name,
            probe.request,
            task_queue=probe.queue,
            result_type=OcrResult,
            start_to_close_timeout=timedelta(seconds=120),
            heartbeat_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=100)),
        )
        return result


class FailsOnce(FileBlobStore):
    """A real folder store whose first write of one key fails as an unreachable store would."""

    def __init__(self, root: Path, key: str) -> None:
        super().__init__(root)
        self.key = key
        self.failed = False

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> BlobRef:
        if key == self.key and not self.failed:
            self.failed = True
            raise BlobStoreUnavailable("injected: the blob store went away")
        return await super().put_bytes(key, data, content_type)


def ocr_pages_read() -> float:
    return REGISTRY.get_sample_value("docfleet_ocr_pages_total", {"method": "ocr"}) or 0.0


@pytest.mark.integration
async def test_a_failed_attempt_is_resumed_from_its_heartbeat_by_the_retry(
    temporal_client: Client,
    task_queue: str,
    tmp_path: Path,
    engine: RapidOcrEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = FailsOnce(tmp_path, naming.page_text_key("b1", "d1", 3))
    doc = pymupdf.open()
    for line in PAGES:
        scanned_page(doc, [line])
    source = await store.put_bytes(naming.source_key("b1", "d1"), pdf_bytes(doc), "application/pdf")
    request = OcrInput(batch_id="b1", document_id="d1", source=source, kind="pdf")
    before = ocr_pages_read()
    resumed = REGISTRY.get_sample_value("docfleet_ocr_pages_resumed_total") or 0.0
    caplog.set_level(logging.INFO, logger="docfleet_ocr")
    with ThreadPoolExecutor(2) as pool:
        ocr = OcrActivities(engine, store, pool, OcrSettings(ocr_dpi=120), client=temporal_client)
        worker = build_worker(
            temporal_client,
            OcrSettings(),
            task_queue=task_queue,
            activities=[ocr.ocr_pages],
            workflows=[OcrProbe],
        )
        async with worker:
            result = await temporal_client.execute_workflow(
                OcrProbe.run,
                ProbeInput(queue=task_queue, request=request),
                id=f"ocr-probe-{uuid.uuid4().hex[:8]}",
                task_queue=task_queue,
            )

    assert store.failed
    assert "resuming b1/d1 after page 2 of 3 (checkpoint)" in caplog.messages
    assert (REGISTRY.get_sample_value("docfleet_ocr_pages_resumed_total") or 0.0) - resumed == 2
    # Page 3 was OCR'd by the failed attempt but never stored: it counts once, for the retry.
    assert ocr_pages_read() - before == 3
    full = await store.read_text(result.text)
    assert full == "\f".join(PAGES)
    assert [full[p.start : p.start + p.chars] for p in await pages_of(store, result)] == list(PAGES)
