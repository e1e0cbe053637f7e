"""The document result file: one JSON per document, plus its full text beside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from docfleet_blobstore import BlobStore
from docfleet_contracts import StoreInput, StoreResult, naming

RESULT_SCHEMA_VERSION = 1


async def write_result(
    blobs: BlobStore, request: StoreInput, progress: Callable[[str], None] = lambda _: None
) -> StoreResult:
    """Copy the full text next to the result and write the result JSON; same input, same keys."""
    progress("reading text")
    text = await blobs.read(request.ocr.text)
    progress("writing text")
    text_ref = await blobs.put_bytes(
        naming.result_text_key(request.batch_id, request.document_id),
        text,
        "text/plain; charset=utf-8",
    )
    progress("reading entities")
    entities: list[dict[str, Any]] = json.loads(await blobs.read(request.entities.entities))
    progress("writing result")
    document = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "batch_id": request.batch_id,
        "document_id": request.document_id,
        "url": request.url,
        "kind": request.kind,
        "source": request.source.model_dump(),
        "document_type": request.classification.model_dump(),
        "pages": [page.model_dump() for page in request.ocr.pages],
        "page_count": request.ocr.page_count,
        "text_layer_pages": request.ocr.text_layer_pages,
        "ocr_pages": request.ocr.ocr_pages,
        "mean_ocr_confidence": request.ocr.mean_confidence,
        "text": text_ref.model_dump(),
        "entity_count": request.entities.count,
        "entities_by_label": request.entities.by_label,
        "entities": entities,
    }
    body = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")
    result_ref = await blobs.put_bytes(
        naming.result_key(request.batch_id, request.document_id), body, "application/json"
    )
    return StoreResult(result=result_ref, text=text_ref)
