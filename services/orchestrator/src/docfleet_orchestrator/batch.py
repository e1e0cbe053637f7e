"""`OrchestratorWorkflow`: a batch of any size as a sliding window of `DocumentWorkflow` children.

At most `max_concurrency` documents are in flight. Documents come from the inline list or, page
by page, from a manifest in the blob store; finished documents go out in pages to the results
manifest. Before the run's history grows large (the server's suggestion, or the request's event
budget), the run stops admitting, lets its in-flight documents finish and continues as new with
only a cursor and counters. A failed document is a failed row of the results; the batch itself
always completes.
"""

from __future__ import annotations

import asyncio
from collections import deque

from temporalio import workflow
from temporalio.common import Priority, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ChildWorkflowError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from docfleet_contracts import (
        AppendResultsInput,
        BatchCarry,
        BatchProgress,
        BatchRequest,
        BatchResult,
        DocumentInput,
        DocumentResult,
        DocumentSpec,
        FinishResultsInput,
        ManifestEntry,
        ManifestPageInput,
        WriteManifestInput,
        naming,
        search,
    )
    from docfleet_contracts import activities as acts
    from docfleet_contracts.models.batches import EVENTS_PER_DOCUMENT, RUN_RESERVE_EVENTS
    from docfleet_contracts.policies import in_force
    from docfleet_orchestrator.failures import describe_failure

RESULTS_PAGE_BYTES = 128 * 1024
"""A results page is written once the finished rows reach this much JSON."""
RESULTS_PAGE_ROWS = 200
MANIFEST_PAGE = 100
"""Manifest lines read per call: enough to keep a window fed, small as a payload."""


