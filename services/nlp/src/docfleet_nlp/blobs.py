"""Blob-store access with domain errors: texts and page indexes in, entity lists out."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import TypeAdapter, ValidationError

from docfleet_blobstore import (
    BlobIntegrityError,
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    ForeignBlobUri,
)
from docfleet_contracts import BlobRef, Entity, PageIndex
from docfleet_nlp.errors import BlobStoreDown, InvalidText, TextNotFound

_ENTITY_LIST = TypeAdapter(list[Entity])


async def read_text(store: BlobStore, ref: BlobRef) -> str:
    """The UTF-8 text at `ref`; raises `TextNotFound`, `InvalidText` or `BlobStoreDown`."""
    data = await _read(store, ref, "text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidText(f"text blob {ref.uri} is not UTF-8: {exc}") from exc


async def read_page_starts(store: BlobStore, ref: BlobRef | None) -> list[int]:
    """Each page's offset in the text, from the OCR's page index at `ref` (none: no pages)."""
    if ref is None:
        return []
    data = await _read(store, ref, "page index")
    try:
        return PageIndex.model_validate_json(data).starts()
    except ValidationError as exc:
        raise InvalidText(f"page index blob {ref.uri} is not a page index: {exc}") from exc


async def _read(store: BlobStore, ref: BlobRef, what: str) -> bytes:
    try:
        return await store.read(ref)
    except BlobNotFound as exc:
        raise TextNotFound(f"{what} blob {ref.uri} does not exist") from exc
    except (BlobIntegrityError, ForeignBlobUri) as exc:
        raise InvalidText(str(exc)) from exc
    except BlobStoreUnavailable as exc:
        raise BlobStoreDown(str(exc)) from exc


async def write_entities(store: BlobStore, key: str, entities: Sequence[Entity]) -> BlobRef:
    """Write the entity list as a JSON array under `key`."""
    try:
        return await store.put_bytes(
            key, _ENTITY_LIST.dump_json(list(entities)), "application/json"
        )
    except BlobStoreUnavailable as exc:
        raise BlobStoreDown(str(exc)) from exc
