"""Fault 2: the Temporal server stops in the middle of a batch and starts again (same database).

Workers lose their connection, keep retrying, and carry on when the server is back; the batch
completes with every document accounted for.
"""

from __future__ import annotations

import asyncio
import sys
import time

import pytest
from temporalio.client import Client

from docfleet_contracts import BatchProgress, BatchRequest, BatchResult
from docfleet_contracts.activities import PROGRESS_QUERY
from docfleet_devstack.batches import eventually, start_batch
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack
from docfleet_runtime import connect_client

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]

DOWN_SECONDS = 5


async def test_batch_survives_a_temporal_server_restart(
    fault_stack: Stack, documents: ServedDocuments, client: Client
) -> None:
    urls = [*documents.sample_urls(), documents.url(documents.scanned), documents.url("gone.pdf")]
    request = BatchRequest.model_validate(
        {
            "batch_id": "fault-temporal-restart",
            "documents": [{"url": u} for u in urls],
            "max_concurrency": 2,
            "use_cache": False,
        }
    )
    handle = await start_batch(client, request)

    async def underway() -> bool:
        progress = await handle.query(PROGRESS_QUERY, result_type=BatchProgress)
        return bool(progress.succeeded + progress.failed >= 1 and progress.running >= 1)

    await eventually(underway, timeout=120, what="a batch with documents done and running")
    fault_stack.stop_temporal()
    stopped_at = time.monotonic()
    await asyncio.sleep(DOWN_SECONDS)
    fault_stack.start_temporal()

    # A fresh client, as a user's next command would have.
    after = await connect_client(fault_stack.temporal.address, "default", wait_seconds=30)
    result: BatchResult = await after.get_workflow_handle(
        handle.id, result_type=BatchResult
    ).result()
    sys.stdout.write(
        f"\nTemporal restart: down {DOWN_SECONDS} s; batch of {result.total} done "
        f"{time.monotonic() - stopped_at:.1f} s after the stop "
        f"({result.succeeded} succeeded, {result.failed} failed)\n"
    )
    report = await check_batch_invariant(
        after, "fault-temporal-restart", request.documents, fault_stack.blob_url,
        fault_stack.s3_options,
    )  # fmt: skip
    assert report.succeeded == len(urls) - 1
    assert report.failure_types == {"DocumentNotFound": 1}
    for service, worker in fault_stack.workers.items():
        assert worker.alive(), f"the {service} worker died with the server"
