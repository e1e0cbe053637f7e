"""Fault 4: the S3 server is unreachable for about 10 s while documents are being read and stored.

Every stage that touches the blob store fails with `DependencyUnavailable` and is retried; when
S3 answers again the stores succeed, and no half-written object or unfinished upload remains.
"""

from __future__ import annotations

import asyncio
import sys
import time

import pytest
from temporalio.client import Client
from temporalio.service import RPCError

from docfleet_contracts import BatchRequest, DocumentProgress, naming
from docfleet_contracts.activities import PROGRESS_QUERY, STORE_RESULT
from docfleet_devstack.batches import eventually, start_batch
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]

BATCH = "fault-s3-down"
OUTAGE_SECONDS = 10


async def test_stores_are_retried_through_an_s3_outage(
    fault_stack: Stack, documents: ServedDocuments, client: Client
) -> None:
    assert fault_stack.s3_proxy is not None
    urls = documents.sample_urls()
    request = BatchRequest.model_validate(
        {"batch_id": BATCH, "documents": [{"url": u} for u in urls], "use_cache": False}
    )
    documents_ids = [naming.document_id_for(i, s) for i, s in enumerate(request.documents)]

    # With the storage worker away, every document stops at its store; then S3 goes down and
    # the storage worker comes back into the outage.
    fault_stack.stop_worker("storage")
    handle = await start_batch(client, request)

    async def all_waiting_to_store() -> bool:
        for document_id in documents_ids:
            doc = client.get_workflow_handle(naming.document_workflow_id(BATCH, document_id))
            try:
                progress = await doc.query(PROGRESS_QUERY, result_type=DocumentProgress)
            except RPCError:
                return False
            if progress.stage != "storing":
                return False
        return True

    await eventually(all_waiting_to_store, timeout=120, what="every document waiting to store")
    fault_stack.s3_proxy.cut()
    cut_at = time.monotonic()
    fault_stack.start_worker("storage")
    await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)) + 3)
    outage = time.monotonic() - cut_at
    fault_stack.s3_proxy.restore()
    result = await handle.result()
    sys.stdout.write(
        f"\nS3 down {outage:.1f} s: batch of {result.total} done "
        f"{time.monotonic() - cut_at - outage:.1f} s after S3 came back\n"
    )
    assert result.succeeded == len(urls), [
        f"{f.document_id}: {f.error_type}: {f.error_message}" for f in result.failure_sample
    ]

    retried_stores = 0
    for document_id in documents_ids:
        doc = client.get_workflow_handle(naming.document_workflow_id(BATCH, document_id))
        scheduled: set[int] = set()
        async for event in doc.fetch_history_events():
            if event.HasField("activity_task_scheduled_event_attributes"):
                attrs = event.activity_task_scheduled_event_attributes
                if attrs.activity_type.name == STORE_RESULT.name:
                    scheduled.add(event.event_id)
            if event.HasField("activity_task_started_event_attributes"):
                started = event.activity_task_started_event_attributes
                if started.scheduled_event_id in scheduled and started.attempt > 1:
                    retried_stores += 1
    sys.stdout.write(f"S3 down: {retried_stores} store_result activities needed a retry\n")
    assert retried_stores >= 1
    await check_batch_invariant(
        client, BATCH, request.documents, fault_stack.blob_url, fault_stack.s3_options
    )
