"""Fault 1: the OCR worker is killed (`kill -9`) in the middle of a multi-page scanned PDF.

A replacement worker takes the retried activity over after the heartbeat timeout and resumes
after the last page the server had checkpointed: the pages before it are not OCR'd again
(measured by the replacement's page counter) and the text has every page once, in order.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time

import pytest
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError

from docfleet_contracts import BatchRequest, BatchResult, DocumentSpec, OcrCheckpoint, naming
from docfleet_contracts.activities import OCR_PAGES
from docfleet_devstack.batches import batch_documents, eventually, start_batch
from docfleet_devstack.faults import read_blob, scrape, worker_logs
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]


async def server_checkpoint(handle: WorkflowHandle[object, object]) -> OcrCheckpoint | None:
    """The OCR checkpoint the Temporal server holds for the document's running activity."""
    try:
        description = await handle.describe()
    except RPCError:
        return None
    for pending in description.raw_description.pending_activities:
        if pending.activity_type.name == OCR_PAGES.name and pending.heartbeat_details.payloads:
            (details,) = pydantic_data_converter.payload_converter.from_payloads(
                pending.heartbeat_details.payloads
            )[-1:]
            return OcrCheckpoint.model_validate(details)
    return None


async def start_scan_until_checkpointed(
    client: Client, documents: ServedDocuments, batch_id: str
) -> tuple[WorkflowHandle[object, BatchResult], WorkflowHandle[object, object]]:
    """Start the numbered scan alone and return once the server holds 2 checkpointed pages."""
    spec = DocumentSpec(url=documents.url(documents.scanned))
    request = BatchRequest(batch_id=batch_id, documents=[spec], use_cache=False)
    batch = await start_batch(client, request)
    document = client.get_workflow_handle(
        naming.document_workflow_id(batch_id, naming.document_id_for(0, spec))
    )

    async def two_pages_checkpointed() -> bool:
        checkpoint = await server_checkpoint(document)
        return checkpoint is not None and checkpoint.pages_done >= 2

    await eventually(two_pages_checkpointed, timeout=120, what="2 checkpointed OCR pages")
    return batch, document


def ocr_pages_counted(stack: Stack) -> float:
    return scrape(stack, "ocr")['docfleet_ocr_pages_total{method="ocr"}']


async def test_killed_ocr_worker_is_replaced_and_the_document_resumes_after_its_checkpoint(
    fault_stack: Stack, documents: ServedDocuments, client: Client
) -> None:
    batch, document = await start_scan_until_checkpointed(client, documents, "fault-kill-ocr")
    fault_stack.kill_worker("ocr")
    killed_at = time.monotonic()
    # A dead worker sends nothing more: what the server holds now is what the retry gets.
    await asyncio.sleep(1)
    resumed_from = await server_checkpoint(document)
    assert resumed_from is not None
    fault_stack.start_worker("ocr")

    result = await batch.result()
    recovered_in = time.monotonic() - killed_at
    assert result.succeeded == 1, result.failure_sample
    redone = ocr_pages_counted(fault_stack)
    sys.stdout.write(  # the figures for the closing note (pytest -s)
        f"\nkill -9 OCR: resumed after page {resumed_from.pages_done} of "
        f"{documents.scanned_pages}; the replacement OCR'd {redone:g} pages; "
        f"batch done {recovered_in:.1f} s after the kill\n"
    )
    assert resumed_from.pages_done >= 2
    assert redone == documents.scanned_pages - resumed_from.pages_done
    assert f"after page {resumed_from.pages_done} of {documents.scanned_pages}" in worker_logs(
        fault_stack, "ocr"
    )

    [row] = await batch_documents(fault_stack, result)
    text = (await read_blob(fault_stack, row.text_uri or "")).decode()
    markers = [int(n) for n in re.findall(r"Page\s*marker\s*(\d+)", text, re.IGNORECASE)]
    assert markers == list(range(1, documents.scanned_pages + 1)), text
    await check_batch_invariant(
        client, "fault-kill-ocr", 1, fault_stack.blob_url, fault_stack.s3_options
    )


async def test_sigterm_drains_the_ocr_worker_and_the_retry_resumes(
    fault_stack: Stack, documents: ServedDocuments, client: Client
) -> None:
    batch, document = await start_scan_until_checkpointed(client, documents, "fault-sigterm-ocr")
    stopping = time.monotonic()
    exit_code = fault_stack.stop_worker("ocr")
    drained_in = time.monotonic() - stopping
    checkpoint = await server_checkpoint(document)
    assert checkpoint is not None
    fault_stack.start_worker("ocr")
    result = await batch.result()
    redone = ocr_pages_counted(fault_stack)
    sys.stdout.write(
        f"\nSIGTERM OCR: exit {exit_code} after {drained_in:.1f} s; checkpoint at page "
        f"{checkpoint.pages_done} of {documents.scanned_pages}; replacement OCR'd {redone:g}\n"
    )
    assert exit_code == 0  # a clean, drained stop, not a kill
    assert result.succeeded == 1
    assert redone == documents.scanned_pages - checkpoint.pages_done
    await check_batch_invariant(
        client, "fault-sigterm-ocr", 1, fault_stack.blob_url, fault_stack.s3_options
    )
