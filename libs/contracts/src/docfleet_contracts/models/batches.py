"""What users submit and what they get back: documents, batches, their workflows' results."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, field_serializer, model_validator

from docfleet_contracts.models.common import (
    MAX_INLINE_DOCUMENTS,
    PASSWORD_DESCRIPTION,
    BlobRef,
    DocumentStatus,
    DocumentUrl,
    Identifier,
    Stage,
    WireModel,
    reveal,
)
from docfleet_contracts.models.stages import Degradation, Entity, KeyField

DEFAULT_WINDOW = 50
"""Documents in flight per batch by default: enough to keep a small fleet's every queue busy,
far below Temporal's 2,000 pending children per run."""
MAX_WINDOW = 1000
DEFAULT_EVENT_BUDGET = 10_000
"""Temporal warns at 10,240 history events and stops a run at 51,200."""
MIN_EVENT_BUDGET = 200
EVENTS_PER_DOCUMENT = 8
"""History events one in-flight child can still add to its parent (start, started, completed
and the workflow tasks around them), with room to spare."""
RUN_RESERVE_EVENTS = 100
"""Events a run keeps for itself after admission stops: results pages, continue-as-new."""
FAILURE_SAMPLE_SIZE = 20
MAX_ERROR_MESSAGE = 500


class DocumentSpec(WireModel):
    """One document a user submits."""

    url: DocumentUrl
    priority: int = Field(
        default=3, ge=1, le=5, description="1 (most urgent) to 5 (least); Temporal priority key."
    )
    document_id: Identifier | None = Field(
        default=None, description="The client's own id; derived from position and URL if absent."
    )
    metadata: dict[str, str] = Field(default_factory=dict, max_length=32)
    password: SecretStr | None = Field(default=None, description=PASSWORD_DESCRIPTION)

    @field_serializer("password", when_used="json")
    def _password_json(self, password: SecretStr | None) -> str | None:
        return reveal(password)


def min_event_budget(window: int) -> int:
    """The smallest event budget that still lets a run admit a full window and drain it."""
    return max(MIN_EVENT_BUDGET, 2 * (window * EVENTS_PER_DOCUMENT + RUN_RESERVE_EVENTS))


class DocumentFailure(WireModel):
    """A failed document, as the batch result's bounded sample shows it."""

    document_id: str
    url: str
    error_type: str
    error_message: str = Field(max_length=MAX_ERROR_MESSAGE)


class BatchTotals(WireModel):
    """Counters of a batch so far; they travel across continue-as-new."""

    total: int = 0
    succeeded: int = 0
    partial: int = 0
    failed: int = 0
    cached: int = 0
    pages: int = 0
    text_layer_pages: int = 0
    ocr_pages: int = 0
    entities: int = 0
    failures_by_type: dict[str, int] = Field(default_factory=dict)
    failure_sample: list[DocumentFailure] = Field(
        default_factory=list, max_length=FAILURE_SAMPLE_SIZE
    )

    def add(self, result: DocumentResult) -> None:
        """Count one finished document."""
        self.total += 1
        if result.status == "failed":
            self.failed += 1
            error_type = result.error_type or "Unknown"
            self.failures_by_type[error_type] = self.failures_by_type.get(error_type, 0) + 1
            if len(self.failure_sample) < FAILURE_SAMPLE_SIZE:
                self.failure_sample.append(
                    DocumentFailure(
                        document_id=result.document_id,
                        url=result.url,
                        error_type=error_type,
                        error_message=(result.error_message or "")[:MAX_ERROR_MESSAGE],
                    )
                )
            return
        self.succeeded += result.status == "succeeded"
        self.partial += result.status == "partial"
        self.cached += result.cached
        self.pages += result.page_count
        self.text_layer_pages += result.text_layer_pages
        self.ocr_pages += result.ocr_pages
        self.entities += result.entity_count


class BatchCarry(WireModel):
    """What one run of a batch hands the next when it continues as new: compact, bounded."""

    manifest_uri: str = Field(max_length=4096)
    manifest_offset: int = Field(default=0, ge=0, description="Byte offset of the next line.")
    next_index: int = Field(default=0, ge=0, description="Position of the next document.")
    manifest_total: int | None = Field(default=None, description="Documents in the manifest.")
    results_parts: int = Field(default=0, ge=0, description="Results-manifest parts written.")
    runs: int = Field(default=1, ge=1, description="Runs so far, this one included.")
    totals: BatchTotals = Field(default_factory=BatchTotals)


