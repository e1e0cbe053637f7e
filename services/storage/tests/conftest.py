"""Builders shared by the storage tests: a stored reading and the activities over real servers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from redis.asyncio import Redis

from docfleet_blobstore import BlobStore
from docfleet_contracts import (
    Classification,
    EntitiesResult,
    Entity,
    KeyField,
    OcrResult,
    PageIndex,
    PageSummary,
    StoreInput,
    naming,
)
from docfleet_devstack.process import free_port
from docfleet_storage.activities import StorageActivities
from docfleet_storage.analytics import AnalyticsRecorder
from docfleet_storage.cache import ReadingCache

TEXT = "INVOICE No. 7\nAcme Corporation\n\fpage two: total $10.00"

MakeInput = Callable[..., Awaitable[StoreInput]]
MakeActivities = Callable[..., StorageActivities]


async def _make_input(
    blobs: BlobStore, text: str = TEXT, source_bytes: bytes = b"%PDF-1.7", document_id: str = "d1"
) -> StoreInput:
    """A complete reading of a two-page document, its text and entities in `blobs`."""
    text_ref = await blobs.put_text(naming.full_text_key("b1", document_id), text)
    entity = Entity(label="ORG", text="Acme Corporation", page=1, start=14, end=30)
    entities = await blobs.put_bytes(
        naming.entities_key("b1", document_id),
        json.dumps([entity.model_dump()]).encode(),
        "application/json",
    )
    source = await blobs.put_bytes(
        naming.source_key("b1", document_id), source_bytes, "application/pdf"
    )
    pages = [
        PageSummary(number=1, method="text_layer", chars=30, start=0),
        PageSummary(number=2, method="ocr", chars=22, start=31, confidence=0.9),
    ]
    page_index = await blobs.put_bytes(
        naming.page_index_key("b1", document_id),
        PageIndex(pages=pages).model_dump_json().encode(),
        "application/json",
    )
    return StoreInput(
        batch_id="b1",
        document_id=document_id,
        url="https://example.org/a.pdf",
        source=source,
        kind="pdf",
        ocr=OcrResult(
            page_count=2,
            text_layer_pages=1,
            ocr_pages=1,
            mean_confidence=0.9,
            chars=len(text),
            text=text_ref,
            page_index=page_index,
        ),
        classification=Classification(label="invoice", confidence=0.8),
        entities=EntitiesResult(
            count=1,
            by_label={"ORG": 1},
            entities=entities,
            sample=[entity],
            key_fields=[KeyField(name="number", value="7", text="7", page=1, start=12, end=13)],
        ),
    )


@pytest.fixture
def make_input() -> MakeInput:
    return _make_input


@pytest.fixture
async def make_activities() -> AsyncIterator[MakeActivities]:
    """Activities over a store and a Redis URL (by default one where nothing listens)."""
    opened: list[Redis] = []

    def build(
        blobs: BlobStore,
        redis_url: str | None = None,
        *,
        cache_enabled: bool = True,
        part_bytes: int = 8 * 1024 * 1024,
    ) -> StorageActivities:
        url = redis_url or f"redis://127.0.0.1:{free_port()}/0"
        redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        opened.append(redis)
        cache = ReadingCache(redis, blobs, enabled=cache_enabled)
        return StorageActivities(blobs, AnalyticsRecorder(redis), cache, part_bytes)

    yield build
    for redis in opened:
        await redis.aclose()
