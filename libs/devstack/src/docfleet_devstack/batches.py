"""Start a batch the way `docfleet submit` does, for tests and benchmarks."""

from __future__ import annotations

from typing import Any

from temporalio.client import Client, WorkflowHandle

from docfleet_contracts import BatchRequest, BatchResult, naming
from docfleet_contracts.activities import ORCHESTRATOR_WORKFLOW
from docfleet_contracts.queues import ORCHESTRATOR_QUEUE


async def start_batch(client: Client, request: BatchRequest) -> WorkflowHandle[Any, BatchResult]:
    """Start `request` under its deterministic workflow id; it must carry a batch id."""
    if request.batch_id is None:
        raise ValueError("start_batch needs a request with a batch_id")
    return await client.start_workflow(
        ORCHESTRATOR_WORKFLOW,
        request,
        id=naming.batch_workflow_id(request.batch_id),
        task_queue=ORCHESTRATOR_QUEUE,
        result_type=BatchResult,
    )
