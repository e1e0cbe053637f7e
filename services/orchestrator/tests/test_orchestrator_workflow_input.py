"""The orchestrator worker against a real dev server: bad input fails fast and says why."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from docfleet_contracts.activities import ORCHESTRATOR_WORKFLOW, PROGRESS_QUERY
from docfleet_orchestrator.workflows import WORKFLOWS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"documents": []}, "give either documents (inline) or manifest_uri"),
        (
            {
                "manifest_uri": "file:///m.jsonl",
                "max_concurrency": 700,
                "history_event_budget": 9000,
            },
            "history_event_budget 9000 is too small for a window of 700 documents",
        ),
        ({"documents": [{"url": "gopher://x/a.pdf"}]}, "scheme 'gopher' is not supported"),
        ({"docs": "oops"}, "documents"),
    ],
)
async def test_invalid_batch_input_fails_the_run_with_the_validation_message(
    temporal_client: Client, task_queue: str, payload: dict[str, object], message: str
) -> None:
    async with Worker(temporal_client, task_queue=task_queue, workflows=list(WORKFLOWS)):
        handle = await temporal_client.start_workflow(
            ORCHESTRATOR_WORKFLOW, payload, id=f"bad-{uuid.uuid4()}", task_queue=task_queue
        )
        with pytest.raises(WorkflowFailureError) as info:
            await handle.result()
    cause = info.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "ValidationError"
    assert message in cause.message


async def test_batch_progress_query_answers_while_documents_wait(
    temporal_client: Client, task_queue: str
) -> None:
    # No fetcher is running on this test's server, so the documents stay in their first stage.
    payload = {
        "batch_id": "waiting",
        "documents": [{"url": f"https://example.org/{i}.pdf"} for i in range(3)],
        "max_concurrency": 2,
    }
    async with Worker(temporal_client, task_queue=task_queue, workflows=list(WORKFLOWS)):
        handle = await temporal_client.start_workflow(
            ORCHESTRATOR_WORKFLOW, payload, id=f"wait-{uuid.uuid4()}", task_queue=task_queue
        )
        progress: dict[str, object] = {}
        for _ in range(50):
            progress = await handle.query(PROGRESS_QUERY)
            if progress.get("running") == 2:
                break
            await asyncio.sleep(0.1)
        await handle.terminate("test over")
    assert progress["total"] == 3
    assert progress["running"] == 2
    assert progress["pending"] == 1
