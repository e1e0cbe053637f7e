"""Activity and workflow names, bound to their queue and wire types.

Names are stable strings, never derived from a function name, so a service may rename its code
without breaking running workflows. The orchestrator calls activities through these specs and
never imports a service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar, cast

from pydantic import BaseModel
from temporalio import workflow

from docfleet_contracts import models as m
from docfleet_contracts import queues

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


@dataclass(frozen=True)
class ActivitySpec(Generic[In, Out]):
    """An activity's wire identity: name, task queue, input and output model."""

    name: str
    task_queue: str
    input_type: type[In]
    output_type: type[Out]

    async def execute(self, arg: In, **options: Any) -> Out:
        """Run this activity from a workflow on its own queue; `options` are Temporal's
        (timeouts, retry policy, priority)."""
        result = await workflow.execute_activity(
            self.name,
            arg,
            task_queue=self.task_queue,
            result_type=self.output_type,
            **options,
        )
        return cast(Out, result)


FETCH_DOCUMENT: Final = ActivitySpec(
    "fetch.fetch_document", queues.FETCHER_QUEUE, m.FetchInput, m.FetchResult
)
"""Download a document into the blob store; detect its type from magic bytes."""

OCR_PAGES: Final = ActivitySpec("ocr.ocr_pages", queues.OCR_QUEUE, m.OcrInput, m.OcrResult)
"""Read every page's text (text layer or OCR); page texts go to the blob store."""

CLASSIFY: Final = ActivitySpec("nlp.classify", queues.NLP_QUEUE, m.ClassifyInput, m.Classification)
"""Label the document with a type and a confidence."""

EXTRACT_ENTITIES: Final = ActivitySpec(
    "nlp.extract_entities", queues.NLP_QUEUE, m.ExtractInput, m.EntitiesResult
)
"""Find named entities, emails, money amounts and dates."""

STORE_RESULT: Final = ActivitySpec(
    "storage.store_result", queues.STORAGE_QUEUE, m.StoreInput, m.StoreResult
)
"""Write the document's result JSON and full text under deterministic keys."""

FIND_CACHED: Final = ActivitySpec(
    "storage.find_cached", queues.STORAGE_QUEUE, m.CacheLookupInput, m.CacheLookupResult
)
"""Look up a complete earlier reading of the same bytes in the content-hash cache."""

RECORD_ANALYTICS: Final = ActivitySpec(
    "storage.record_analytics", queues.STORAGE_QUEUE, m.AnalyticsInput, m.AnalyticsRecorded
)
"""Add one document's figures to the Redis aggregates, once per document."""

READ_MANIFEST: Final = ActivitySpec(
    "storage.read_manifest", queues.STORAGE_QUEUE, m.ManifestPageInput, m.ManifestPage
)
"""Read the next page of a batch's JSON Lines manifest of documents."""

WRITE_MANIFEST: Final = ActivitySpec(
    "storage.write_manifest", queues.STORAGE_QUEUE, m.WriteManifestInput, m.ManifestWritten
)
"""Spill an inline batch's remaining documents to a manifest before continuing as new."""

APPEND_RESULTS: Final = ActivitySpec(
    "storage.append_results", queues.STORAGE_QUEUE, m.AppendResultsInput, m.ResultsPart
)
"""Write one page of finished documents' results."""

FINISH_RESULTS: Final = ActivitySpec(
    "storage.finish_results", queues.STORAGE_QUEUE, m.FinishResultsInput, m.ResultsManifest
)
"""Join a batch's results pages into its results manifest (JSON Lines of DocumentResult)."""

ORCHESTRATOR_WORKFLOW: Final = "OrchestratorWorkflow"
DOCUMENT_WORKFLOW: Final = "DocumentWorkflow"
ANALYTICS_WORKFLOW: Final = "AnalyticsWorkflow"

PROGRESS_QUERY: Final = "progress"
"""Query name on both the batch and the document workflow."""

PAGE_PROGRESS_SIGNAL: Final = "page_progress"
"""Signal the OCR worker sends its document workflow with `PageProgress`."""
