"""Degradation: with no NLP worker, classification and extraction fail for good, yet every
document is stored with its text, marked partial with the reason, and the batch completes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from temporalio.client import Client

from docfleet_contracts import DocumentSpec
from docfleet_devstack.batches import batch_documents, run_batch
from docfleet_devstack.faults import read_blob
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]

BATCH = "fault-nlp-down"
# This orchestrator gives up on an unserved NLP queue after a few seconds.
GIVE_UP_ON_NLP = {
    "classify": {"schedule_to_close_seconds": 4, "maximum_attempts": 1},
    "extract": {"schedule_to_close_seconds": 4, "maximum_attempts": 1},
}


@pytest.fixture
def nlp_down(fault_stack: Stack) -> Iterator[None]:
    """No NLP worker, and an orchestrator whose NLP budget is short; both restored after."""
    fault_stack.stop_worker("nlp")
    fault_stack.stop_worker("orchestrator")
    policies = json.loads(fault_stack.env["DOCFLEET_ACTIVITY_POLICIES"])
    policies.update(GIVE_UP_ON_NLP)
    fault_stack.start_worker("orchestrator", {"DOCFLEET_ACTIVITY_POLICIES": json.dumps(policies)})
    yield
    fault_stack.stop_worker("orchestrator")
    fault_stack.start_worker("orchestrator")
    fault_stack.start_worker("nlp")


async def test_documents_are_stored_partial_when_nlp_fails_for_good(
    fault_stack: Stack, documents: ServedDocuments, client: Client, nlp_down: None
) -> None:
    urls = documents.sample_urls()
    result = await run_batch(client, BATCH, urls, use_cache=False)
    assert (result.partial, result.failed) == (len(urls), 0)
    rows = await batch_documents(fault_stack, result)
    assert [d.url for d in rows] == urls
    for document in rows:
        assert document.status == "partial"
        assert [d.stage for d in document.degraded] == ["classifying", "extracting"]
        assert all(d.error_type == "Timeout" and d.message for d in document.degraded)
        stored = json.loads(await read_blob(fault_stack, document.result_uri or ""))
        assert stored["status"] == "partial"
        assert stored["document_type"] is None and stored["entities"] is None
        text = await read_blob(fault_stack, document.text_uri or "")
        assert len(text) > 20
    await check_batch_invariant(
        client, BATCH, [DocumentSpec(url=u) for u in urls], fault_stack.blob_url,
        fault_stack.s3_options,
    )  # fmt: skip
