"""The yardstick for orchestration overhead: a minimal Temporal program of the fleet's shape.

A parent workflow keeps `window` child workflows in flight (as the fleet's batch workflow
does); each child runs five no-op activities one after another, each on its own task queue.
With `shape="docfleet"` a child does what a DocFleet document does in Temporal terms, still with
no-op activities: six activities (fetch, cache lookup, OCR, classify, extract, store) on the
fleet's five queues, then a fire-and-forget analytics child with one activity; so the gap
between it and the fleet is DocFleet's own work, not Temporal's.
No DocFleet code: plain `temporalio`, its default data converter and the default workflow
sandbox. Six worker processes serve it: one for the workflows and one per activity queue, as
the fleet runs one process per service.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

from docfleet_devstack.process import ManagedProcess

WORKFLOW_QUEUE = "bench-baseline-workflows"
ACTIVITY_QUEUES = tuple(f"bench-baseline-stage{n}" for n in range(1, 6))
READY_LINE = "baseline worker ready"
MAX_DOCUMENTS = 4000
"""The parent never continues as new: ~8 events per child keep 4,000 well under the limit."""


SHAPES = {
    "minimal": ACTIVITY_QUEUES,
    # fetcher, storage (cache), ocr, nlp, nlp, storage: the fleet's six document activities.
    "docfleet": tuple(ACTIVITY_QUEUES[i] for i in (0, 4, 1, 2, 2, 4)),
}


@dataclass
class BaselineBatch:
    batch_id: str
    documents: int
    window: int
    shape: str = "minimal"


@dataclass
class BaselineDocument:
    document_id: str
    shape: str = "minimal"


def document_id(batch_id: str, number: int) -> str:
    return f"{batch_id}-{number:06d}"


def document_workflow_id(document_id: str) -> str:
    return f"bench-baseline-doc-{document_id}"


@activity.defn(name="noop")
async def noop(document_id: str) -> str:
    return document_id


@workflow.defn(name="BaselineAnalyticsWorkflow")
class AnalyticsWorkflow:
    @workflow.run
    async def run(self, document_id: str) -> str:
        return await workflow.execute_activity(
            noop,
            document_id,
            task_queue=ACTIVITY_QUEUES[4],
            start_to_close_timeout=timedelta(seconds=60),
        )


@workflow.defn(name="BaselineDocumentWorkflow")
class DocumentWorkflow:
    @workflow.run
    async def run(self, request: BaselineDocument) -> str:
        for queue in SHAPES[request.shape]:
            await workflow.execute_activity(
                noop,
                request.document_id,
                task_queue=queue,
                start_to_close_timeout=timedelta(seconds=60),
            )
        if request.shape == "docfleet":
            await workflow.start_child_workflow(
                AnalyticsWorkflow.run,
                request.document_id,
                id=f"bench-baseline-analytics-{request.document_id}",
                task_queue=WORKFLOW_QUEUE,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        return request.document_id


@workflow.defn(name="BaselineBatchWorkflow")
class BatchWorkflow:
    def __init__(self) -> None:
        self._running = 0
        self._done = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @workflow.run
    async def run(self, request: BaselineBatch) -> int:
        for number in range(request.documents):
            await workflow.wait_condition(lambda: self._running < request.window)
            self._running += 1
            document = BaselineDocument(document_id(request.batch_id, number), request.shape)
            task = asyncio.create_task(self._document(document))
            self._tasks.add(task)  # the loop keeps only weak references to tasks
            task.add_done_callback(self._tasks.discard)
        await workflow.wait_condition(lambda: self._running == 0)
        return self._done

    async def _document(self, document: BaselineDocument) -> None:
        try:
            await workflow.execute_child_workflow(
                DocumentWorkflow.run,
                document,
                id=document_workflow_id(document.document_id),
                task_queue=WORKFLOW_QUEUE,
            )
            self._done += 1
        finally:
            self._running -= 1


def worker_argv(address: str, queue: str) -> list[str]:
    """The command that runs one baseline worker process for `queue`."""
    code = "from benchmarks.baseline import main; main()"
    return [sys.executable, "-c", code, "--address", address, "--queue", queue]


async def serve(address: str, queue: str) -> None:
    client = await Client.connect(address)
    if queue == WORKFLOW_QUEUE:
        worker = Worker(
            client,
            task_queue=queue,
            workflows=[BatchWorkflow, DocumentWorkflow, AnalyticsWorkflow],
            max_concurrent_workflow_tasks=50,  # the fleet's orchestrator default
        )
    else:
        # The fleet's activity workers default to 8 slots each.
        worker = Worker(client, task_queue=queue, activities=[noop], max_concurrent_activities=8)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        print(f"{READY_LINE} on {queue}", flush=True)
        await stop.wait()


async def run_batch(
    address: str, batch_id: str, documents: int, window: int, shape: str = "minimal"
) -> float:
    """Run one baseline batch to completion; returns its wall time in seconds."""
    if documents > MAX_DOCUMENTS:
        raise ValueError(f"the baseline runs at most {MAX_DOCUMENTS} documents in one batch")
    client = await Client.connect(address)
    started = time.monotonic()
    done = await client.execute_workflow(
        BatchWorkflow.run,
        BaselineBatch(batch_id, documents, window, shape),
        id=f"bench-baseline-batch-{batch_id}",
        task_queue=WORKFLOW_QUEUE,
    )
    seconds = time.monotonic() - started
    if done != documents:
        raise RuntimeError(f"baseline batch finished {done} of {documents} documents")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description="one baseline worker process")
    parser.add_argument("--address", required=True)
    parser.add_argument("--queue", required=True, choices=[WORKFLOW_QUEUE, *ACTIVITY_QUEUES])
    args = parser.parse_args()
    asyncio.run(serve(args.address, args.queue))


@contextlib.contextmanager
def running_workers(
    address: str, log_dir: Path, timeout: float = 60.0
) -> Iterator[dict[str, ManagedProcess]]:
    """The six baseline worker processes, ready; stopped on exit."""
    root = Path(__file__).resolve().parent.parent
    workers: dict[str, ManagedProcess] = {}
    try:
        for queue in (WORKFLOW_QUEUE, *ACTIVITY_QUEUES):
            name = queue.removeprefix("bench-baseline-")
            workers[name] = ManagedProcess(
                f"baseline-{name}",
                worker_argv(address, queue),
                log_dir / f"baseline-{name}.log",
                env={"PYTHONUNBUFFERED": "1"},
                cwd=root,
            )
        for process in workers.values():
            process.wait_for(READY_LINE, timeout=timeout)
        yield workers
    finally:
        for process in workers.values():
            process.stop()
