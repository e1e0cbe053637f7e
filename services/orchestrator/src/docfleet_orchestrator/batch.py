"""`OrchestratorWorkflow`: a batch as one `DocumentWorkflow` child per document.

At most `max_concurrency` documents run at once: that many lanes each take the next document
from a shared queue, which keeps admission exact and deterministic. A failed document becomes a
failed row of the result; the batch itself always completes.
"""

from __future__ import annotations

import asyncio
from collections import deque

from temporalio import workflow
from temporalio.common import Priority
from temporalio.exceptions import ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from docfleet_contracts import (
        BatchProgress,
        BatchRequest,
        BatchResult,
        DocumentInput,
        DocumentResult,
        DocumentSpec,
        naming,
    )
    from docfleet_contracts import activities as acts
    from docfleet_orchestrator.failures import describe_failure


# Invalid input (say, from `temporal workflow start`) fails the run with pydantic's message
# instead of retrying a workflow task forever.
@workflow.defn(name=acts.ORCHESTRATOR_WORKFLOW, failure_exception_types=[ValidationError])
class OrchestratorWorkflow:
    """Runs a batch and answers how far it got."""

    def __init__(self) -> None:
        self._batch_id = ""
        self._total = 0
        self._running: list[str] = []
        self._results: dict[str, DocumentResult] = {}
        self._use_cache = True

    @workflow.run
    async def run(self, request: BatchRequest) -> BatchResult:
        self._batch_id = request.batch_id or workflow.info().workflow_id
        documents = [(naming.document_id_for(i, s), s) for i, s in enumerate(request.documents)]
        self._total = len(documents)
        waiting = deque(documents)

        async def lane() -> None:
            while waiting:
                document_id, spec = waiting.popleft()
                self._running.append(document_id)
                try:
                    self._results[document_id] = await self._run_document(document_id, spec)
                finally:
                    self._running.remove(document_id)

        self._use_cache = request.use_cache
        await asyncio.gather(*(lane() for _ in range(min(request.max_concurrency, self._total))))
        ordered = [self._results[document_id] for document_id, _ in documents]
        stored = [r for r in ordered if r.status != "failed"]
        return BatchResult(
            batch_id=self._batch_id,
            total=len(ordered),
            succeeded=sum(r.status == "succeeded" for r in ordered),
            partial=sum(r.status == "partial" for r in ordered),
            failed=len(ordered) - len(stored),
            cached=sum(r.cached for r in ordered),
            pages=sum(r.page_count for r in stored),
            text_layer_pages=sum(r.text_layer_pages for r in stored),
            ocr_pages=sum(r.ocr_pages for r in stored),
            entities=sum(r.entity_count for r in stored),
            documents=ordered,
        )

    async def _run_document(self, document_id: str, spec: DocumentSpec) -> DocumentResult:
        try:
            result: DocumentResult = await workflow.execute_child_workflow(
                acts.DOCUMENT_WORKFLOW,
                DocumentInput(
                    batch_id=self._batch_id,
                    document_id=document_id,
                    spec=spec,
                    use_cache=self._use_cache,
                ),
                id=naming.document_workflow_id(self._batch_id, document_id),
                task_queue=workflow.info().task_queue,
                result_type=DocumentResult,
                priority=Priority(priority_key=spec.priority),
            )
            return result
        except ChildWorkflowError as err:
            error_type, message = describe_failure(err)
            return DocumentResult(
                document_id=document_id,
                url=spec.url,
                status="failed",
                error_type=error_type,
                error_message=message,
            )

    @workflow.query(name=acts.PROGRESS_QUERY)
    def progress(self) -> BatchProgress:
        statuses = [r.status for r in self._results.values()]
        done = len(statuses)
        return BatchProgress(
            batch_id=self._batch_id,
            total=self._total,
            pending=self._total - done - len(self._running),
            running=len(self._running),
            succeeded=statuses.count("succeeded"),
            partial=statuses.count("partial"),
            failed=statuses.count("failed"),
            running_documents=list(self._running),
        )