class BatchRequest(WireModel):
    """A batch of documents; the input of `OrchestratorWorkflow`.

    The documents come inline (`documents`, up to MAX_INLINE_DOCUMENTS) or as a manifest in the
    blob store (`manifest_uri`: JSON Lines, one `DocumentSpec` per line), so a batch of any size
    starts with a small payload.
    """

    batch_id: Identifier | None = Field(
        default=None, description="Defaults to the workflow id when started by another tool."
    )
    documents: list[DocumentSpec] = Field(default_factory=list, max_length=MAX_INLINE_DOCUMENTS)
    manifest_uri: str | None = Field(
        default=None,
        max_length=4096,
        description="A JSON Lines manifest of DocumentSpec in the fleet's blob store, instead of "
        "`documents`.",
    )
    max_concurrency: int = Field(
        default=DEFAULT_WINDOW,
        ge=1,
        le=MAX_WINDOW,
        description="Sliding window: documents in flight at the same time.",
    )
    use_cache: bool = Field(
        default=True,
        description="Reuse the stored reading of a document whose bytes were processed before.",
    )
    history_event_budget: int = Field(
        default=DEFAULT_EVENT_BUDGET,
        ge=MIN_EVENT_BUDGET,
        le=40_000,
        description="A run of the batch workflow stops admitting documents and continues as new "
        "before its history passes this many events (or earlier, when the server suggests). "
        "Unset: 10,000, or what a large window needs to drain (`min_event_budget`).",
    )
    carry: BatchCarry | None = Field(
        default=None,
        description="Set by the workflow itself when it continues as new; never by clients.",
    )

    @model_validator(mode="before")
    @classmethod
    def _budget_for_the_window(cls, data: Any) -> Any:
        # A window too large for the default budget gets the budget it needs to drain.
        if isinstance(data, dict) and data.get("history_event_budget") is None:
            window = data.get("max_concurrency") or DEFAULT_WINDOW
            if isinstance(window, int) and 1 <= window <= MAX_WINDOW:
                budget = max(DEFAULT_EVENT_BUDGET, min_event_budget(window))
                data = {**data, "history_event_budget": budget}
        return data

    @model_validator(mode="after")
    def _one_source(self) -> BatchRequest:
        if self.carry is None and bool(self.documents) == bool(self.manifest_uri):
            raise ValueError("give either documents (inline) or manifest_uri, not both or neither")
        least = min_event_budget(self.max_concurrency)
        if self.history_event_budget < least:
            raise ValueError(
                f"history_event_budget {self.history_event_budget} is too small for a window of "
                f"{self.max_concurrency} documents: use at least {least}"
            )
        return self


# --- workflows ---------------------------------------------------------------------------------


class DocumentInput(WireModel):
    """Input of `DocumentWorkflow`."""

    batch_id: Identifier
    document_id: Identifier
    spec: DocumentSpec
    use_cache: bool = True


class DocumentResult(WireModel):
    """The outcome of one document: one line of the batch's results manifest."""

    document_id: str
    index: int | None = Field(default=None, description="Position in the batch, from 0.")
    url: str
    status: DocumentStatus
    document_type: str | None = None
    type_confidence: float | None = None
    page_count: int = 0
    text_layer_pages: int = 0
    ocr_pages: int = 0
    entity_count: int = 0
    entities_by_label: dict[str, int] = Field(default_factory=dict)
    entity_sample: list[Entity] = Field(default_factory=list)
    key_fields: list[KeyField] = Field(default_factory=list)
    result_uri: str | None = None
    result_sha256: str | None = None
    text_uri: str | None = None
    error_type: str | None = None
    error_message: str | None = None
    degraded: list[Degradation] = Field(default_factory=list)
    cached: bool = Field(default=False, description="The reading came from the content-hash cache.")
    stage_seconds: dict[str, float] = Field(default_factory=dict)


class BatchResult(WireModel):
    """Output of `OrchestratorWorkflow`: totals, a bounded failure sample, and where the
    per-document rows are (`results`: JSON Lines of `DocumentResult`, in completion order)."""

    batch_id: str
    total: int
    succeeded: int
    failed: int
    partial: int = Field(default=0, description="Stored without classification or entities.")
    cached: int = Field(default=0, description="Documents whose reading came from the cache.")
    pages: int = 0
    text_layer_pages: int = 0
    ocr_pages: int = 0
    entities: int = 0
    failures_by_type: dict[str, int] = Field(default_factory=dict)
    failure_sample: list[DocumentFailure] = Field(default_factory=list)
    results: BlobRef | None = Field(
        default=None, description="The results manifest: one DocumentResult per line."
    )
    runs: int = Field(default=1, description="Workflow runs in the batch's continue-as-new chain.")


class DocumentProgress(WireModel):
    """Answer of `DocumentWorkflow`'s `progress` query."""

    document_id: str
    stage: Stage
    pages_done: int = 0
    pages_total: int = 0
    error_type: str | None = None


class BatchProgress(WireModel):
    """Answer of `OrchestratorWorkflow`'s `progress` query."""

    batch_id: str
    total: int
    pending: int
    running: int
    succeeded: int
    failed: int
    partial: int = 0
    running_documents: list[str] = Field(default_factory=list)
