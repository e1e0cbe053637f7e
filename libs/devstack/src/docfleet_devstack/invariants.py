"""`check_batch_invariant`: gather what a finished batch left behind and check the invariant.

The checks themselves are pure (`violations.find_violations`); this module only observes:
the batch workflow's result, the stored result objects and leftovers in the blob store, and
each document workflow's executions and history.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from docfleet_blobstore import S3Options, open_blob_store
from docfleet_blobstore.manifests import read_results
from docfleet_contracts import BatchResult, DocumentResult, DocumentSpec, naming
from docfleet_contracts.activities import STORE_RESULT
from docfleet_devstack.blobscan import find_leftovers, read_objects
from docfleet_devstack.violations import (
    ALLOWED_ERROR_TYPES,
    BatchObservation,
    DocumentRuns,
    InvariantReport,
    find_violations,
    report_for,
)

__all__ = [
    "ALLOWED_ERROR_TYPES",
    "BatchObservation",
    "DocumentRuns",
    "InvariantReport",
    "check_batch_invariant",
    "count_completed_activities",
    "document_runs",
    "find_violations",
    "observe_batch",
    "read_batch_results",
]


async def check_batch_invariant(
    client: Client,
    batch_id: str,
    submitted: Sequence[DocumentSpec] | int,
    blob_url: str,
    s3_options: S3Options | None = None,
    *,
    result_timeout: float = 300.0,
) -> InvariantReport:
    """Wait for the batch's result, check the invariant and return its figures; raises
    `AssertionError` listing every violation. `s3_options` reach an `s3://` blob store
    (`Stack.s3_options` for a stack started with `s3=True`)."""
    observation = await observe_batch(
        client, batch_id, submitted, blob_url, s3_options, result_timeout=result_timeout
    )
    report = report_for(observation, find_violations(observation))
    if report.violations:
        lines = "\n".join(f"  - {v}" for v in report.violations)
        raise AssertionError(
            f"{len(report.violations)} invariant violations in {report.summary()}:\n{lines}"
        )
    return report


async def observe_batch(
    client: Client,
    batch_id: str,
    submitted: Sequence[DocumentSpec] | int,
    blob_url: str,
    s3_options: S3Options | None = None,
    *,
    result_timeout: float = 300.0,
) -> BatchObservation:
    """Everything the invariant needs, read from Temporal and the blob store."""
    handle = client.get_workflow_handle(naming.batch_workflow_id(batch_id), result_type=BatchResult)
    result = await asyncio.wait_for(handle.result(), result_timeout)
    expected = (
        None
        if isinstance(submitted, int)
        else [naming.document_id_for(i, spec) for i, spec in enumerate(submitted)]
    )
    documents = await read_batch_results(result, blob_url, s3_options)
    completed = [d.document_id for d in documents if d.status != "failed"]
    keys = {doc: naming.result_key(batch_id, doc) for doc in completed}
    objects = await read_objects(blob_url, keys.values(), s3_options)
    document_ids = sorted({d.document_id for d in documents} | set(expected or ()))
    return BatchObservation(
        batch_id=batch_id,
        submitted=submitted if isinstance(submitted, int) else len(submitted),
        result=result,
        documents=documents,
        stored_results={doc: objects[key] for doc, key in keys.items() if key in objects},
        leftovers=await find_leftovers(blob_url, s3_options),
        runs=await _all_runs(client, batch_id, document_ids),
        expected_document_ids=expected,
    )


async def read_batch_results(
    result: BatchResult, blob_url: str, s3_options: S3Options | None = None
) -> list[DocumentResult]:
    """The rows of a finished batch's results manifest, in batch order (checked by SHA-256)."""
    if result.results is None:
        return []
    store = await open_blob_store(blob_url, s3_options)
    try:
        return await read_results(store, result.results)
    finally:
        await store.close()


async def _all_runs(
    client: Client, batch_id: str, document_ids: Iterable[str]
) -> dict[str, DocumentRuns]:
    limit = asyncio.Semaphore(16)

    async def one(document_id: str) -> tuple[str, DocumentRuns]:
        async with limit:
            workflow_id = naming.document_workflow_id(batch_id, document_id)
            return document_id, await document_runs(client, workflow_id)

    pairs = await asyncio.gather(*(one(doc) for doc in document_ids))
    return {doc: runs for doc, runs in pairs if runs.statuses}


async def document_runs(
    client: Client, workflow_id: str, visibility_wait: float = 10.0
) -> DocumentRuns:
    """The executions with `workflow_id` and the store_result activities they completed.

    The dev server updates its visibility store just after a workflow closes, so a run listed
    as still running is asked again until `visibility_wait` has passed.
    """
    deadline = time.monotonic() + visibility_wait
    while True:
        executions = [e async for e in client.list_workflows(f'WorkflowId = "{workflow_id}"')]
        settled = executions and all(e.close_time is not None for e in executions)
        if settled or time.monotonic() >= deadline:
            break
        await asyncio.sleep(0.2)
    statuses: list[str] = []
    stores = 0
    for execution in executions:
        statuses.append(execution.status.name if execution.status is not None else "UNKNOWN")
        run = client.get_workflow_handle(workflow_id, run_id=execution.run_id)
        history = await run.fetch_history()
        stores += count_completed_activities(history.events, STORE_RESULT.name)
    return DocumentRuns(statuses=tuple(statuses), store_results_completed=stores)


def count_completed_activities(events: Iterable[HistoryEvent], activity_type: str) -> int:
    """How many activities of `activity_type` this history scheduled and saw complete."""
    scheduled: set[int] = set()
    completed = 0
    for event in events:
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            if event.activity_task_scheduled_event_attributes.activity_type.name == activity_type:
                scheduled.add(event.event_id)
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            completed += (
                event.activity_task_completed_event_attributes.scheduled_event_id in scheduled
            )
    return completed
