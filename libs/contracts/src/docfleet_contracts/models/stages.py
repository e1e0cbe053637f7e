"""Inputs and outputs of the activities, stage by stage: fetch, read, classify, extract, store."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_serializer, model_validator

from docfleet_contracts.models.common import (
    ENTITY_SAMPLE_SIZE,
    KEY_FIELD_LIMIT,
    PASSWORD_DESCRIPTION,
    BlobRef,
    DocumentKind,
    DocumentStatus,
    DocumentUrl,
    Identifier,
    PageMethod,
    Stage,
    WireModel,
    reveal,
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
        return reveal(password)


class PageSummary(WireModel):
    """How one page was read; its text is in the blob store at `text_uri`."""

    number: int = Field(ge=1)
    method: PageMethod
    chars: int = Field(ge=0)
    start: int = Field(ge=0, description="Offset of the page's first character in the full text.")
    confidence: float | None = Field(default=None, description="Mean OCR confidence, 0-1.")
    text_uri: str = ""
    engine: str | None = Field(
        default=None, description="OCR engine that produced the text (ppocr, tesseract...)."
    )
    rotation: int = Field(
        default=0, description="Degrees (0, 90, 180, 270) the page image was turned to read it."
    )
    skew: float = Field(default=0.0, description="Degrees of skew corrected before reading.")
    dpi: int | None = Field(default=None, description="Resolution a PDF page was rendered at.")


class OcrResult(WireModel):
    """Output of `ocr.ocr_pages`."""

    page_count: int = Field(ge=0)
    text_layer_pages: int = Field(ge=0)
    ocr_pages: int = Field(ge=0)
    mean_confidence: float | None = None
    chars: int = Field(ge=0)
    text: BlobRef
    page_index: BlobRef = Field(
        description="JSON `PageIndex` listing every page's `PageSummary`; immutable per document."
    )


class PageIndex(WireModel):
    """The blob at `OcrResult.page_index`: how each page was read, in page order.

    Kept out of the activity payloads so that they stay the same size whatever the page count.
    """

    pages: list[PageSummary] = Field(default_factory=list)

    def starts(self) -> list[int]:
        """Each page's offset in the full text, in page order."""
        return [page.start for page in self.pages]


class OcrCheckpoint(WireModel):
    """Heartbeat details of `ocr.ocr_pages`: how many leading pages are finished.

    Bounded whatever the page count: each finished page's text and `PageSummary` are stored at
    their deterministic keys (`naming.page_text_key`, `naming.page_summary_key`) before the
    checkpoint counts it, so a retry (on any worker) rebuilds the list from the blob store and
    resumes after the last page it can verify there.
    """

    pages_total: int = Field(ge=0)
    pages_done: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _done_within_total(self) -> OcrCheckpoint:
        if self.pages_done > self.pages_total:
            raise ValueError(f"pages_done {self.pages_done} > pages_total {self.pages_total}")
        return self


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
    page_index: BlobRef | None = Field(
        default=None,
        description="`OcrResult.page_index`, to place entities on pages; none: all on page 1.",
    )
    document_type: str | None = Field(
        default=None, description="`Classification.label`: selects the key fields to look for."
    )


class Entity(WireModel):
    """A named thing found in the text."""

    label: str = Field(description="spaCy label (ORG, PERSON, DATE, MONEY...) or EMAIL.")
    text: str
    page: int = Field(ge=1)
    start: int = Field(ge=0, description="Offset in the full text.")
    end: int = Field(ge=0)
    source: Literal["ner", "pattern"] = "ner"
    value: str | None = Field(
        default=None,
        description="Normalised value where one is known: ISO 8601 date (2024-03-19), decimal "
        "amount with ISO currency (1234.50 EUR, or 1234.50 when unknown), E.164 phone "
        "(+442071234567), IBAN or VAT id without spaces, lower-cased email.",
    )


class KeyField(WireModel):
    """A named field of a document type (receipt total, contract party...), with its evidence."""

    name: str = Field(description="date, total, vendor, number, party, jurisdiction, term...")
    value: str = Field(description="Normalised value (same formats as `Entity.value`).")
    text: str = Field(description="The evidence: the text as it appears in the document.")
    page: int = Field(ge=1)
    start: int = Field(ge=0, description="Offset of the evidence in the full text.")
    end: int = Field(ge=0)
    confidence: float = Field(default=0.5, ge=0, le=1)


class EntitiesResult(WireModel):
    """Output of `nlp.extract_entities`: counts and a small sample; the full list is a blob."""

    count: int = Field(ge=0)
    by_label: dict[str, int] = Field(default_factory=dict)
    entities: BlobRef
    sample: list[Entity] = Field(default_factory=list, max_length=ENTITY_SAMPLE_SIZE)
    key_fields: list[KeyField] = Field(default_factory=list, max_length=KEY_FIELD_LIMIT)


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
