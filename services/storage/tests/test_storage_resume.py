from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from prometheus_client import REGISTRY
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import (
    MIN_PART_BYTES,
    BlobStore,
    FileBlobStore,
    S3BlobStore,
    S3Options,
    open_blob_store,
)
from docfleet_contracts import Degradation, naming

from .conftest import MakeActivities, MakeInput

BIG_TEXT = "a" * MIN_PART_BYTES + "b" * 1000  # two parts at the smallest part size S3 takes


def parts_written() -> float:
    return REGISTRY.get_sample_value("docfleet_store_parts_total") or 0.0


def written(beats: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(key, part) for each part an attempt wrote, from its heartbeats."""
    return [
        (b["upload"]["key"], b["upload"]["last_part"])
        for b in beats
        if b["upload"] and b["upload"]["last_part"]
    ]


@pytest.fixture
async def s3_store(s3_options: S3Options, s3_bucket_url: str) -> AsyncIterator[S3BlobStore]:
    store = await open_blob_store(s3_bucket_url, s3_options)
    assert isinstance(store, S3BlobStore)
    async with store:
        yield store


async def test_partial_result_stores_text_with_null_classification_and_entities(
    blob_store: FileBlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    complete = await make_input(blob_store)
    degraded = [Degradation(stage="extracting", error_type="DependencyUnavailable", message="x")]
    request = complete.model_copy(
        update={"classification": None, "entities": None, "degraded": degraded}
    )
    acts = make_activities(blob_store)

    stored = await ActivityEnvironment().run(acts.store_result, request)
    again = await ActivityEnvironment().run(acts.store_result, request)

    result = json.loads(await blob_store.read(stored.result))
    assert result["status"] == "partial"
    assert result["document_type"] is None and result["entities"] is None
    assert result["key_fields"] is None
    assert result["entity_count"] is None
    assert result["degraded"] == [d.model_dump() for d in degraded]
    assert result["text"]["sha256"] == complete.ocr.text.sha256
    assert not stored.cached
    assert again.result.sha256 == stored.result.sha256  # deterministic bytes


@pytest.mark.integration
async def test_store_result_retry_resumes_after_the_last_heartbeated_part(
    s3_store: S3BlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    request = await make_input(s3_store, text=BIG_TEXT)
    acts = make_activities(s3_store, part_bytes=MIN_PART_BYTES)
    first = ActivityEnvironment()
    beats: list[dict[str, Any]] = []

    def lose_worker_after_part_one(detail: dict[str, Any]) -> None:
        beats.append(detail)
        if written(beats):
            first.cancel()  # as a heartbeat timeout would

    first.on_heartbeat = lose_worker_after_part_one
    with pytest.raises(asyncio.CancelledError):
        await first.run(acts.store_result, request)
    assert written(beats) == [("results/b1/d1.txt", 1)]
    upload_id = beats[-1]["upload"]["upload_id"]
    listed = await s3_store.client.raw.list_parts(
        Bucket=s3_store.bucket, Key=s3_store._key("results/b1/d1.txt"), UploadId=upload_id
    )
    assert [p["PartNumber"] for p in listed["Parts"]] == [1]

    retry = ActivityEnvironment()
    retry.info = dataclasses.replace(retry.info, attempt=2, heartbeat_details=[beats[-1]])
    second: list[dict[str, Any]] = []
    retry.on_heartbeat = second.append
    before = parts_written()
    stored = await retry.run(acts.store_result, request)

    # Only text part 2 and the (one-part) result JSON were written by the retry.
    assert written(second) == [("results/b1/d1.txt", 2), ("results/b1/d1.json", 1)]
    assert parts_written() - before == 2
    assert second[-1]["text"]["sha256"] == hashlib.sha256(BIG_TEXT.encode()).hexdigest()
    assert stored.text.sha256 == hashlib.sha256(BIG_TEXT.encode()).hexdigest()
    assert (await s3_store.read(stored.text)).decode() == BIG_TEXT
    assert json.loads(await s3_store.read(stored.result))["text"] == stored.text.model_dump()
    assert await s3_store.unfinished_uploads() == []


async def test_retry_after_the_text_was_written_skips_it(
    blob_store: FileBlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    request = await make_input(blob_store)
    acts = make_activities(blob_store)
    beats: list[dict[str, Any]] = []
    env = ActivityEnvironment()
    env.on_heartbeat = beats.append
    await env.run(acts.store_result, request)
    text_written = next(b for b in beats if b["step"] == "text written")

    retry = ActivityEnvironment()
    retry.info = dataclasses.replace(retry.info, attempt=2, heartbeat_details=[text_written])
    again: list[dict[str, Any]] = []
    retry.on_heartbeat = again.append
    stored = await retry.run(acts.store_result, request)

    assert [b["step"] for b in again] == ["writing result"]
    assert stored.text.model_dump(mode="json") == text_written["text"]


async def test_heartbeat_details_of_unknown_shape_restart_the_store(
    blob_store: BlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    request = await make_input(blob_store)
    retry = ActivityEnvironment()
    retry.info = dataclasses.replace(retry.info, attempt=2, heartbeat_details=["writing text"])
    stored = await retry.run(make_activities(blob_store).store_result, request)
    assert stored.text.uri == blob_store.uri_for(naming.result_text_key("b1", "d1"))
