"""Fault 3: Redis is down for a whole batch.

Documents keep flowing: the fetcher's breakers fall back to in-process state, the cache answers
"miss", and the batch completes. Analytics cannot be recorded meanwhile; their workflows keep
retrying and record every document exactly once when Redis is back.
"""

from __future__ import annotations

import sys
import time

import pytest
from redis.asyncio import Redis
from temporalio.client import Client, WorkflowExecutionStatus

from docfleet_contracts import DocumentSpec, naming
from docfleet_devstack.batches import batch_documents, eventually, run_batch
from docfleet_devstack.faults import worker_logs
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]

BATCH = "fault-redis-down"


async def test_batch_completes_without_redis_and_analytics_catch_up_later(
    fault_stack: Stack, documents: ServedDocuments, client: Client
) -> None:
    urls = documents.sample_urls()
    fault_stack.stop_redis(save=True)
    result = await run_batch(client, BATCH, urls)
    assert (result.succeeded, result.cached) == (len(urls), 0)
    assert "Redis unreachable" in worker_logs(fault_stack, "fetcher")
    assert "cache unavailable" in worker_logs(fault_stack, "orchestrator")

    rows = await batch_documents(fault_stack, result)
    assert len(rows) == len(urls)
    analytics = [
        client.get_workflow_handle(naming.analytics_workflow_id(BATCH, d.document_id)) for d in rows
    ]

    async def all_retrying() -> bool:
        for handle in analytics:
            description = await handle.describe()
            if description.status != WorkflowExecutionStatus.RUNNING:
                return False
            pending = description.raw_description.pending_activities
            if not pending or pending[0].attempt < 2:
                return False
        return True

    await eventually(all_retrying, timeout=30, what="analytics retrying while Redis is down")
    for handle in analytics:
        (pending,) = (await handle.describe()).raw_description.pending_activities
        assert pending.last_failure.application_failure_info.type == "DependencyUnavailable"

    fault_stack.start_redis()
    back_at = time.monotonic()

    async def all_recorded() -> bool:
        statuses = [(await h.describe()).status for h in analytics]
        return all(s == WorkflowExecutionStatus.COMPLETED for s in statuses)

    await eventually(all_recorded, timeout=60, what="analytics recorded after Redis came back")
    sys.stdout.write(
        f"\nRedis down: batch of {result.total} completed without it; analytics recorded "
        f"{time.monotonic() - back_at:.1f} s after it came back\n"
    )
    redis = Redis.from_url(fault_stack.redis.url, decode_responses=True)
    try:
        seen = [f"docfleet:analytics:seen:{BATCH}:{d.document_id}" for d in rows]
        assert await redis.exists(*seen) == len(urls)
    finally:
        await redis.aclose()
    await check_batch_invariant(
        client, BATCH, [DocumentSpec(url=u) for u in urls], fault_stack.blob_url,
        fault_stack.s3_options,
    )  # fmt: skip
