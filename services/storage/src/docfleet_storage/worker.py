"""Entry point of the storage worker (`docfleet-storage-worker`)."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis

from docfleet_blobstore import open_configured_store
from docfleet_contracts.queues import STORAGE_QUEUE
from docfleet_runtime import build_worker, configure_logging, connect_client, serve
from docfleet_storage.activities import StorageActivities
from docfleet_storage.analytics import AnalyticsRecorder
from docfleet_storage.settings import StorageSettings

log = logging.getLogger("docfleet_storage")


async def run(settings: StorageSettings) -> None:
    client = await connect_client(wait_seconds=settings.temporal_connect_wait_seconds)
    blobs = await open_configured_store(settings)
    redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
    recorder = AnalyticsRecorder(
        redis, settings.analytics_prefix, settings.analytics_dedupe_days * 86400
    )
    activities = StorageActivities(blobs, recorder)
    worker = build_worker(
        client,
        settings,
        task_queue=STORAGE_QUEUE,
        activities=[activities.store_result, activities.record_analytics],
    )
    try:
        await serve(worker, service="storage", client=client)
    finally:
        await redis.aclose()
        await blobs.close()


def main() -> None:
    settings = StorageSettings()
    configure_logging(settings.log_level, settings.log_format)
    log.info("blob store %s, analytics prefix %r", settings.blob_url, settings.analytics_prefix)
    asyncio.run(run(settings))
