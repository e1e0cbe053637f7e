from __future__ import annotations

import json

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import BlobStore, FileBlobStore, S3Options, open_blob_store
from docfleet_contracts import AnalyticsInput, errors, naming
from docfleet_devstack.process import free_port

from .conftest import TEXT, MakeActivities, MakeInput


async def test_store_result_writes_result_and_text_under_deterministic_keys(
    blob_store: FileBlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    request = await make_input(blob_store)
    env = ActivityEnvironment()
    beats: list[dict[str, object]] = []
    env.on_heartbeat = lambda *details: beats.extend(details)

    stored = await env.run(make_activities(blob_store).store_result, request)

    assert stored.result.uri == blob_store.uri_for(naming.result_key("b1", "d1"))
    assert await blob_store.read_text(stored.text) == TEXT
    result = json.loads(await blob_store.read(stored.result))
    assert result["status"] == "complete"
    assert result["degraded"] == [] and result["cached_from"] is None
    assert result["document_type"]["label"] == "invoice"
    assert result["entities"][0]["text"] == "Acme Corporation"
    assert [(k["name"], k["value"], k["page"]) for k in result["key_fields"]] == [
        ("number", "7", 1)
    ]
    assert [p["method"] for p in result["pages"]] == ["text_layer", "ocr"]
    assert [b["step"] for b in beats] == [
        "reading text",
        "writing text",
        "text written",
        "writing result",
    ]
    again = await env.run(make_activities(blob_store).store_result, request)
    assert again == stored


async def test_store_result_with_missing_text_is_a_typed_non_retryable_error(
    blob_store: FileBlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    request = await make_input(blob_store)
    missing = request.ocr.text.model_copy(update={"uri": blob_store.uri_for("text/none.txt")})
    request = request.model_copy(update={"ocr": request.ocr.model_copy(update={"text": missing})})
    with pytest.raises(ApplicationError) as info:
        await ActivityEnvironment().run(make_activities(blob_store).store_result, request)
    assert info.value.type == errors.INVALID_REQUEST
    assert info.value.non_retryable


@pytest.mark.integration
async def test_store_result_on_s3(
    moto_endpoint: str,
    s3_bucket_url: str,
    make_input: MakeInput,
    make_activities: MakeActivities,
) -> None:
    store: BlobStore = await open_blob_store(
        s3_bucket_url, S3Options(endpoint_url=moto_endpoint, create_bucket=True)
    )
    async with store:
        stored = await ActivityEnvironment().run(
            make_activities(store).store_result, await make_input(store)
        )
        assert stored.result.uri.startswith("s3://")
        assert stored.result.uri.endswith("/results/b1/d1.json")
        assert json.loads(await store.read(stored.result))["entity_count"] == 1
        assert await store.unfinished_uploads() == []


@pytest.mark.integration
async def test_analytics_counted_once_per_document(
    redis_url: str, blob_store: FileBlobStore, make_activities: MakeActivities
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
    acts = make_activities(blob_store, redis_url)
    first = await ActivityEnvironment().run(acts.record_analytics, record)
    repeat = await ActivityEnvironment().run(acts.record_analytics, record)
    failed = AnalyticsInput(
        batch_id="b1", document_id="d2", status="failed", error_type=errors.NOT_FOUND
    )
    await ActivityEnvironment().run(acts.record_analytics, failed)
    partial = AnalyticsInput(
        batch_id="b1",
        document_id="d3",
        status="partial",
        document_type="unknown",
        page_count=2,
        text_layer_pages=0,
        ocr_pages=2,
    )
    await ActivityEnvironment().run(acts.record_analytics, partial)

    assert first.recorded and not repeat.recorded
    snapshot = await acts.recorder.snapshot()
    assert snapshot["documents"] == {"succeeded": "1", "failed": "1", "partial": "1", "total": "3"}
    assert snapshot["documents_by_type"] == {"invoice": "1", "unknown": "1"}
    assert snapshot["pages"] == {"total": "5", "text_layer": "2", "ocr": "3"}
    assert snapshot["pages_by_type"] == {"invoice": "3", "unknown": "2"}
    assert snapshot["entities_by_label"] == {"ORG": "2", "MONEY": "1"}
    assert snapshot["failures_by_type"] == {errors.NOT_FOUND: "1"}
    assert float(snapshot["stage_seconds_sum"]["reading"]) == pytest.approx(2.0)


@pytest.mark.integration
async def test_redis_down_is_a_retryable_dependency_error(
    blob_store: FileBlobStore, make_activities: MakeActivities
) -> None:
    acts = make_activities(blob_store, f"redis://127.0.0.1:{free_port()}/0")
    record = AnalyticsInput(batch_id="b", document_id="d", status="succeeded")
    with pytest.raises(ApplicationError) as info:
        await ActivityEnvironment().run(acts.record_analytics, record)
    assert info.value.type == errors.DEPENDENCY_UNAVAILABLE
    assert not info.value.non_retryable
