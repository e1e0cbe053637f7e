"""`DocumentWorkflow`: one document through fetch, read, classify, extract and store.

Each stage runs on its own service's queue; the workflow only passes references and small
summaries along. A failed fetch, read or store fails the document (with the stage's error type),
never the batch; a failed classification or extraction only makes the result partial. Bytes
processed before (same SHA-256) reuse their stored reading from the content-hash cache.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import Priority, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    CancelledError,
    WorkflowAlreadyStartedError,
)
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from docfleet_contracts import (
        AnalyticsInput,
        CachedReading,
        CacheLookupInput,
        Classification,
        ClassifyInput,
        Degradation,
        DocumentInput,
        DocumentProgress,
        DocumentResult,
        DocumentStatus,
        EntitiesResult,
        ExtractInput,
        FetchInput,
        FetchResult,
        OcrInput,
        PageProgress,
        Stage,
        StoreInput,
        naming,
        queues,
        search,
    )
    from docfleet_contracts import activities as acts
    from docfleet_contracts.policies import ActivityPolicy, in_force
    from docfleet_orchestrator.failures import describe_failure


T = TypeVar("T")


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
        self._degraded: list[Degradation] = []
        self._priority = Priority()

    @workflow.run
    async def run(self, request: DocumentInput) -> DocumentResult:
        self._document_id = request.document_id
        self._priority = Priority(priority_key=request.spec.priority)
        ids = {"batch_id": request.batch_id, "document_id": request.document_id}
        try:
            self._enter("fetching")
            fetched = await acts.FETCH_DOCUMENT.execute(
                FetchInput(url=request.spec.url, **ids), **self._options(in_force().fetch)
            )
            self._enter("reading")
            hit = await self._find_cached(fetched) if request.use_cache else None
            classification: Classification | None
            entities: EntitiesResult | None
            if hit is not None:
                read, classification, entities = hit.ocr, hit.classification, hit.entities
                self._pages_done = self._pages_total = read.page_count
            else:
                read = await acts.OCR_PAGES.execute(
                    OcrInput(
                        source=fetched.blob,
                        kind=fetched.kind,
                        password=request.spec.password,
                        **ids,
                    ),
                    **self._options(in_force().ocr),
                )
                self._pages_done = self._pages_total = read.page_count
                self._enter("classifying")
                classification = await self._degradable(
                    "classifying",
                    acts.CLASSIFY.execute(
                        ClassifyInput(text=read.text), **self._options(in_force().classify)
                    ),
                )
                self._enter("extracting")
                entities = await self._degradable(
                    "extracting",
                    acts.EXTRACT_ENTITIES.execute(
                        ExtractInput(
                            text=read.text,
                            page_index=read.page_index,
                            document_type=None if classification is None else classification.label,
                            **ids,
                        ),
                        **self._options(in_force().extract),
                    ),
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
                    degraded=self._degraded,
                    cached_from=None if hit is None else f"{hit.batch_id}/{hit.document_id}",
                    remember=request.use_cache,
                    **ids,
                ),
                **self._options(in_force().store),
            )
        except ActivityError as err:
            error_type, message = describe_failure(err)
            self._error_type = error_type
            self._enter("failed")
            workflow.upsert_search_attributes([search.DOCUMENT_STATUS.value_set("failed")])
            await self._start_analytics(
                AnalyticsInput(
                    status="failed",
                    error_type=error_type,
                    stage_seconds=self._stage_seconds,
                    **ids,
                )
            )
            raise ApplicationError(message, type=error_type, non_retryable=True) from err

        status: DocumentStatus = "partial" if self._degraded else "succeeded"
        self._enter("done")
        workflow.upsert_search_attributes(
            [search.DOCUMENT_STATUS.value_set(status)]
            + (
                []
                if classification is None
                else [search.DOCUMENT_TYPE.value_set(classification.label)]
            )
        )
        await self._start_analytics(
            AnalyticsInput(
                status=status,
                document_type=None if classification is None else classification.label,
                page_count=read.page_count,
                text_layer_pages=read.text_layer_pages,
                ocr_pages=read.ocr_pages,
                entities_by_label={} if entities is None else entities.by_label,
                stage_seconds=self._stage_seconds,
                **ids,
            )
        )
        return DocumentResult(
            document_id=request.document_id,
            url=request.spec.url,
            status=status,
            document_type=None if classification is None else classification.label,
            type_confidence=None if classification is None else classification.confidence,
            page_count=read.page_count,
            text_layer_pages=read.text_layer_pages,
            ocr_pages=read.ocr_pages,
            entity_count=0 if entities is None else entities.count,
            entities_by_label={} if entities is None else entities.by_label,
            entity_sample=[] if entities is None else entities.sample,
            key_fields=[] if entities is None else entities.key_fields,
            result_uri=stored.result.uri,
            result_sha256=stored.result.sha256,
            text_uri=stored.text.uri,
            degraded=self._degraded,
            cached=hit is not None,
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

    def _options(self, policy: ActivityPolicy) -> dict[str, Any]:
        return {"priority": self._priority, **policy.options()}

    async def _find_cached(self, fetched: FetchResult) -> CachedReading | None:
        """An earlier complete reading of the same bytes; any trouble is only a cache miss."""
        try:
            found = await acts.FIND_CACHED.execute(
                CacheLookupInput(sha256=fetched.blob.sha256, kind=fetched.kind),
                **self._options(in_force().find_cached),
            )
        except ActivityError as err:
            _raise_if_cancelled(err)
            workflow.logger.warning("cache lookup failed, reading afresh: %s", err)
            return None
        if found.hit is None and found.reason:
            workflow.logger.info("no cached reading: %s", found.reason)
        return found.hit

    async def _degradable(self, stage: Stage, call: Awaitable[T]) -> T | None:
        """Run an optional stage: when it fails for good, note why and carry on without it."""
        try:
            return await call
        except ActivityError as err:
            _raise_if_cancelled(err)
            error_type, message = describe_failure(err)
            self._degraded.append(Degradation(stage=stage, error_type=error_type, message=message))
            workflow.logger.warning(
                "%s failed for good (%s); storing a partial result", stage, error_type
            )
            return None

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
                search_attributes=TypedSearchAttributes(
                    [SearchAttributePair(search.BATCH_ID, record.batch_id)]
                ),
            )
        except WorkflowAlreadyStartedError:
            workflow.logger.info("analytics for %s already started", record.document_id)


def _raise_if_cancelled(err: ActivityError) -> None:
    # A cancelled document must stop, not degrade or fall back.
    if isinstance(err.cause, CancelledError):
        raise err
