from __future__ import annotations

import json

import pytest
from redis.asyncio import Redis
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import BlobStore, FileBlobStore, S3Options, open_blob_store
from docfleet_contracts import (
    AnalyticsInput,
    Classification,
    EntitiesResult,
    Entity,
    OcrResult,
    PageSummary,
    StoreInput,
    errors,
    naming,
)
from docfleet_devstack.process import free_port
from docfleet_storage.activities import StorageActivities
from docfleet_storage.analytics import AnalyticsRecorder

TEXT = "INVOICE No. 7\nAcme Corporation\n\fpage two: total $10.00"


async def make_input(blobs: BlobStore) -> StoreInput:
    text = await blobs.put_text(naming.full_text_key("b1", "d1"), TEXT)
    entity = Entity(label="ORG", text="Acme Corporation", page=1, start=14, end=30)
    entities = await blobs.put_bytes(
        naming.entities_key("b1", "d1"),
        json.dumps([entity.model_dump()]).encode(),
        "application/json",
    )
    source = await blobs.put_bytes(naming.source_key("b1", "d1"), b"%PDF-1.7", "application/pdf")
    pages = [
        PageSummary(number=1, method="text_layer", chars=30, start=0),
        PageSummary(number=2, method="ocr", chars=22, start=31, confidence=0.9),
    ]
    return StoreInput(
        batch_id="b1",
        document_id="d1",
        url="https://example.org/a.pdf",
        source=source,
        kind="pdf",
        ocr=OcrResult(
            page_count=2,
            text_layer_pages=1,
            ocr_pages=1,
            mean_confidence=0.9,
            chars=len(TEXT),
            text=text,
            pages=pages,
        ),
        classification=Classification(label="invoice", confidence=0.8),
        entities=EntitiesResult(count=1, by_label={"ORG": 1}, entities=entities, sample=[entity]),
    )


def activities(blobs: BlobStore, redis_url: str = "redis://127.0.0.1:1/0") -> StorageActivities:
    return StorageActivities(blobs, AnalyticsRecorder(Redis.from_url(redis_url)))


async def test_store_result_writes_result_and_text_under_deterministic_keys(
    blob_store: FileBlobStore,
) -> None:
    request = await make_input(blob_store)
    env = ActivityEnvironment()
    beats: list[object] = []
    env.on_heartbeat = lambda *details: beats.extend(details)

    stored = await env.run(activities(blob_store).store_result, request)

    assert stored.result.uri == blob_store.uri_for(naming.result_key("b1", "d1"))
    assert await blob_store.read_text(stored.text) == TEXT
    result = json.loads(await blob_store.read(stored.result))
    assert result["document_type"]["label"] == "invoice"
    assert result["entities"][0]["text"] == "Acme Corporation"
    assert [p["method"] for p in result["pages"]] == ["text_layer", "ocr"]
    assert "writing result" in beats
    again = await env.run(activities(blob_store).store_result, request)
    assert again == stored


async def test_store_result_with_missing_text_is_a_typed_non_retryable_error(
    blob_store: FileBlobStore, tmp_path: object
) -> None:
    request = await make_input(blob_store)
    missing = request.ocr.text.model_copy(update={"uri": blob_store.uri_for("text/none.txt")})
    request = request.model_copy(update={"ocr": request.ocr.model_copy(update={"text": missing})})
    with pytest.raises(ApplicationError) as info:
        await ActivityEnvironment().run(activities(blob_store).store_result, request)
    assert info.value.type == errors.INVALID_REQUEST
    assert info.value.non_retryable


@pytest.mark.integration
async def test_store_result_on_s3(moto_endpoint: str, s3_bucket_url: str) -> None:
    store = await open_blob_store(
        s3_bucket_url, S3Options(endpoint_url=moto_endpoint, create_bucket=True)
    )
    async with store:
        stored = await ActivityEnvironment().run(
            activities(store).store_result, await make_input(store)
        )
        assert stored.result.uri.startswith("s3://")
        assert stored.result.uri.endswith("/results/b1/d1.json")
        assert json.loads(await store.read(stored.result))["entity_count"] == 1


@pytest.mark.integration
async def test_analytics_counted_once_per_document(
    redis_url: str, blob_store: FileBlobStore
) -> None:
    record = AnalyticsInput(
        batch_id="b1",
        document_id="d1",
        status="succeeded",
        document_type="invoice",
        page_count=3,
        text_layer_pages=2,
        ocr_pages=1,
        entities_by_label={"ORG": 2, "MONEY": 1},
        stage_seconds={"fetching": 0.5, "reading": 2.0},
    )
    acts = activities(blob_store, redis_url)
    first = await ActivityEnvironment().run(acts.record_analytics, record)
    repeat = await ActivityEnvironment().run(acts.record_analytics, record)
    failed = AnalyticsInput(
        batch_id="b1", document_id="d2", status="failed", error_type=errors.NOT_FOUND
    )
    await ActivityEnvironment().run(acts.record_analytics, failed)

    assert first.recorded and not repeat.recorded
    snapshot = await acts.recorder.snapshot()
    assert snapshot["documents"] == {"succeeded": "1", "failed": "1", "total": "2"}
    assert snapshot["documents_by_type"] == {"invoice": "1"}
    assert snapshot["pages"] == {"total": "3", "text_layer": "2", "ocr": "1"}
    assert snapshot["entities_by_label"] == {"ORG": "2", "MONEY": "1"}
    assert snapshot["failures_by_type"] == {errors.NOT_FOUND: "1"}
    assert float(snapshot["stage_seconds_sum"]["reading"]) == pytest.approx(2.0)
    await acts.recorder.redis.aclose()


@pytest.mark.integration
async def test_redis_down_is_a_retryable_dependency_error(blob_store: FileBlobStore) -> None:
    acts = activities(blob_store, f"redis://127.0.0.1:{free_port()}/0")
    record = AnalyticsInput(batch_id="b", document_id="d", status="succeeded")
    with pytest.raises(ApplicationError) as info:
        await ActivityEnvironment().run(acts.record_analytics, record)
    assert info.value.type == errors.DEPENDENCY_UNAVAILABLE
    assert not info.value.non_retryable
