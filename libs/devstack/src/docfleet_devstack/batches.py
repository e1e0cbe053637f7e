"""Start a batch the way `docfleet submit` does, and wait for things, for tests and tools."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
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


async def run_batch(client: Client, batch_id: str, urls: list[str], **options: Any) -> BatchResult:
    """Start a batch of `urls` (with `BatchRequest` `options`) and wait for its result."""
    request = BatchRequest.model_validate(
        {"batch_id": batch_id, "documents": [{"url": u} for u in urls], **options}
    )
    handle = await start_batch(client, request)
    return await handle.result()


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float, what: str, every: float = 0.2
) -> None:
    """Poll `check` until it holds; fail naming `what` after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(every)
