from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis
from temporalio import workflow
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import CacheLookupInput, CacheLookupResult, StoreInput, StoreResult
from docfleet_contracts.activities import FIND_CACHED, STORE_RESULT
from docfleet_contracts.models import WireModel
from docfleet_devstack.process import free_port
from docfleet_runtime import build_worker
from docfleet_storage.settings import StorageSettings
from docfleet_storage.worker import activity_functions

from .conftest import MakeActivities, MakeInput

pytestmark = pytest.mark.integration


def lookups(outcome: str) -> float:
    value = REGISTRY.get_sample_value("docfleet_cache_lookups_total", {"outcome": outcome})
    return value or 0.0


def lookup_for(request: StoreInput) -> CacheLookupInput:
    return CacheLookupInput(sha256=request.source.sha256, kind=request.kind)


async def cache_keys(redis_url: str) -> list[str]:
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        return sorted(str(key) for key in await redis.keys("*:cache:*"))
    finally:
        await redis.aclose()


async def test_complete_reading_is_cached_and_found_again(
    redis_url: str,
    blob_store: FileBlobStore,
    make_input: MakeInput,
    make_activities: MakeActivities,
) -> None:
    request = await make_input(blob_store)
    acts = make_activities(blob_store, redis_url)
    hits = lookups("hit")

    stored = await ActivityEnvironment().run(acts.store_result, request)
    found = await ActivityEnvironment().run(acts.find_cached, lookup_for(request))

    assert stored.cached
    key = f"docfleet:cache:v1:pdf:{request.source.sha256}"
    assert await cache_keys(redis_url) == [key]
    assert found.reason is None and found.hit is not None
    assert (found.hit.batch_id, found.hit.document_id) == ("b1", "d1")
    assert found.hit.ocr == request.ocr
    assert found.hit.classification == request.classification
    assert found.hit.entities == request.entities
    assert lookups("hit") == hits + 1
    ttl = await acts.cache.redis.ttl(key)
    assert 29 * 86400 < ttl <= 30 * 86400


async def test_only_fresh_complete_readings_asked_for_are_cached(
    redis_url: str,
    blob_store: FileBlobStore,
    make_input: MakeInput,
    make_activities: MakeActivities,
) -> None:
    request = await make_input(blob_store)
    acts = make_activities(blob_store, redis_url)
    for variant in (
        request.model_copy(update={"remember": False}),
        request.model_copy(update={"cached_from": "b0/d0"}),
        request.model_copy(update={"entities": None}),
    ):
        stored = await ActivityEnvironment().run(acts.store_result, variant)
        assert not stored.cached
    assert await cache_keys(redis_url) == []
    misses = lookups("miss")
    found = await ActivityEnvironment().run(acts.find_cached, lookup_for(request))
    assert found == CacheLookupResult()
    assert lookups("miss") == misses + 1


async def test_entry_whose_blobs_are_gone_is_a_stale_miss_and_is_removed(
    redis_url: str,
    blob_store: FileBlobStore,
    make_input: MakeInput,
    make_activities: MakeActivities,
) -> None:
    request = await make_input(blob_store)
    acts = make_activities(blob_store, redis_url)
    await ActivityEnvironment().run(acts.store_result, request)
    assert request.entities is not None
    entities_file = blob_store.root / "entities" / "b1" / "d1.json"
    assert entities_file.as_uri() == request.entities.entities.uri
    entities_file.unlink()
    stale = lookups("stale")

    found = await ActivityEnvironment().run(acts.find_cached, lookup_for(request))

    assert found.hit is None and found.reason == "stale"
    assert await cache_keys(redis_url) == []
    assert lookups("stale") == stale + 1


async def test_disabled_cache_neither_writes_nor_finds(
    redis_url: str,
    blob_store: FileBlobStore,
    make_input: MakeInput,
    make_activities: MakeActivities,
) -> None:
    request = await make_input(blob_store)
    acts = make_activities(blob_store, redis_url, cache_enabled=False)
    stored = await ActivityEnvironment().run(acts.store_result, request)
    found = await ActivityEnvironment().run(acts.find_cached, lookup_for(request))
    assert not stored.cached
    assert found.hit is None and found.reason == "cache disabled"
    assert await cache_keys(redis_url) == []


async def test_redis_down_is_a_miss_and_never_fails_the_store(
    blob_store: FileBlobStore,
    make_input: MakeInput,
    make_activities: MakeActivities,
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = await make_input(blob_store)
    acts = make_activities(blob_store, f"redis://127.0.0.1:{free_port()}/0")
    unavailable = lookups("unavailable")

    found = await ActivityEnvironment().run(acts.find_cached, lookup_for(request))
    stored = await ActivityEnvironment().run(acts.store_result, request)

    assert found.hit is None and found.reason is not None
    assert found.reason.startswith("cache unavailable")
    assert lookups("unavailable") == unavailable + 1
    assert not stored.cached
    assert await blob_store.exists(stored.result.uri)
    assert "not cached: Redis unavailable" in caplog.text


class Probe(WireModel):
    queue: str
    store: StoreInput


class ProbeResult(WireModel):
    before: CacheLookupResult
    stored: StoreResult
    after: CacheLookupResult


@workflow.defn(sandboxed=False)
class CacheProbe:
    """Looks up, stores, looks up again: by contract names, as the orchestrator does."""

    @workflow.run
    async def run(self, probe: Probe) -> ProbeResult:
        lookup = CacheLookupInput(sha256=probe.store.source.sha256, kind=probe.store.kind)
        queue, timeout = probe.queue, timedelta(seconds=30)
        before: CacheLookupResult = await workflow.execute_activity(
            FIND_CACHED.name,
            lookup,
            task_queue=queue,
            result_type=CacheLookupResult,
            start_to_close_timeout=timeout,
        )
        stored: StoreResult = await workflow.execute_activity(
            STORE_RESULT.name,
            probe.store,
            task_queue=queue,
            result_type=StoreResult,
            start_to_close_timeout=timeout,
            heartbeat_timeout=timeout,
        )
        after: CacheLookupResult = await workflow.execute_activity(
            FIND_CACHED.name,
            lookup,
            task_queue=queue,
            result_type=CacheLookupResult,
            start_to_close_timeout=timeout,
        )
        return ProbeResult(before=before, stored=stored, after=after)


async def test_storage_worker_serves_the_cache_lookup(
    temporal_client: Client,
    task_queue: str,
    redis_url: str,
    blob_store: FileBlobStore,
    make_input: MakeInput,
    make_activities: MakeActivities,
) -> None:
    request = await make_input(blob_store)
    acts = make_activities(blob_store, redis_url)
    worker = build_worker(
        temporal_client,
        StorageSettings(),
        task_queue=task_queue,
        activities=activity_functions(acts),
        workflows=[CacheProbe],
    )
    async with worker:
        result = await temporal_client.execute_workflow(
            CacheProbe.run,
            Probe(queue=task_queue, store=request),
            id=f"cache-probe-{uuid.uuid4().hex}",
            task_queue=task_queue,
        )
    assert result.before == CacheLookupResult()
    assert result.stored.cached
    assert result.after.hit is not None and result.after.hit.ocr == request.ocr
