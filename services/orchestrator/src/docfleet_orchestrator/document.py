"""`DocumentWorkflow`: one document through fetch, read, classify, extract and store.

Each stage runs on its own service's queue; the workflow only passes references and small
summaries along. A failed stage fails the document (with the stage's error type), never the batch.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.common import Priority
from temporalio.exceptions import ActivityError, ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from docfleet_contracts import (
        AnalyticsInput,
        ClassifyInput,
        DocumentInput,
        DocumentProgress,
        DocumentResult,
        ExtractInput,
        FetchInput,
        OcrInput,
        PageProgress,
        Stage,
        StoreInput,
        naming,
        queues,
    )
    from docfleet_contracts import activities as acts
    from docfleet_orchestrator import policies
    from docfleet_orchestrator.failures import describe_failure


# Invalid input (say, from `temporal workflow start`) fails the run with pydantic's message
# instead of retrying a workflow task forever.
@workflow.defn(name=acts.DOCUMENT_WORKFLOW, failure_exception_types=[ValidationError])
class DocumentWorkflow:
    """Runs the five stages of one document and reports its stage and page progress."""

    def __init__(self) -> None:
        self._document_id = ""
        self._stage: Stage = "pending"
        self._pages_done = 0
        self._pages_total = 0
        self._error_type: str | None = None
        self._stage_seconds: dict[str, float] = {}

    @workflow.run
    async def run(self, request: DocumentInput) -> DocumentResult:
        self._document_id = request.document_id
        priority = Priority(priority_key=request.spec.priority)
        ids = {"batch_id": request.batch_id, "document_id": request.document_id}
        try:
            self._enter("fetching")
            fetched = await acts.FETCH_DOCUMENT.execute(
                FetchInput(url=request.spec.url, **ids),
                priority=priority,
                **policies.FETCH.options(),
            )
            self._enter("reading")
            read = await acts.OCR_PAGES.execute(
                OcrInput(
                    source=fetched.blob, kind=fetched.kind, password=request.spec.password, **ids
                ),
                priority=priority,
                **policies.OCR.options(),
            )
            self._pages_done = self._pages_total = read.page_count
            self._enter("classifying")
            classification = await acts.CLASSIFY.execute(
                ClassifyInput(text=read.text), priority=priority, **policies.CLASSIFY.options()
            )
            self._enter("extracting")
            entities = await acts.EXTRACT_ENTITIES.execute(
                ExtractInput(text=read.text, page_starts=[p.start for p in read.pages], **ids),
                priority=priority,
                **policies.EXTRACT.options(),
            )
            self._enter("storing")
            stored = await acts.STORE_RESULT.execute(
                StoreInput(
                    url=request.spec.url,
                    source=fetched.blob,
                    kind=fetched.kind,
                    ocr=read,
                    classification=classification,
                    entities=entities,
                    **ids,
                ),
                priority=priority,
                **policies.STORE.options(),
            )
        except ActivityError as err:
            error_type, message = describe_failure(err)
            self._error_type = error_type
            self._enter("failed")
            await self._start_analytics(
                AnalyticsInput(
                    status="failed",
                    error_type=error_type,
                    stage_seconds=self._stage_seconds,
                    **ids,
                )
            )
            raise ApplicationError(message, type=error_type, non_retryable=True) from err

        self._enter("done")
        await self._start_analytics(
            AnalyticsInput(
                status="succeeded",
                document_type=classification.label,
                page_count=read.page_count,
                text_layer_pages=read.text_layer_pages,
                ocr_pages=read.ocr_pages,
                entities_by_label=entities.by_label,
                stage_seconds=self._stage_seconds,
                **ids,
            )
        )
        return DocumentResult(
            document_id=request.document_id,
            url=request.spec.url,
            status="succeeded",
            document_type=classification.label,
            type_confidence=classification.confidence,
            page_count=read.page_count,
            text_layer_pages=read.text_layer_pages,
            ocr_pages=read.ocr_pages,
            entity_count=entities.count,
            entities_by_label=entities.by_label,
            entity_sample=entities.sample,
            result_uri=stored.result.uri,
            text_uri=stored.text.uri,
            stage_seconds=self._stage_seconds,
        )

    @workflow.query(name=acts.PROGRESS_QUERY)
    def progress(self) -> DocumentProgress:
        return DocumentProgress(
            document_id=self._document_id,
            stage=self._stage,
            pages_done=self._pages_done,
            pages_total=self._pages_total,
            error_type=self._error_type,
        )

    @workflow.signal(name=acts.PAGE_PROGRESS_SIGNAL)
    def page_progress(self, update: PageProgress) -> None:
        # Signals can arrive late or out of order; progress only moves forward.
        if self._stage == "reading" and update.pages_done >= self._pages_done:
            self._pages_done = update.pages_done
            self._pages_total = update.pages_total

    def _enter(self, stage: Stage) -> None:
        """Close the running stage's clock and start the next one."""
        now = workflow.now()
        if self._stage not in ("pending", "done", "failed"):
            self._stage_seconds[self._stage] = round((now - self._stage_started).total_seconds(), 3)
        self._stage = stage
        self._stage_started: datetime = now

    async def _start_analytics(self, record: AnalyticsInput) -> None:
        """Fire and forget: analytics outlive this workflow and never delay or fail it."""
        try:
            await workflow.start_child_workflow(
                acts.ANALYTICS_WORKFLOW,
                record,
                id=naming.analytics_workflow_id(record.batch_id, record.document_id),
                task_queue=queues.ORCHESTRATOR_QUEUE,
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
        except WorkflowAlreadyStartedError:
            workflow.logger.info("analytics for %s already started", record.document_id)
