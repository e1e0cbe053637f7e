"""The document result file: one JSON per document, plus its full text beside it.

Both are written in parts. After every part the caller gets a `StoreCheckpoint`; handed the
last one again, a retry skips the text if it was already written and resumes the upload in
progress instead of starting over. Keys and bytes are deterministic, so a rewrite gives the
same files and the same SHA-256s.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from docfleet_blobstore import (
    DEFAULT_PART_BYTES,
    BlobIntegrityError,
    BlobStore,
    BytesParts,
    UploadCheckpoint,
)
from docfleet_contracts import BlobRef, PageIndex, PageSummary, StoreInput, StoreResult, naming

RESULT_SCHEMA_VERSION = 2


class StoreCheckpoint(BaseModel):
    """How far `store_result` got; its heartbeat details."""

    model_config = ConfigDict(extra="ignore")

    step: str
    text: BlobRef | None = None
    upload: UploadCheckpoint | None = None


Progress = Callable[[StoreCheckpoint], None]


async def write_result(
    blobs: BlobStore,
    request: StoreInput,
    *,
    part_bytes: int = DEFAULT_PART_BYTES,
    resume: StoreCheckpoint | None = None,
    progress: Progress = lambda _: None,
) -> StoreResult:
    """Copy the full text next to the result and write the result JSON; same input, same keys."""
    text_key = naming.result_text_key(request.batch_id, request.document_id)
    upload = resume.upload if resume else None
    text_ref = await _text_already_written(blobs, request, text_key, resume)
    if text_ref is None:
        # Keep the earlier attempt's checkpoint alive until this one writes a part of its own.
        carried = upload.model_copy(update={"last_part": None}) if upload else None
        progress(StoreCheckpoint(step="reading text", upload=carried))
        text = await blobs.read(request.ocr.text)
        text_ref = await blobs.put_parts(
            text_key,
            BytesParts(text, part_bytes),
            "text/plain; charset=utf-8",
            checkpoint=upload,
            on_part=lambda point: progress(StoreCheckpoint(step="writing text", upload=point)),
        )
        progress(StoreCheckpoint(step="text written", text=text_ref))
    pages = await read_pages(blobs, request.ocr.page_index)
    entities: list[dict[str, Any]] | None = None
    if request.entities is not None:
        entities = json.loads(await blobs.read(request.entities.entities))
    body = result_json(request, text_ref, pages, entities)
    done_text = text_ref
    result_ref = await blobs.put_parts(
        naming.result_key(request.batch_id, request.document_id),
        BytesParts(body, part_bytes),
        "application/json",
        checkpoint=upload,
        on_part=lambda point: progress(
            StoreCheckpoint(step="writing result", text=done_text, upload=point)
        ),
    )
    return StoreResult(result=result_ref, text=text_ref)


async def read_pages(blobs: BlobStore, ref: BlobRef) -> list[PageSummary]:
    """Every page's summary, from the OCR's page index (immutable per document, so a cached
    reading's index serves every later document with the same bytes)."""
    data = await blobs.read(ref)
    try:
        return PageIndex.model_validate_json(data).pages
    except ValidationError as exc:
        raise BlobIntegrityError(f"{ref.uri} is not a page index: {exc}") from exc


def result_json(
    request: StoreInput,
    text_ref: BlobRef,
    pages: Sequence[PageSummary],
    entities: list[dict[str, Any]] | None,
) -> bytes:
    """The result file's bytes: sorted keys, so the same input always gives the same bytes.

    The result lists every page (`pages`, read from the page index): it is a blob, not history.
    """
    complete = request.classification is not None and request.entities is not None
    document = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "status": "complete" if complete else "partial",
        "degraded": [d.model_dump() for d in request.degraded],
        "cached_from": request.cached_from,
        "batch_id": request.batch_id,
        "document_id": request.document_id,
        "url": request.url,
        "kind": request.kind,
        "source": request.source.model_dump(),
        "document_type": request.classification.model_dump() if request.classification else None,
        "pages": [page.model_dump() for page in pages],
        "page_count": request.ocr.page_count,
        "text_layer_pages": request.ocr.text_layer_pages,
        "ocr_pages": request.ocr.ocr_pages,
        "mean_ocr_confidence": request.ocr.mean_confidence,
        "text": text_ref.model_dump(),
        "entity_count": request.entities.count if request.entities else None,
        "entities_by_label": request.entities.by_label if request.entities else None,
        "entities": entities,
        "key_fields": (
            [field.model_dump() for field in request.entities.key_fields]
            if request.entities
            else None
        ),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


async def _text_already_written(
    blobs: BlobStore, request: StoreInput, key: str, resume: StoreCheckpoint | None
) -> BlobRef | None:
    """The text a previous attempt finished writing, if it is this very text and still there."""
    if resume is None or resume.text is None:
        return None
    done = resume.text
    same = done.uri == blobs.uri_for(key) and done.sha256 == request.ocr.text.sha256
    if same and await blobs.exists(done.uri):
        return done
    return None
