"""Entry point of the fetcher worker: `docfleet-fetcher-worker` or `python -m docfleet_fetcher`."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from dataclasses import replace
from typing import NoReturn

from redis.asyncio import Redis

from docfleet_blobstore import S3Client, open_blob_store, s3_options_from
from docfleet_contracts import queues
from docfleet_fetcher.activities import FetchActivities
from docfleet_fetcher.breaker import CircuitBreaker, connect_redis
from docfleet_fetcher.breaker_state import BreakerPolicy
from docfleet_fetcher.client import HttpSource, build_http_client
from docfleet_fetcher.files import FileSource
from docfleet_fetcher.objects import S3Source
from docfleet_fetcher.pipeline import Fetcher
from docfleet_fetcher.settings import FetchSettings
from docfleet_runtime import (
    build_worker,
    configure_logging,
    connect_client,
    serve,
    start_telemetry,
)
from docfleet_runtime.process import run_process

log = logging.getLogger(__name__)


async def run(settings: FetchSettings) -> None:
    """Open the clients once, serve `fetch.fetch_document` until SIGTERM, then close them."""
    log.info("fetcher settings: %s", settings.public_summary())
    start_telemetry(settings)  # before connecting: the SDK's metrics join /metrics
    client = await connect_client(wait_seconds=settings.temporal_connect_wait_seconds)
    s3_options = s3_options_from(settings)
    async with AsyncExitStack() as stack:
        store = await open_blob_store(settings.blob_url, s3_options)
        stack.push_async_callback(store.close)
        http = await stack.enter_async_context(build_http_client(settings))
        # Source buckets belong to users: never create one.
        s3 = await S3Client(replace(s3_options, create_bucket=False)).open()
        stack.push_async_callback(s3.close)
        breaker = None
        if settings.fetch_breaker_enabled:
            redis = connect_redis(settings.redis_url)
            stack.push_async_callback(redis.aclose)
            breaker = build_breaker(settings, redis)
        web = HttpSource(http, max_retry_after=settings.fetch_max_retry_after_seconds)
        fetcher = Fetcher(
            store,
            {
                "http": web,
                "https": web,
                "file": FileSource(settings.fetch_file_root),
                "s3": S3Source(s3, allowed_buckets=settings.fetch_s3_allowed_buckets),
            },
            max_bytes=settings.fetch_max_bytes,
            total_timeout=settings.fetch_total_timeout_seconds,
            temp_dir=settings.fetch_temp_dir,
            breaker=breaker,
        )
        activities = FetchActivities(fetcher, heartbeat_seconds=settings.fetch_heartbeat_seconds)
        worker = build_worker(
            client,
            settings,
            task_queue=queues.FETCHER_QUEUE,
            activities=[activities.fetch_document],
        )
        await serve(worker, service="fetcher", client=client)


def build_breaker(settings: FetchSettings, redis: Redis | None) -> CircuitBreaker:
    """The process's circuit breaker, configured from the settings."""
    policy = BreakerPolicy(
        failures=settings.fetch_breaker_failures,
        window_seconds=settings.fetch_breaker_window_seconds,
        open_seconds=settings.fetch_breaker_open_seconds,
        # One probe at a time: its lease outlasts the longest download it can be.
        probe_seconds=settings.fetch_total_timeout_seconds + settings.fetch_connect_timeout_seconds,
    )
    return CircuitBreaker(redis, policy, prefix=settings.breaker_prefix)


def main() -> NoReturn:
    """Console script: settings from the environment, logging, then `run`."""
    settings = FetchSettings()
    configure_logging(settings.log_level, settings.log_format)
    run_process(run(settings))
