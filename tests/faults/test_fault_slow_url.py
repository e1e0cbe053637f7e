"""Fault 6: a URL whose server trickles one byte at a time is cut by the download deadline."""

from __future__ import annotations

import pytest
from temporalio.client import Client

from docfleet_contracts import DocumentSpec, errors
from docfleet_devstack.batches import batch_documents, run_batch
from docfleet_devstack.faults import TricklingServer
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]

BATCH = "fault-slow-url"


async def test_a_trickling_url_ends_with_a_typed_timeout(
    fault_stack: Stack, documents: ServedDocuments, client: Client, fetch_attempts: int
) -> None:
    # A small declared size: the deadline, not the size cap, must be what stops it.
    with TricklingServer(byte_every_seconds=0.2, content_length=50_000) as slow:
        urls = [slow.url("slow.pdf"), documents.sample_urls()[0]]
        result = await run_batch(client, BATCH, urls, use_cache=False)
        requests = slow.requests
    trickled, fine = await batch_documents(fault_stack, result)
    assert result.failures_by_type == {errors.FETCH_TIMEOUT: 1}
    assert fine.status == "succeeded"
    assert trickled.status == "failed"
    assert trickled.error_type == errors.FETCH_TIMEOUT
    assert "DOCFLEET_FETCH_TOTAL_TIMEOUT_SECONDS" in (trickled.error_message or "")
    assert requests == fetch_attempts  # each attempt was cut, then retried
    await check_batch_invariant(
        client, BATCH, [DocumentSpec(url=u) for u in urls], fault_stack.blob_url,
        fault_stack.s3_options,
    )  # fmt: skip
