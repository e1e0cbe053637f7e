"""Wire models: everything that crosses a task queue.

Models ignore unknown fields so services deployed at different times keep talking, and every
field added later must have a default. Documents themselves never travel here: bytes and long
text live in the blob store and these models carry `BlobRef`s and small summaries.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, field_serializer

ALLOWED_SCHEMES = ("http", "https", "file", "s3")
MAX_DOCUMENTS_PER_BATCH = 1000
ENTITY_SAMPLE_SIZE = 20

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)


def _check_url(url: str) -> str:
    url = url.strip()
    match = _SCHEME.match(url)
    if match is None:
        raise ValueError(
            f"{url!r} is not a URL; expected one of "
            + ", ".join(f"{s}://" for s in ALLOWED_SCHEMES)
        )
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme not in ALLOWED_SCHEMES:
        raise ValueError(
            f"URL scheme {scheme!r} is not supported; use one of "
            + ", ".join(f"{s}://" for s in ALLOWED_SCHEMES)
        )
    if not rest or rest == "/":
        raise ValueError(f"{url!r} has nothing after {scheme}://")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise ValueError(f"{url!r} contains whitespace or control characters")
    if len(url) > 4096:
        raise ValueError("URL is longer than 4096 characters")
    return scheme + "://" + rest


DocumentUrl = Annotated[str, AfterValidator(_check_url)]
"""A document URL: http(s)://, file:// (under the fetcher's root) or s3://."""

Identifier = Annotated[str, Field(pattern=_ID_PATTERN)]
"""Batch and document ids: 1-128 of letters, digits, '.', '_' and '-', starting alphanumeric."""

PASSWORD_DESCRIPTION = (
    "Password of an encrypted PDF. Masked in repr, str and logs, but carried in clear in the "
    "JSON payload: it is only kept out of Temporal history when payload encryption "
    "(DOCFLEET_CODEC_KEYS) is configured."
)


def _reveal(secret: SecretStr | None) -> str | None:
    """The JSON wire form of a password: the Pydantic data converter must carry the value."""
    return None if secret is None else secret.get_secret_value()


DocumentKind = Literal["pdf", "png", "jpeg", "tiff"]
"""Document formats the fleet reads, detected from magic bytes."""

PageMethod = Literal["text_layer", "ocr"]
"""How a page's text was read: from the PDF's text layer, or by OCR of its image."""

Stage = Literal[
    "pending", "fetching", "reading", "classifying", "extracting", "storing", "done", "failed"
]
"""Where a document is in its pipeline."""

