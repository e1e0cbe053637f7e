"""Entry point of the storage worker (`docfleet-storage-worker`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NoReturn

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from docfleet_blobstore import open_configured_store
from docfleet_contracts.queues import STORAGE_QUEUE
from docfleet_runtime import (
    build_worker,
    configure_logging,
    connect_client,
    serve,
    start_telemetry,
)
from docfleet_runtime.process import run_process
from docfleet_storage.activities import StorageActivities
from docfleet_storage.analytics import AnalyticsRecorder
from docfleet_storage.cache import ReadingCache
from docfleet_storage.settings import StorageSettings

log = logging.getLogger("docfleet_storage")


def activity_functions(activities: StorageActivities) -> list[Callable[..., Any]]:
    """Every activity this worker serves."""
    return [
        activities.store_result,
        activities.find_cached,
        activities.record_analytics,
        activities.read_manifest,
        activities.write_manifest,
        activities.append_results,
        activities.finish_results,
    ]


async def run(settings: StorageSettings) -> None:
    start_telemetry(settings)  # before connecting: the SDK's metrics join /metrics
    client = await connect_client(wait_seconds=settings.temporal_connect_wait_seconds)
    blobs = await open_configured_store(settings)
    redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
    recorder = AnalyticsRecorder(
        redis, settings.analytics_prefix, settings.analytics_dedupe_days * 86400
    )
    # The cache has its own client: short timeouts and no retries, so an outage costs a
    # document a fraction of a second, never a failure.
    cache_redis = Redis.from_url(
        settings.redis_url,
        socket_timeout=settings.cache_timeout_seconds,
        socket_connect_timeout=settings.cache_timeout_seconds,
        retry=Retry(NoBackoff(), 0),
    )
    cache = ReadingCache(
        cache_redis,
        blobs,
        prefix=settings.analytics_prefix,
        ttl_seconds=settings.cache_ttl_days * 86400,
        enabled=settings.cache_enabled,
        timeout=settings.cache_timeout_seconds,
    )
    activities = StorageActivities(blobs, recorder, cache, settings.store_part_bytes)
    worker = build_worker(
        client,
        settings,
        task_queue=STORAGE_QUEUE,
        activities=activity_functions(activities),
    )
    try:
        await serve(worker, service="storage", client=client)
    finally:
        await cache_redis.aclose()
        await redis.aclose()
        await blobs.close()


def main() -> NoReturn:
    settings = StorageSettings()
    configure_logging(settings.log_level, settings.log_format)
    log.info(
        "blob store %s, analytics prefix %r, cache %s",
        settings.blob_url,
        settings.analytics_prefix,
        "on" if settings.cache_enabled else "off",
    )
    run_process(run(settings))
