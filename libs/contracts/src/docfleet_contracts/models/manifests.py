"""Batch manifests in the blob store: the documents of a batch in, their outcomes out.

Both are JSON Lines, so a batch of any size travels through Temporal as a URI and a cursor.
"""

from __future__ import annotations

from pydantic import Field

from docfleet_contracts.models.batches import DocumentResult, DocumentSpec
from docfleet_contracts.models.common import MAX_INLINE_DOCUMENTS, BlobRef, Identifier, WireModel

MAX_MANIFEST_PAGE = 500
"""Most documents one `storage.read_manifest` call returns."""
MAX_RESULTS_PAGE = 500
"""Most results one `storage.append_results` call carries."""


class ManifestPageInput(WireModel):
    """Input of `storage.read_manifest`: read the next lines of a batch's manifest."""

    batch_id: Identifier
    manifest_uri: str = Field(max_length=4096)
    offset: int = Field(default=0, ge=0, description="Byte offset of the first line to read.")
    first_index: int = Field(default=0, ge=0, description="Batch position of that line.")
    max_documents: int = Field(default=100, ge=1, le=MAX_MANIFEST_PAGE)
    count_total: bool = Field(default=False, description="Also count the manifest's documents.")


class ManifestEntry(WireModel):
    """One line of a manifest: a valid document, or why the line is not one."""

    index: int = Field(ge=0)
    offset: int = Field(default=0, ge=0, description="Byte offset of the line in the manifest.")
    spec: DocumentSpec | None = None
    error: str | None = Field(default=None, max_length=500)


class ManifestPage(WireModel):
    """Output of `storage.read_manifest`."""

    entries: list[ManifestEntry] = Field(max_length=MAX_MANIFEST_PAGE)
    next_offset: int = Field(ge=0)
    end: bool = Field(description="No line follows `next_offset`.")
    total: int | None = Field(default=None, description="Documents in the manifest, if counted.")


class WriteManifestInput(WireModel):
    """Input of `storage.write_manifest`: spill an inline batch's remaining documents."""

    batch_id: Identifier
    first_index: int = Field(ge=0)
    documents: list[DocumentSpec] = Field(max_length=MAX_INLINE_DOCUMENTS)


class ManifestWritten(WireModel):
    """Output of `storage.write_manifest`."""

    manifest_uri: str
    count: int = Field(ge=0)


class AppendResultsInput(WireModel):
    """Input of `storage.append_results`: one page of finished documents."""

    batch_id: Identifier
    part: int = Field(ge=1, description="Page number; the same page written twice is replaced.")
    results: list[DocumentResult] = Field(min_length=1, max_length=MAX_RESULTS_PAGE)


class ResultsPart(WireModel):
    """Output of `storage.append_results`."""

    uri: str
    count: int = Field(ge=0)


class FinishResultsInput(WireModel):
    """Input of `storage.finish_results`: join the pages into the batch's results manifest."""

    batch_id: Identifier
    parts: int = Field(ge=0)


class ResultsManifest(WireModel):
    """Output of `storage.finish_results`."""

    results: BlobRef
    count: int = Field(ge=0)