# Invalid input (say, from `temporal workflow start`) fails the run with pydantic's message
# instead of retrying a workflow task forever.
@workflow.defn(name=acts.ORCHESTRATOR_WORKFLOW, failure_exception_types=[ValidationError])
class OrchestratorWorkflow:
    """Runs a batch and answers how far it got."""

    def __init__(self) -> None:
        self._batch_id = ""
        self._carry = BatchCarry(manifest_uri="")
        self._inline: list[DocumentSpec] = []
        self._queued: deque[ManifestEntry] = deque()
        self._source_done = False
        self._running: dict[str, int] = {}
        self._finished: list[DocumentResult] = []
        self._finished_bytes = 0
        self._use_cache = True
        self._tasks: set[asyncio.Task[None]] = set()

    @workflow.run
    async def run(self, request: BatchRequest) -> BatchResult:
        self._batch_id = request.batch_id or workflow.info().workflow_id
        self._use_cache = request.use_cache
        workflow.upsert_search_attributes([search.BATCH_ID.value_set(self._batch_id)])
        if request.carry is not None:
            self._carry = request.carry.model_copy(update={"runs": request.carry.runs + 1})
        elif request.manifest_uri:
            self._carry = BatchCarry(manifest_uri=request.manifest_uri)
        else:
            self._inline = list(request.documents)
            self._carry = BatchCarry(manifest_uri="", manifest_total=len(self._inline))

        window = request.max_concurrency
        admitted = 0
        while True:
            await workflow.wait_condition(lambda: len(self._running) < window or self._page_full())
            if self._page_full():
                await self._write_results_page()
                continue
            if admitted and self._must_rotate(request.history_event_budget, window):
                break
            entry = await self._next_entry()
            if entry is None:
                break
            admitted += 1
            self._start(entry)

        # Drain: every admitted document finishes in this run, and its row is written.
        while self._running or self._finished:
            await workflow.wait_condition(lambda: not self._running or self._page_full())
            if self._finished:
                await self._write_results_page()

        if not self._source_exhausted():
            await self._continue_as_new(request)
        return await self._finish()

    # --- admission -----------------------------------------------------------------------------

    async def _next_entry(self) -> ManifestEntry | None:
        """The next document of the batch, reading the manifest a page at a time."""
        if not self._carry.manifest_uri:
            index = self._carry.next_index
            if index >= len(self._inline):
                self._source_done = True
                return None
            self._carry.next_index += 1
            return ManifestEntry(index=index, spec=self._inline[index])
        if not self._queued and not self._source_done:
            page = await acts.READ_MANIFEST.execute(
                ManifestPageInput(
                    batch_id=self._batch_id,
                    manifest_uri=self._carry.manifest_uri,
                    offset=self._carry.manifest_offset,
                    first_index=self._carry.next_index,
                    max_documents=MANIFEST_PAGE,
                    count_total=self._carry.manifest_total is None,
                ),
                **in_force().manifest.options(),
            )
            if page.total is not None:
                self._carry.manifest_total = page.total
            self._queued.extend(page.entries)
            self._source_done = page.end
            self._carry.manifest_offset = page.next_offset
        if not self._queued:
            return None
        entry = self._queued.popleft()
        self._carry.next_index = entry.index + 1
        return entry

    def _source_exhausted(self) -> bool:
        if self._carry.manifest_uri:
            return self._source_done and not self._queued
        return self._carry.next_index >= len(self._inline)

    def _must_rotate(self, budget: int, window: int) -> bool:
        """Whether this run should stop admitting and continue as new once drained."""
        info = workflow.info()
        if info.is_continue_as_new_suggested():
            return True
        reserve = window * EVENTS_PER_DOCUMENT + RUN_RESERVE_EVENTS
        return info.get_current_history_length() + reserve >= budget

    def _start(self, entry: ManifestEntry) -> None:
        if entry.spec is None:
            self._record(
                entry.index,
                _failed(
                    f"doc-{entry.index + 1:04d}-invalid",
                    "",
                    "InvalidRequest",
                    f"manifest line of document {entry.index + 1}: {entry.error}",
                ),
            )
            return
        document_id = naming.document_id_for(entry.index, entry.spec)
        self._running[document_id] = entry.index
        task = asyncio.create_task(self._run_document(entry.index, document_id, entry.spec))
        self._tasks.add(task)  # the event loop keeps only weak references to tasks
        task.add_done_callback(self._tasks.discard)

    async def _run_document(self, index: int, document_id: str, spec: DocumentSpec) -> None:
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
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(search.BATCH_ID, self._batch_id),
                        SearchAttributePair(search.DOCUMENT_STATUS, "running"),
                    ]
                ),
            )
        except ChildWorkflowError as err:
            error_type, message = describe_failure(err)
            result = _failed(document_id, spec.url, error_type, message)
        except WorkflowAlreadyStartedError:
            result = _failed(
                document_id,
                spec.url,
                "InvalidRequest",
                f"document id {document_id} appears more than once in the batch",
            )
        finally:
            self._running.pop(document_id, None)
        self._record(index, result)

    def _record(self, index: int, result: DocumentResult) -> None:
        row = result.model_copy(update={"index": index})
        self._carry.totals.add(row)
        self._finished.append(row)
        self._finished_bytes += len(row.model_dump_json())

    # --- results -------------------------------------------------------------------------------

    def _page_full(self) -> bool:
        return (
            len(self._finished) >= RESULTS_PAGE_ROWS or self._finished_bytes >= RESULTS_PAGE_BYTES
        )

    async def _write_results_page(self) -> None:
        rows, self._finished, self._finished_bytes = self._finished, [], 0
        self._carry.results_parts += 1
        await acts.APPEND_RESULTS.execute(
            AppendResultsInput(
                batch_id=self._batch_id, part=self._carry.results_parts, results=rows
            ),
            **in_force().manifest.options(),
        )

    async def _continue_as_new(self, request: BatchRequest) -> None:
        """Hand the rest of the batch to a fresh run, with the cursor and counters only."""
        if not self._carry.manifest_uri:
            # An inline list is spilled once, so the next runs read it like any manifest.
            rest = self._inline[self._carry.next_index :]
            written = await acts.WRITE_MANIFEST.execute(
                WriteManifestInput(
                    batch_id=self._batch_id, first_index=self._carry.next_index, documents=rest
                ),
                **in_force().manifest.options(),
            )
            self._carry.manifest_uri = written.manifest_uri
            self._carry.manifest_offset = 0
        elif self._queued:
            # Lines read but not admitted are read again by the next run.
            self._carry.manifest_offset = self._queued[0].offset
            self._carry.next_index = self._queued[0].index
        workflow.logger.info(
            "batch %s continues as new after %d documents (run %d)",
            self._batch_id,
            self._carry.totals.total,
            self._carry.runs,
        )
        workflow.continue_as_new(
            request.model_copy(update={"documents": [], "manifest_uri": None, "carry": self._carry})
        )

    async def _finish(self) -> BatchResult:
        manifest = await acts.FINISH_RESULTS.execute(
            FinishResultsInput(batch_id=self._batch_id, parts=self._carry.results_parts),
            **in_force().manifest.options(),
        )
        totals = self._carry.totals
        return BatchResult(
            batch_id=self._batch_id,
            total=totals.total,
            succeeded=totals.succeeded,
            partial=totals.partial,
            failed=totals.failed,
            cached=totals.cached,
            pages=totals.pages,
            text_layer_pages=totals.text_layer_pages,
            ocr_pages=totals.ocr_pages,
            entities=totals.entities,
            failures_by_type=totals.failures_by_type,
            failure_sample=totals.failure_sample,
            results=manifest.results,
            runs=self._carry.runs,
        )

    @workflow.query(name=acts.PROGRESS_QUERY)
    def progress(self) -> BatchProgress:
        totals = self._carry.totals
        known = self._carry.manifest_total
        return BatchProgress(
            batch_id=self._batch_id,
            total=known if known is not None else totals.total + len(self._running),
            pending=max(0, (known or 0) - totals.total - len(self._running)),
            running=len(self._running),
            succeeded=totals.succeeded,
            partial=totals.partial,
            failed=totals.failed,
            running_documents=sorted(self._running)[:100],
        )


def _failed(document_id: str, url: str, error_type: str, message: str) -> DocumentResult:
    return DocumentResult(
        document_id=document_id,
        url=url,
        status="failed",
        error_type=error_type,
        error_message=message,
    )
