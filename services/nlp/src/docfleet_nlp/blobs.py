"""Reading texts and writing entity lists through the blob store, with domain errors."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import TypeAdapter

from docfleet_blobstore import (
    BlobIntegrityError,
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    ForeignBlobUri,
)
from docfleet_contracts import BlobRef, Entity
from docfleet_nlp.errors import BlobStoreDown, InvalidText, TextNotFound

_ENTITY_LIST = TypeAdapter(list[Entity])


async def read_text(store: BlobStore, ref: BlobRef) -> str:
    """The UTF-8 text at `ref`; raises `TextNotFound`, `InvalidText` or `BlobStoreDown`."""
    try:
        data = await store.read(ref)
    except BlobNotFound as exc:
        raise TextNotFound(f"text blob {ref.uri} does not exist") from exc
    except (BlobIntegrityError, ForeignBlobUri) as exc:
        raise InvalidText(str(exc)) from exc
    except BlobStoreUnavailable as exc:
        raise BlobStoreDown(str(exc)) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidText(f"text blob {ref.uri} is not UTF-8: {exc}") from exc


async def write_entities(store: BlobStore, key: str, entities: Sequence[Entity]) -> BlobRef:
    """Write the entity list as a JSON array under `key`."""
    try:
        return await store.put_bytes(
            key, _ENTITY_LIST.dump_json(list(entities)), "application/json"
        )
    except BlobStoreUnavailable as exc:
        raise BlobStoreDown(str(exc)) from exc