DocumentStatus = Literal["succeeded", "partial", "failed"]
"""How a document ended: every stage ran; stored with its text but without classification or
entities (see `degraded`); or not stored at all (see `error_type`)."""


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are ignored, so mixed versions interoperate."""

    model_config = ConfigDict(extra="ignore")


class BlobRef(WireModel):
    """A pointer to bytes in the blob store; what travels instead of the bytes."""

    uri: str = Field(description="file:///... or s3://bucket/key")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, description="Size in bytes.")
    content_type: str = "application/octet-stream"


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
        return _reveal(password)


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


# --- fetcher -----------------------------------------------------------------------------------


class FetchInput(WireModel):
    """Input of `fetch.fetch_document`."""

    batch_id: Identifier
    document_id: Identifier
    url: DocumentUrl


class FetchResult(WireModel):
    """Output of `fetch.fetch_document`: where the downloaded bytes now live."""

    blob: BlobRef
    kind: DocumentKind


# --- ocr ---------------------------------------------------------------------------------------


class OcrInput(WireModel):
    """Input of `ocr.ocr_pages`."""

    batch_id: Identifier
    document_id: Identifier
    source: BlobRef
    kind: DocumentKind
    password: SecretStr | None = Field(default=None, description=PASSWORD_DESCRIPTION)

    @field_serializer("password", when_used="json")
    def _password_json(self, password: SecretStr | None) -> str | None:
        return _reveal(password)


class PageSummary(WireModel):
    """How one page was read; its text is in the blob store at `text_uri`."""

    number: int = Field(ge=1)
    method: PageMethod
    chars: int = Field(ge=0)
    start: int = Field(ge=0, description="Offset of the page's first character in the full text.")
    confidence: float | None = Field(default=None, description="Mean OCR confidence, 0-1.")
    text_uri: str = ""


class OcrResult(WireModel):
    """Output of `ocr.ocr_pages`."""

    page_count: int = Field(ge=0)
    text_layer_pages: int = Field(ge=0)
    ocr_pages: int = Field(ge=0)
    mean_confidence: float | None = None
    chars: int = Field(ge=0)
    text: BlobRef
    pages: list[PageSummary]


class OcrCheckpoint(WireModel):
    """Heartbeat details of `ocr.ocr_pages`: the pages finished so far, their text already stored.

    A retry (on any worker) resumes after the last page listed here.
    """

    pages_total: int = Field(ge=0)
    pages: list[PageSummary] = Field(default_factory=list)


class PageProgress(WireModel):
    """Signal from the OCR worker to its document workflow: pages read so far."""

    pages_done: int = Field(ge=0)
    pages_total: int = Field(ge=0)


# --- nlp ---------------------------------------------------------------------------------------


class ClassifyInput(WireModel):
    """Input of `nlp.classify`."""

    text: BlobRef


class Classification(WireModel):
    """Output of `nlp.classify`: a document type with a confidence."""

    label: str
    confidence: float = Field(ge=0, le=1)
    scores: dict[str, float] = Field(default_factory=dict)


class ExtractInput(WireModel):
    """Input of `nlp.extract_entities`."""

    batch_id: Identifier
    document_id: Identifier
    text: BlobRef
    page_starts: list[int] = Field(
        default_factory=list, description="Offset of each page in the text, to place entities."
    )


class Entity(WireModel):
    """A named thing found in the text."""

    label: str = Field(description="spaCy label (ORG, PERSON, DATE, MONEY...) or EMAIL.")
    text: str
    page: int = Field(ge=1)
    start: int = Field(ge=0, description="Offset in the full text.")
    end: int = Field(ge=0)
    source: Literal["ner", "pattern"] = "ner"


class EntitiesResult(WireModel):
    """Output of `nlp.extract_entities`: counts and a small sample; the full list is a blob."""

    count: int = Field(ge=0)
    by_label: dict[str, int] = Field(default_factory=dict)
    entities: BlobRef
    sample: list[Entity] = Field(default_factory=list, max_length=ENTITY_SAMPLE_SIZE)


# --- storage -----------------------------------------------------------------------------------


class Degradation(WireModel):
    """A stage that failed for good without failing the document (which is then `partial`)."""

    stage: Stage
    error_type: str
    message: str


class StoreInput(WireModel):
    """Input of `storage.store_result`; without classification or entities the result is partial."""

    batch_id: Identifier
    document_id: Identifier
    url: str
    source: BlobRef
    kind: DocumentKind
    ocr: OcrResult
    classification: Classification | None = None
    entities: EntitiesResult | None = None
    degraded: list[Degradation] = Field(default_factory=list)
    cached_from: str | None = Field(
        default=None, description="`batch/document` whose reading was reused from the cache."
    )
    remember: bool = Field(
        default=True,
        description="Record a complete reading in the content-hash cache for later documents.",
    )


class StoreResult(WireModel):
    """Output of `storage.store_result`: the document's result JSON and full text."""

    result: BlobRef
    text: BlobRef
    cached: bool = Field(default=False, description="Whether the reading was entered in the cache.")


class CacheLookupInput(WireModel):
    """Input of `storage.find_cached`: the fetched bytes' identity."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: DocumentKind


class CachedReading(WireModel):
    """A complete earlier reading of the same bytes, whose blobs were checked to still exist."""

    batch_id: Identifier
    document_id: Identifier
    ocr: OcrResult
    classification: Classification
    entities: EntitiesResult


class CacheLookupResult(WireModel):
    """Output of `storage.find_cached`; `hit` is None on a miss, with the reason when not plain."""

    hit: CachedReading | None = None
    reason: str | None = Field(
        default=None, description="Why no hit could be served (cache off, Redis down, stale)."
    )


class AnalyticsInput(WireModel):
    """Input of `AnalyticsWorkflow` and `storage.record_analytics`."""

    batch_id: Identifier
    document_id: Identifier
    status: DocumentStatus
    document_type: str | None = None
    page_count: int = 0
    text_layer_pages: int = 0
    ocr_pages: int = 0
    entities_by_label: dict[str, int] = Field(default_factory=dict)
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    error_type: str | None = None


class AnalyticsRecorded(WireModel):
    """Output of `storage.record_analytics`; `recorded` is false for a repeated document."""

    recorded: bool


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
