from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError, ChildWorkflowError
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import (
    AppendResultsInput,
    BatchRequest,
    BatchResult,
    BatchTotals,
    BlobRef,
    DocumentInput,
    DocumentResult,
    DocumentSpec,
    naming,
)
from docfleet_devstack.invariants import check_batch_invariant, read_batch_results

pytestmark = pytest.mark.integration


class FakeStorage:
    """Stands in for the storage worker: writes the result JSON where the real one does."""

    def __init__(self, root: Path) -> None:
        self.store = FileBlobStore(root)

    @activity.defn(name="storage.store_result")
    async def store_result(self, request: DocumentInput) -> BlobRef:
        body = {"batch_id": request.batch_id, "document_id": request.document_id}
        key = naming.result_key(request.batch_id, request.document_id)
        return await self.store.put_bytes(key, json.dumps(body).encode(), "application/json")

    @activity.defn(name="test.write_results")
    async def write_results(self, request: AppendResultsInput) -> BlobRef:
        """The batch's results manifest, written in one piece where the real one ends up."""
        lines = b"".join(row.model_dump_json().encode() + b"\n" for row in request.results)
        key = naming.results_manifest_key(request.batch_id)
        return await self.store.put_bytes(key, lines, "application/x-ndjson")


@workflow.defn(name="DocumentWorkflow")
class FakeDocument:
    @workflow.run
    async def run(self, request: DocumentInput) -> DocumentResult:
        if request.spec.url.endswith("/missing.pdf"):
            raise ApplicationError("404 Not Found", type="DocumentNotFound", non_retryable=True)
        stored: BlobRef = await workflow.execute_activity(
            "storage.store_result",
            request,
            result_type=BlobRef,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(maximum_attempts=1),
        )
        return DocumentResult(
            document_id=request.document_id,
            url=request.spec.url,
            status="succeeded",
            result_uri=stored.uri,
            result_sha256=stored.sha256,
        )


@workflow.defn(name="OrchestratorWorkflow")
class FakeOrchestrator:
    @workflow.run
    async def run(self, request: BatchRequest) -> BatchResult:
        assert request.batch_id is not None
        batch_id = request.batch_id
        results = await asyncio.gather(
            *(self._one(batch_id, i, spec) for i, spec in enumerate(request.documents))
        )
        rows = [row.model_copy(update={"index": i}) for i, row in enumerate(results)]
        totals = BatchTotals()
        for row in rows:
            totals.add(row)
        manifest: BlobRef = await workflow.execute_activity(
            "test.write_results",
            AppendResultsInput(batch_id=batch_id, part=1, results=rows[::-1]),
            result_type=BlobRef,
            start_to_close_timeout=timedelta(seconds=10),
        )
        return BatchResult.model_validate(
            {"batch_id": batch_id, **totals.model_dump(), "results": manifest}
        )

    async def _one(self, batch_id: str, index: int, spec: DocumentSpec) -> DocumentResult:
        request = DocumentInput.model_validate(
            {"batch_id": batch_id, "document_id": naming.document_id_for(index, spec), "spec": spec}
        )
        try:
            result: DocumentResult = await workflow.execute_child_workflow(
                "DocumentWorkflow",
                request,
                id=naming.document_workflow_id(batch_id, request.document_id),
                result_type=DocumentResult,
            )
            return result
        except ChildWorkflowError as err:
            cause = err.cause
            assert isinstance(cause, ApplicationError)
            return DocumentResult(
                document_id=request.document_id,
                url=request.spec.url,
                status="failed",
                error_type=cause.type,
                error_message=cause.message,
            )


async def _run_batch(client: Client, queue: str, root: Path, request: BatchRequest) -> BatchResult:
    storage = FakeStorage(root)
    async with Worker(
        client,
        task_queue=queue,
        workflows=[FakeOrchestrator, FakeDocument],
        activities=[storage.store_result, storage.write_results],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        assert request.batch_id is not None
        handle = await client.start_workflow(
            "OrchestratorWorkflow",
            request,
            id=naming.batch_workflow_id(request.batch_id),
            task_queue=queue,
            result_type=BatchResult,
            task_timeout=timedelta(seconds=5),
        )
        return await asyncio.wait_for(handle.result(), 30)


async def test_invariant_holds_for_a_clean_batch_and_catches_damage(
    temporal_client: Client, task_queue: str, tmp_path: Path
) -> None:
    root = tmp_path / "blobs"
    batch_id = f"inv-{uuid.uuid4().hex[:8]}"
    request = BatchRequest.model_validate(
        {
            "batch_id": batch_id,
            "documents": [
                {"url": "https://example.org/a.pdf", "document_id": "a"},
                {"url": "https://example.org/b.pdf"},
                {"url": "https://example.org/missing.pdf", "document_id": "gone"},
            ],
        }
    )
    result = await _run_batch(temporal_client, task_queue, root, request)
    rows = await read_batch_results(result, root.as_uri())
    # Written last-finished first, read back in batch order.
    assert [(r.index, r.document_id) for r in rows] == [
        (0, "a"),
        (1, naming.document_id_for(1, request.documents[1])),
        (2, "gone"),
    ]

    report = await check_batch_invariant(
        temporal_client, batch_id, request.documents, root.as_uri()
    )
    assert (report.submitted, report.total, report.completed, report.failed) == (3, 3, 2, 1)
    assert report.failure_types == {"DocumentNotFound": 1}
    assert report.violations == []

    (root / naming.result_key(batch_id, "a")).write_text('{"batch_id": "tampered"}')
    (root / "results" / batch_id / "a.json.0001.docfleet-tmp").write_text("{")
    with pytest.raises(AssertionError) as caught:
        await check_batch_invariant(temporal_client, batch_id, 4, root.as_uri())
    message = str(caught.value)
    assert message.startswith("5 invariant violations in batch " + batch_id), message
    assert "counts disagree: submitted 4, total 3" in message
    assert f"document a (succeeded): stored results/{batch_id}/a.json has sha256" in message
    assert f"stored results/{batch_id}/a.json has document_id None" in message
    assert "has batch_id 'tampered', expected" in message
    assert "a.json.0001.docfleet-tmp" in message
