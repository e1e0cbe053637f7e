"""What users submit and what they get back: documents, batches, their workflows' results."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_serializer

from docfleet_contracts.models.common import (
    MAX_DOCUMENTS_PER_BATCH,
    PASSWORD_DESCRIPTION,
    DocumentStatus,
    DocumentUrl,
    Identifier,
    Stage,
    WireModel,
    reveal,
)
from docfleet_contracts.models.stages import Degradation, Entity


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


class BatchRequest(WireModel):
    """A batch of documents; the input of `OrchestratorWorkflow`."""

    batch_id: Identifier | None = Field(
        default=None, description="Defaults to the workflow id when started by another tool."
    )
    documents: list[DocumentSpec] = Field(min_length=1, max_length=MAX_DOCUMENTS_PER_BATCH)
    max_concurrency: int = Field(
        default=20, ge=1, le=500, description="Documents processed at the same time."
    )
    use_cache: bool = Field(
        default=True,
        description="Reuse the stored reading of a document whose bytes were processed before.",
    )


# --- workflows ---------------------------------------------------------------------------------


class DocumentInput(WireModel):
    """Input of `DocumentWorkflow`."""

    batch_id: Identifier
    document_id: Identifier
    spec: DocumentSpec
    use_cache: bool = True


class DocumentResult(WireModel):
    """The outcome of one document, as the batch result shows it."""

    document_id: str
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
    result_uri: str | None = None
    result_sha256: str | None = None
    text_uri: str | None = None
    error_type: str | None = None
    error_message: str | None = None
    degraded: list[Degradation] = Field(default_factory=list)
    cached: bool = Field(default=False, description="The reading came from the content-hash cache.")
    stage_seconds: dict[str, float] = Field(default_factory=dict)


class BatchResult(WireModel):
    """Output of `OrchestratorWorkflow`."""

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
    documents: list[DocumentResult]


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
